package store

// minDecimatePoints is the smallest useful MaxPoints: first, last, and
// one bucket's min and max.
const minDecimatePoints = 4

// decimate returns the indexes (ascending) of the points of an n-point
// series to keep so that at most maxPoints remain: the first and last
// points, and the minimum and maximum of each of (maxPoints-2)/2 equal
// buckets over the points in between. A spike is always the extreme of its
// bucket, so it is never dropped, and the series' global minimum and
// maximum are always kept. vals holds the n values. With n <= maxPoints
// every index is returned; maxPoints below 4 counts as 4.
func decimate(vals []float64, maxPoints int) []int {
	n := len(vals)
	if n <= maxPoints {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	maxPoints = max(maxPoints, minDecimatePoints)
	if n <= maxPoints {
		return decimate(vals, n)
	}
	buckets := (maxPoints - 2) / 2
	inner := n - 2
	out := make([]int, 0, 2+2*buckets)
	out = append(out, 0)
	for b := range buckets {
		lo := 1 + b*inner/buckets
		hi := 1 + (b+1)*inner/buckets // exclusive
		if lo >= hi {
			continue
		}
		mn, mx := lo, lo
		vmn, vmx := vals[lo], vals[lo]
		for i, v := range vals[lo+1 : hi] {
			switch {
			case v < vmn:
				mn, vmn = lo+1+i, v
			case v > vmx:
				mx, vmx = lo+1+i, v
			}
		}
		switch {
		case mn == mx:
			out = append(out, mn)
		case mn < mx:
			out = append(out, mn, mx)
		default:
			out = append(out, mx, mn)
		}
	}
	return append(out, n-1)
}
