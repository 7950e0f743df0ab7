// Package store is the state engine of AI Infra Studio: the synth base
// dataset plus runtime mutations (created runs, streamed ticks, deployment
// actions). Every method is safe for concurrent use.
//
// The store never copies a run's log or metric series: it keeps counters
// (steps, log lines, stream seq) and asks the run's synth.RunPlan for the
// data at an index, so a run with 1,000,000 log lines costs nothing until
// it is read, and streamed data is exactly what REST returns afterwards.
//
// Errors are *studio.Error: CodeNotFound for unknown ids, CodeInvalid for
// bad query values, CodeConflict for invalid deployment transitions and
// CodeValidation (with Fields) for an invalid run config.
package store

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// DefaultBufferSize is the per-run stream buffer when Options.BufferSize is 0.
const DefaultBufferSize = 4096

// Options configures a Store.
type Options struct {
	// Now is the simulated clock for runtime mutations (created runs,
	// started runs, deployment actions, the dashboard). nil means the
	// generator's Epoch plus the time elapsed since New.
	Now func() time.Time
	// BufferSize is the per-run stream buffer: how many messages are kept
	// for ?since= resume. 0 means DefaultBufferSize.
	BufferSize int
}

// Store holds the dataset and its runtime changes.
type Store struct {
	gen     synth.Generator
	now     func() time.Time
	bufSize int

	mu       sync.RWMutex
	exps     []studio.Experiment
	expIndex map[studio.ExperimentID]int
	runs     []*runState // by index: runs[i] is synth.RunID(i)
	models   []studio.Model
	modelIdx map[studio.ModelID]int
	versions [][]studio.ModelVersion
	deps     []*depState
	depIndex map[studio.DeploymentID]int

	traces   []synth.TracePlan // immutable
	traceIdx map[studio.TraceID]int

	series   *lru[seriesKey, []float64]
	searches *lru[searchKey, *searchResult]
	spans    *lru[studio.TraceID, []studio.Span]

	// metricCache holds metric fills in progress and decimated series
	// (metrics_cache.go); its zero value is ready.
	metricCache metricCache

	// changes counts created runs, deployment actions and run status
	// changes; steps counts streamed steps. Both are written under mu.
	changes, steps atomic.Uint64
	dash           atomic.Pointer[dashboardCache]
	dashMu         sync.Mutex // serialises dashboard computations
	dashGen        uint64     // guarded by dashMu
}

// runState is the mutable state of one run. Fields are guarded by
// Store.mu; plan is replaced, never modified in place, once shared.
type runState struct {
	plan    synth.RunPlan
	status  studio.RunStatus
	steps   int
	endedAt *time.Time
	summary map[string]float64 // replaced on change, never mutated
	ticks   int                // ticks received while queued
	seq     int64              // latest stream seq
	buf     ring
}

// depState is the mutable state of one deployment, guarded by Store.mu.
type depState struct {
	plan   synth.DeploymentPlan // plan.Deployment is the current state
	events []studio.Event
}

// New builds the base dataset of g. It is fast (about 20 ms at scale 1):
// per-run data is generated on demand.
func New(g synth.Generator, opts Options) *Store {
	if g.Scale < 1 {
		g.Scale = 1
	}
	s := &Store{gen: g, now: opts.Now, bufSize: opts.BufferSize}
	if s.now == nil {
		epoch, start := g.Epoch, time.Now() // the store's only reading of the wall clock
		s.now = func() time.Time { return epoch.Add(time.Since(start)) }
	}
	if s.bufSize <= 0 {
		s.bufSize = DefaultBufferSize
	}
	ds := g.Generate()
	s.exps = ds.Experiments
	s.expIndex = make(map[studio.ExperimentID]int, len(s.exps))
	for i, e := range s.exps {
		s.expIndex[e.ID] = i
	}
	s.runs = make([]*runState, len(ds.Runs))
	for i := range ds.Runs {
		p := ds.Runs[i]
		s.runs[i] = &runState{
			plan: p, status: p.Run.Status, steps: p.Run.Steps, endedAt: p.Run.EndedAt,
			summary: p.Run.Summary, buf: newRing(s.bufSize),
		}
	}
	s.models, s.versions = ds.Models, ds.Versions
	s.modelIdx = make(map[studio.ModelID]int, len(s.models))
	for i, m := range s.models {
		s.modelIdx[m.ID] = i
	}
	s.depIndex = make(map[studio.DeploymentID]int, len(ds.Deployments))
	for i, d := range ds.Deployments {
		s.deps = append(s.deps, &depState{plan: d, events: d.Events})
		s.depIndex[d.Deployment.ID] = i
	}
	s.traces = ds.Traces
	s.traceIdx = make(map[studio.TraceID]int, len(s.traces))
	for i, t := range s.traces {
		s.traceIdx[t.Summary.ID] = i
	}
	s.series = newLRU[seriesKey, []float64](32)
	s.searches = newLRU[searchKey, *searchResult](16)
	s.spans = newLRU[studio.TraceID, []studio.Span](4)
	return s
}

// Generator returns the generator the store was built from.
func (s *Store) Generator() synth.Generator { return s.gen }

// runLocked returns the state of run id. s.mu must be held.
func (s *Store) runLocked(id studio.RunID) (*runState, error) {
	if n, ok := synth.RunIndex(id); ok && n < len(s.runs) {
		return s.runs[n], nil
	}
	return nil, studio.Errorf(studio.CodeNotFound, "run %q not found", id)
}

// snapshot returns the run as the API shows it. s.mu must be held.
func (st *runState) snapshot() studio.Run {
	r := st.plan.Run
	r.Tags = append([]string{}, r.Tags...)
	r.Status = st.status
	r.Steps = st.steps
	r.LogCount = st.logCount()
	r.Metrics = st.plan.MetricInfos(st.steps)
	r.Summary = make(map[string]float64, len(st.summary))
	for k, v := range st.summary {
		r.Summary[k] = v
	}
	if st.endedAt != nil {
		t := *st.endedAt
		r.EndedAt = &t
	}
	if r.StartedAt != nil {
		t := *r.StartedAt
		r.StartedAt = &t
	}
	if st.status != studio.RunFailed {
		r.Error = ""
	}
	r.StreamSeq = st.seq
	return r
}

func (st *runState) logCount() int64 { return int64(st.steps) * int64(st.plan.LinesPerStep) }

// runView is a consistent copy of what readers of a run's data need.
type runView struct {
	plan     synth.RunPlan
	status   studio.RunStatus
	steps    int
	logCount int64
}

// view returns a copy of run id's plan and counters, so generation can run
// without holding the lock.
func (s *Store) view(id studio.RunID) (runView, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.runLocked(id)
	if err != nil {
		return runView{}, err
	}
	return runView{plan: st.plan, status: st.status, steps: st.steps, logCount: st.logCount()}, nil
}

// Run returns run id.
func (s *Store) Run(id studio.RunID) (studio.Run, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.runLocked(id)
	if err != nil {
		return studio.Run{}, err
	}
	return st.snapshot(), nil
}

// Live returns the ids of runs that are queued or running, sorted by run
// number.
func (s *Store) Live() []studio.RunID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []studio.RunID
	for _, st := range s.runs { // runs are in id order
		if !st.status.Terminal() {
			out = append(out, st.plan.Run.ID)
		}
	}
	return out
}
