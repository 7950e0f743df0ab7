package live

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoffCeiling(t *testing.T) {
	b := Backoff{}
	tests := []struct {
		n    int
		want time.Duration
	}{
		{-1, 500 * time.Millisecond},
		{0, 500 * time.Millisecond},
		{1, time.Second},
		{2, 2 * time.Second},
		{4, 8 * time.Second},
		{5, 15 * time.Second}, // 16 s capped
		{60, 15 * time.Second},
		{1 << 20, 15 * time.Second}, // no overflow
	}
	for _, tt := range tests {
		if got := b.Ceiling(tt.n); got != tt.want {
			t.Errorf("Ceiling(%d) = %v; want %v", tt.n, got, tt.want)
		}
	}
}

func TestBackoffDelayBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	b := Backoff{Base: 500 * time.Millisecond, Cap: 15 * time.Second, Rand: r.Float64}
	for n := range 12 {
		ceil := b.Ceiling(n)
		var lo, hi time.Duration = ceil, 0
		for range 2000 {
			d := b.Delay(n)
			if d < 0 || d >= ceil {
				t.Fatalf("Delay(%d) = %v; want in [0, %v)", n, d, ceil)
			}
			lo, hi = min(lo, d), max(hi, d)
		}
		// Full jitter uses the whole interval.
		if lo > ceil/20 || hi < ceil-ceil/20 {
			t.Errorf("Delay(%d) spans [%v, %v]; want close to [0, %v)", n, lo, hi, ceil)
		}
	}
}

func TestBackoffBadRand(t *testing.T) {
	for _, f := range []float64{-1, 1, 7} {
		b := Backoff{Rand: func() float64 { return f }}
		if d := b.Delay(3); d != 0 {
			t.Errorf("Delay with Rand()=%v = %v; want 0", f, d)
		}
	}
}
