package ui

import (
	"sort"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// hoverTarget is a chart that shows the shared crosshair.
type hoverTarget interface {
	// showHover draws the crosshair at step (from the chart with id src),
	// or hides it when ok is false.
	showHover(step int, src int, ok bool)
}

// ChartSync shares the hover crosshair between every chart of a run: the
// chart under the mouse reports the step it points at, and on the next
// animation frame every registered chart draws its crosshair and tooltip
// at that step. Charts update their DOM directly, so moving the mouse
// re-renders no component. Use it from the UI goroutine only.
type ChartSync struct {
	targets   map[int]hoverTarget
	nextID    int
	step, src int
	ok        bool
	scheduled bool
	// requestFrame arranges for flush to run once on the next animation
	// frame (at once on the server). Tests replace it to step frames by
	// hand, because wasm tests run in a real browser.
	requestFrame func()
	frame        app.Func
	// lastStep is the step last drawn (-1 when hidden), for tests.
	lastStep int
}

// NewChartSync returns an empty ChartSync.
func NewChartSync() *ChartSync {
	s := &ChartSync{targets: make(map[int]hoverTarget), lastStep: -1}
	s.requestFrame = s.animationFrame
	return s
}

// register adds a chart and returns its id.
func (s *ChartSync) register(t hoverTarget) int {
	s.nextID++
	s.targets[s.nextID] = t
	return s.nextID
}

// unregister removes chart id.
func (s *ChartSync) unregister(id int) { delete(s.targets, id) }

// hover asks every chart to show step on the next frame; src is the
// chart under the mouse.
func (s *ChartSync) hover(step, src int) { s.set(step, src, true) }

// leave hides every crosshair on the next frame.
func (s *ChartSync) leave() { s.set(0, 0, false) }

func (s *ChartSync) set(step, src int, ok bool) {
	s.step, s.src, s.ok = step, src, ok
	if s.scheduled {
		return
	}
	s.scheduled = true
	s.requestFrame()
}

// animationFrame runs flush on the browser's next animation frame, or at
// once where there is none (on the server).
func (s *ChartSync) animationFrame() {
	if app.IsServer {
		s.flush()
		return
	}
	if s.frame == nil {
		s.frame = app.FuncOf(func(app.Value, []app.Value) any {
			s.flush()
			return nil
		})
	}
	app.Window().Call("requestAnimationFrame", s.frame)
}

// flush draws the pending hover on every chart, in registration order.
func (s *ChartSync) flush() {
	s.scheduled = false
	ids := make([]int, 0, len(s.targets))
	for id := range s.targets {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		s.targets[id].showHover(s.step, s.src, s.ok)
	}
	if s.ok {
		s.lastStep = s.step
	} else {
		s.lastStep = -1
	}
}
