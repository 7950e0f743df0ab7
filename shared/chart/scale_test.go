package chart

import (
	"errors"
	"math"
	"testing"
)

func TestLinearMap(t *testing.T) {
	tests := []struct {
		name string
		s    Linear
		v    float64
		want float64
	}{
		{"start", NewLinear(0, 10, 0, 100), 0, 0},
		{"middle", NewLinear(0, 10, 0, 100), 5, 50},
		{"reversed range for a y axis", NewLinear(0, 1, 200, 0), 0.25, 150},
		{"outside without clamp", NewLinear(0, 10, 0, 100), 20, 200},
		{"outside with clamp", Linear{D0: 0, D1: 10, R0: 0, R1: 100, Clamp: true}, 20, 100},
		{"below with clamp", Linear{D0: 0, D1: 10, R0: 0, R1: 100, Clamp: true}, -5, 0},
		{"empty domain maps to the middle", NewLinear(3, 3, 0, 100), 7, 50},
		{"NaN", NewLinear(0, 10, 0, 100), math.NaN(), math.NaN()},
		{"+Inf clamped", Linear{D0: 0, D1: 10, R0: 0, R1: 100, Clamp: true}, math.Inf(1), 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Map(tt.v); !sameFloat(got, tt.want) {
				t.Errorf("%+v.Map(%v) = %v; want %v", tt.s, tt.v, got, tt.want)
			}
		})
	}
}

func TestScaleRoundTrip(t *testing.T) {
	logScale, err := NewLog(1e-4, 10, 300, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    Scale
		vs   []float64
	}{
		{"linear", NewLinear(-3, 97, 0, 640), []float64{-3, 0, 12.5, 97, 150}},
		{"linear reversed", NewLinear(0.0013, 0.0047, 200, 0), []float64{0.0013, 0.002, 0.0047}},
		{"linear huge", NewLinear(0, 1e300, 0, 1000), []float64{0, 3e299, 1e300}},
		{"log", logScale, []float64{1e-4, 2.9e-4, 0.5, 10}},
		{"time as seconds", NewTime(at(0), at(3600), 0, 1200), []float64{Seconds(at(0)), Seconds(at(1800)), Seconds(at(3599))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range tt.vs {
				px := tt.s.Map(v)
				if got := tt.s.Invert(px); math.Abs(got-v) > 1e-9*math.Max(1, math.Abs(v)) {
					t.Errorf("Invert(Map(%v)) = %v (px %v); want %v", v, got, px, v)
				}
			}
		})
	}
}

func TestLinearNice(t *testing.T) {
	s := NewLinear(0.87, 0.13, 0, 100).Nice(10)
	if s.D0 != 0.9 || s.D1 != 0.1 {
		t.Errorf("Nice(10) domain = [%v, %v]; want [0.9, 0.1] (direction kept)", s.D0, s.D1)
	}
}

func TestLinearTicks(t *testing.T) {
	s := NewLinear(0, 1, 0, 100)
	got := s.Ticks(5, NumberFormat{})
	wantLabels := []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}
	if len(got) != len(wantLabels) {
		t.Fatalf("Ticks(5) = %v; want %d ticks", got, len(wantLabels))
	}
	for i, tk := range got {
		if tk.Label != wantLabels[i] || math.Abs(tk.Pos-float64(i)*20) > 1e-9 {
			t.Errorf("tick %d = %+v; want label %q at %v", i, tk, wantLabels[i], float64(i)*20)
		}
	}
}

func TestLinearIntTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		n      int
		want   []string
	}{
		{"few steps, one tick each", 0, 3, 10, []string{"0", "1", "2", "3"}},
		{"many steps use nice spacing", 0, 20000, 4, []string{"0", "5k", "10k", "15k", "20k"}},
		{"no integer inside", 0.2, 0.5, 5, nil},
		{"single step", 7, 7, 5, []string{"7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range NewLinear(tt.lo, tt.hi, 0, 100).IntTicks(tt.n, NumberFormat{}) {
				got = append(got, tk.Label)
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("IntTicks(%d) over [%v, %v] = %q; want %q", tt.n, tt.lo, tt.hi, got, tt.want)
			}
		})
	}
}

