package viz

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 1, 5, "[0 0.2 0.4 0.6 0.8 1]"},
		{0, 100, 5, "[0 20 40 60 80 100]"},
		{0.13, 0.87, 4, "[0.2 0.4 0.6 0.8]"},
		{-3, 7, 5, "[-2 0 2 4 6]"},
		{0, 10000, 6, "[0 2000 4000 6000 8000 10000]"},
		{5, 5, 5, "[5]"},
		{1, 0, 5, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(Ticks(tt.lo, tt.hi, tt.n)); got != tt.want {
			t.Errorf("Ticks(%v, %v, %d) = %s; want %s", tt.lo, tt.hi, tt.n, got, tt.want)
		}
	}
	if Ticks(math.NaN(), 1, 5) != nil || Ticks(0, math.Inf(1), 5) != nil {
		t.Error("Ticks of a non-finite interval is not nil")
	}
}

func TestNiceDomain(t *testing.T) {
	tests := []struct {
		lo, hi, wantLo, wantHi float64
	}{
		{0.13, 0.87, 0, 1},
		{1.3, 2.41, 1, 2.5},
		{3, 3, 2, 4},
		{0, 97, 0, 100},
	}
	for _, tt := range tests {
		lo, hi := NiceDomain(tt.lo, tt.hi, 5)
		if math.Abs(lo-tt.wantLo) > 1e-9 || math.Abs(hi-tt.wantHi) > 1e-9 {
			t.Errorf("NiceDomain(%v, %v) = %v, %v; want %v, %v", tt.lo, tt.hi, lo, hi, tt.wantLo, tt.wantHi)
		}
	}
}

func TestSparkPoints(t *testing.T) {
	tests := []struct {
		name string
		vals []float64
		want string
	}{
		{"rising", []float64{0, 1, 2}, "2,30 60,16 118,2"},
		{"flat is centred", []float64{5, 5}, "2,16 118,16"},
		{"single value draws a flat line", []float64{3}, "2,16 118,16"},
		{"nan is skipped", []float64{0, math.NaN(), 2}, "2,30 118,2"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		if got := SparkPoints(tt.vals, 120, 32, 2); got != tt.want {
			t.Errorf("%s: SparkPoints = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestNearestAndReadout(t *testing.T) {
	xs := []float64{0, 10, 20, 30}
	for x, want := range map[float64]int{-5: 0, 4: 0, 5: 0, 6: 1, 29: 3, 99: 3} {
		if got := Nearest(xs, x); got != want {
			t.Errorf("Nearest(%v) = %d; want %d", x, got, want)
		}
	}
	if Nearest(nil, 3) != -1 {
		t.Error("Nearest(nil) != -1")
	}
	s := []ChartSeries{{Label: "run-1", X: xs, Y: []float64{1, 0.5, 0.25, 0.125}}, {Label: "run-2", X: []float64{0, 15}, Y: []float64{2, 1}}}
	if got := Readout(s, 14, "step"); got != "step 14 · run-1 0.5 · run-2 1" {
		t.Errorf("Readout = %q", got)
	}
}

func TestLineChartRender(t *testing.T) {
	c := &LineChart{ID: "cmp", Metric: "loss", Series: []ChartSeries{
		{Label: "run-1", X: []float64{0, 100, 200}, Y: []float64{2, 1, 0.5}},
		{Label: "run-2", X: []float64{0, 100}, Y: []float64{2.2, math.NaN()}},
	}}
	html := app.HTMLString(c)
	for _, want := range []string{`data-testid="chart"`, `data-metric="loss"`, `class="series series-0"`, `class="series series-1"`, "run-2"} {
		if !strings.Contains(html, want) {
			t.Errorf("chart HTML lacks %s", want)
		}
	}
	l := computeLayout(c.Series, 800, 280)
	if !strings.HasPrefix(l.paths[0], "M56,") || strings.Count(l.paths[0], "L") != 2 {
		t.Errorf("path 0 = %q; want a move and two lines", l.paths[0])
	}
	if strings.Count(l.paths[1], "M") != 1 || strings.Contains(l.paths[1], "L") {
		t.Errorf("path 1 = %q; the NaN point must be skipped", l.paths[1])
	}
	empty := &LineChart{ID: "e", Metric: "acc"}
	if html := app.HTMLString(empty); !strings.Contains(html, "No data for acc") {
		t.Errorf("empty chart = %s", html)
	}
}

func TestSparklineRender(t *testing.T) {
	s := &Sparkline{Values: []float64{1, 2, 3}, Fill: true, Label: "GPU"}
	html := app.HTMLString(s)
	for _, want := range []string{`points="2,30 60,16 118,2"`, `class="spark-area"`, `aria-label="GPU"`} {
		if !strings.Contains(html, want) {
			t.Errorf("sparkline lacks %s:\n%s", want, html)
		}
	}
	empty := app.HTMLString(&Sparkline{})
	if !strings.Contains(empty, "spark-empty") {
		t.Errorf("empty sparkline = %s", empty)
	}
}
