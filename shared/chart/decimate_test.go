package chart

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

// series returns n points with steps 0..n-1 and values from value(i).
func series(n int, value func(i int) float64) []studio.Point {
	pts := make([]studio.Point, n)
	for i := range pts {
		pts[i] = studio.Point{Step: i, Time: at(int64(i)), Value: value(i)}
	}
	return pts
}

func TestDecimateSmallSeriesUnchanged(t *testing.T) {
	pts := series(40, func(i int) float64 { return float64(i % 7) })
	got := Decimate(pts, ByStep, 10)
	if len(got) != len(pts) {
		t.Fatalf("Decimate(40 points, 10 buckets) kept %d; want all 40", len(got))
	}
	if got := Decimate(nil, ByStep, 10); len(got) != 0 {
		t.Errorf("Decimate(nil) = %v; want empty", got)
	}
}

func TestDecimateKeepsSpikes(t *testing.T) {
	pts := series(100_000, func(i int) float64 { return 1 })
	pts[54_321].Value = 100
	pts[77_777].Value = -50
	got := Decimate(pts, ByStep, 1000)
	var spike, dip bool
	for _, p := range got {
		spike = spike || (p.Step == 54_321 && p.Value == 100)
		dip = dip || (p.Step == 77_777 && p.Value == -50)
	}
	if !spike || !dip {
		t.Errorf("Decimate lost the spike (%v) or the dip (%v)", spike, dip)
	}
	if len(got) > 4*1000 {
		t.Errorf("Decimate kept %d points; want at most 4000", len(got))
	}
	if got[0].Step != 0 || got[len(got)-1].Step != 99_999 {
		t.Errorf("Decimate dropped an end: first %d, last %d", got[0].Step, got[len(got)-1].Step)
	}
}

func TestDecimateKeepsGaps(t *testing.T) {
	pts := series(1000, func(i int) float64 { return math.Sin(float64(i)) })
	pts[500].Value = math.NaN()
	got := Decimate(pts, ByStep, 10)
	found := false
	for _, p := range got {
		found = found || (p.Step == 500 && math.IsNaN(p.Value))
	}
	if !found {
		t.Error("Decimate dropped the NaN gap at step 500")
	}
}

// TestDecimateProperty checks on random series that the output is an
// ordered subsequence of the input holding every bucket's minimum and
// maximum value, and at most 4 points per bucket.
func TestDecimateProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 7))
	for trial := range 200 {
		n := 1 + r.IntN(5000)
		buckets := 1 + r.IntN(300)
		step := 0
		walk := 0.0
		pts := make([]studio.Point, n)
		for i := range pts {
			step += 1 + r.IntN(3) // uneven x spacing
			walk += r.NormFloat64()
			if r.IntN(500) == 0 {
				walk += 50 * r.NormFloat64() // occasional spike
			}
			pts[i] = studio.Point{Step: step, Value: walk}
		}
		got := Decimate(pts, ByStep, buckets)

		// Ordered subsequence: map every kept point back to its index.
		idx := make(map[int]int, n)
		for i, p := range pts {
			idx[p.Step] = i
		}
		prev := -1
		for _, p := range got {
			i, ok := idx[p.Step]
			if !ok || pts[i] != p || i <= prev {
				t.Fatalf("trial %d: output is not an ordered subsequence at step %d", trial, p.Step)
			}
			prev = i
		}
		if n <= 4*buckets {
			if len(got) != n {
				t.Fatalf("trial %d: %d points, %d buckets: kept %d; want all", trial, n, buckets, len(got))
			}
			continue
		}
		// Every bucket's extremes survive.
		x0, x1 := float64(pts[0].Step), float64(pts[n-1].Step)
		scale := float64(buckets) / (x1 - x0) // the documented bucket width
		bucketOf := func(p studio.Point) int {
			b := int((float64(p.Step) - x0) * scale)
			return min(b, buckets-1)
		}
		lo := make([]float64, buckets)
		hi := make([]float64, buckets)
		for b := range lo {
			lo[b], hi[b] = math.Inf(1), math.Inf(-1)
		}
		for _, p := range pts {
			b := bucketOf(p)
			lo[b], hi[b] = min(lo[b], p.Value), max(hi[b], p.Value)
		}
		keptLo := make([]bool, buckets)
		keptHi := make([]bool, buckets)
		perBucket := make([]int, buckets)
		for _, p := range got {
			b := bucketOf(p)
			perBucket[b]++
			keptLo[b] = keptLo[b] || p.Value == lo[b]
			keptHi[b] = keptHi[b] || p.Value == hi[b]
		}
		for b := range buckets {
			if math.IsInf(lo[b], 1) {
				continue // empty bucket
			}
			if !keptLo[b] || !keptHi[b] {
				t.Fatalf("trial %d: bucket %d lost its min (%v) or max (%v)", trial, b, lo[b], hi[b])
			}
			if perBucket[b] > 4 {
				t.Fatalf("trial %d: bucket %d kept %d points; want at most 4", trial, b, perBucket[b])
			}
		}
	}
}

