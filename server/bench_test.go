package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// benchServer serves a seed-42 store with request logs formatted (as in
// production) but discarded.
func benchServer(b *testing.B) *testServer {
	b.Helper()
	return newTestServer(b, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TickInterval: time.Hour})
}

func benchmarkGET(b *testing.B, path string) {
	ts := benchServer(b)
	h := ts.Handler()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
		}
	})
}

func BenchmarkDashboard(b *testing.B) { benchmarkGET(b, "/api/dashboard") }

func BenchmarkLogPage500(b *testing.B) {
	ts := benchServer(b)
	runs, err := ts.store.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if err != nil {
		b.Fatal(err)
	}
	var big studio.Run
	for _, r := range runs.Items {
		if r.LogCount > big.LogCount {
			big = r
		}
	}
	benchmarkGET(b, fmt.Sprintf("/api/runs/%s/logs?from_seq=%d&limit=500", big.ID, big.LogCount/2))
}

func BenchmarkHealthz(b *testing.B) { benchmarkGET(b, "/api/healthz") }
