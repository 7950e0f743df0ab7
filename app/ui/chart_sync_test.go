package ui

import (
	"slices"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

type fakeHover struct {
	steps []int
	oks   []bool
}

func (f *fakeHover) showHover(step, src int, ok bool) {
	f.steps = append(f.steps, step)
	f.oks = append(f.oks, ok)
}

// syncOp is one call on a ChartSync in TestChartSync.
type syncOp struct {
	op   string // "hover", "leave", "unregister a" or "frame"
	step int
}

// TestChartSync steps animation frames by hand, so it runs the same
// natively and in the browser: hovers are coalesced to one update per
// frame with the last value, and nothing is drawn before the frame.
func TestChartSync(t *testing.T) {
	tests := []struct {
		name        string
		ops         []syncOp
		frames      int // frames requested
		a, b        []int
		aOK, bOK    []bool
		lastStep    int
		wantPending bool
	}{
		{
			name:   "no update before the frame",
			ops:    []syncOp{{"hover", 42}},
			frames: 1, lastStep: -1, wantPending: true,
		},
		{
			name:   "one hover",
			ops:    []syncOp{{"hover", 42}, {"frame", 0}},
			frames: 1, a: []int{42}, b: []int{42}, aOK: []bool{true}, bOK: []bool{true}, lastStep: 42,
		},
		{
			name:   "hovers in one frame coalesce to the last",
			ops:    []syncOp{{"hover", 10}, {"hover", 20}, {"hover", 42}, {"frame", 0}},
			frames: 1, a: []int{42}, b: []int{42}, aOK: []bool{true}, bOK: []bool{true}, lastStep: 42,
		},
		{
			name:   "a leave after a hover in the same frame hides",
			ops:    []syncOp{{"hover", 42}, {"leave", 0}, {"frame", 0}},
			frames: 1, a: []int{0}, b: []int{0}, aOK: []bool{false}, bOK: []bool{false}, lastStep: -1,
		},
		{
			name:   "one frame per burst",
			ops:    []syncOp{{"hover", 42}, {"frame", 0}, {"hover", 7}, {"hover", 8}, {"frame", 0}},
			frames: 2, a: []int{42, 8}, b: []int{42, 8}, aOK: []bool{true, true}, bOK: []bool{true, true}, lastStep: 8,
		},
		{
			name:   "an unregistered chart is not updated",
			ops:    []syncOp{{"hover", 42}, {"frame", 0}, {"unregister a", 0}, {"leave", 0}, {"frame", 0}},
			frames: 2, a: []int{42}, b: []int{42, 0}, aOK: []bool{true}, bOK: []bool{true, false}, lastStep: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewChartSync()
			frames := 0
			s.requestFrame = func() { frames++ }
			a, b := &fakeHover{}, &fakeHover{}
			ida := s.register(a)
			s.register(b)
			for _, o := range tt.ops {
				switch o.op {
				case "hover":
					s.hover(o.step, ida)
				case "leave":
					s.leave()
				case "unregister a":
					s.unregister(ida)
				case "frame":
					s.flush()
				}
			}
			if frames != tt.frames {
				t.Errorf("%d frames requested; want %d", frames, tt.frames)
			}
			if !slices.Equal(a.steps, tt.a) || !slices.Equal(a.oks, tt.aOK) {
				t.Errorf("chart a got %v %v; want %v %v", a.steps, a.oks, tt.a, tt.aOK)
			}
			if !slices.Equal(b.steps, tt.b) || !slices.Equal(b.oks, tt.bOK) {
				t.Errorf("chart b got %v %v; want %v %v", b.steps, b.oks, tt.b, tt.bOK)
			}
			if s.lastStep != tt.lastStep {
				t.Errorf("lastStep = %d; want %d", s.lastStep, tt.lastStep)
			}
			if s.scheduled != tt.wantPending {
				t.Errorf("scheduled = %v; want %v", s.scheduled, tt.wantPending)
			}
		})
	}
}

// TestChartSyncAnimationFrame checks the real scheduler: on the server a
// hover is drawn at once; in the browser it waits for
// requestAnimationFrame, and several hovers before it draw once.
func TestChartSyncAnimationFrame(t *testing.T) {
	s := NewChartSync()
	a := &fakeHover{}
	s.register(a)
	s.hover(10, 1)
	if app.IsServer {
		s.hover(42, 1)
		if !slices.Equal(a.steps, []int{10, 42}) {
			t.Fatalf("server: got %v; want every hover drawn at once", a.steps)
		}
		return
	}
	s.hover(42, 1)
	if len(a.steps) != 0 {
		t.Fatalf("browser: drawn before the frame: %v", a.steps)
	}
	// Blocking the test goroutine lets the browser run the frame.
	deadline := time.Now().Add(5 * time.Second)
	for s.scheduled && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !slices.Equal(a.steps, []int{42}) || s.lastStep != 42 {
		t.Fatalf("browser: after the frame got %v (lastStep %d); want one hover at step 42", a.steps, s.lastStep)
	}
}
