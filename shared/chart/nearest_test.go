package chart

import (
	"math"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

func TestNearest(t *testing.T) {
	steps := []int{10, 20, 30}
	pts := make([]studio.Point, len(steps))
	xs := make([]float64, len(steps))
	for i, s := range steps {
		pts[i] = studio.Point{Step: s, Time: at(int64(s)), Value: float64(i)}
		xs[i] = float64(s)
	}
	tests := []struct {
		name   string
		target int
		want   int
	}{
		{"before first", 0, 0},
		{"exact", 20, 1},
		{"closer to next", 26, 2},
		{"tie goes to earlier", 25, 1},
		{"after last", 99, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := NearestStep(pts, tt.target); !ok || got != tt.want {
				t.Errorf("NearestStep(%d) = %d, %v; want %d, true", tt.target, got, ok, tt.want)
			}
			if got, ok := NearestTime(pts, at(int64(tt.target))); !ok || got != tt.want {
				t.Errorf("NearestTime(+%ds) = %d, %v; want %d, true", tt.target, got, ok, tt.want)
			}
			if got, ok := NearestX(xs, float64(tt.target)); !ok || got != tt.want {
				t.Errorf("NearestX(%d) = %d, %v; want %d, true", tt.target, got, ok, tt.want)
			}
			if got, ok := NearestIndex(pts, ByStep, float64(tt.target)); !ok || got != tt.want {
				t.Errorf("NearestIndex(%d) = %d, %v; want %d, true", tt.target, got, ok, tt.want)
			}
		})
	}
	if _, ok := NearestStep(nil, 5); ok {
		t.Error("NearestStep(nil) ok = true; want false")
	}
	if _, ok := NearestTime(nil, at(0)); ok {
		t.Error("NearestTime(nil) ok = true; want false")
	}
	if _, ok := NearestX(xs, math.NaN()); ok {
		t.Error("NearestX(NaN) ok = true; want false")
	}
	if _, ok := NearestIndex(nil, ByStep, 1); ok {
		t.Error("NearestIndex(nil) ok = true; want false")
	}
}

func TestVisibleRange(t *testing.T) {
	pts := series(10, func(i int) float64 { return 0 }) // steps 0..9
	tests := []struct {
		name   string
		lo, hi float64
		i, j   int
	}{
		{"middle", 3.5, 6.5, 3, 8},
		{"exact bounds", 3, 6, 2, 8},
		{"all", -5, 50, 0, 10},
		{"before", -10, -5, 0, 1},
		{"after", 20, 30, 9, 10},
	}
	for _, tt := range tests {
		if i, j := VisibleRange(pts, ByStep, tt.lo, tt.hi); i != tt.i || j != tt.j {
			t.Errorf("%s: VisibleRange(%v, %v) = %d, %d; want %d, %d", tt.name, tt.lo, tt.hi, i, j, tt.i, tt.j)
		}
	}
}

func BenchmarkNearestTime(b *testing.B) {
	pts := series(100_000, func(i int) float64 { return float64(i) })
	q := at(0)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		NearestTime(pts, q.Add(time.Duration(i*7919%100_000)*time.Second))
	}
}
