package timeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

func TestNearest(t *testing.T) {
	events := []studio.Event{ev("a", studio.LaneDeploy, 10), ev("b", studio.LaneAlert, 20), ev("c", studio.LaneCommit, 30)}
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"before first", at(0), "a"},
		{"exact", at(20), "b"},
		{"tie goes to earlier", at(25), "b"},
		{"closer to later", at(26), "c"},
		{"after last", at(99), "c"},
	}
	ix := NewIndex(events)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Nearest(events, tt.t); !ok || string(got.ID) != tt.want {
				t.Errorf("Nearest(%v) = %s, %v; want %s, true", tt.t.Sub(t0), got.ID, ok, tt.want)
			}
			if got, ok := ix.Nearest(tt.t); !ok || string(got.ID) != tt.want {
				t.Errorf("Index.Nearest(%v) = %s, %v; want %s, true", tt.t.Sub(t0), got.ID, ok, tt.want)
			}
		})
	}
}

func TestIndexNearestAcrossLanes(t *testing.T) {
	ix := NewIndex([]studio.Event{
		ev("commit-1", studio.LaneCommit, 100),
		ev("alert-1", studio.LaneAlert, 100), // same instant: alert lane is above commit
		ev("ckpt-1", studio.LaneCheckpoint, 40),
		ev("deploy-1", studio.LaneDeploy, 160),
		ev("deploy-0", studio.LaneDeploy, 40), // same instant as ckpt-1: deploy lane first
	})
	tests := []struct {
		name string
		t    int64
		want string
	}{
		{"same instant picks the upper lane", 100, "alert-1"},
		{"just after picks the first at that instant", 101, "alert-1"},
		{"tie between instants picks the earlier", 70, "deploy-0"},
		{"tie after the shared instant", 130, "alert-1"},
		{"before all lanes", -1000, "deploy-0"},
		{"after all lanes", 9999, "deploy-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := ix.Nearest(at(tt.t)); !ok || string(got.ID) != tt.want {
				t.Errorf("Nearest(+%ds) = %s, %v; want %s, true", tt.t, got.ID, ok, tt.want)
			}
		})
	}
}

func TestNearestEmpty(t *testing.T) {
	if _, ok := Nearest(nil, at(0)); ok {
		t.Error("Nearest(nil) ok = true; want false")
	}
	ix := NewIndex(nil)
	if _, ok := ix.Nearest(at(0)); ok {
		t.Error("empty Index.Nearest ok = true; want false")
	}
	if _, ok := ix.Next(""); ok {
		t.Error("empty Index.Next ok = true; want false")
	}
	if _, ok := ix.Prev(""); ok {
		t.Error("empty Index.Prev ok = true; want false")
	}
	if got := ix.Between(at(0), at(100)); len(got) != 0 {
		t.Errorf("empty Index.Between = %v; want none", got)
	}
	// Grouped lanes may be empty: an index over the empty lanes is empty.
	var all []studio.Event
	for _, l := range Group(nil) {
		all = append(all, l.Events...)
	}
	if _, ok := NewIndex(all).Nearest(at(0)); ok {
		t.Error("Nearest over empty lanes ok = true; want false")
	}
}

func TestIndexKeyboardOrder(t *testing.T) {
	ix := NewIndex([]studio.Event{
		ev("c", studio.LaneCommit, 50),
		ev("b2", studio.LaneAlert, 50),
		ev("b1", studio.LaneAlert, 50),
		ev("a", studio.LaneLogSpike, 10),
		ev("d", studio.LaneDeploy, 50),
	})
	order := []string{"a", "d", "b1", "b2", "c"} // time, then lane order, then ID
	if got := ids(ix.Events()); !slices.Equal(got, order) {
		t.Fatalf("Events() = %v; want %v", got, order)
	}
	var forward []string
	for e, ok := ix.Next(""); ok; e, ok = ix.Next(e.ID) {
		forward = append(forward, string(e.ID))
	}
	if !slices.Equal(forward, order) {
		t.Errorf("j through the timeline = %v; want %v", forward, order)
	}
	var backward []string
	for e, ok := ix.Prev("unknown"); ok; e, ok = ix.Prev(e.ID) {
		backward = append(backward, string(e.ID))
	}
	slices.Reverse(backward)
	if !slices.Equal(backward, order) {
		t.Errorf("k through the timeline (reversed) = %v; want %v", backward, order)
	}
	if i, ok := ix.Position("b2"); !ok || i != 3 {
		t.Errorf("Position(b2) = %d, %v; want 3, true", i, ok)
	}
	if got := ids(ix.Between(at(10), at(49))); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Between(10, 49) = %v; want [a]", got)
	}
	if got := ids(ix.Between(at(11), at(50))); !slices.Equal(got, []string{"d", "b1", "b2", "c"}) {
		t.Errorf("Between(11, 50) = %v; want the four at 50", got)
	}
	if got := ix.Between(at(60), at(40)); len(got) != 0 {
		t.Errorf("Between reversed = %v; want none", ids(got))
	}
}

// TestIndexNearestMatchesScan compares the binary search with a linear
// scan on random events.
func TestIndexNearestMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	events := make([]studio.Event, 500)
	for i := range events {
		events[i] = ev(fmt.Sprintf("e%03d", i), studio.Lanes[r.IntN(len(studio.Lanes))], r.Int64N(2000))
	}
	ix := NewIndex(events)
	for range 2000 {
		q := at(r.Int64N(2400) - 200)
		got, _ := ix.Nearest(q)
		best := ix.Events()[0]
		for _, e := range ix.Events() {
			if d, bd := absDur(e.Time.Sub(q)), absDur(best.Time.Sub(q)); d < bd || (d == bd && compareEvents(e, best) < 0) {
				best = e
			}
		}
		if got.ID != best.ID {
			t.Fatalf("Nearest(%v) = %s at %v; scan found %s at %v", q.Sub(t0), got.ID, got.Time.Sub(t0), best.ID, best.Time.Sub(t0))
		}
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func BenchmarkIndexNearest(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	events := make([]studio.Event, 100_000)
	for i := range events {
		events[i] = ev("e", studio.Lanes[i%len(studio.Lanes)], r.Int64N(30*86400))
	}
	ix := NewIndex(events)
	queries := make([]time.Time, 1024)
	for i := range queries {
		queries[i] = at(r.Int64N(30 * 86400))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ix.Nearest(queries[i&1023])
	}
}

func BenchmarkNearestSorted(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	events := make([]studio.Event, 100_000)
	for i := range events {
		events[i] = ev("e", studio.LaneAlert, r.Int64N(30*86400))
	}
	slices.SortFunc(events, compareEvents)
	queries := make([]time.Time, 1024)
	for i := range queries {
		queries[i] = at(r.Int64N(30 * 86400))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Nearest(events, queries[i&1023])
	}
}
