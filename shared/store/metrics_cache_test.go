package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// TestMetricsDecimatedCache checks that a decimated query is answered
// from the cache of decimated series the second time (the raw series
// cache, emptied in between, stays empty), with a response equal to the
// first and owned by the caller; queries that decimate nothing are not
// cached.
func TestMetricsDecimatedCache(t *testing.T) {
	tests := []struct {
		name       string
		q          api.MetricQuery
		wantCached int  // decimated series cached by the first call
		wantRaw    bool // whether the second call caches raw series again
	}{
		{"every metric at 1000 points", api.MetricQuery{To: -1, MaxPoints: 1000}, 7, false},
		{"one metric over a range", api.MetricQuery{Names: []string{"grad_norm"}, From: 5000, To: 60_000, MaxPoints: 500}, 1, false},
		{"max points below 4 counts as 4", api.MetricQuery{Names: []string{"loss"}, To: -1, MaxPoints: 1}, 1, false},
		{"max points above the range", api.MetricQuery{Names: []string{"loss"}, From: 10, To: 19, MaxPoints: 100}, 0, false},
		{"no max points", api.MetricQuery{Names: []string{"loss"}, To: -1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			first, err := s.Metrics(synth.LongMetricRun, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(s.metricCache.entries); got != tt.wantCached {
				t.Fatalf("%d decimated series cached; want %d", got, tt.wantCached)
			}
			s.series = newLRU[seriesKey, []float64](32)
			second, err := s.Metrics(synth.LongMetricRun, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(first, second) {
				t.Fatal("the second response differs from the first")
			}
			if got := s.series.len() > 0; got != tt.wantRaw {
				t.Errorf("the second call cached %d raw series; want some: %v", s.series.len(), tt.wantRaw)
			}
			second.Series[0].Points[0].Value = -1 // the caller's to change
			third, _ := s.Metrics(synth.LongMetricRun, tt.q)
			if !reflect.DeepEqual(first, third) {
				t.Error("changing a response changed the cache")
			}
		})
	}
}

// TestMetricsOfGrowingRun checks that a running run's decimated series
// follow its new steps, and equal those of a store that never cached.
func TestMetricsOfGrowingRun(t *testing.T) {
	s, _ := newTestStore(t)
	fresh, _ := newTestStore(t)
	id := s.Live()[0]
	q := api.MetricQuery{To: -1, MaxPoints: 40}
	before, err := s.Metrics(id, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []*Store{s, fresh} {
		for range 3 {
			if _, err := st.Tick(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	after, err := s.Metrics(id, q)
	if err != nil {
		t.Fatal(err)
	}
	want, err := fresh.Metrics(id, q)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, want) {
		t.Fatal("a cached store answers differently from a fresh one after 3 ticks")
	}
	if got, old := after.Series[0].Total, before.Series[0].Total; got != old+3 {
		t.Errorf("total after 3 ticks = %d; want %d", got, old+3)
	}
}

func TestPutDecimatedBudget(t *testing.T) {
	key := func(i int) decimatedKey { return decimatedKey{run: "run-0001", metric: i, to: 1 << 20, maxP: 1000} }
	tests := []struct {
		name      string
		sizes     []int // points of entries 0, 1, ... put in order
		touch     int   // entry read after the puts, -1 for none
		wantKept  []int
		wantTotal int
	}{
		{"fits", []int{1000, 2000}, -1, []int{0, 1}, 3000},
		{"oldest evicted", []int{decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8,
			decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8, 1}, -1,
			[]int{1, 2, 3, 4, 5, 6, 7, 8}, decimatedBudget - decimatedBudget/8 + 1},
		{"recently read kept", []int{decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8,
			decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8, decimatedBudget / 8, 1}, 0,
			[]int{0, 2, 3, 4, 5, 6, 7, 8}, decimatedBudget - decimatedBudget/8 + 1},
		{"too large for the cache", []int{decimatedBudget/8 + 1, 5}, -1, []int{1}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c metricCache
			for i, n := range tt.sizes {
				if i == len(tt.sizes)-1 && tt.touch >= 0 {
					c.decimatedPoints(key(tt.touch))
				}
				c.putDecimated(key(i), make([]studio.Point, n))
			}
			var kept []int
			for i := range tt.sizes {
				if _, ok := c.decimatedPoints(key(i)); ok {
					kept = append(kept, i)
				}
			}
			if !reflect.DeepEqual(kept, tt.wantKept) || c.points != tt.wantTotal {
				t.Errorf("kept %v holding %d points; want %v holding %d", kept, c.points, tt.wantKept, tt.wantTotal)
			}
		})
	}
}

// TestSeriesFillIsShared checks that a reader of a series another reader
// is computing waits for that computation instead of making its own.
func TestSeriesFillIsShared(t *testing.T) {
	s, _ := newTestStore(t)
	v, err := s.view(synth.LongMetricRun)
	if err != nil {
		t.Fatal(err)
	}
	k := seriesKey{synth.LongMetricRun, 0}
	if _, leader := s.metricCache.claim(k); !leader {
		t.Fatal("claim of an idle series: not the leader")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if vals, err := s.extendSeries(ctx, &v.plan, 0, 100_000, 1); !errors.Is(err, context.DeadlineExceeded) || vals != nil {
		t.Fatalf("extendSeries during another fill = %d values, %v; want it to wait until its context ends", len(vals), err)
	}
	done := make(chan []float64)
	go func() {
		vals, _ := s.extendSeries(context.Background(), &v.plan, 0, 100_000, 1)
		done <- vals
	}()
	time.Sleep(10 * time.Millisecond)
	s.metricCache.release(k) // the fill ended without a result: the waiter computes
	if vals := <-done; len(vals) != 100_000 || vals[99_999] != v.plan.Metric(0, 99_999) {
		t.Fatalf("the waiter got %d values after the fill ended", len(vals))
	}
	if len(s.metricCache.filling) != 0 {
		t.Errorf("%d fills still registered", len(s.metricCache.filling))
	}
}

// TestMetricsConcurrentColdReaders has readers of every metric of the
// 100,000-step run start together on a fresh store (run with -race).
func TestMetricsConcurrentColdReaders(t *testing.T) {
	s, _ := newTestStore(t)
	want, err := readStore(t).Metrics(synth.LongMetricRun, api.MetricQuery{To: -1, MaxPoints: 300})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]api.MetricsResponse, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = s.Metrics(synth.LongMetricRun, api.MetricQuery{To: -1, MaxPoints: 300}) })
	}
	wg.Wait()
	for i := range got {
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("reader %d got a different response", i)
		}
	}
}

