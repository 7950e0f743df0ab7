package store

import (
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// BenchmarkMetricsFirstCall is the first metrics query of the
// 100,000-step run on a new store (created outside the timer): one series
// at 1,000 points (target < 5 ms), and all seven. Run with -cpu 1,2 to see
// it with and without a second processor for the series computation.
func BenchmarkMetricsFirstCall(b *testing.B) {
	g := synth.New(42, 1)
	for _, bc := range []struct {
		name  string
		names []string
	}{
		{"loss", []string{studio.MetricLoss}},
		{"all", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := api.MetricQuery{Names: bc.names, To: -1, MaxPoints: 1000}
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				s := New(g, Options{Now: func() time.Time { return synth.DefaultEpoch }})
				b.StartTimer()
				if _, err := s.Metrics(synth.LongMetricRun, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMetricsDecimate decimates the cached 100,000-step loss series
// to 1,000 points: a query whose raw series is cached and whose decimated
// result is not (BenchmarkMetrics/warm repeats one query, which the cache
// of decimated series answers).
func BenchmarkMetricsDecimate(b *testing.B) {
	s, _ := newTestStore(b)
	q := api.MetricQuery{Names: []string{studio.MetricLoss}, To: -1, MaxPoints: 1000}
	if _, err := s.Metrics(synth.LongMetricRun, q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.metricCache = metricCache{}
		if _, err := s.Metrics(synth.LongMetricRun, q); err != nil {
			b.Fatal(err)
		}
	}
}
