package chart

import "github.com/aiinfra/studio/shared/studio"

// XFunc returns the x coordinate of a point in domain units: ByStep for a
// step axis, ByTime for a time axis.
type XFunc func(studio.Point) float64

// ByStep returns the point's training step.
func ByStep(p studio.Point) float64 { return float64(p.Step) }

// ByTime returns the point's time as Unix seconds, the domain unit of Time.
func ByTime(p studio.Point) float64 { return Seconds(p.Time) }

// Decimate returns a subset of points for a chart buckets columns wide
// that keeps every bucket's shape: the x range of points is cut into
// buckets equal intervals, and each interval keeps its first point, its
// minimum, its maximum and its last point (and its first NaN or ±Inf value,
// so gaps survive), in x order. A spike, however narrow, is never lost.
// About 2 points per pixel column means buckets = width/2.
//
// points must be sorted by x. When len(points) <= 4*buckets, all of them
// are returned. buckets < 1 counts as 1. The run time is O(n) and the only
// allocation is the result; AppendDecimated reuses a buffer instead.
func Decimate(points []studio.Point, x XFunc, buckets int) []studio.Point {
	buckets = max(buckets, 1)
	return AppendDecimated(make([]studio.Point, 0, min(len(points), 4*buckets+1)), points, x, buckets)
}

// AppendDecimated is Decimate appending the kept points to dst.
func AppendDecimated(dst, points []studio.Point, x XFunc, buckets int) []studio.Point {
	buckets = max(buckets, 1)
	n := len(points)
	if n <= 4*buckets {
		return append(dst, points...)
	}
	bk := newBucketer(x(points[0]), x(points[n-1]), buckets)
	var st bucket
	var out [5]int
	cur := -1
	for i := range points {
		b := bk.index(x(points[i]), cur)
		if b != cur {
			if cur >= 0 {
				for _, j := range st.indices(&out) {
					dst = append(dst, points[j])
				}
			}
			cur = b
			st.reset(i)
		}
		st.add(i, points[i].Value)
	}
	for _, j := range st.indices(&out) {
		dst = append(dst, points[j])
	}
	return dst
}

// DecimateXY is Decimate over parallel slices: xs ascending, ys the values.
// The shorter slice sets the length. It returns new slices.
func DecimateXY(xs, ys []float64, buckets int) (dx, dy []float64) {
	buckets = max(buckets, 1)
	c := min(len(xs), len(ys), 4*buckets+1)
	return AppendDecimatedXY(make([]float64, 0, c), make([]float64, 0, c), xs, ys, buckets)
}

// AppendDecimatedXY is DecimateXY appending to dstX and dstY.
func AppendDecimatedXY(dstX, dstY, xs, ys []float64, buckets int) ([]float64, []float64) {
	buckets = max(buckets, 1)
	n := min(len(xs), len(ys))
	if n <= 4*buckets {
		return append(dstX, xs[:n]...), append(dstY, ys[:n]...)
	}
	bk := newBucketer(xs[0], xs[n-1], buckets)
	var st bucket
	var out [5]int
	cur := -1
	for i := range n {
		b := bk.index(xs[i], cur)
		if b != cur {
			if cur >= 0 {
				for _, j := range st.indices(&out) {
					dstX, dstY = append(dstX, xs[j]), append(dstY, ys[j])
				}
			}
			cur = b
			st.reset(i)
		}
		st.add(i, ys[i])
	}
	for _, j := range st.indices(&out) {
		dstX, dstY = append(dstX, xs[j]), append(dstY, ys[j])
	}
	return dstX, dstY
}

// bucketer maps x to one of n equal intervals of [x0, x1].
type bucketer struct {
	x0, scale float64
	n         int
}

func newBucketer(x0, x1 float64, n int) bucketer {
	b := bucketer{x0: x0, n: n}
	if x1 > x0 && finite(x1-x0) {
		b.scale = float64(n) / (x1 - x0)
	}
	return b
}

// index returns the bucket of x; a NaN x stays in bucket cur.
func (b bucketer) index(x float64, cur int) int {
	f := (x - b.x0) * b.scale
	if f > 0 && f < float64(b.n) {
		return int(f)
	}
	switch {
	case f >= float64(b.n):
		return b.n - 1
	case f <= 0:
		return 0
	}
	return max(cur, 0) // NaN

}

// bucket tracks the points a bucket keeps. Indices are -1 when unset.
type bucket struct {
	first, last, lo, hi, gap int
	loV, hiV                 float64
}

func (b *bucket) reset(i int) {
	*b = bucket{first: i, last: i, lo: -1, hi: -1, gap: -1}
}

func (b *bucket) add(i int, v float64) {
	b.last = i
	if v-v != 0 { // NaN or ±Inf
		if b.gap < 0 {
			b.gap = i
		}
		return
	}
	if b.lo < 0 || v < b.loV {
		b.lo, b.loV = i, v
	}
	if b.hi < 0 || v > b.hiV {
		b.hi, b.hiV = i, v
	}
}

// indices returns the kept indices ascending and without duplicates.
func (b *bucket) indices(out *[5]int) []int {
	idx := out[:0]
	for _, i := range [5]int{b.first, b.lo, b.hi, b.gap, b.last} {
		if i < 0 {
			continue
		}
		k := len(idx)
		idx = append(idx, i)
		for k > 0 && idx[k-1] > idx[k] {
			idx[k-1], idx[k] = idx[k], idx[k-1]
			k--
		}
	}
	w := 0
	for r := range idx {
		if r == 0 || idx[r] != idx[w-1] {
			idx[w] = idx[r]
			w++
		}
	}
	return idx[:w]
}
