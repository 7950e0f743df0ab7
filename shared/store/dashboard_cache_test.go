package store

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// freshDashboard computes the dashboard at now without the cache.
func freshDashboard(t *testing.T, s *Store, now time.Time) string {
	t.Helper()
	s.mu.RLock()
	d := s.dashboardLocked(now)
	s.mu.RUnlock()
	return mustJSON(t, d)
}

func TestDashboardCache(t *testing.T) {
	s, clk := newTestStore(t)
	live := s.Live()
	var created studio.RunID
	tests := []struct {
		name string
		do   func(t *testing.T)
		// recompute: the call must return a new computation equal to a
		// fresh one at the clock's now; otherwise the previous one.
		recompute bool
	}{
		{"the first call computes", func(*testing.T) {}, true},
		{"nothing changed", func(*testing.T) {}, false},
		{"a streamed step while the clock stands still", func(t *testing.T) { tick(t, s, live[0]) }, true},
		{"a streamed step 500 ms later", func(t *testing.T) {
			clk.Advance(500 * time.Millisecond)
			tick(t, s, live[0])
		}, false},
		{"time passes, still within DashboardMaxAge", func(*testing.T) { clk.Advance(499 * time.Millisecond) }, false},
		{"DashboardMaxAge after the computation", func(*testing.T) { clk.Advance(time.Millisecond) }, true},
		{"a created run", func(t *testing.T) {
			clk.Advance(10 * time.Millisecond)
			r, err := s.CreateRun(validRequest())
			if err != nil {
				t.Fatal(err)
			}
			created = r.ID
		}, true},
		{"a queued tick that changes nothing", func(t *testing.T) {
			clk.Advance(10 * time.Millisecond)
			tick(t, s, created)
		}, false},
		{"the created run starts", func(t *testing.T) {
			clk.Advance(10 * time.Millisecond)
			tick(t, s, created)
		}, true},
		{"a deployment action", func(t *testing.T) {
			clk.Advance(10 * time.Millisecond)
			if _, err := s.Act(baseDeployments["progressing"], studio.ActionSimulateIncident); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"the clock goes back", func(*testing.T) { clk.Advance(-time.Second) }, true},
	}
	var prev *api.Dashboard
	var prevGen uint64
	for _, tt := range tests {
		tt.do(t)
		d, gen := s.DashboardView()
		if tt.recompute {
			if prev != nil && gen == prevGen {
				t.Fatalf("%s: DashboardView kept generation %d; want a recomputation", tt.name, gen)
			}
			if got, want := mustJSON(t, d), freshDashboard(t, s, clk.Now()); got != want {
				t.Fatalf("%s: cached dashboard differs from a fresh one at %v", tt.name, clk.Now())
			}
		} else if gen != prevGen || d != prev {
			t.Fatalf("%s: DashboardView = generation %d; want the cached %d", tt.name, gen, prevGen)
		}
		if got := mustJSON(t, s.Dashboard()); got != mustJSON(t, d) {
			t.Fatalf("%s: Dashboard differs from DashboardView", tt.name)
		}
		prev, prevGen = d, gen
	}
}

// TestDashboardCopy checks that Dashboard returns a copy: changing it does
// not change what the next caller gets.
func TestDashboardCopy(t *testing.T) {
	s, _ := newTestStore(t)
	want := mustJSON(t, s.Dashboard())
	d := s.Dashboard()
	d.DeploymentsByStatus[studio.DeployHealthy] = -1
	d.GPUUtilHourly[0] = -1
	d.RunsStartedHourly[0] = -1
	if len(d.Attention) == 0 || len(d.Activity) == 0 {
		t.Fatal("the default dataset's dashboard has no attention items or activity")
	}
	d.Attention[0].Run.Tags = append(d.Attention[0].Run.Tags[:0], "changed")
	d.Attention[0].Run.Summary[studio.MetricLoss] = -1
	d.Activity[0].Title = "changed"
	if got := mustJSON(t, s.Dashboard()); got != want {
		t.Error("changing a returned dashboard changed the cached one")
	}
}

// TestDashboardConcurrent reads the dashboard from several goroutines while
// runs stream and the clock moves (run it with -race): generations only
// grow, and one generation is always one dashboard.
func TestDashboardConcurrent(t *testing.T) {
	s, clk := newTestStore(t)
	live := s.Live()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var mu sync.Mutex
	seen := map[uint64]time.Time{}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last uint64
			for {
				select {
				case <-stop:
					return
				default:
				}
				d, gen := s.DashboardView()
				if gen < last {
					t.Errorf("generation went back from %d to %d", last, gen)
					return
				}
				last = gen
				mu.Lock()
				if at, ok := seen[gen]; ok && !at.Equal(d.Now) {
					t.Errorf("generation %d has two times, %v and %v", gen, at, d.Now)
				}
				seen[gen] = d.Now
				mu.Unlock()
				runtime.Gosched()
			}
		}()
	}
	for i := range 200 {
		if _, err := s.Tick(live[i%len(live)]); err != nil {
			t.Fatal(err)
		}
		clk.Advance(50 * time.Millisecond)
		runtime.Gosched() // let the readers run where goroutines take turns (js/wasm)
	}
	close(stop)
	wg.Wait()
	if len(seen) < 2 {
		t.Errorf("saw %d generations; want the dashboard recomputed as time passed", len(seen))
	}
}
