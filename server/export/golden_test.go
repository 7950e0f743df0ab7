package export

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		diffAt := 0
		for diffAt < min(len(got), len(want)) && got[diffAt] == want[diffAt] {
			diffAt++
		}
		t.Errorf("%s differs from the golden file at byte %d (got %d bytes, want %d):\n got %.120q\nwant %.120q\nrun go test -update if the change is intended",
			path, diffAt, len(got), len(want), got[diffAt:], want[min(diffAt, len(want)):])
	}
}

// roundLayout rounds a layout's coordinates to 0.01 px so that the golden
// file does not depend on the last bits of font or float arithmetic.
func roundLayout(l *plotLayout) *plotLayout {
	r := func(v float64) float64 { return math.Round(v*100) / 100 }
	c := *l
	c.Plot = rect{X: r(l.Plot.X), Y: r(l.Plot.Y), W: r(l.Plot.W), H: r(l.Plot.H)}
	c.Legend = nil
	for _, it := range l.Legend {
		it.X, it.Y = r(it.X), r(it.Y)
		c.Legend = append(c.Legend, it)
	}
	round := func(ts []chart.Tick) []chart.Tick {
		out := make([]chart.Tick, len(ts))
		for i, t := range ts {
			t.Pos, t.Value = r(t.Pos), math.Round(t.Value*1e6)/1e6
			out[i] = t
		}
		return out
	}
	c.XTicks, c.YTicks = round(l.XTicks), round(l.YTicks)
	return &c
}

// TestChartLayoutGolden guards the layout of charts: plot area, ticks and
// their labels, legend, decimated point counts.
func TestChartLayoutGolden(t *testing.T) {
	_, e := newTestRouter(t)
	fs, err := sharedFonts()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		run   studio.RunID
		query string
	}{
		{"loss-smoothed", longRun, "name=loss&smooth=0.6"},
		{"two-metrics-time-dark", longRun, "name=loss,accuracy&x=time&theme=dark&width=900&height=450"},
		{"learning-rate-log-relative", longRun, "name=learning_rate&log=true&x=relative"},
		{"short-run-range", "run-0036", "name=loss,val_loss&from=10&to=80&width=480&height=300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			q, err := ParseChartQuery(v)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := e.chartSpec(testRun(t, tt.run), q)
			if err != nil {
				t.Fatal(err)
			}
			s := newSheet(float64(q.Width), float64(q.Height), fs, palettes[q.Theme])
			l, err := layoutPlot(s, rect{W: float64(q.Width), H: float64(q.Height)}, spec)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(roundLayout(l), "", "\t")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "layout-"+tt.name+".json", append(b, '\n'))
		})
	}
}

// TestChartSVGGolden guards the drawn output byte for byte. canvas's float
// arithmetic may differ in the last bit on other architectures (fused
// multiply-add), so the comparison runs on amd64 only; the layout golden
// covers every platform.
func TestChartSVGGolden(t *testing.T) {
	if runtime.GOARCH != "amd64" && !*update {
		t.Skipf("byte-exact SVG golden is checked on amd64 only (GOARCH=%s)", runtime.GOARCH)
	}
	r, _ := newTestRouter(t)
	rec := get(r, "/api/runs/run-0036/metrics/chart.svg?name=loss,val_loss&smooth=0.5&width=480&height=300")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET = %d %s", rec.Code, rec.Body.String())
	}
	again := get(r, "/api/runs/run-0036/metrics/chart.svg?name=loss,val_loss&smooth=0.5&width=480&height=300")
	if !bytes.Equal(rec.Body.Bytes(), again.Body.Bytes()) {
		t.Fatalf("two renders of the same chart differ: output is not deterministic")
	}
	golden(t, "chart-run-0036.svg", rec.Body.Bytes())
}
