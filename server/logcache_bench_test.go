package server

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/synth"
)

// BenchmarkLogPage500Random serves 500-line pages at random positions of
// the 1,000,000-line log, as tools/load does: "warm" with every block
// cached (the pages are copied from a 156 MB cache, mostly out of the CPU
// caches), "uncached" with the cache disabled (generated and encoded).
func BenchmarkLogPage500Random(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bytes int64
	}{{"warm", 0}, {"uncached", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			ts := newTestServer(b, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TickInterval: time.Hour, LogCacheBytes: bc.bytes})
			h := ts.Handler()
			run, err := ts.store.Run(synth.BigLogRun)
			if err != nil {
				b.Fatal(err)
			}
			path := func(seq int64) string {
				return fmt.Sprintf("/api/runs/%s/logs?from_seq=%d&limit=500", synth.BigLogRun, seq)
			}
			if bc.bytes >= 0 {
				for seq := int64(0); seq < run.LogCount; seq += 2000 {
					h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path(seq), nil))
				}
			}
			reqs := make([]*http.Request, 1024)
			r := rand.New(rand.NewPCG(42, 8))
			for i := range reqs {
				reqs[i] = httptest.NewRequest(http.MethodGet, path(r.Int64N(run.LogCount)), nil)
			}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				clear(w.h)
				h.ServeHTTP(w, reqs[i%len(reqs)])
			}
			b.SetBytes(w.n / int64(b.N))
		})
	}
}

// discardWriter is a ResponseWriter that counts and drops the body, so a
// benchmark times the handler rather than a recorder's copy of 78 KB.
type discardWriter struct {
	h http.Header
	n int64
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(int)     {}
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
