package store

import (
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// BenchmarkNew builds the full default dataset (target < 100 ms).
func BenchmarkNew(b *testing.B) {
	g := synth.New(42, 1)
	b.ReportAllocs()
	for b.Loop() {
		New(g, Options{Now: func() time.Time { return synth.DefaultEpoch }})
	}
}

// BenchmarkLogsDeepPage reads 500 lines deep in the 1,000,000-line run
// (target < 2 ms).
func BenchmarkLogsDeepPage(b *testing.B) {
	s, _ := newTestStore(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: 900_000 + int64(i%100)*500, Limit: 500}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMetrics decimates the 100,000-step loss series to 1000 points
// (target < 5 ms): warm reads the cached series, cold regenerates it.
func BenchmarkMetrics(b *testing.B) {
	s, _ := newTestStore(b)
	q := api.MetricQuery{Names: []string{studio.MetricLoss}, To: -1, MaxPoints: 1000}
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Metrics(synth.LongMetricRun, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.series = newLRU[seriesKey, []float64](32)
			s.metricCache = metricCache{}
			if _, err := s.Metrics(synth.LongMetricRun, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSearchLogs counts matches over the 1,000,000-line run: cold
// scans every line, cached repeats the search.
func BenchmarkSearchLogs(b *testing.B) {
	s, _ := newTestStore(b)
	q := api.LogSearchQuery{Q: "nccl"}
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.searches = newLRU[searchKey, *searchResult](16)
			if _, err := s.SearchLogs(synth.BigLogRun, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.SearchLogs(synth.BigLogRun, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDashboard computes the dashboard (what a request costs after
// a change); BenchmarkDashboardCached reads the cached one (every other
// request).
func BenchmarkDashboard(b *testing.B) {
	s, clk := newTestStore(b)
	b.ReportAllocs()
	for b.Loop() {
		s.mu.RLock()
		s.dashboardLocked(clk.Now())
		s.mu.RUnlock()
	}
}

func BenchmarkDashboardCached(b *testing.B) {
	s, _ := newTestStore(b)
	s.Dashboard()
	b.ReportAllocs()
	for b.Loop() {
		s.DashboardView()
	}
}

// BenchmarkTick streams one step of a running run: 7 metric points and
// its log lines, marshalled and buffered.
func BenchmarkTick(b *testing.B) {
	s, _ := newTestStore(b)
	id := s.Live()[0]
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		msgs, err := s.Tick(id)
		if err != nil {
			b.Fatal(err)
		}
		if msgs == nil { // the run finished: start over
			b.StopTimer()
			s, _ = newTestStore(b)
			b.StartTimer()
		}
	}
}
