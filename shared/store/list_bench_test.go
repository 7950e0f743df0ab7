package store

import (
	"fmt"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/synth"
)

// BenchmarkRuns lists runs as the API's callers do: the first page of the
// default order, every run (what the runs page loads), and every run
// sorted by a metric.
func BenchmarkRuns(b *testing.B) {
	s := readStore(b)
	for _, bc := range []struct {
		name string
		q    api.RunQuery
	}{
		{"first-page", api.RunQuery{ListQuery: api.ListQuery{Limit: api.DefaultListLimit}}},
		{"all", api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}}},
		{"all-by-loss", api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit, Sort: "loss"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Runs(bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLogsPage reads a 500-line page at the start, the middle and
// the end of the 1,000,000-line log: the cost does not depend on depth.
func BenchmarkLogsPage(b *testing.B) {
	s := readStore(b)
	for _, from := range []int64{0, 500_000, 999_500} {
		b.Run(fmt.Sprintf("from=%d", from), func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(500, "lines/op")
			for b.Loop() {
				if _, err := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: from, Limit: 500}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
