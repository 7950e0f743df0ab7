package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aiinfra/studio/shared/synth"
)

// metrics1000 is the query of the run page's charts (and of
// BenchmarkMetrics1000 and tools/load): every metric of the
// 100,000-step run at 1,000 points.
const metrics1000 = "/api/runs/" + string(synth.LongMetricRun) + "/metrics?max_points=1000"

// BenchmarkMetrics1000Uncached serves metrics1000 without the cache of
// encoded responses (emptied before each request): the store's decimated
// series are cached, so this is mostly the encoding of 7,000 points.
// BenchmarkMetrics1000 repeats the query with the cache.
func BenchmarkMetrics1000Uncached(b *testing.B) {
	ts := benchServer(b)
	h := ts.Handler()
	req := httptest.NewRequest(http.MethodGet, metrics1000, nil)
	b.ReportAllocs()
	for b.Loop() {
		ts.metrics = metricsJSON{}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", metrics1000, rec.Code)
		}
	}
}

// BenchmarkMetrics1000FirstCall serves metrics1000 as the first request
// of a new server and store (created outside the timer): computing seven
// series of 100,000 values, decimating and encoding them.
func BenchmarkMetrics1000FirstCall(b *testing.B) {
	req := httptest.NewRequest(http.MethodGet, metrics1000, nil)
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		h := New(freshStore(), Options{}).Handler()
		rec := httptest.NewRecorder()
		b.StartTimer()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", metrics1000, rec.Code)
		}
	}
}
