package chart

import (
	"math"
	"math/rand/v2"
	"testing"
)

// referenceEMA is a direct transcription of TensorBoard's classicSmoothing,
// kept separate from EMA on purpose (it uses math.Pow and no shortcuts).
func referenceEMA(values []float64, w float64) []float64 {
	out := make([]float64, len(values))
	constant := true
	for _, v := range values {
		if v != values[0] {
			constant = false
		}
	}
	if constant {
		copy(out, values)
		return out
	}
	last, num := 0.0, 0
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out[i] = v
			continue
		}
		last = last*w + (1-w)*v
		num++
		out[i] = last / (1 - math.Pow(w, float64(num)))
	}
	return out
}

func TestEMA(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values []float64
		w      float64
		want   []float64
	}{
		// By hand: last = 0.5, 1.25, 2.125; debias 0.5, 0.75, 0.875.
		{"half weight", []float64{1, 2, 3}, 0.5, []float64{1, 5.0 / 3, 17.0 / 7}},
		// last = 0.1*4 = 0.4 / 0.1 = 4; 0.36+0.1*0 = 0.36 / 0.19.
		{"heavy weight", []float64{4, 0}, 0.9, []float64{4, 0.36 / 0.19}},
		// NaN passes through; the next value is the 2nd accumulated.
		{"NaN skipped", []float64{1, nan, 3}, 0.5, []float64{1, nan, 7.0 / 3}},
		{"Inf skipped", []float64{1, math.Inf(1), 3}, 0.5, []float64{1, math.Inf(1), 7.0 / 3}},
		{"zero weight copies", []float64{1, 5, 2}, 0, []float64{1, 5, 2}},
		{"negative weight copies", []float64{1, 5, 2}, -1, []float64{1, 5, 2}},
		{"NaN weight copies", []float64{1, 5, 2}, nan, []float64{1, 5, 2}},
		{"constant unchanged", []float64{0.3, 0.3, 0.3}, 0.99, []float64{0.3, 0.3, 0.3}},
		{"empty", nil, 0.6, nil},
		{"weight one is capped", []float64{1, 2}, 1, referenceEMA([]float64{1, 2}, MaxSmoothing)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EMA(tt.values, tt.w)
			if len(got) != len(tt.want) {
				t.Fatalf("EMA(%v, %v) = %v; want %v", tt.values, tt.w, got, tt.want)
			}
			for i := range got {
				if !sameFloat(got[i], tt.want[i]) && math.Abs(got[i]-tt.want[i]) > 1e-12 {
					t.Errorf("EMA(%v, %v)[%d] = %v; want %v", tt.values, tt.w, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestEMAMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, w := range []float64{0.1, 0.6, 0.9, 0.99, 0.999} {
		values := make([]float64, 5000)
		for i := range values {
			values[i] = 2.5*math.Exp(-float64(i)/1000) + 0.1*r.NormFloat64()
			if r.IntN(100) == 0 {
				values[i] = math.NaN()
			}
		}
		want := referenceEMA(values, w)
		got := EMA(values, w)
		for i := range got {
			if !sameFloat(got[i], want[i]) && math.Abs(got[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("w=%v: EMA[%d] = %v; reference %v", w, i, got[i], want[i])
			}
		}
	}
}

func TestSmoothPointsInPlace(t *testing.T) {
	pts := series(3, func(i int) float64 { return float64(i + 1) })
	got := AppendSmoothPoints(pts[:0], pts, 0.5)
	want := []float64{1, 5.0 / 3, 17.0 / 7}
	for i, p := range got {
		if math.Abs(p.Value-want[i]) > 1e-12 || p.Step != i {
			t.Errorf("point %d = %+v; want step %d value %v", i, p, i, want[i])
		}
	}
}

func BenchmarkEMA(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	values := make([]float64, 100_000)
	for i := range values {
		values[i] = r.NormFloat64()
	}
	dst := make([]float64, 0, len(values))
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendEMA(dst[:0], values, 0.6)
	}
}
