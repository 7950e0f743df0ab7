package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

var chartT0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func series(n int, f func(i int) float64) []studio.Point {
	pts := make([]studio.Point, n)
	for i := range pts {
		pts[i] = studio.Point{Step: i, Time: chartT0.Add(time.Duration(i) * time.Second), Value: f(i)}
	}
	return pts
}

func TestChartModelCache(t *testing.T) {
	pts := series(1000, func(i int) float64 { return 1 / float64(i+1) })
	base := chartInput{points: pts, version: 1, width: 600, height: 220, x: xStep, smooth: 0.6}
	var c chartModelCache
	m := c.model(base)
	tests := []struct {
		name    string
		change  func(in chartInput) chartInput
		rebuild bool
	}{
		{"same input is cached", func(in chartInput) chartInput { return in }, false},
		{"new data version rebuilds", func(in chartInput) chartInput { in.version = 2; return in }, true},
		{"appended point rebuilds", func(in chartInput) chartInput {
			in.points = append(pts[:len(pts):len(pts)], studio.Point{Step: 1000, Value: 0.5})
			return in
		}, true},
		{"width rebuilds", func(in chartInput) chartInput { in.width = 700; return in }, true},
		{"smoothing rebuilds", func(in chartInput) chartInput { in.smooth = 0.9; return in }, true},
		{"log scale rebuilds", func(in chartInput) chartInput { in.logY = true; return in }, true},
		{"zoom rebuilds", func(in chartInput) chartInput { in.zoomed, in.zoomLo, in.zoomHi = true, 100, 200; return in }, true},
		{"x axis rebuilds", func(in chartInput) chartInput { in.x = xWall; return in }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c chartModelCache
			first := c.model(base)
			second := c.model(tt.change(base))
			if rebuilt := first != second; rebuilt != tt.rebuild {
				t.Errorf("rebuilt = %v; want %v (builds %d)", rebuilt, tt.rebuild, c.builds)
			}
		})
	}
	if m.empty || m.raw == "" || m.smooth == "" {
		t.Fatalf("model of 1000 points: empty %v, raw %d bytes, smooth %d bytes", m.empty, len(m.raw), len(m.smooth))
	}
}

func TestChartModelGeometry(t *testing.T) {
	pts := series(101, func(i int) float64 { return float64(i) / 100 }) // 0..1
	var c chartModelCache
	m := c.model(chartInput{points: pts, version: 1, width: 600, height: 220, x: xStep})
	if m.lo != 0 || m.hi != 100 {
		t.Errorf("x domain = [%v, %v]; want [0, 100]", m.lo, m.hi)
	}
	// Ticks are inside the plot and labelled.
	for _, tk := range append(append([]chartTickCheck{}, ticksOf(m.xTicks, m.x0, m.x1)...), ticksOf(m.yTicks, m.y0, m.y1)...) {
		if !tk.inside {
			t.Errorf("tick %q at %v outside the plot", tk.label, tk.pos)
		}
	}
	if len(m.xTicks) < 3 || len(m.yTicks) < 3 {
		t.Errorf("got %d x ticks and %d y ticks; want at least 3 each", len(m.xTicks), len(m.yTicks))
	}
	// Smoothing off: no smooth path; the raw path starts at the first point.
	if m.smooth != "" || !strings.HasPrefix(m.raw, "M") {
		t.Errorf("raw %q..., smooth %q; want a raw path only", m.raw[:min(len(m.raw), 12)], m.smooth)
	}
	// Hover: the pixel of step 40 maps back to step 40, and atStep agrees.
	px := m.sx.Map(40)
	h, ok := m.at(px)
	if !ok || h.raw.Step != 40 {
		t.Errorf("at(%v) = step %d, %v; want 40", px, h.raw.Step, ok)
	}
	if h2, ok := m.atStep(40); !ok || h2.px != h.px {
		t.Errorf("atStep(40) = %v, %v; want px %v", h2.px, ok, h.px)
	}
	// Zoom: a drag from step 20 to 60 selects that range; a click does not.
	lo, hi, ok := m.zoomTo(m.sx.Map(20), m.sx.Map(60))
	if !ok || lo != 20 || hi != 60 {
		t.Errorf("zoomTo(20..60) = %v, %v, %v; want 20, 60, true", lo, hi, ok)
	}
	if _, _, ok := m.zoomTo(100, 102); ok {
		t.Error("zoomTo of a 2 px drag = ok; want no zoom")
	}
	z := c.model(chartInput{points: pts, version: 1, width: 600, height: 220, x: xStep, zoomed: true, zoomLo: 20, zoomHi: 60})
	if z.vis[0].Step != 19 || z.vis[len(z.vis)-1].Step != 61 {
		t.Errorf("zoomed visible steps %d..%d; want 19..61 (one neighbour each side)", z.vis[0].Step, z.vis[len(z.vis)-1].Step)
	}
	if from, to, ok := z.stepRange(); !ok || from != 20 || to != 60 {
		t.Errorf("stepRange = %d, %d, %v; want 20, 60", from, to, ok)
	}
	if _, ok := z.atStep(90); ok {
		t.Error("atStep outside the zoom = ok")
	}
}

