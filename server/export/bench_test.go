package export

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
)

// benchGet benchmarks GET target end to end (store read, decimation,
// layout, drawing, encoding), after one warm-up request that fills the
// store's series cache.
func benchGet(b *testing.B, target string) {
	r, _ := newTestRouter(b)
	rec := get(r, target)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	b.SetBytes(int64(rec.Body.Len()))
	b.ResetTimer()
	for b.Loop() {
		if rec := get(r, target); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkChart100k exports run-0017's loss, 100,000 points, at the
// default 1200x600.
func BenchmarkChart100k(b *testing.B) {
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			benchGet(b, "/api/runs/"+string(longRun)+"/metrics/chart."+string(f)+"?name=loss")
		})
	}
}

// BenchmarkChart100kSmoothed draws the EMA line over the faint raw one:
// two decimated paths from 100,000 points.
func BenchmarkChart100kSmoothed(b *testing.B) {
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			benchGet(b, "/api/runs/"+string(longRun)+"/metrics/chart."+string(f)+"?name=loss&smooth=0.9")
		})
	}
}

// BenchmarkChartRender100k is BenchmarkChart100k without the store read:
// layout, decimation, drawing and encoding of series already in memory.
func BenchmarkChartRender100k(b *testing.B) {
	_, e := newTestRouter(b)
	fs, err := sharedFonts()
	if err != nil {
		b.Fatal(err)
	}
	q, err := ParseChartQuery(url.Values{"name": {"loss"}})
	if err != nil {
		b.Fatal(err)
	}
	spec, err := e.chartSpec(testRun(b, longRun), q)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := drawChart(&file{format: f}, fs, spec, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChartPNGLargest is the worst PNG a request may ask for:
// 4000x3000 with three 100,000-point series.
func BenchmarkChartPNGLargest(b *testing.B) {
	benchGet(b, "/api/runs/"+string(longRun)+"/metrics/chart.png?name=loss,val_loss,accuracy&width=4000&height=3000")
}

// BenchmarkRunReport is the run report of a 4-metric window of run-0017:
// a 2-hour window with two pins (two comparison pages and one between
// them, each mining up to 20,000 log lines per side), and the whole run
// (4 x 100,000 points) without pins.
func BenchmarkRunReport(b *testing.B) {
	run := testRun(b, longRun)
	start := *run.StartedAt
	window := url.Values{
		"name": {"loss,val_loss,accuracy,learning_rate"},
		"from": {start.Add(time.Hour).Format(time.RFC3339)}, "to": {start.Add(3 * time.Hour).Format(time.RFC3339)},
		"pins": {"ev-run-0017-0004,ev-run-0017-0006"},
	}
	b.Run("window-2-pins", func(b *testing.B) {
		benchGet(b, "/api/runs/"+string(longRun)+"/report.pdf?"+window.Encode())
	})
	b.Run("whole-run", func(b *testing.B) {
		benchGet(b, "/api/runs/"+string(longRun)+"/report.pdf?name=loss,val_loss,accuracy,learning_rate")
	})
}

// BenchmarkDeploymentReport is a rollout report with one pinned incident.
func BenchmarkDeploymentReport(b *testing.B) {
	ep, err := testStore().DeploymentEvents(testDeploy, api.EventQuery{})
	if err != nil {
		b.Fatal(err)
	}
	pin := ep.Events[len(ep.Events)-1].ID
	benchGet(b, "/api/deployments/"+testDeploy+"/report.pdf?pins="+string(pin))
}
