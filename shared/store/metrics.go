package store

import (
	"runtime"
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
// not be modified.
func (s *Store) values(plan *synth.RunPlan, m, n int) []float64 {
	if n < minCachedSeries {
		out := make([]float64, n)
		for i := range out {
			out[i] = plan.Metric(m, i)
		}
		return out
	}
	k := seriesKey{plan.Run.ID, m}
	cached, _ := s.series.get(k)
	if len(cached) >= n {
		return cached[:n]
	}
	out := make([]float64, n, n+n/8)
	copy(out, cached)
	fill(plan, m, out[len(cached):], len(cached))
	s.series.put(k, out)
	return out
}

// parallelChunk is the smallest share of a series worth a goroutine.
const parallelChunk = 16_384

// fill sets dst[i] to metric m at step from+i, splitting long series
// across the available processors.
func fill(plan *synth.RunPlan, m int, dst []float64, from int) {
	workers := min(runtime.GOMAXPROCS(0), len(dst)/parallelChunk)
	if workers < 2 {
		for i := range dst {
			dst[i] = plan.Metric(m, from+i)
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(dst) + workers - 1) / workers
	for lo := 0; lo < len(dst); lo += per {
		part := dst[lo:min(lo+per, len(dst))]
		wg.Go(func() {
			for i := range part {
				part[i] = plan.Metric(m, from+lo+i)
			}
		})
	}
	wg.Wait()
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
			vals := s.values(&v.plan, idx[i], to+1)[from:]
			ser.Total = len(vals)
			keep := decimateMaybe(vals, q.MaxPoints)
			ser.Decimated = len(keep) < len(vals)
			ser.Points = make([]studio.Point, len(keep))
			for j, k := range keep {
				step := from + k
				ser.Points[j] = studio.Point{Step: step, Time: v.plan.StepTime(step), Value: vals[k]}
			}
		}
		resp.Series[i] = ser
	}
	return resp, nil
}

// decimateMaybe is decimate, keeping every point when maxPoints is 0.
func decimateMaybe(vals []float64, maxPoints int) []int {
	if maxPoints <= 0 {
		maxPoints = len(vals)
	}
	return decimate(vals, maxPoints)
}