type chartTickCheck struct {
	label  string
	pos    float64
	inside bool
}

func ticksOf(ts []chart.Tick, lo, hi float64) []chartTickCheck {
	out := make([]chartTickCheck, len(ts))
	for i, t := range ts {
		out[i] = chartTickCheck{t.Label, t.Pos, t.Pos >= lo-0.5 && t.Pos <= hi+0.5}
	}
	return out
}

func TestChartModelLogScale(t *testing.T) {
	pts := series(100, func(i int) float64 { return math.Pow(10, -float64(i)/25) }) // 1 .. 1e-4
	var c chartModelCache
	m := c.model(chartInput{points: pts, version: 1, width: 600, height: 220, x: xStep, logY: true})
	if !m.logY {
		t.Fatal("logY = false for positive data")
	}
	labels := map[string]bool{}
	for _, tk := range m.yTicks {
		labels[tk.Label] = true
	}
	for _, want := range []string{"1", "0.01", "1e-4"} {
		if !labels[want] {
			t.Errorf("log ticks %v lack %q", labels, want)
		}
	}
	// Data a log axis cannot show falls back to linear.
	neg := series(10, func(i int) float64 { return -float64(i) })
	if m := c.model(chartInput{points: neg, version: 2, width: 600, height: 220, x: xStep, logY: true}); m.logY {
		t.Error("logY = true for non-positive data")
	}
}

func TestChartModelDecimatesKeepingSpikes(t *testing.T) {
	pts := series(100_000, func(i int) float64 {
		if i == 73_123 {
			return 50 // one spike
		}
		return 1
	})
	var c chartModelCache
	m := c.model(chartInput{points: pts, version: 1, width: 800, height: 220, x: xStep})
	plotW := m.x1 - m.x0
	if max := int(plotW/2) * 4; m.drawn > max || m.drawn < 100 {
		t.Errorf("drawn = %d points; want at most %d (4 per 2-px bucket)", m.drawn, max)
	}
	if hi := m.sy.Map(50); math.IsNaN(hi) || !strings.Contains(m.raw, "L") {
		t.Fatal("no path")
	}
	// The spike sets the y domain, so it is drawn.
	_, ymax := m.sy.Invert(m.y1), m.sy.Invert(m.y0)
	if ymax < 50 {
		t.Errorf("y domain top %v; want >= 50 (the spike)", ymax)
	}
}

func TestChartModelTimeAxes(t *testing.T) {
	pts := series(3600, func(i int) float64 { return float64(i) })
	var c chartModelCache
	rel := c.model(chartInput{points: pts, version: 1, width: 800, height: 220, x: xRelative, origin: chartT0})
	if len(rel.xTicks) < 3 || !strings.HasPrefix(rel.xTicks[1].Label, "+") {
		t.Errorf("relative ticks %v; want labels like +10m", rel.xTicks)
	}
	wall := c.model(chartInput{points: pts, version: 1, width: 800, height: 220, x: xWall})
	if len(wall.xTicks) < 3 || !strings.Contains(wall.xTicks[1].Label, ":") {
		t.Errorf("wall ticks %v; want clock labels", wall.xTicks)
	}
	h, ok := wall.at(wall.sx.Map(float64(chartT0.Add(1800 * time.Second).Unix())))
	if !ok || h.raw.Step != 1800 {
		t.Errorf("hover on the wall axis at +30m = step %d; want 1800", h.raw.Step)
	}
}