func TestDecimateXYMatchesDecimate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pts := series(10_000, func(int) float64 { return r.NormFloat64() })
	xs := make([]float64, len(pts))
	ys := make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = ByTime(p), p.Value
	}
	want := Decimate(pts, ByTime, 250)
	dx, dy := DecimateXY(xs, ys, 250)
	if len(dx) != len(want) || len(dy) != len(want) {
		t.Fatalf("DecimateXY kept %d/%d; Decimate kept %d", len(dx), len(dy), len(want))
	}
	for i, p := range want {
		if dx[i] != ByTime(p) || dy[i] != p.Value {
			t.Fatalf("point %d: DecimateXY (%v, %v); Decimate (%v, %v)", i, dx[i], dy[i], ByTime(p), p.Value)
		}
	}
}

func TestAppendDecimatedAllocations(t *testing.T) {
	pts := series(100_000, func(i int) float64 { return math.Sin(float64(i) / 100) })
	dst := make([]studio.Point, 0, 5000)
	allocs := testing.AllocsPerRun(5, func() {
		dst = AppendDecimated(dst[:0], pts, ByStep, 1000)
	})
	if allocs != 0 {
		t.Errorf("AppendDecimated into a large enough buffer allocated %v times; want 0", allocs)
	}
	if allocs := testing.AllocsPerRun(5, func() { Decimate(pts, ByStep, 1000) }); allocs != 1 {
		t.Errorf("Decimate allocated %v times; want 1 (the result)", allocs)
	}
}

func TestDecimateEqualX(t *testing.T) {
	// All points at one x: a single bucket keeps first, min, max, last.
	pts := make([]studio.Point, 100)
	for i := range pts {
		pts[i] = studio.Point{Time: at(0), Value: float64((i * 37) % 100)}
	}
	got := Decimate(pts, ByTime, 5)
	if len(got) > 4 {
		t.Errorf("Decimate of equal x kept %d points; want at most 4", len(got))
	}
}

func BenchmarkDecimate(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	walk := 0.0
	pts := series(100_000, func(int) float64 { walk += r.NormFloat64(); return walk })
	dst := make([]studio.Point, 0, 4000)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendDecimated(dst[:0], pts, ByStep, 1000)
	}
}

func BenchmarkDecimateAlloc(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	walk := 0.0
	pts := series(100_000, func(int) float64 { walk += r.NormFloat64(); return walk })
	b.ReportAllocs()
	for b.Loop() {
		Decimate(pts, ByStep, 1000)
	}
}

func BenchmarkDecimateXY(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 100_000)
	ys := make([]float64, 100_000)
	walk := 0.0
	for i := range xs {
		walk += r.NormFloat64()
		xs[i], ys[i] = float64(i), walk
	}
	dx, dy := make([]float64, 0, 4000), make([]float64, 0, 4000)
	b.ReportAllocs()
	for b.Loop() {
		dx, dy = AppendDecimatedXY(dx[:0], dy[:0], xs, ys, 1000)
	}
}
