package store

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// seriesKey identifies a cached metric series.
type seriesKey struct {
	run    studio.RunID
	metric int
}

// minCachedSeries is the shortest series worth caching: shorter ones are
// generated faster than a cache lookup pays back.
const minCachedSeries = 4096

// values returns the first n values of metric m of the run. Long series
// are cached and extended as the run grows; the result is shared and must
// not be modified. Concurrent calls for a series that is not cached yet
// compute it once: the others wait for that computation.
func (s *Store) values(plan *synth.RunPlan, m, n int) []float64 {
	if n < minCachedSeries {
		out := make([]float64, n)
		plan.MetricSeries(m, 0, out)
		return out
	}
	out, _ := s.extendSeries(context.Background(), plan, m, n, runtime.GOMAXPROCS(0))
	return out
}

// extendSeries returns the first n values of metric m of the run from the
// series cache, computing (with up to workers goroutines) and caching the
// values it lacks. It returns ctx's error, and no values, if ctx ends
// first.
func (s *Store) extendSeries(ctx context.Context, plan *synth.RunPlan, m, n, workers int) ([]float64, error) {
	k := seriesKey{plan.Run.ID, m}
	for {
		if cached, _ := s.series.get(k); len(cached) >= n {
			return cached[:n], nil
		}
		done, leader := s.metricCache.claim(k)
		if !leader {
			select {
			case <-done:
				continue // look again: the fill may have been shorter than n
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		defer s.metricCache.release(k)
		return s.fillSeries(ctx, plan, k, n, workers)
	}
}

// fillSeries extends the cached series k to n values. The caller holds
// the claim on k.
func (s *Store) fillSeries(ctx context.Context, plan *synth.RunPlan, k seriesKey, n, workers int) ([]float64, error) {
	cached, _ := s.series.get(k)
	if len(cached) >= n {
		return cached[:n], nil
	}
	out := make([]float64, n, n+n/8)
	copy(out, cached)
	if err := fill(ctx, plan, k.metric, out[len(cached):], len(cached), workers); err != nil {
		return nil, err
	}
	s.series.put(k, out)
	return out, nil
}

// parallelChunk is the smallest share of a series worth a goroutine, and
// the most values computed between two looks at the context.
const parallelChunk = 16_384

// fill sets dst[i] to metric m at step from+i, splitting long series
// across at most workers goroutines. It stops early with ctx's error when
// ctx ends, leaving dst partly filled.
func fill(ctx context.Context, plan *synth.RunPlan, m int, dst []float64, from, workers int) error {
	workers = min(workers, len(dst)/parallelChunk)
	if workers < 2 {
		return fillChunks(ctx, plan, m, dst, from)
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	per := (len(dst) + workers - 1) / workers
	for w, lo := 0, 0; lo < len(dst); w, lo = w+1, lo+per {
		part := dst[lo:min(lo+per, len(dst))]
		wg.Go(func() { errs[w] = fillChunks(ctx, plan, m, part, from+lo) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // ctx's error, the same in every worker
		}
	}
	return nil
}

// fillChunks is fill on one goroutine, parallelChunk values at a time.
func fillChunks(ctx context.Context, plan *synth.RunPlan, m int, dst []float64, from int) error {
	for lo := 0; lo < len(dst); lo += parallelChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		plan.MetricSeries(m, from+lo, dst[lo:min(lo+parallelChunk, len(dst))])
	}
	return nil
}

// Metrics returns series of run id. q.Names empty means every metric (an
// unknown name is CodeInvalid listing the valid ones); q.From and q.To are
// inclusive steps (To -1 means the last step). q.MaxPoints > 0 decimates
// each series to at most that many points (at least 4), keeping the first
// and last points and every bucket's minimum and maximum, so no spike is
// dropped; Series.Total counts the points in range before decimation.
func (s *Store) Metrics(id studio.RunID, q api.MetricQuery) (api.MetricsResponse, error) {
	names := q.Names
	if len(names) == 0 {
		names = studio.MetricNames
	}
	idx := make([]int, len(names))
	for i, n := range names {
		m, ok := synth.MetricIndex(n)
		if !ok {
			return api.MetricsResponse{}, studio.Errorf(studio.CodeInvalid, "unknown metric %q (valid: %s)", n, strings.Join(studio.MetricNames, ", "))
		}
		idx[i] = m
	}
	switch {
	case q.From < 0:
		return api.MetricsResponse{}, studio.Errorf(studio.CodeInvalid, "from must be >= 0")
	case q.To < -1:
		return api.MetricsResponse{}, studio.Errorf(studio.CodeInvalid, "to must be >= 0 (or -1 for the last step)")
	case q.To != -1 && q.To < q.From:
		return api.MetricsResponse{}, studio.Errorf(studio.CodeInvalid, "to (%d) must be >= from (%d)", q.To, q.From)
	case q.MaxPoints < 0 || q.MaxPoints > api.MaxMetricPoints:
		return api.MetricsResponse{}, studio.Errorf(studio.CodeInvalid, "max_points must be between 0 and %d", api.MaxMetricPoints)
	}
	v, err := s.view(id)
	if err != nil {
		return api.MetricsResponse{}, err
	}
	to := v.steps - 1
	if q.To != -1 {
		to = min(q.To, to)
	}
	from := q.From
	resp := api.MetricsResponse{RunID: id, Series: make([]studio.Series, len(names))}
	for i, name := range names {
		ser := studio.Series{Name: name, Unit: studio.MetricUnits[name], Points: []studio.Point{}}
		if from <= to {
			ser.Points, ser.Decimated = s.points(&v.plan, idx[i], from, to, q.MaxPoints)
			ser.Total = to - from + 1
		}
		resp.Series[i] = ser
	}
	return resp, nil
}

// points returns the points of metric m of the run over steps from..to
// (inclusive, within the run's steps), decimated to maxPoints when
// maxPoints > 0, and whether decimation dropped any. The result is the
// caller's. A decimated result is cached: the values and times of the
// steps a run has produced never change.
func (s *Store) points(plan *synth.RunPlan, m, from, to, maxPoints int) ([]studio.Point, bool) {
	k := decimatedKey{plan.Run.ID, m, from, to, maxPoints}
	mayDecimate := maxPoints > 0 && to-from+1 > maxPoints
	if mayDecimate {
		if pts, ok := s.metricCache.decimatedPoints(k); ok {
			return slices.Clone(pts), true
		}
	}
	vals := s.values(plan, m, to+1)[from:]
	keep := decimateMaybe(vals, maxPoints)
	pts := make([]studio.Point, len(keep))
	for j, i := range keep {
		step := from + i
		pts[j] = studio.Point{Step: step, Time: plan.StepTime(step), Value: vals[i]}
	}
	decimated := len(keep) < len(vals)
	if mayDecimate && decimated {
		s.metricCache.putDecimated(k, slices.Clone(pts))
	}
	return pts, decimated
}

// decimateMaybe is decimate, keeping every point when maxPoints is 0.
func decimateMaybe(vals []float64, maxPoints int) []int {
	if maxPoints <= 0 {
		maxPoints = len(vals)
	}
	return decimate(vals, maxPoints)
}
