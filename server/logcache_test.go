package server

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// logCacheFixture serves one store through a server with the log cache
// and one without it.
type logCacheFixture struct {
	st       *store.Store
	cached   *Server
	uncached *Server
}

func newLogCacheFixture(t testing.TB, cacheBytes int64) *logCacheFixture {
	t.Helper()
	st := store.New(synth.New(42, 1), store.Options{Now: func() time.Time { return synth.DefaultEpoch }})
	f := &logCacheFixture{
		st:       st,
		cached:   New(st, Options{LogCacheBytes: cacheBytes}),
		uncached: New(st, Options{LogCacheBytes: -1}),
	}
	if f.cached.logs == nil || f.uncached.logs != nil {
		t.Fatal("LogCacheBytes did not switch the cache on and off")
	}
	return f
}

func getBody(t testing.TB, s *Server, path string) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.Bytes()
}

// check requests path from both servers, twice from the cached one (a
// miss or an extension, then a hit), and fails unless every body is the
// uncached one.
func (f *logCacheFixture) check(t *testing.T, path string) {
	t.Helper()
	wantCode, want := getBody(t, f.uncached, path)
	for _, pass := range []string{"first", "second"} {
		code, got := getBody(t, f.cached, path)
		if code != wantCode || !bytes.Equal(got, want) {
			t.Fatalf("GET %s (%s time, cached) = %d\n%s\nwant %d\n%s", path, pass, code, head(got), wantCode, head(want))
		}
	}
}

func head(b []byte) string {
	if len(b) > 600 {
		return string(b[:300]) + " ... " + string(b[len(b)-300:])
	}
	return string(b)
}

func logsPath(id studio.RunID, v url.Values) string {
	return "/api/runs/" + string(id) + "/logs?" + v.Encode()
}

