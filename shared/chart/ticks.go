package chart

import "math"

// maxTickCount bounds the n accepted by tick functions, so a bad argument
// cannot allocate millions of ticks.
const maxTickCount = 1000

// Thresholds between the 1, 2, 5 and 10 multiples of a power of ten: a raw
// step is rounded to the multiple that is closest on a log scale.
var (
	e10 = math.Sqrt(50)
	e5  = math.Sqrt(10)
	e2  = math.Sqrt(2)
)

// increment describes a tick step exactly: the step is k when k > 0, and
// 1/-k when k < 0 (so 0.1 is stored as -10 and i*0.1 becomes the better
// rounded i/10). k is 0 when no step exists.
type increment float64

func (k increment) step() float64 {
	if k < 0 {
		return 1 / -float64(k)
	}
	return float64(k)
}

// value returns the i-th multiple of the step.
func (k increment) value(i float64) float64 {
	if k < 0 {
		return i / -float64(k)
	}
	return i * float64(k)
}

// pow10Floor returns the largest p with 10^p <= x, for finite x > 0. It
// corrects math.Log10's last-bit errors so the result does not depend on
// the platform.
func pow10Floor(x float64) int {
	p := int(math.Floor(math.Log10(x)))
	for p > -330 && math.Pow10(p) > x {
		p--
	}
	for p < 310 && math.Pow10(p+1) <= x {
		p++
	}
	return p
}

// tickIncrement returns the nice increment for about n ticks over
// [lo, hi], lo <= hi finite, n >= 1.
func tickIncrement(lo, hi float64, n int) increment {
	raw := (hi - lo) / float64(n)
	if math.IsInf(raw, 0) {
		// The span overflows: compute on halves and double the result.
		raw = (hi/2 - lo/2) / float64(n) * 2
	}
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 0
	}
	p := pow10Floor(raw)
	mant := raw / math.Pow10(p)
	factor := 1.0
	switch {
	case mant >= e10:
		factor = 10
	case mant >= e5:
		factor = 5
	case mant >= e2:
		factor = 2
	}
	if p < 0 {
		k := math.Pow10(-p) / factor
		if !math.IsInf(k, 0) {
			return increment(-k)
		}
	}
	if step := math.Pow10(p) * factor; finite(step) {
		return increment(step)
	}
	return increment(math.Pow10(p)) // 2e308 overflows: fall back to 1e308
}

// TickStep returns the spacing of the nice ticks that AppendTicks puts in
// [lo, hi] for about n ticks: 1, 2 or 5 times a power of ten. It returns 0
// when there is no step: n < 1, a bound is NaN or infinite, or lo == hi.
// lo and hi may come in either order.
func TickStep(lo, hi float64, n int) float64 {
	if lo > hi {
		lo, hi = hi, lo
	}
	if !finite(lo) || !finite(hi) || lo == hi || n < 1 {
		return 0
	}
	return tickIncrement(lo, hi, min(n, maxTickCount)).step()
}

// Ticks returns about n nice tick values in [lo, hi], ascending: multiples
// of TickStep(lo, hi, n). See AppendTicks for the edge cases.
func Ticks(lo, hi float64, n int) []float64 {
	return AppendTicks(nil, lo, hi, n)
}

// AppendTicks appends about n nice tick values in [lo, hi] to dst in
// ascending order and returns the extended slice. The values are multiples
// of 1, 2 or 5 times a power of ten, computed so that 0.3 prints as 0.3 and
// not 0.30000000000000004. lo and hi may come in either order. When
// lo == hi the single value lo is appended; nothing is appended when n < 1
// or a bound is NaN or infinite. n is capped at 1000.
func AppendTicks(dst []float64, lo, hi float64, n int) []float64 {
	if lo > hi {
		lo, hi = hi, lo
	}
	if !finite(lo) || !finite(hi) || n < 1 {
		return dst
	}
	if lo == hi {
		return append(dst, lo)
	}
	n = min(n, maxTickCount)
	inc := tickIncrement(lo, hi, n)
	if inc == 0 {
		return dst
	}
	i1, i2 := tickRange(lo, hi, inc)
	if i2 < i1 && n < 2 {
		// One requested tick and none fits: ask for two.
		inc = tickIncrement(lo, hi, 2)
		i1, i2 = tickRange(lo, hi, inc)
	}
	if i2 < i1 {
		return dst
	}
	count := min(i2-i1, float64(10*n+10)) // the step makes it about n
	last := math.Inf(-1)
	for j := 0.0; j <= count; j++ {
		v := inc.value(i1 + j)
		if v <= last || v < lo || v > hi {
			continue // float precision ran out at this magnitude
		}
		dst = append(dst, v)
		last = v
	}
	return dst
}

// tickRange returns the first and last multiple index of inc inside [lo, hi].
func tickRange(lo, hi float64, inc increment) (i1, i2 float64) {
	if inc < 0 {
		k := -float64(inc)
		i1, i2 = math.Round(lo*k), math.Round(hi*k)
		if i1/k < lo {
			i1++
		}
		if i2/k > hi {
			i2--
		}
		return i1, i2
	}
	k := float64(inc)
	i1, i2 = math.Round(lo/k), math.Round(hi/k)
	if i1*k < lo {
		i1++
	}
	if i2*k > hi {
		i2--
	}
	return i1, i2
}

// NiceDomain extends [lo, hi] outward to multiples of the tick step for
// about n ticks, so the axis starts and ends on a labelled tick: [0.13,
// 0.87] becomes [0.1, 0.9]. An empty domain (lo == hi) is widened first:
// to [-1, 1] around 0, else by 10% of |lo| either side. NaN or infinite
// bounds, or n < 1, return lo and hi unchanged. The result is ordered
// lo <= hi whatever the order of the arguments.
func NiceDomain(lo, hi float64, n int) (float64, float64) {
	if lo > hi {
		lo, hi = hi, lo
	}
	if !finite(lo) || !finite(hi) || n < 1 {
		return lo, hi
	}
	if lo == hi {
		if lo == 0 {
			lo, hi = -1, 1
		} else {
			d := math.Abs(lo) / 10
			lo, hi = lo-d, hi+d
		}
	}
	n = min(n, maxTickCount)
	var prev increment
	for range 10 {
		inc := tickIncrement(lo, hi, n)
		if inc == prev || inc == 0 {
			break
		}
		i1, i2 := math.Floor(lo/inc.step()), math.Ceil(hi/inc.step())
		if inc < 0 {
			k := -float64(inc)
			i1, i2 = math.Floor(lo*k), math.Ceil(hi*k)
		}
		nlo, nhi := inc.value(i1), inc.value(i2)
		if nlo > lo { // rounding error at extreme magnitudes
			nlo = inc.value(i1 - 1)
		}
		if nhi < hi {
			nhi = inc.value(i2 + 1)
		}
		if !finite(nlo) || !finite(nhi) {
			break // rounding out would overflow
		}
		lo, hi, prev = nlo, nhi, inc
	}
	return lo, hi
}

// Extent returns the smallest and largest finite values of vs. ok is false
// when vs holds no finite value. NaN and ±Inf are skipped.
func Extent(vs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if !finite(v) {
			continue
		}
		lo = min(lo, v)
		hi = max(hi, v)
	}
	if lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// PositiveExtent is Extent over the values greater than zero: the domain
// a log scale can show.
func PositiveExtent(vs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if !(v > 0) || math.IsInf(v, 1) {
			continue
		}
		lo = min(lo, v)
		hi = max(hi, v)
	}
	if lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
