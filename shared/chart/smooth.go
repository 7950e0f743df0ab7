package chart

import (
	"math"

	"github.com/aiinfra/studio/shared/studio"
)

// MaxSmoothing is the largest smoothing weight EMA accepts; larger weights
// are lowered to it (TensorBoard's slider also stops at 0.999).
const MaxSmoothing = 0.999

// EMA returns values smoothed exactly as TensorBoard smooths scalars: an
// exponential moving average with weight w, debiased so early values are
// not pulled towards zero. For each finite v, in order:
//
//	last = last*w + (1-w)*v
//	n++
//	smoothed = last / (1 - w^n)
//
// NaN and ±Inf values are copied through and do not update the average. A
// series whose values are all equal is returned unchanged (TensorBoard
// does the same, to avoid rounding noise on flat lines). w is clamped to
// [0, MaxSmoothing]; NaN counts as 0, which returns a copy of values.
func EMA(values []float64, w float64) []float64 {
	return AppendEMA(make([]float64, 0, len(values)), values, w)
}

// AppendEMA is EMA appending the smoothed values to dst. dst may be
// values[:0] to smooth in place.
func AppendEMA(dst, values []float64, w float64) []float64 {
	w = smoothingWeight(w)
	if w == 0 || constant(len(values), func(i int) float64 { return values[i] }) {
		return append(dst, values...)
	}
	last, pow := 0.0, 1.0
	for _, v := range values {
		if v-v != 0 { // NaN or ±Inf: pass through
			dst = append(dst, v)
			continue
		}
		// The explicit float64 conversions forbid fused multiply-add,
		// which would round differently on some platforms. w^n is a
		// running product rather than math.Pow for the same reason.
		last = float64(last*w) + float64((1-w)*v)
		pow = float64(pow * w)
		dst = append(dst, last/(1-pow))
	}
	return dst
}

// SmoothPoints returns points with their values smoothed by EMA; steps and
// times are kept.
func SmoothPoints(points []studio.Point, w float64) []studio.Point {
	return AppendSmoothPoints(make([]studio.Point, 0, len(points)), points, w)
}

// AppendSmoothPoints is SmoothPoints appending to dst. dst may be
// points[:0] to smooth in place.
func AppendSmoothPoints(dst, points []studio.Point, w float64) []studio.Point {
	w = smoothingWeight(w)
	if w == 0 || constant(len(points), func(i int) float64 { return points[i].Value }) {
		return append(dst, points...)
	}
	last, pow := 0.0, 1.0
	for _, p := range points {
		if v := p.Value; v-v == 0 {
			last = float64(last*w) + float64((1-w)*v)
			pow = float64(pow * w)
			p.Value = last / (1 - pow)
		}
		dst = append(dst, p)
	}
	return dst
}

func smoothingWeight(w float64) float64 {
	if math.IsNaN(w) || w <= 0 {
		return 0
	}
	return min(w, MaxSmoothing)
}

// constant reports whether the n values of at are all equal (==, so a
// series holding a NaN is never constant).
func constant(n int, at func(int) float64) bool {
	if n == 0 {
		return true
	}
	v0 := at(0)
	for i := 1; i < n; i++ {
		if at(i) != v0 {
			return false
		}
	}
	return v0 == v0
}
