package store

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestStore returns a fresh store of seed 42 at scale 1 whose clock
// starts at the epoch and moves only when the test advances it.
func newTestStore(tb testing.TB, opts ...func(*Options)) (*Store, *clock) {
	tb.Helper()
	c := &clock{t: synth.DefaultEpoch}
	o := Options{Now: c.Now}
	for _, f := range opts {
		f(&o)
	}
	return New(synth.New(42, 1), o), c
}

var (
	sharedOnce  sync.Once
	sharedStore *Store
)

// readStore returns a store shared by tests that never mutate it.
func readStore(tb testing.TB) *Store {
	tb.Helper()
	sharedOnce.Do(func() { sharedStore, _ = newTestStore(tb) })
	return sharedStore
}

// wantCode fails the test unless err has the given code (and, if msg is
// not empty, a message containing msg).
func wantCode(t *testing.T, err error, code studio.Code, msg string) {
	t.Helper()
	if got := studio.ErrorCode(err); got != code {
		t.Fatalf("error = %v; want code %s", err, code)
	}
	if msg != "" && !strings.Contains(studio.ErrorMessage(err), msg) {
		t.Fatalf("error message %q does not contain %q", studio.ErrorMessage(err), msg)
	}
}

func TestNotFound(t *testing.T) {
	s := readStore(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"experiment", func() error { _, err := s.Experiment("exp-99"); return err }},
		{"run", func() error { _, err := s.Run("run-9999"); return err }},
		{"run bad id", func() error { _, err := s.Run("../etc"); return err }},
		{"logs", func() error { _, err := s.Logs("run-0000", defaultLogQuery()); return err }},
		{"search", func() error { _, err := s.SearchLogs("nope", searchQuery("x")); return err }},
		{"metrics", func() error { _, err := s.Metrics("nope", allMetrics()); return err }},
		{"run events", func() error { _, err := s.RunEvents("nope", eventQuery()); return err }},
		{"model", func() error { _, err := s.Model("mdl-nope"); return err }},
		{"versions", func() error { _, err := s.ModelVersions("mdl-nope"); return err }},
		{"deployment", func() error { _, err := s.Deployment("dep-nope"); return err }},
		{"deployment events", func() error { _, err := s.DeploymentEvents("dep-nope", eventQuery()); return err }},
		{"act", func() error { _, err := s.Act("dep-nope", studio.ActionAdvance); return err }},
		{"trace", func() error { _, err := s.Trace("tr-nope"); return err }},
		{"tick", func() error { _, err := s.Tick("run-9999"); return err }},
		{"since", func() error { _, _, _, err := s.Since("run-9999", 0); return err }},
		{"stream bounds", func() error { _, _, err := s.StreamBounds("run-9999"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), studio.CodeNotFound, "not found") })
	}
}

func TestDefaultClock(t *testing.T) {
	s := New(synth.New(1, 1), Options{})
	now := s.now()
	if d := now.Sub(synth.DefaultEpoch); d < 0 || d > time.Minute {
		t.Errorf("default now = %v; want just after the epoch %v", now, synth.DefaultEpoch)
	}
	if s.bufSize != DefaultBufferSize {
		t.Errorf("buffer size = %d; want %d", s.bufSize, DefaultBufferSize)
	}
}

func TestScale(t *testing.T) {
	s := New(synth.New(7, 3), Options{Now: func() time.Time { return synth.DefaultEpoch }})
	runs, err := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if err != nil || runs.Total != 480 {
		t.Fatalf("Runs at scale 3: %d, %v; want 480", runs.Total, err)
	}
	exps, _ := s.Experiments(api.ListQuery{Limit: 100})
	deps, _ := s.Deployments(api.ListQuery{})
	traces, _ := s.Traces(api.ListQuery{Limit: 1000})
	models, _ := s.Models(api.ListQuery{})
	if exps.Total != 30 || deps.Total != 18 || traces.Total != 180 || models.Total != 21 {
		t.Errorf("scale 3: %d experiments, %d deployments, %d traces, %d models", exps.Total, deps.Total, traces.Total, models.Total)
	}
	d := s.Dashboard()
	if len(d.DeploymentsByStatus) != len(studio.DeploymentStatuses) || d.ActiveRuns < 15 || len(d.RunsStartedHourly) != 24 {
		t.Errorf("scale 3 dashboard: %v, %d active", d.DeploymentsByStatus, d.ActiveRuns)
	}
	for _, dep := range deps.Items {
		if d.DeploymentsByStatus[dep.Status] == 0 {
			t.Errorf("status %s of %s not counted", dep.Status, dep.ID)
		}
	}
}