func TestNewLogRejectsNonPositiveDomain(t *testing.T) {
	tests := []struct {
		name   string
		d0, d1 float64
	}{
		{"zero", 0, 10},
		{"negative", -1, 10},
		{"NaN", math.NaN(), 10},
		{"infinite", 1, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewLog(tt.d0, tt.d1, 0, 100)
			if !errors.Is(err, ErrLogDomain) {
				t.Errorf("NewLog(%v, %v) error = %v; want ErrLogDomain", tt.d0, tt.d1, err)
			}
			if got := s.Map(1); !math.IsNaN(got) {
				t.Errorf("invalid Log.Map(1) = %v; want NaN", got)
			}
			if got := s.Ticks(5, NumberFormat{}); len(got) != 0 {
				t.Errorf("invalid Log.Ticks = %v; want none", got)
			}
		})
	}
}

func TestLogMap(t *testing.T) {
	s, _ := NewLog(1, 1000, 0, 300)
	clamped := s
	clamped.Clamp = true
	tests := []struct {
		name string
		s    Log
		v    float64
		want float64
	}{
		{"decade 0", s, 1, 0},
		{"decade 1", s, 10, 100},
		{"decade 3", s, 1000, 300},
		{"zero has no position", s, 0, math.NaN()},
		{"negative has no position", s, -5, math.NaN()},
		{"zero clamps to the low end", clamped, 0, 0},
		{"negative clamps to the low end", clamped, -5, 0},
		{"above clamps to the high end", clamped, 1e6, 300},
		{"NaN", clamped, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Map(tt.v); !sameFloat(got, tt.want) && math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Map(%v) = %v; want %v", tt.v, got, tt.want)
			}
		})
	}
}

func TestLogNice(t *testing.T) {
	tests := []struct {
		d0, d1, want0, want1 float64
	}{
		{0.0013, 0.47, 0.001, 1},
		{1, 1000, 1, 1000},
		{3, 7, 1, 10},
		{10, 10, 10, 100},
		{470, 0.0013, 1000, 0.001},
	}
	for _, tt := range tests {
		s := Log{D0: tt.d0, D1: tt.d1, R1: 100}.Nice()
		if s.D0 != tt.want0 || s.D1 != tt.want1 {
			t.Errorf("Log[%v, %v].Nice() = [%v, %v]; want [%v, %v]", tt.d0, tt.d1, s.D0, s.D1, tt.want0, tt.want1)
		}
	}
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		name       string
		d0, d1     float64
		n          int
		wantValues []float64
		wantLabels []string
	}{
		{"three decades with minors", 1, 1000, 10,
			[]float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000},
			[]string{"1", "", "", "10", "", "", "100", "", "", "1k"}},
		{"two decades, minors labelled", 0.15, 10, 10,
			[]float64{0.2, 0.5, 1, 2, 5, 10},
			[]string{"0.2", "0.5", "1", "2", "5", "10"}},
		{"many decades, every other power", 1e-3, 1e6, 5,
			[]float64{1e-3, 1e-1, 10, 1e3, 1e5},
			[]string{"0.001", "0.1", "10", "1k", "100k"}},
		{"inside one decade falls back to linear", 2, 8, 5,
			[]float64{2, 3, 4, 5, 6, 7, 8},
			[]string{"2", "3", "4", "5", "6", "7", "8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewLog(tt.d0, tt.d1, 0, 300)
			if err != nil {
				t.Fatal(err)
			}
			ticks := s.Ticks(tt.n, NumberFormat{})
			var values []float64
			var labels []string
			for _, tk := range ticks {
				values = append(values, tk.Value)
				labels = append(labels, tk.Label)
			}
			if !equalFloats(values, tt.wantValues) || !equalStrings(labels, tt.wantLabels) {
				t.Errorf("Ticks(%d) = %v %q; want %v %q", tt.n, values, labels, tt.wantValues, tt.wantLabels)
			}
		})
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
