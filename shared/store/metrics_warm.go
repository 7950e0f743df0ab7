package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// Which series WarmMetrics computes: the runs with at least warmMinSteps
// steps (a shorter series costs well under a millisecond on first use),
// at most warmMaxRuns of them, so that their series fill 28 of the 32
// places of the series cache.
const (
	warmMinSteps = 20_000
	warmMaxRuns  = 4
)

// WarmMetrics computes and caches every metric series of the longest runs
// (those with at least 20,000 steps, at most four, longest first), so that
// the first metrics query of such a run costs what a repeated one does.
// It is meant to run in its own goroutine beside the server: it computes
// one series at a time on one goroutine and holds no lock while
// computing; a query of the series being warmed waits for that series
// only, and other queries are served as usual. It returns nil when done,
// or ctx's error soon after ctx ends (within about a millisecond of
// computation).
func (s *Store) WarmMetrics(ctx context.Context) error {
	type run struct {
		plan  synth.RunPlan
		steps int
	}
	var runs []run
	s.mu.RLock()
	for _, st := range s.runs {
		if st.steps >= warmMinSteps {
			runs = append(runs, run{st.plan, st.steps})
		}
	}
	s.mu.RUnlock()
	slices.SortStableFunc(runs, func(a, b run) int { return cmp.Compare(b.steps, a.steps) })
	for _, r := range runs[:min(len(runs), warmMaxRuns)] {
		for m := range studio.MetricNames {
			if _, err := s.extendSeries(ctx, &r.plan, m, r.steps, 1); err != nil {
				return err
			}
		}
	}
	return nil
}