// TestLogCacheServesWhatTheStoreServes compares cached and uncached log
// pages for every way of positioning a page, on block boundaries, at both
// ends of the log, and for runs of every status.
func TestLogCacheServesWhatTheStoreServes(t *testing.T) {
	f := newLogCacheFixture(t, 0)
	big, err := f.st.Run(synth.BigLogRun)
	if err != nil {
		t.Fatal(err)
	}
	n := big.LogCount
	c := func(pos int64) string { return "c" + strconv.FormatInt(pos, 36) }
	b := func(pos int64) string { return "b" + strconv.FormatInt(pos, 36) }
	lineTime := func(seq int64) string {
		p, err := f.st.Logs(synth.BigLogRun, api.LogQuery{FromSeq: seq, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return p.Lines[0].Time.Format(time.RFC3339Nano)
	}
	tests := []struct {
		name string
		q    url.Values
	}{
		{"default position and limit", url.Values{}},
		{"page across a block boundary", url.Values{"from_seq": {"1000"}, "limit": {"500"}}},
		{"last line of a block", url.Values{"from_seq": {"1023"}, "limit": {"1"}}},
		{"two lines across a boundary", url.Values{"from_seq": {"1023"}, "limit": {"2"}}},
		{"exactly one block", url.Values{"from_seq": {"1024"}, "limit": {"1024"}}},
		{"largest page over three blocks", url.Values{"from_seq": {"5000"}, "limit": {strconv.Itoa(api.MaxLogLimit)}}},
		{"deep page", url.Values{"from_seq": {"500123"}, "limit": {"500"}}},
		{"end of the log", url.Values{"from_seq": {strconv.FormatInt(n-500, 10)}, "limit": {"500"}}},
		{"page cut by the end", url.Values{"from_seq": {strconv.FormatInt(n-10, 10)}, "limit": {"500"}}},
		{"empty page at the end", url.Values{"from_seq": {strconv.FormatInt(n, 10)}}},
		{"from_seq past the end", url.Values{"from_seq": {"99999999"}}},
		{"forward cursor", url.Values{"cursor": {c(700_000)}, "limit": {"2000"}}},
		{"backward cursor", url.Values{"cursor": {b(700_000)}, "limit": {"777"}}},
		{"backward cursor near the start", url.Values{"cursor": {b(300)}, "limit": {"500"}}},
		{"backward cursor at the start", url.Values{"cursor": {b(0)}}},
		{"backward from a seq", url.Values{"from_seq": {"3000"}, "dir": {"backward"}, "limit": {"2000"}}},
		{"tail", url.Values{"tail": {"2000"}}},
		{"tail of one line", url.Values{"tail": {"1"}}},
		{"from_time", url.Values{"from_time": {lineTime(400_000)}, "limit": {"500"}}},
		{"from_time between lines", url.Values{"from_time": {"2026-11-10T10:00:00.0005Z"}, "limit": {"50"}}},
		{"from_time before the start", url.Values{"from_time": {"2000-01-01T00:00:00Z"}}},
		{"from_time after the end", url.Values{"from_time": {"2999-01-01T00:00:00Z"}}},
		{"filtered by level (not cached)", url.Values{"level": {"error"}, "from_seq": {"1000"}}},
		{"filtered by text (not cached)", url.Values{"q": {"nccl"}, "limit": {"20"}}},
		{"bad cursor", url.Values{"cursor": {"x1"}}},
		{"cursor past the end", url.Values{"cursor": {c(n + 1)}}},
		{"two positions", url.Values{"from_seq": {"5"}, "tail": {"5"}}},
		{"bad limit", url.Values{"limit": {"100000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.check(t, logsPath(synth.BigLogRun, tt.q)) })
	}
	t.Run("unknown run", func(t *testing.T) { f.check(t, logsPath("run-9999", url.Values{})) })

	// Every run of the dataset: small logs, failed and cancelled runs
	// (their last lines), running and queued runs.
	_, runs, _ := synth.New(42, 1).Counts()
	for i := range runs {
		id := synth.RunID(i)
		f.check(t, logsPath(id, url.Values{"limit": {"2000"}}))
		f.check(t, logsPath(id, url.Values{"tail": {"700"}}))
	}
}

// TestLogCacheRunningRun reads the tail of a running run while it grows:
// the partial last block is extended, never served stale, and the lines
// it already held are not generated again.
func TestLogCacheRunningRun(t *testing.T) {
	f := newLogCacheFixture(t, 0)
	var id studio.RunID
	for _, l := range f.st.Live() {
		if r, _ := f.st.Run(l); r.Status == studio.RunRunning {
			id = l
			break
		}
	}
	if id == "" {
		t.Fatal("no running run")
	}
	run, _ := f.st.Run(id)
	lines := run.LogCount / max(int64(run.Steps), 1)
	if lines < 1 {
		t.Fatalf("run %s has %d lines over %d steps", id, run.LogCount, run.Steps)
	}
	// Enough steps to fill the last block and start another one.
	steps := int(2*logBlockLines/lines) + 2
	for i := range steps {
		f.check(t, logsPath(id, url.Values{"tail": {"500"}}))
		if i%3 == 0 {
			f.check(t, logsPath(id, url.Values{"from_seq": {strconv.FormatInt(max(run.LogCount-100, 0), 10)}, "limit": {"2000"}}))
		}
		if _, err := f.st.Tick(id); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := f.st.Run(id)
	if after.LogCount <= run.LogCount+logBlockLines {
		t.Fatalf("run %s grew from %d to %d lines; want more than a block", id, run.LogCount, after.LogCount)
	}
	// Extending blocks encodes each new line once: the tail pages above
	// filled the tail block of the first request, then only new lines.
	first := (run.LogCount - 500) / logBlockLines * logBlockLines
	if got, want := f.cached.logs.fills.Load(), after.LogCount-first; got > want+int64(logBlockLines) {
		t.Errorf("the cache encoded %d lines for a log that grew to %d lines from seq %d; want about %d", got, after.LogCount, first, want)
	}
}

// TestLogCacheEviction holds the cache to its bound, evicting the least
// recently used blocks, and refills evicted blocks correctly.
func TestLogCacheEviction(t *testing.T) {
	// Fill one block to learn its size, then allow three of them.
	probe := newLogCacheFixture(t, 0)
	probe.check(t, logsPath(synth.BigLogRun, url.Values{"from_seq": {"0"}, "limit": {"1"}}))
	_, one := probe.cached.logs.stats()
	limit := 3*one + one/2

	f := newLogCacheFixture(t, limit)
	page := func(block int64) string {
		return logsPath(synth.BigLogRun, url.Values{"from_seq": {strconv.FormatInt(block*logBlockLines+100, 10)}, "limit": {"10"}})
	}
	for blk := range int64(10) {
		f.check(t, page(blk))
		if blocks, size := f.cached.logs.stats(); size > limit || blocks > 3 {
			t.Fatalf("after block %d: %d blocks, %d bytes; want at most 3 blocks and %d bytes", blk, blocks, size, limit)
		}
	}
	// Blocks 7, 8 and 9 are cached: reading them fills nothing, reading
	// block 7 again makes it the most recent, so block 8 goes next.
	fills := f.cached.logs.fills.Load()
	for _, blk := range []int64{7, 9, 8, 7} {
		f.check(t, page(blk))
	}
	if got := f.cached.logs.fills.Load(); got != fills {
		t.Fatalf("reading cached blocks encoded %d lines", got-fills)
	}
	f.check(t, page(0)) // evicts block 9, the least recently used
	fills = f.cached.logs.fills.Load()
	f.check(t, page(8))
	f.check(t, page(7))
	if got := f.cached.logs.fills.Load(); got != fills {
		t.Fatalf("blocks 7 and 8 were evicted instead of block 9 (%d lines encoded)", got-fills)
	}
	f.check(t, page(9))
	if got := f.cached.logs.fills.Load(); got != fills+logBlockLines {
		t.Fatalf("reading evicted block 9 encoded %d lines; want %d", got-fills, logBlockLines)
	}

	// A bound smaller than one block caches nothing and still answers.
	tiny := newLogCacheFixture(t, 1000)
	tiny.check(t, page(3))
	if blocks, size := tiny.cached.logs.stats(); blocks != 0 || size != 0 {
		t.Fatalf("a 1000-byte cache holds %d blocks, %d bytes", blocks, size)
	}
}

// TestLogCacheConcurrentMisses has many goroutines miss the same blocks
// at once: each block is generated once, and every reader gets the page.
func TestLogCacheConcurrentMisses(t *testing.T) {
	f := newLogCacheFixture(t, 0)
	path := logsPath(synth.BigLogRun, url.Values{"from_seq": {"600000"}, "limit": {"2000"}}) // 3 blocks
	_, want := getBody(t, f.uncached, path)
	const readers = 16
	var wg sync.WaitGroup
	start := make(chan struct{})
	bodies := make([][]byte, readers)
	for i := range readers {
		wg.Go(func() {
			<-start
			_, bodies[i] = getBody(t, f.cached, path)
		})
	}
	close(start)
	wg.Wait()
	for i, got := range bodies {
		if !bytes.Equal(got, want) {
			t.Fatalf("reader %d got\n%s\nwant\n%s", i, head(got), head(want))
		}
	}
	if got := f.cached.logs.fills.Load(); got != 3*logBlockLines {
		t.Errorf("%d readers of 3 blocks encoded %d lines; want %d", readers, got, 3*logBlockLines)
	}
}

// TestLogCacheConcurrentChurn reads random pages from many goroutines
// through a cache that holds a few blocks, while a running run grows:
// every page must still be right (run with -race).
func TestLogCacheConcurrentChurn(t *testing.T) {
	f := newLogCacheFixture(t, 4*170_000)
	live := f.st.Live()
	if len(live) == 0 {
		t.Fatal("the dataset has no running run to grow")
	}
	var paths []string
	r := rand.New(rand.NewPCG(1, 2))
	for range 48 {
		paths = append(paths, logsPath(synth.BigLogRun, url.Values{"from_seq": {strconv.Itoa(r.IntN(20 * logBlockLines))}, "limit": {strconv.Itoa(1 + r.IntN(1500))}}))
	}
	want := make(map[string][]byte)
	for _, p := range paths {
		_, want[p] = getBody(t, f.uncached, p)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				p := paths[(g*7+i*5)%len(paths)]
				if _, got := getBody(t, f.cached, p); !bytes.Equal(got, want[p]) {
					errs <- fmt.Sprintf("goroutine %d: GET %s differs", g, p)
					return
				}
				// Tails of live runs are extended while others read.
				getBody(t, f.cached, logsPath(live[i%len(live)], url.Values{"tail": {"300"}}))
			}
		})
	}
	wg.Go(func() {
		for i := range 30 {
			f.st.Tick(live[i%len(live)])
		}
	})
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if blocks, size := f.cached.logs.stats(); size > 4*170_000 {
		t.Errorf("cache holds %d blocks, %d bytes; bound %d", blocks, size, 4*170_000)
	}
}

// maxCachedPageAllocs is the allocation budget of a log page served from
// a warm cache, resolving the query included: the resolved position, the
// window, and two for each of the page's cursors; never anything per line
// or per block.
const maxCachedPageAllocs = 6

func TestCachedLogPageAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	f := newLogCacheFixture(t, 0)
	for _, q := range []api.LogQuery{
		{FromSeq: 500_000, Limit: 500},
		{FromSeq: 1000, Limit: api.MaxLogLimit},
		{FromSeq: -1, Tail: 2000},
	} {
		buf := make([]byte, 0, 1<<20)
		page := func() {
			w, ok, err := f.st.LogWindow(synth.BigLogRun, q)
			if err != nil || !ok {
				t.Fatalf("LogWindow(%+v) = %v, %v", q, ok, err)
			}
			if buf, ok = f.cached.logs.appendPage(buf[:0], &w); !ok {
				t.Fatal("appendPage refused the page")
			}
		}
		page() // fills the blocks
		if n := testing.AllocsPerRun(20, page); n > maxCachedPageAllocs {
			t.Errorf("a cached page at %+v made %.0f allocations; want at most %d", q, n, maxCachedPageAllocs)
		}
	}
}
