package chart

import (
	"math"
	"sort"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// NearestIndex returns the index of the point whose x is closest to
// target, by binary search: O(log n). points must be sorted by x. A tie
// goes to the earlier point. ok is false when points is empty or target is
// NaN.
func NearestIndex(points []studio.Point, x XFunc, target float64) (i int, ok bool) {
	if len(points) == 0 || math.IsNaN(target) {
		return 0, false
	}
	i = sort.Search(len(points), func(i int) bool { return x(points[i]) >= target })
	return nearer(i, len(points), func(j int) float64 { return math.Abs(x(points[j]) - target) }), true
}

// NearestStep returns the index of the point whose Step is closest to step
// (hover on a step axis). points must be sorted by Step; a tie goes to the
// earlier point; ok is false when points is empty.
func NearestStep(points []studio.Point, step int) (i int, ok bool) {
	if len(points) == 0 {
		return 0, false
	}
	i = sort.Search(len(points), func(i int) bool { return points[i].Step >= step })
	return nearer(i, len(points), func(j int) float64 { return math.Abs(float64(points[j].Step) - float64(step)) }), true
}

// NearestTime returns the index of the point whose Time is closest to t.
// points must be sorted by Time; a tie goes to the earlier point; ok is
// false when points is empty.
func NearestTime(points []studio.Point, t time.Time) (i int, ok bool) {
	if len(points) == 0 {
		return 0, false
	}
	i = sort.Search(len(points), func(i int) bool { return !points[i].Time.Before(t) })
	switch i {
	case 0:
		return 0, true
	case len(points):
		return i - 1, true
	}
	if t.Sub(points[i-1].Time) > points[i].Time.Sub(t) {
		return i, true
	}
	return i - 1, true
}

// NearestX returns the index of the value in xs closest to target. xs must
// be ascending; a tie goes to the earlier index; ok is false when xs is
// empty or target is NaN.
func NearestX(xs []float64, target float64) (i int, ok bool) {
	if len(xs) == 0 || math.IsNaN(target) {
		return 0, false
	}
	i = sort.SearchFloat64s(xs, target)
	return nearer(i, len(xs), func(j int) float64 { return math.Abs(xs[j] - target) }), true
}

// nearer picks i-1 or i, where i is the first index at or after the target
// among n, whichever is closer by dist; a tie picks i-1.
func nearer(i, n int, dist func(int) float64) int {
	switch i {
	case 0:
		return 0
	case n:
		return n - 1
	}
	if dist(i) < dist(i-1) {
		return i
	}
	return i - 1
}

// VisibleRange returns the bounds of the points to draw for the x window
// [lo, hi]: points[i:j] holds every point inside it plus one neighbour on
// each side, so lines still run to the chart's edges. points must be sorted
// by x.
func VisibleRange(points []studio.Point, x XFunc, lo, hi float64) (i, j int) {
	i = sort.Search(len(points), func(k int) bool { return x(points[k]) >= lo })
	j = sort.Search(len(points), func(k int) bool { return x(points[k]) > hi })
	return max(i-1, 0), min(j+1, len(points))
}
