package server

import (
	"encoding/json"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// The encoding benchmarks time the JSON of the largest responses alone,
// as the handlers produce it: the dashboard (encoding/json, once per
// dashboard generation), a 2,000-line log page (the hand-written encoder)
// and every run of the default dataset (encoding/json).

func BenchmarkEncodeDashboard(b *testing.B) {
	ts := benchServer(b)
	d, _ := ts.store.DashboardView()
	b.ReportAllocs()
	for b.Loop() {
		out, err := json.Marshal(d)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func BenchmarkEncodeLogPage2000(b *testing.B) {
	ts := benchServer(b)
	page, err := ts.store.Logs(synth.BigLogRun, api.LogQuery{FromSeq: 400_000, Limit: api.MaxLogLimit})
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var ok bool
		if buf, ok = appendLogPage(buf[:0], &page); !ok {
			b.Fatal("appendLogPage refused the page")
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkEncodeRunsAll(b *testing.B) {
	ts := benchServer(b)
	page, err := ts.store.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ReportMetric(float64(len(page.Items)), "runs/op")
	for b.Loop() {
		out, err := json.Marshal(page)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

// BenchmarkRunsAll serves GET /api/runs?limit=10000, what the runs page
// loads.
func BenchmarkRunsAll(b *testing.B) { benchmarkGET(b, "/api/runs?limit=10000") }

// BenchmarkMetrics1000 serves the 100,000-step run's seven series
// decimated to 1,000 points each.
func BenchmarkMetrics1000(b *testing.B) {
	benchmarkGET(b, "/api/runs/"+string(studio.RunID(synth.LongMetricRun))+"/metrics?max_points=1000")
}
