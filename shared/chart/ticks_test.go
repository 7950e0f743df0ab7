package chart

import (
	"math"
	"slices"
	"testing"
)

func TestTicks(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		lo, hi float64
		n      int
		want   []float64
	}{
		{"unit interval in tenths", 0, 1, 10, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}},
		{"unit interval in fifths", 0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"small learning rates", 0.0013, 0.0047, 5, []float64{0.0015, 0.002, 0.0025, 0.003, 0.0035, 0.004, 0.0045}},
		{"negative start", -3, 97, 10, []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}},
		{"negative start, fewer ticks", -3, 97, 5, []float64{0, 20, 40, 60, 80}},
		{"reversed bounds", 97, -3, 5, []float64{0, 20, 40, 60, 80}},
		{"huge", 0, 1e300, 5, []float64{0, 2e299, 4e299, 6e299, 8e299, 1e300}},
		{"tiny", 1e-12, 5e-12, 4, []float64{1e-12, 2e-12, 3e-12, 4e-12, 5e-12}},
		{"one tick asked", 0, 10, 1, []float64{0, 10}},
		{"equal min and max", 3, 3, 5, []float64{3}},
		{"zero n", 0, 1, 0, nil},
		{"NaN bound", nan, 1, 5, nil},
		{"infinite bound", 0, inf, 5, nil},
		{"subnormal span", 0, 5e-324, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Ticks(tt.lo, tt.hi, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("Ticks(%v, %v, %d) = %v; want %v", tt.lo, tt.hi, tt.n, got, tt.want)
			}
		})
	}
}

func TestTicksOverflowingSpan(t *testing.T) {
	got := Ticks(-math.MaxFloat64, math.MaxFloat64, 4)
	if len(got) < 3 || len(got) > 10 {
		t.Fatalf("Ticks(-max, max, 4) = %v; want 3 to 10 ticks", got)
	}
	if !slices.Contains(got, 0) {
		t.Errorf("Ticks(-max, max, 4) = %v; want 0 among them", got)
	}
	for _, v := range got {
		if !finite(v) {
			t.Errorf("Ticks(-max, max, 4) holds %v", v)
		}
	}
}

func TestTickStep(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		n      int
		want   float64
	}{
		{"tenths", 0, 1, 10, 0.1},
		{"fives", 0, 100, 20, 5},
		{"twos", 0, 10, 5, 2},
		{"log-rounded up to ten", 0, 75, 10, 10},
		{"log-rounded down to five", 0, 70, 10, 5},
		{"empty", 1, 1, 5, 0},
		{"NaN", math.NaN(), 1, 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TickStep(tt.lo, tt.hi, tt.n); got != tt.want {
				t.Errorf("TickStep(%v, %v, %d) = %v; want %v", tt.lo, tt.hi, tt.n, got, tt.want)
			}
		})
	}
}

func TestNiceDomain(t *testing.T) {
	tests := []struct {
		name           string
		lo, hi         float64
		n              int
		wantLo, wantHi float64
	}{
		{"tenths", 0.13, 0.87, 10, 0.1, 0.9},
		{"loss curve", 0.412, 2.31, 5, 0, 2.5},
		{"negative start", -3, 97, 10, -10, 100},
		{"already nice", 0, 1, 5, 0, 1},
		{"equal zero", 0, 0, 5, -1, 1},
		{"equal positive", 5, 5, 5, 4.4, 5.6},
		{"reversed", 0.87, 0.13, 10, 0.1, 0.9},
		{"NaN unchanged", math.NaN(), 1, 5, math.NaN(), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := NiceDomain(tt.lo, tt.hi, tt.n)
			if !sameFloat(lo, tt.wantLo) || !sameFloat(hi, tt.wantHi) {
				t.Errorf("NiceDomain(%v, %v, %d) = %v, %v; want %v, %v", tt.lo, tt.hi, tt.n, lo, hi, tt.wantLo, tt.wantHi)
			}
		})
	}
}

func TestExtent(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name           string
		vs             []float64
		lo, hi         float64
		ok             bool
		plo, phi       float64
		positiveExists bool
	}{
		{"mixed", []float64{3, -1, nan, 7, inf, 0}, -1, 7, true, 3, 7, true},
		{"empty", nil, 0, 0, false, 0, 0, false},
		{"only NaN", []float64{nan, nan}, 0, 0, false, 0, 0, false},
		{"no positive", []float64{-2, 0}, -2, 0, true, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if lo, hi, ok := Extent(tt.vs); lo != tt.lo || hi != tt.hi || ok != tt.ok {
				t.Errorf("Extent(%v) = %v, %v, %v; want %v, %v, %v", tt.vs, lo, hi, ok, tt.lo, tt.hi, tt.ok)
			}
			if lo, hi, ok := PositiveExtent(tt.vs); lo != tt.plo || hi != tt.phi || ok != tt.positiveExists {
				t.Errorf("PositiveExtent(%v) = %v, %v, %v; want %v, %v, %v", tt.vs, lo, hi, ok, tt.plo, tt.phi, tt.positiveExists)
			}
		})
	}
}

func FuzzTicks(f *testing.F) {
	f.Add(0.0, 1.0, 10)
	f.Add(0.0013, 0.0047, 5)
	f.Add(-3.0, 97.0, 10)
	f.Add(0.0, 1e300, 5)
	f.Add(-math.MaxFloat64, math.MaxFloat64, 7)
	f.Add(1e-300, 2e-300, 3)
	f.Add(5.0, 5.0, 1)
	f.Fuzz(func(t *testing.T, lo, hi float64, n int) {
		got := Ticks(lo, hi, n) // must never panic
		if lo > hi {
			lo, hi = hi, lo
		}
		if len(got) > 10*min(max(n, 0), maxTickCount)+11 {
			t.Fatalf("Ticks(%v, %v, %d) returned %d ticks", lo, hi, n, len(got))
		}
		for i, v := range got {
			if v < lo || v > hi || !finite(v) {
				t.Fatalf("Ticks(%v, %v, %d)[%d] = %v outside the domain", lo, hi, n, i, v)
			}
			if i > 0 && v <= got[i-1] {
				t.Fatalf("Ticks(%v, %v, %d) not ascending: %v", lo, hi, n, got)
			}
		}
		nlo, nhi := NiceDomain(lo, hi, n)
		if finite(lo) && finite(hi) && (!finite(nlo) || !finite(nhi)) {
			t.Fatalf("NiceDomain(%v, %v, %d) = %v, %v: not finite", lo, hi, n, nlo, nhi)
		}
		if finite(lo) && finite(hi) && n > 0 && (nlo > lo || nhi < hi) {
			t.Fatalf("NiceDomain(%v, %v, %d) = %v, %v does not contain the domain", lo, hi, n, nlo, nhi)
		}
	})
}

// sameFloat is == that also matches NaN with NaN.
func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}
