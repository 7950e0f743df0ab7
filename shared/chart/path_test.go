package chart

import (
	"math"
	"testing"
)

func TestAppendLine(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		xs, ys []float64
		prec   int
		want   string
	}{
		{"simple", []float64{0, 10, 20}, []float64{5, 15, 0}, 1, "M0 5L10 15L20 0"},
		{"decimals trimmed and rounded", []float64{0.04, 1.26, 2.5}, []float64{10.123, 20.5, 3}, 1, "M0 10.1L1.3 20.5L2.5 3"},
		{"negative zero", []float64{-0.04}, []float64{-0.001}, 1, "M0 0"},
		{"NaN starts a new segment", []float64{0, 1, nan, 3, 4}, []float64{0, 1, 2, 3, 4}, 0, "M0 0L1 1 M3 3L4 4"},
		{"NaN y too", []float64{0, 1, 2, 3}, []float64{0, nan, 2, 3}, 0, "M0 0 M2 2L3 3"},
		{"Inf breaks", []float64{0, 1, 2}, []float64{0, math.Inf(1), 2}, 0, "M0 0 M2 2"},
		{"huge clamped", []float64{0, 1}, []float64{0, 1e12}, 0, "M0 0L1 10000000"},
		{"two decimals", []float64{1.005}, []float64{2.125}, 2, "M1 2.12"},
		{"negative precision means default", []float64{1.26}, []float64{2}, -1, "M1.3 2"},
		{"shorter slice wins", []float64{0, 1, 2}, []float64{0}, 0, "M0 0"},
		{"empty", nil, nil, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendLine(nil, tt.xs, tt.ys, tt.prec)); got != tt.want {
				t.Errorf("AppendLine(%v, %v, %d) = %q; want %q", tt.xs, tt.ys, tt.prec, got, tt.want)
			}
		})
	}
}

func TestAppendSeries(t *testing.T) {
	pts := series(4, func(i int) float64 { return []float64{1, 10, 0, 100}[i] })
	sx := NewLinear(0, 3, 0, 300)
	logY, _ := NewLog(1, 100, 200, 0)
	got := string(AppendSeries(nil, pts, ByStep, sx, logY, 1))
	want := "M0 200L100 100 M300 0" // 0 has no place on a log axis
	if got != want {
		t.Errorf("AppendSeries on a log axis = %q; want %q", got, want)
	}
	linY := NewLinear(0, 100, 200, 0)
	if a, b := string(AppendSeries(nil, pts, ByStep, sx, linY, 1)), string(AppendSeriesLinear(nil, pts, ByStep, sx, linY, 1)); a != b {
		t.Errorf("AppendSeries = %q; AppendSeriesLinear = %q; want equal", a, b)
	}
}

func TestAppendArea(t *testing.T) {
	got := string(AppendArea(nil, []float64{0, 1, 2, 3, 4}, []float64{5, 6, math.NaN(), 7, 8}, 10, 0))
	want := "M0 10L0 5L1 6L1 10Z M3 10L3 7L4 8L4 10Z"
	if got != want {
		t.Errorf("AppendArea = %q; want %q", got, want)
	}
}

func TestPathReuse(t *testing.T) {
	p := NewPath(make([]byte, 0, 64), 0)
	p.Point(1, 2)
	p.Break()
	p.Point(3, 4)
	if got := p.String(); got != "M1 2 M3 4" {
		t.Errorf("after Break = %q; want %q", got, "M1 2 M3 4")
	}
	p.Reset()
	p.Point(5, 6)
	p.Point(7, 8)
	if got := p.String(); got != "M5 6L7 8" {
		t.Errorf("after Reset = %q; want %q", got, "M5 6L7 8")
	}
}

func TestSparkline(t *testing.T) {
	s := Sparkline{Width: 100, Height: 20, Pad: 2}
	tests := []struct {
		name   string
		values []float64
		path   string
		area   string
	}{
		{"rising", []float64{0, 5, 10}, "M2 18L50 10L98 2", "M2 18L2 18L50 10L98 2L98 18Z"},
		{"constant is centred", []float64{3, 3}, "M2 10L98 10", "M2 18L2 10L98 10L98 18Z"},
		{"gap", []float64{0, math.NaN(), 10}, "M2 18 M98 2", "M2 18L2 18L2 18Z M98 18L98 2L98 18Z"},
		{"single value", []float64{7}, "M50 10", "M50 18L50 10L50 18Z"},
		{"empty", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Path(tt.values); got != tt.path {
				t.Errorf("Path(%v) = %q; want %q", tt.values, got, tt.path)
			}
			if got := string(s.AppendArea(nil, tt.values)); got != tt.area {
				t.Errorf("AppendArea(%v) = %q; want %q", tt.values, got, tt.area)
			}
		})
	}
}

func BenchmarkPath(b *testing.B) {
	pts := series(2000, func(i int) float64 { return 2.5*math.Exp(-float64(i)/500) + 0.05*math.Sin(float64(i)) })
	sx := NewLinear(0, 1999, 0, 1000)
	sy := NewLinear(0, 2.6, 300, 0)
	buf := make([]byte, 0, 32*1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendSeriesLinear(buf[:0], pts, ByStep, sx, sy, 1)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkPathInterface(b *testing.B) {
	pts := series(2000, func(i int) float64 { return 2.5*math.Exp(-float64(i)/500) + 0.05*math.Sin(float64(i)) })
	var sx, sy Scale = NewLinear(0, 1999, 0, 1000), NewLinear(0, 2.6, 300, 0)
	buf := make([]byte, 0, 32*1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendSeries(buf[:0], pts, ByStep, sx, sy, 1)
	}
}