func TestWarmMetrics(t *testing.T) {
	s, _ := newTestStore(t)
	readers := make(chan error)
	go func() { // a reader while warming: served as usual
		_, err := s.Metrics(synth.LongMetricRun, api.MetricQuery{Names: []string{"accuracy"}, To: -1, MaxPoints: 100})
		readers <- err
	}()
	if err := s.WarmMetrics(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-readers; err != nil {
		t.Fatal(err)
	}
	if n := s.series.len(); n == 0 || n > warmMaxRuns*len(studio.MetricNames) {
		t.Errorf("%d series cached after warming; want 1 to %d", n, warmMaxRuns*len(studio.MetricNames))
	}
	n, _ := synth.RunIndex(synth.LongMetricRun)
	p := &s.runs[n].plan
	for m := range studio.MetricNames {
		vals, ok := s.series.get(seriesKey{synth.LongMetricRun, m})
		if !ok || len(vals) != synth.LongMetricSteps || vals[len(vals)-1] != p.Metric(m, synth.LongMetricSteps-1) {
			t.Errorf("metric %d of %s after warming: %d values cached", m, synth.LongMetricRun, len(vals))
		}
	}

	cold, _ := newTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cold.WarmMetrics(ctx); !errors.Is(err, context.Canceled) || cold.series.len() != 0 {
		t.Errorf("WarmMetrics(cancelled) = %v with %d series cached; want context.Canceled and none", err, cold.series.len())
	}
}

func TestMetricSteps(t *testing.T) {
	s, _ := newTestStore(t)
	live := s.Live()[0]
	liveRun, _ := s.Run(live)
	tests := []struct {
		name  string
		id    studio.RunID
		ticks int
		want  int
		code  studio.Code
	}{
		{"finished run", synth.LongMetricRun, 0, synth.LongMetricSteps, ""},
		{"running run", live, 0, liveRun.Steps, ""},
		{"running run after two ticks", live, 2, liveRun.Steps + 2, ""},
		{"unknown run", "run-9999", 0, 0, studio.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range tt.ticks {
				if _, err := s.Tick(tt.id); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.MetricSteps(tt.id)
			if tt.code != "" {
				wantCode(t, err, tt.code, "")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("MetricSteps(%s) = %d, %v; want %d", tt.id, got, err, tt.want)
			}
		})
	}
}
