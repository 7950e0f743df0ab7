package ui

import (
	"math"
	"strconv"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The Timeline's event handlers. Pointer moves, drags and wheels call
// ctx.PreventUpdate and repaint through the frame throttle: they never
// re-render the page. Clicks that change what go-app draws (pins, the
// comparison) let the render happen.

// onKey runs the keyboard commands (see timelineKey).
func (c *Timeline) onKey(ctx app.Context, e app.Event) {
	if t := e.Get("target"); t.Truthy() {
		switch t.Get("tagName").String() {
		case "INPUT", "SELECT", "TEXTAREA":
			ctx.PreventUpdate()
			return
		}
	}
	// Markers are spans with the button role: Enter and Space activate
	// them as they would a button.
	if k := e.Get("key").String(); k == "Enter" || k == " " {
		if c.activate(ctx, e.Get("target")) {
			e.PreventDefault()
			return
		}
		ctx.PreventUpdate()
		return
	}
	cmd := timelineKey(e.Get("key").String(), e.Get("shiftKey").Bool(), e.Get("ctrlKey").Bool(), e.Get("altKey").Bool(), e.Get("metaKey").Bool())
	if cmd == cmdNone {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	switch cmd {
	case cmdNext, cmdPrev:
		ctx.PreventUpdate()
		c.moveFocus(ctx, cmd == cmdNext)
	case cmdPin:
		if c.m.focus == "" {
			ctx.PreventUpdate()
			return
		}
		c.m.togglePin(c.m.focus)
		c.changed(ctx, true)
		c.refocus(ctx)
	case cmdClear:
		ctx.PreventUpdate()
		c.hover = false
		c.paintHover(ctx)
	default:
		ctx.PreventUpdate()
		at := c.m.win.From.Add(c.m.win.Width() / 2)
		if e, ok := c.byID[c.m.focus]; ok && c.m.win.Contains(e.Time) {
			at = e.Time
		}
		if c.m.apply(cmd, at) {
			c.changed(ctx, false)
			c.scheduleSettle(ctx)
			c.refocus(ctx)
		}
	}
}

// moveFocus focuses the next (or previous) event across lanes, bringing
// it into view as a marker of its own.
func (c *Timeline) moveFocus(ctx app.Context, next bool) {
	var e studio.Event
	var ok bool
	if next {
		e, ok = c.ix.Next(c.m.focus)
	} else {
		e, ok = c.ix.Prev(c.m.focus)
	}
	if !ok {
		return
	}
	c.focusEvent(ctx, e)
}

// focusEvent brings e into view and moves the keyboard focus to its
// marker.
func (c *Timeline) focusEvent(ctx app.Context, e studio.Event) {
	c.m.focus = e.ID
	lane, idx := laneOf(c.lanes, e)
	before := c.m.win
	c.m.reveal(lane, idx, c.width, tlMinGap)
	if !before.From.Equal(c.m.win.From) || !before.To.Equal(c.m.win.To) {
		c.writeURL(ctx, false)
		c.scheduleSettle(ctx)
	}
	c.schedulePaint(ctx)
	c.refocus(ctx)
}

// refocus moves the browser focus to the focused event's marker after the
// next paint (the painter replaces the markers).
func (c *Timeline) refocus(ctx app.Context) {
	id := c.m.focus
	if id == "" {
		return
	}
	c.thr.Schedule(ctx, func(ctx app.Context) {
		c.paint(ctx)
		root := c.dom.el(c.id("lanes"))
		if root == nil {
			return
		}
		if el := root.Call("querySelector", `[data-event-id="`+cssString(string(id))+`"]`); el.Truthy() {
			opts := app.Window().Get("Object").New()
			opts.Set("preventScroll", true)
			el.Call("focus", opts)
		}
	})
}

// onFocusIn remembers the event whose marker got the focus.
func (c *Timeline) onFocusIn(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if id := eventIDOf(e.Get("target")); id != "" {
		c.m.focus = studio.EventID(id)
	}
}

// eventIDOf returns the data-event-id of el or its closest ancestor, "".
func eventIDOf(el app.Value) string {
	if !el.Truthy() || el.Get("closest").IsUndefined() {
		return ""
	}
	if m := el.Call("closest", "[data-event-id]"); m.Truthy() {
		return m.Get("dataset").Get("eventId").String()
	}
	return ""
}

// onLanesClick pins or unpins the clicked event; a count badge zooms the
// window onto its events.
func (c *Timeline) onLanesClick(ctx app.Context, e app.Event) {
	if c.drag.moved {
		c.drag.moved = false
		ctx.PreventUpdate()
		return
	}
	if !c.activate(ctx, e.Get("target")) {
		ctx.PreventUpdate()
	}
}

// activate acts on the marker or badge at t (a click, or Enter or Space
// on it): a marker's event is pinned or unpinned, a badge zooms the window
// onto its events. It reports whether t was one; a zoom re-renders
// nothing, so it calls ctx.PreventUpdate itself.
func (c *Timeline) activate(ctx app.Context, t app.Value) bool {
	if !t.Truthy() || t.Get("closest").IsUndefined() {
		return false
	}
	if b := t.Call("closest", ".tl-cluster"); b.Truthy() {
		ctx.PreventUpdate()
		from, err1 := strconv.ParseInt(b.Get("dataset").Get("from").String(), 10, 64)
		to, err2 := strconv.ParseInt(b.Get("dataset").Get("to").String(), 10, 64)
		if err1 != nil || err2 != nil {
			return true
		}
		f, tt := time.Unix(0, from), time.Unix(0, to)
		pad := max(tt.Sub(f)/4, time.Duration(float64(c.m.win.Width())*tlMinGap/c.width))
		c.m.setWindow(c.m.win.Select(f.Add(-pad), tt.Add(pad)))
		c.changed(ctx, true)
		return true
	}
	id := eventIDOf(t)
	if id == "" {
		return false
	}
	c.m.focus = studio.EventID(id)
	c.m.togglePin(studio.EventID(id))
	c.changed(ctx, true)
	c.refocus(ctx)
	return true
}

// pointerX returns the event's x in the plot column.
func (c *Timeline) pointerX(e app.Event) float64 {
	return e.Get("clientX").Float() - c.plotLeft()
}

// onDetailDown starts panning the detail view by dragging its background.
func (c *Timeline) onDetailDown(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if e.Get("button").Int() != 0 {
		return
	}
	if t := e.Get("target"); t.Truthy() && !t.Get("closest").IsUndefined() && t.Call("closest", "button, a, input, select, [role=button]").Truthy() {
		return
	}
	c.drag = tlDrag{on: true, mode: "pan", id: e.Get("pointerId").Int(), x0: c.pointerX(e), win: c.m.win}
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	c.focusRoot()
}

// focusRoot gives the timeline the keyboard focus after a pointer press on
// its background, so its keys work at once; focus already inside it stays.
func (c *Timeline) focusRoot() {
	root := c.dom.el(c.id("root"))
	if root == nil {
		return
	}
	if active := app.Window().Get("document").Get("activeElement"); active.Truthy() && root.Call("contains", active).Bool() {
		return
	}
	opts := app.Window().Get("Object").New()
	opts.Set("preventScroll", true)
	root.Call("focus", opts)
}

// onDetailMove pans while dragging, else moves the crosshair.
func (c *Timeline) onDetailMove(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	x := c.pointerX(e)
	if c.drag.on && c.drag.mode == "pan" {
		if e.Get("pointerId").Int() != c.drag.id {
			return // another finger or pen
		}
		dx := x - c.drag.x0
		if math.Abs(dx) > 3 {
			c.drag.moved = true
		}
		if c.drag.moved && c.width > 0 {
			d := time.Duration(-dx / c.width * float64(c.drag.win.Width()))
			c.m.setWindow(c.drag.win.Pan(d))
			c.hover = false
			c.changed(ctx, false)
		}
		return
	}
	c.hover = true
	c.hoverX = x
	c.thr.Schedule(ctx, c.paintHover)
}

// onDetailUp ends a pan.
func (c *Timeline) onDetailUp(ctx app.Context, e app.Event) {
	if !c.drag.on {
		ctx.PreventUpdate()
		return
	}
	moved := c.drag.moved
	c.drag.on = false
	if !moved {
		ctx.PreventUpdate()
		return
	}
	c.changed(ctx, true)
}

// onDetailLeave hides the crosshair.
func (c *Timeline) onDetailLeave(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if c.drag.on {
		return
	}
	c.hover = false
	c.thr.Schedule(ctx, c.paintHover)
}

// onDetailWheel zooms around the pointer with Ctrl (or a pinch) and pans
// with Shift or a sideways scroll; a plain wheel scrolls the page.
func (c *Timeline) onDetailWheel(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	dx, dy := e.Get("deltaX").Float(), e.Get("deltaY").Float()
	switch {
	case e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool():
		e.PreventDefault()
		at := c.m.win.TimeAt(c.pointerX(e), c.width)
		c.m.setWindow(c.m.win.Zoom(at, math.Exp(-dy*0.002)))
	case e.Get("shiftKey").Bool() || math.Abs(dx) > math.Abs(dy):
		e.PreventDefault()
		delta := dx
		if math.Abs(dy) > math.Abs(dx) {
			delta = dy
		}
		c.m.setWindow(c.m.win.PanBy(delta / max(c.width, 1)))
	default:
		return
	}
	c.changed(ctx, false)
	c.scheduleSettle(ctx)
}

// onOverviewDown starts a brush drag: on a handle it resizes the window,
// on the brush it moves it, elsewhere it draws a new one.
func (c *Timeline) onOverviewDown(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if e.Get("button").Int() != 0 || c.width <= 0 {
		return
	}
	mode := "draw"
	if t := e.Get("target"); t.Truthy() {
		switch t.Get("dataset").Get("handle").String() {
		case "l":
			mode = "left"
		case "r":
			mode = "right"
		default:
			// A brush over (nearly) the whole strip cannot move: a drag on
			// it draws a new window instead.
			if !t.Get("closest").IsUndefined() && t.Call("closest", ".tl-brush").Truthy() && c.m.win.Width() < c.m.win.Span()*49/50 {
				mode = "move"
			}
		}
	}
	e.PreventDefault()
	c.drag = tlDrag{on: true, mode: mode, id: e.Get("pointerId").Int(), x0: c.pointerX(e), win: c.m.win}
	c.hover = false
	c.paintHover(ctx)
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	c.focusRoot()
}

// onOverviewMove follows a brush drag.
func (c *Timeline) onOverviewMove(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if !c.drag.on || c.drag.mode == "pan" || e.Get("pointerId").Int() != c.drag.id {
		return
	}
	x := c.pointerX(e)
	if math.Abs(x-c.drag.x0) > 2 {
		c.drag.moved = true
	}
	if !c.drag.moved {
		return
	}
	c.m.setWindow(brushDrag(c.drag, x, c.width))
	c.changed(ctx, false)
}

// brushDrag returns the window a brush drag from d.x0 to x selects on an
// overview px wide.
func brushDrag(d tlDrag, x, px float64) timeline.Window {
	w := d.win
	switch d.mode {
	case "move":
		dt := time.Duration((x - d.x0) / px * float64(w.Span()))
		return w.Pan(dt)
	case "left":
		t := w.SpanTimeAt(x, px)
		if !t.Before(w.To) {
			return w.Select(w.To, t)
		}
		return w.Select(t, w.To)
	case "right":
		t := w.SpanTimeAt(x, px)
		if !t.After(w.From) {
			return w.Select(t, w.From)
		}
		return w.Select(w.From, t)
	}
	return w.Brush(d.x0, x, px)
}

// onOverviewUp ends a brush drag; a click without a drag centres the
// window on the clicked time.
func (c *Timeline) onOverviewUp(ctx app.Context, e app.Event) {
	if !c.drag.on || c.drag.mode == "pan" {
		ctx.PreventUpdate()
		return
	}
	d := c.drag
	c.drag = tlDrag{}
	if !d.moved {
		if d.mode == "draw" && c.width > 0 {
			c.m.centerOn(c.m.win.SpanTimeAt(d.x0, c.width))
		} else {
			ctx.PreventUpdate()
			return
		}
	}
	c.changed(ctx, true)
}

// onOverviewWheel zooms around the time under the pointer.
func (c *Timeline) onOverviewWheel(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if c.width <= 0 {
		return
	}
	e.PreventDefault()
	dy := e.Get("deltaY").Float()
	if dy == 0 {
		dy = e.Get("deltaX").Float()
	}
	at := c.m.win.SpanTimeAt(c.pointerX(e), c.width)
	c.m.setWindow(c.m.win.Zoom(at, math.Exp(-dy*0.002)))
	c.changed(ctx, false)
	c.scheduleSettle(ctx)
}

// onOverviewDblClick shows the whole span.
func (c *Timeline) onOverviewDblClick(ctx app.Context, e app.Event) {
	c.m.setWindow(c.m.win.Reset())
	c.changed(ctx, true)
}

// Toolbar buttons.

func (c *Timeline) zoomIn(ctx app.Context, e app.Event) {
	c.m.apply(cmdZoomIn, c.m.win.From.Add(c.m.win.Width()/2))
	c.changed(ctx, true)
}

func (c *Timeline) zoomOut(ctx app.Context, e app.Event) {
	c.m.apply(cmdZoomOut, c.m.win.From.Add(c.m.win.Width()/2))
	c.changed(ctx, true)
}

func (c *Timeline) resetWindow(ctx app.Context, e app.Event) {
	c.m.apply(cmdReset, time.Time{})
	c.changed(ctx, true)
}

// follow moves the window to the live edge, keeping its width; the window
// then moves with the edge as data arrives.
func (c *Timeline) follow(ctx app.Context, e app.Event) {
	c.m.apply(cmdEnd, time.Time{})
	c.changed(ctx, true)
}

// Pins panel actions; each reads the pin from the button's data-pin-id.

func pinIDOf(ctx app.Context) studio.EventID {
	return studio.EventID(ctx.JSSrc().Get("dataset").Get("pinId").String())
}

func (c *Timeline) removePin(ctx app.Context, e app.Event) {
	c.m.unpin(pinIDOf(ctx))
	c.changed(ctx, true)
}

func (c *Timeline) clearPins(ctx app.Context, e app.Event) {
	c.m.clearPins()
	c.changed(ctx, true)
}

// jumpToPin centres the window on the pin and focuses its marker.
func (c *Timeline) jumpToPin(ctx app.Context, e app.Event) {
	ev, ok := c.byID[pinIDOf(ctx)]
	if !ok {
		ctx.PreventUpdate()
		return
	}
	c.m.centerOn(ev.Time)
	c.changed(ctx, true)
	c.focusEvent(ctx, ev)
}

// toggleCompared adds the pin to the comparison or removes it.
func (c *Timeline) toggleCompared(ctx app.Context, e app.Event) {
	id := pinIDOf(ctx)
	c.m.setCompared(id, ctx.JSSrc().Get("checked").Bool())
	c.changed(ctx, true)
}

// setDuration sets the compare window length from the select.
func (c *Timeline) setDuration(ctx app.Context, e app.Event) {
	d, err := time.ParseDuration(ctx.JSSrc().Get("value").String())
	if err != nil || d <= 0 {
		return
	}
	c.m.dur = d
	c.changed(ctx, true)
}
