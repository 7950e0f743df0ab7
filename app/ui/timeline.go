package ui

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/viz"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Timeline is the Time Warp Timeline: event lanes (deploys, checkpoints,
// alerts, log spikes, commits) over a span, an overview strip with a brush
// that sets the detail window, metric tracks under the lanes, a hover
// crosshair, pins and the comparison of pinned moments. The run page's
// timeline tab and the deployment page both use it.
//
// Rendering is split in two. go-app renders the frame (toolbar, lane
// labels, the pins panel, the compare panel), which changes only on
// clicks. The painter (paintFrame, written by tlDOM) draws everything that
// follows the window or the pointer: markers, axis, track lines, brush,
// crosshair. A drag or a hover therefore repaints once per animation frame
// without a go-app render (handlers call ctx.PreventUpdate).
//
// The window, the pins, the compared pins and the compare length live in
// the page URL (?from=&to=&pins=&cmp=&d=), so a copied link opens the
// same view.
type Timeline struct {
	app.Compo

	// ID is unique on the page ("run-0042"); DOM ids derive from it.
	ID string
	// Label is the accessible name of the timeline.
	Label string
	// Events are the timeline's events, in any order.
	Events []studio.Event
	// Tracks are the metric tracks drawn under the lanes, in order; their
	// points must be sorted by time.
	Tracks []studio.Series
	// Version must change whenever Events, Tracks or Span change.
	Version uint64
	// Span is the whole time range the overview shows.
	Span timeline.Span
	// Live says the span grows (a running run): the toolbar offers to
	// follow the live edge.
	Live bool
	// Report is the path of the PDF report of a window
	// ("/api/runs/run-0042/report.pdf"); the export link adds the window
	// and the pins.
	Report string
	// Source fetches finer series (and log lines) for zoomed windows and
	// comparisons; nil means the tracks are all there is.
	Source CompareSource

	ctx    app.Context
	ready  bool   // the model was initialised from the span and the URL
	built  uint64 // Version the derived data below comes from
	m      timelineModel
	lanes  []timeline.LaneEvents
	ix     *timeline.Index
	byID   map[studio.EventID]studio.Event
	tracks []tlTrack
	sample time.Duration // median spacing of the first track's points

	bufs   tlBufs
	dom    tlDOM
	frame  tlFrame
	width  float64 // of the plot column, in px; 0 before measuring
	ov     tlOverview
	ovKey  string
	thr    frameThrottle
	// needFull asks the next paint to rewrite the lanes; laneDOM keeps
	// each lane's elements for fast paints.
	needFull bool
	laneDOM  []*tlLaneDOM
	lastK    float64 // px per ns of the last paint
	hover  bool
	hoverX float64
	nearID studio.EventID
	reads  []timeline.Reading
	drag   tlDrag

	livePaint   time.Time // last repaint for new data
	livePending bool
	evs         []studio.Event // the Events the lanes were built from

	urlAt      time.Time // last URL write
	urlPending bool
	settleGen  int
	detailKey  string
}

// tlDrag is a pointer drag in progress on the overview or the detail view.
type tlDrag struct {
	on    bool
	mode  string // "draw", "move", "left", "right" (overview), "pan" (detail)
	id    int    // pointerId
	x0    float64
	win   timeline.Window
	moved bool
}

// dom id of a part of this timeline.
func (c *Timeline) id(part string) string { return "tl-" + c.ID + "-" + part }

// OnInit derives the lanes and the model before the first render.
func (c *Timeline) OnInit() { c.sync() }

// OnMount reads the view from the URL and paints.
func (c *Timeline) OnMount(ctx app.Context) {
	c.ctx = ctx
	c.dom.reset()
	c.sync()
	c.applyURL(ctx.Page().URL())
	c.measure()
	c.schedulePaint(ctx)
	c.scheduleSettle(ctx)
}

// OnNav follows a navigation to this page with another view in its URL
// (back and forward, a pasted link).
func (c *Timeline) OnNav(ctx app.Context) {
	if !c.ready || app.IsServer {
		return
	}
	c.applyURL(ctx.Page().URL())
	c.schedulePaint(ctx)
}

// OnUpdate follows new data: the lanes are rebuilt and the window kept
// (or moved with the live edge when it follows it). Live data arrives
// several times a second; it is drawn at most every liveRepaint, so a
// stream never competes with a drag or a hover for frames.
func (c *Timeline) OnUpdate(ctx app.Context) {
	c.ctx = ctx
	c.sync()
	if c.livePending {
		return
	}
	if wait := liveRepaint - time.Since(c.livePaint); wait > 0 && !c.livePaint.IsZero() {
		c.livePending = true
		ctx.After(wait, func(ctx app.Context) {
			ctx.PreventUpdate()
			c.livePending = false
			c.livePaint = time.Now()
			c.schedulePaint(ctx)
		})
		return
	}
	c.livePaint = time.Now()
	c.schedulePaint(ctx)
}

// liveRepaint is the shortest time between two repaints caused by new
// data.
const liveRepaint = 500 * time.Millisecond

// OnResize repaints at the new width.
func (c *Timeline) OnResize(ctx app.Context) {
	ctx.PreventUpdate()
	c.measure()
	c.schedulePaint(ctx)
}

// OnDismount releases the frame callback.
func (c *Timeline) OnDismount() {
	c.thr.Release()
	c.dom.reset()
	c.laneDOM = nil
}

// sync rebuilds what derives from the props when Version changed.
func (c *Timeline) sync() {
	if c.ready && c.built == c.Version {
		return
	}
	// Lanes and the index are rebuilt only when the events changed, not
	// for every new point of a live run.
	if !c.ready || !sameEvents(c.Events, c.evs) {
		c.evs = c.Events
		c.lanes = timeline.Group(c.Events)
		c.ix = timeline.NewIndex(c.Events)
		c.byID = make(map[studio.EventID]studio.Event, len(c.Events))
		for _, e := range c.Events {
			c.byID[e.ID] = e
		}
	}
	old := c.tracks
	c.tracks = make([]tlTrack, len(c.Tracks))
	for i, s := range c.Tracks {
		c.tracks[i] = tlTrack{Name: s.Name, Unit: s.Unit, Points: s.Points}
		if i < len(old) && old[i].Name == s.Name {
			c.tracks[i].Detail, c.tracks[i].DetailSpan = old[i].Detail, old[i].DetailSpan
		}
	}
	c.sample = 0
	if len(c.Tracks) > 0 {
		c.sample = medianSpacing(c.Tracks[0].Points)
	}
	if !c.ready {
		c.m = newTimelineModel(c.Span)
		c.ready = true
	} else {
		c.m.setSpan(c.Span)
	}
	c.built = c.Version
	c.ovKey = ""
}

// sameEvents reports whether a and b are the same slice: the run tab
// passes a new slice whenever the events change.
func sameEvents(a, b []studio.Event) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0] && &a[len(a)-1] == &b[len(b)-1])
}

// medianSpacing returns the median time between consecutive points, 0 for
// fewer than two.
func medianSpacing(pts []studio.Point) time.Duration {
	if len(pts) < 2 {
		return 0
	}
	n := min(len(pts)-1, 512)
	step := max(1, (len(pts)-1)/n)
	var ds []time.Duration
	for i := step; i < len(pts); i += step {
		ds = append(ds, pts[i].Time.Sub(pts[i-step].Time)/time.Duration(step))
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// applyURL restores the window, pins and comparison from u.
func (c *Timeline) applyURL(u *url.URL) {
	if u == nil {
		return
	}
	c.m.applyQuery(parseTimelineQuery(u.Query()))
}

// writeURL puts the view into the page URL with history.replaceState. While
// a drag runs it writes at most every 400 ms (browsers throttle frequent
// replaceState calls, and each costs a few ms); the last state is always
// written.
func (c *Timeline) writeURL(ctx app.Context, now bool) {
	if app.IsServer {
		return
	}
	const every = 400 * time.Millisecond
	if !now && time.Since(c.urlAt) < every {
		if !c.urlPending {
			c.urlPending = true
			ctx.After(every, func(ctx app.Context) {
				ctx.PreventUpdate()
				c.urlPending = false
				c.writeURL(ctx, true)
			})
		}
		return
	}
	c.urlAt = time.Now()
	u := ctx.Page().URL()
	q := u.Query()
	c.m.query().encode(q)
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(u)
}

// measure reads the plot column's width.
func (c *Timeline) measure() {
	if el := c.dom.el(c.id("ov")); el != nil {
		if w := el.Get("clientWidth").Float(); w > 0 {
			c.width = w
		}
	}
}

// plotLeft returns the viewport x of the plot column's left edge.
func (c *Timeline) plotLeft() float64 {
	if el := c.dom.el(c.id("ov")); el != nil {
		return el.Call("getBoundingClientRect").Get("left").Float()
	}
	return 0
}

// schedulePaint repaints on the next animation frame, writing every
// lane's markup in time order.
func (c *Timeline) schedulePaint(ctx app.Context) {
	c.needFull = true
	c.thr.Schedule(ctx, c.paint)
}

// scheduleFastPaint repaints on the next animation frame for a continuous
// gesture (a drag, a wheel): lane markers are moved rather than rewritten.
// The gesture's end asks for a full paint.
func (c *Timeline) scheduleFastPaint(ctx app.Context) {
	c.thr.Schedule(ctx, c.paint)
}

// paint draws the detail view, the overview and, when the pointer is over
// the detail view, the crosshair.
func (c *Timeline) paint(ctx app.Context) {
	if !app.IsClient {
		return
	}
	if c.width <= 0 {
		c.measure()
		if c.width <= 0 {
			return
		}
	}
	fast := !c.needFull
	c.needFull = false
	sc := c.scene()
	k := c.width / float64(c.m.win.Width())
	sc.Fast, sc.Pan = fast, k == c.lastK
	c.lastK = k
	c.frame = paintFrame(&sc, &c.bufs)
	f := &c.frame
	d := &c.dom
	for len(c.laneDOM) < len(c.lanes) {
		c.laneDOM = append(c.laneDOM, &tlLaneDOM{})
	}
	for i := range c.lanes {
		if el := d.el(c.id("marks-" + strconv.Itoa(i))); el != nil {
			c.laneDOM[i].paint(el, f.Marks[i], c.m.win.From, k, fast)
		}
		d.set(c.id("lane-"+strconv.Itoa(i)), "aria-label", f.LaneARIA[i])
	}
	d.set(c.id("axis"), "html", f.Axis)
	d.set(c.id("grid"), "html", f.Grid)
	d.set(c.id("pins"), "html", f.PinLines)
	d.set(c.id("shade"), "html", f.Shade)
	d.set(c.id("range"), "text", f.Range)
	vb := "0 0 " + strconv.FormatFloat(math.Round(c.width), 'f', -1, 64) + " "
	for i, t := range f.Tracks {
		k := strconv.Itoa(i)
		d.set(c.id("tsvg-"+k), "viewBox", vb+strconv.FormatFloat(tlTrackH, 'f', -1, 64))
		d.set(c.id("tline-"+k), "d", t.Line)
		d.set(c.id("tarea-"+k), "d", t.Area)
		d.set(c.id("thi-"+k), "text", t.Hi)
		d.set(c.id("tlo-"+k), "text", t.Lo)
		if !c.hover {
			d.set(c.id("tval-"+k), "text", lastValueText(t, c.tracks[i]))
		}
	}
	// Overview: redrawn only when the data, the span or the width change.
	key := strconv.FormatUint(c.built, 10) + "|" + strconv.FormatFloat(c.width, 'f', 1, 64) + "|" +
		c.m.win.Min.String() + "|" + c.m.win.Max.String()
	if key != c.ovKey {
		c.ovKey = key
		c.ov = paintOverview(c.m.win, c.width, c.lanes, c.tracks)
		d.set(c.id("ovsvg"), "viewBox", vb+strconv.FormatFloat(tlOverviewH, 'f', -1, 64))
		d.set(c.id("ovbars"), "d", c.ov.Bars)
		d.set(c.id("ovalerts"), "d", c.ov.Alerts)
		d.set(c.id("ovspark"), "d", c.ov.Spark)
	}
	d.set(c.id("ovpins"), "html", f.OverviewPins)
	d.set(c.id("brush"), "style:left", tlPx(f.BrushX))
	d.set(c.id("brush"), "style:width", tlPx(f.BrushW))
	d.set(c.id("diml"), "style:width", tlPx(f.BrushX))
	d.set(c.id("dimr"), "style:width", tlPx(max(0, c.width-f.BrushX-f.BrushW)))
	if !fast {
		// What only the end of a gesture needs: the accessible value,
		// the export link and the test hooks.
		d.set(c.id("brush"), "aria-valuetext", f.Range)
		d.set(c.id("brush"), "aria-valuenow", strconv.FormatInt(c.m.win.From.Unix(), 10))
		d.set(c.id("export"), "href", c.reportHref())
		d.set(c.id("root"), "data-from", c.m.win.From.UTC().Format(time.RFC3339Nano))
		d.set(c.id("root"), "data-to", c.m.win.To.UTC().Format(time.RFC3339Nano))
		d.set(c.id("root"), "data-span-from", c.m.win.Min.UTC().Format(time.RFC3339Nano))
		d.set(c.id("root"), "data-span-to", c.m.win.Max.UTC().Format(time.RFC3339Nano))
		following := "false"
		if c.m.win.Following() {
			following = "true"
		}
		d.set(c.id("follow"), "aria-pressed", following)
	}
	if c.hover {
		c.paintHover(ctx)
	}
}

// lastValueText is a track's label value when the pointer is elsewhere:
// the last value in the window.
func lastValueText(t tlTrackFrame, tr tlTrack) string {
	if len(t.Pts) == 0 {
		return "—"
	}
	return chart.NumberFormat{Unit: tr.Unit}.Format(t.Pts[len(t.Pts)-1].Value)
}

// scene gathers what a paint depends on.
func (c *Timeline) scene() tlScene {
	sc := tlScene{Win: c.m.win, W: c.width, Lanes: c.lanes, Tracks: c.tracks, Model: &c.m, ByID: c.byID}
	if pins := c.comparedEvents(); len(pins) > 0 {
		sc.Before, sc.After, sc.HasCompare = compareSpans(pins, c.compareDuration())
	}
	return sc
}

// paintHover draws the crosshair, the readout, the nearest event's
// highlight and the tracks' values at the pointer.
func (c *Timeline) paintHover(ctx app.Context) {
	d := &c.dom
	if !c.hover || c.width <= 0 {
		d.set(c.id("cross"), "style:display", "none")
		d.set(c.id("readout"), "style:display", "none")
		c.highlight("")
		return
	}
	h := hoverAt(c.hoverX, c.m.win, c.width, c.ix, c.tracks, c.reads)
	c.reads = h.Readings
	d.set(c.id("cross"), "style:display", "block")
	d.set(c.id("cross"), "style:transform", "translateX("+tlPx(h.X)+")")
	d.set(c.id("readout"), "style:display", "block")
	d.set(c.id("readout"), "html", readoutHTML(h, c.m.win.Width(), c.m.pinLetter(h.Near.ID)))
	// Keep the card beside the pointer, flipped left near the right edge.
	left := h.X + 14
	if left+260 > c.width {
		left = max(0, h.X-14-260)
	}
	d.set(c.id("readout"), "style:transform", "translateX("+tlPx(left)+")")
	d.set(c.id("readout"), "data-time", h.T.UTC().Format(time.RFC3339Nano))
	near := ""
	if h.HasNear {
		near = string(h.Near.ID)
	}
	d.set(c.id("readout"), "data-event-id", near)
	for i, r := range h.Readings {
		k := strconv.Itoa(i)
		if !r.OK || i >= len(c.frame.Tracks) || c.frame.Tracks[i].Empty {
			d.set(c.id("tdot-"+k), "style:display", "none")
			d.set(c.id("tval-"+k), "text", "—")
			continue
		}
		y := c.frame.Tracks[i].Y.Map(r.Point.Value)
		x := c.m.win.X(r.Point.Time, c.width)
		d.set(c.id("tdot-"+k), "style:display", "block")
		d.set(c.id("tdot-"+k), "style:transform", "translate("+tlPx(x)+","+tlPx(y)+")")
		d.set(c.id("tval-"+k), "text", chart.NumberFormat{Unit: r.Unit}.Format(r.Point.Value))
	}
	c.highlight(studio.EventID(near))
}

// highlight marks the marker of event id (or the badge holding it) as the
// one nearest the pointer.
func (c *Timeline) highlight(id studio.EventID) {
	if id == c.nearID {
		return
	}
	root := c.dom.el(c.id("lanes"))
	if root == nil {
		return
	}
	if c.nearID != "" {
		if el := root.Call("querySelector", ".near"); el.Truthy() {
			el.Get("classList").Call("remove", "near")
		}
	}
	c.nearID = id
	if id == "" {
		return
	}
	if el := root.Call("querySelector", `[data-event-id="`+cssString(string(id))+`"]`); el.Truthy() {
		el.Get("classList").Call("add", "near")
		return
	}
	// The event is inside a count badge: light the badge of its lane.
	e, ok := c.byID[id]
	if !ok {
		return
	}
	lane := c.laneIndex(e.Lane)
	if lane < 0 {
		return
	}
	for _, mk := range timeline.Marks(c.lanes[lane].Events, c.m.win, c.width, tlMinGap) {
		if mk.Single() || e.Time.Before(mk.From) || e.Time.After(mk.To) {
			continue
		}
		sel := `#` + c.id("lane-"+strconv.Itoa(lane)) + ` [data-from="` + strconv.FormatInt(mk.From.UnixNano(), 10) + `"]`
		if el := root.Call("querySelector", sel); el.Truthy() {
			el.Get("classList").Call("add", "near")
		}
		return
	}
}

// cssString escapes s for a double-quoted CSS string.
func cssString(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// laneIndex returns the index of lane l in c.lanes, -1 when absent.
func (c *Timeline) laneIndex(l studio.Lane) int {
	for i, x := range c.lanes {
		if x.Lane == l {
			return i
		}
	}
	return -1
}

// reportHref is the export link: the report of the window with the pins.
func (c *Timeline) reportHref() string {
	if c.Report == "" {
		return ""
	}
	q := url.Values{}
	q.Set("from", c.m.win.From.UTC().Format(time.RFC3339Nano))
	q.Set("to", c.m.win.To.UTC().Format(time.RFC3339Nano))
	if len(c.m.pins) > 0 {
		q.Set("pins", joinEventIDs(c.m.pins))
	}
	return c.Report + "?" + q.Encode()
}

// comparedEvents returns the compared pins that are known events, in time
// order.
func (c *Timeline) comparedEvents() []studio.Event {
	var out []studio.Event
	for _, id := range c.m.sel {
		if e, ok := c.byID[id]; ok {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b studio.Event) int { return a.Time.Compare(b.Time) })
	return out
}

// compareDuration is the compare window length: the user's choice or the
// default for the span.
func (c *Timeline) compareDuration() time.Duration {
	if c.m.dur > 0 {
		return c.m.dur
	}
	return defaultCompareDuration(c.m.win.Span(), c.sample)
}

// changed repaints and writes the URL after a window change; final says
// the change is complete (a drag ended), so the URL is written at once
// and finer track data may be fetched.
func (c *Timeline) changed(ctx app.Context, final bool) {
	if final {
		c.schedulePaint(ctx)
	} else {
		c.scheduleFastPaint(ctx)
	}
	c.writeURL(ctx, final)
	if final {
		c.scheduleSettle(ctx)
	}
}

// scheduleSettle fetches finer track points for the window once it has
// stayed put for a moment, when the overview points are too sparse to
// draw it well.
func (c *Timeline) scheduleSettle(ctx app.Context) {
	if app.IsServer {
		return
	}
	c.settleGen++
	gen := c.settleGen
	ctx.After(300*time.Millisecond, func(ctx app.Context) {
		ctx.PreventUpdate()
		if gen != c.settleGen {
			return
		}
		c.schedulePaint(ctx) // the lanes back in time order
		c.fetchDetail(ctx)
	})
}

// fetchDetail loads the tracks over the window (and half a window on each
// side) at about two points per pixel.
func (c *Timeline) fetchDetail(ctx app.Context) {
	w := c.m.win
	if c.Source == nil || len(c.Tracks) == 0 || c.width <= 0 || w.Width() >= w.Span()*2/3 {
		return
	}
	sparse := false
	lo, hi := chart.Seconds(w.From), chart.Seconds(w.To)
	for _, t := range c.tracks {
		if len(t.Detail) > 0 && !w.From.Before(t.DetailSpan.From) && !w.To.After(t.DetailSpan.To) {
			continue
		}
		i, j := chart.VisibleRange(t.Points, chart.ByTime, lo, hi)
		if j-i < int(c.width/3) {
			sparse = true
		}
	}
	if !sparse {
		return
	}
	span := timeline.Span{From: w.From.Add(-w.Width() / 2), To: w.To.Add(w.Width() / 2)}
	key := span.From.String() + span.To.String()
	if key == c.detailKey {
		return
	}
	c.detailKey = key
	src := c.Source
	tracks := c.Tracks
	maxPoints := int(min(tlMaxDetailPoints, max(100, 2*c.width*2)))
	ctx.Async(func() {
		series, _, err := src.Series(ctx, tracks, []timeline.Span{span}, maxPoints)
		if err != nil {
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			ctx.PreventUpdate()
			if key != c.detailKey {
				return
			}
			for i := range c.tracks {
				for _, s := range series {
					if s.Name == c.tracks[i].Name {
						c.tracks[i].Detail, c.tracks[i].DetailSpan = s.Points, span
					}
				}
			}
			c.schedulePaint(ctx)
		})
	})
}

// tlMaxDetailPoints bounds the points per series of a finer track request.
const tlMaxDetailPoints = 4000

// ---------------------------------------------------------------- events

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
	if t := e.Get("target"); t.Truthy() && !t.Get("closest").IsUndefined() && t.Call("closest", "button, a, input, select").Truthy() {
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
	if !c.drag.on || c.drag.mode == "pan" {
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

// ---------------------------------------------------------------- render

// Render draws the frame the painter fills.
func (c *Timeline) Render() app.UI {
	c.dom.invalidate()
	c.sync()
	label := c.Label
	if label == "" {
		label = "Timeline"
	}
	return app.Section().
		ID(c.id("root")).
		Class("tl").
		TabIndex(-1).
		DataSet("testid", "timeline").
		Aria("label", label).
		OnKeyDown(c.onKey).
		Body(
			c.renderToolbar(),
			app.Div().Class("tl-body").Body(
				app.Div().Class("tl-main").Body(
					c.renderOverview(),
					app.Div().Class("tl-row tl-axisrow").Aria("hidden", true).Body(
						app.Div().Class("tl-label"),
						app.Div().ID(c.id("axis")).Class("tl-axis"),
					),
					c.renderDetail(),
					app.P().Class("tl-hint").Body(
						app.Kbd().Text("←"), app.Kbd().Text("→"), app.Text(" pan · "),
						app.Kbd().Text("+"), app.Kbd().Text("−"), app.Text(" zoom · "),
						app.Kbd().Text("j"), app.Kbd().Text("k"), app.Text(" next/previous event · "),
						app.Kbd().Text("p"), app.Text(" pin · "),
						app.Kbd().Text("Esc"), app.Text(" clear hover · drag the overview to choose a window, Ctrl+wheel to zoom"),
					),
				),
				c.renderPins(),
			),
			c.renderCompare(),
		)
}

func (c *Timeline) renderToolbar() app.UI {
	reportName := c.ID + "-timeline-report.pdf"
	return app.Div().Class("tl-toolbar").Body(
		app.Div().Class("tl-range-wrap").Body(
			app.Span().Class("tl-range-label").Text("Window"),
			app.Span().ID(c.id("range")).Class("tl-range num"),
		),
		app.Div().Class("tl-tools").Body(
			app.Button().Type("button").Class("btn btn-sm btn-icon").Aria("label", "Zoom out").Title("Zoom out (−)").OnClick(c.zoomOut).Text("−"),
			app.Button().Type("button").Class("btn btn-sm btn-icon").Aria("label", "Zoom in").Title("Zoom in (+)").OnClick(c.zoomIn).Text("+"),
			app.Button().Type("button").Class("btn btn-sm").DataSet("action", "reset-window").Title("Show the whole span (0)").OnClick(c.resetWindow).Text("All"),
			app.If(c.Live, func() app.UI {
				return app.Button().ID(c.id("follow")).Type("button").Class("btn btn-sm tl-follow").
					DataSet("action", "follow").Title("Keep the window at the live edge (End)").
					OnClick(c.follow).Body(app.Span().Class("tl-live-dot").Aria("hidden", true), app.Text("Live"))
			}),
			app.If(c.Report != "", func() app.UI {
				return app.A().ID(c.id("export")).Class("btn btn-sm").
					DataSet("testid", "export-report").
					Attr("download", reportName).
					Title("Download a PDF report of this window with its pins").
					Text("Export report")
			}),
		),
	)
}

func (c *Timeline) renderOverview() app.UI {
	return app.Div().Class("tl-row tl-ovrow").Body(
		app.Div().Class("tl-label tl-ov-label").Text("Overview"),
		app.Div().
			ID(c.id("ov")).
			Class("tl-overview").
			On("pointerdown", c.onOverviewDown).
			On("pointermove", c.onOverviewMove).
			On("pointerup", c.onOverviewUp).
			On("pointercancel", c.onOverviewUp).
			OnWheel(c.onOverviewWheel).
			OnDblClick(c.onOverviewDblClick).
			Body(
				viz.El("svg").ID(c.id("ovsvg")).Class("tl-ov-svg").Attr("preserveAspectRatio", "none").Aria("hidden", true).Body(
					viz.El("path").ID(c.id("ovbars")).Class("tl-ov-bars"),
					viz.El("path").ID(c.id("ovalerts")).Class("tl-ov-alerts"),
					viz.El("path").ID(c.id("ovspark")).Class("tl-ov-spark"),
				),
				app.Div().ID(c.id("ovpins")).Class("tl-ov-pins").Aria("hidden", true),
				app.Div().ID(c.id("diml")).Class("tl-dim tl-dim-l").Aria("hidden", true),
				app.Div().ID(c.id("dimr")).Class("tl-dim tl-dim-r").Aria("hidden", true),
				app.Div().
					ID(c.id("brush")).
					Class("tl-brush").
					DataSet("testid", "brush").
					Attr("role", "slider").
					TabIndex(0).
					Aria("label", "Visible window: drag to move, drag a handle to resize; arrow keys pan, + and − zoom").
					Aria("valuemin", c.m.win.Min.Unix()).
					Aria("valuemax", c.m.win.Max.Unix()).
					Body(
						app.Div().Class("tl-handle tl-handle-l").DataSet("handle", "l"),
						app.Div().Class("tl-handle tl-handle-r").DataSet("handle", "r"),
					),
			),
	)
}

func (c *Timeline) renderDetail() app.UI {
	return app.Div().
		ID(c.id("detail")).
		Class("tl-detail").
		On("pointerdown", c.onDetailDown).
		On("pointermove", c.onDetailMove).
		On("pointerup", c.onDetailUp).
		On("pointercancel", c.onDetailUp).
		On("pointerleave", c.onDetailLeave).
		OnWheel(c.onDetailWheel).
		Body(
			app.Div().Class("tl-layer").Aria("hidden", true).Body(
				app.Div().ID(c.id("grid")).Class("tl-grid"),
				app.Div().ID(c.id("shade")).Class("tl-shades"),
			),
			app.Div().
				ID(c.id("lanes")).
				Class("tl-lanes").
				Attr("role", "list").
				Aria("label", "Lanes").
				OnClick(c.onLanesClick).
				On("focusin", c.onFocusIn).
				Body(app.Range(c.lanes).Slice(func(i int) app.UI {
					l := c.lanes[i]
					return app.Div().Class("tl-row tl-lane").DataSet("lane", string(l.Lane)).Attr("role", "listitem").Body(
						app.Div().Class("tl-label").ID(c.id("lanelabel-"+strconv.Itoa(i))).Body(
							app.Span().Class("lane-dot", "lane-"+string(l.Lane)).Aria("hidden", true),
							app.Span().Class("tl-lane-name").Text(laneLabelPlural(l.Lane)),
							app.Span().Class("tl-count num").DataSet("testid", "lane-count").Text(format.Int(len(l.Events))),
						),
						app.Div().
							ID(c.id("lane-"+strconv.Itoa(i))).
							Class("tl-lane-track", "tl-lane-"+string(l.Lane)).
							Attr("role", "group").
							Body(app.Div().ID(c.id("marks-"+strconv.Itoa(i))).Class("tl-marks")),
					)
				})),
			app.Div().Class("tl-tracks").Body(app.Range(c.tracks).Slice(func(i int) app.UI {
				t := c.tracks[i]
				k := strconv.Itoa(i)
				return app.Div().Class("tl-row tl-track").DataSet("metric", t.Name).Body(
					app.Div().Class("tl-label").Body(
						app.Div().Class("tl-track-head").Body(
							app.Span().Class("tl-sw tl-c"+k).Aria("hidden", true),
							app.Span().Class("tl-track-name").Title(t.Name).Text(t.Name),
						),
						app.Span().ID(c.id("tval-"+k)).Class("tl-val num"),
					),
					app.Div().Class("tl-plot").Body(
						viz.El("svg").ID(c.id("tsvg-"+k)).Class("tl-track-svg", "tl-c"+k).Attr("preserveAspectRatio", "none").
							Attr("role", "img").Aria("label", t.Name+" over the window").Body(
							viz.El("path").ID(c.id("tarea-"+k)).Class("tl-area"),
							viz.El("path").ID(c.id("tline-"+k)).Class("tl-line"),
						),
						app.Div().ID(c.id("tdot-"+k)).Class("tl-dot", "tl-c"+k).Aria("hidden", true),
						app.Span().ID(c.id("thi-"+k)).Class("tl-yhi num").Aria("hidden", true),
						app.Span().ID(c.id("tlo-"+k)).Class("tl-ylo num").Aria("hidden", true),
					),
				)
			})),
			app.Div().Class("tl-layer tl-layer-top").Aria("hidden", true).Body(
				app.Div().ID(c.id("pins")).Class("tl-pinlines"),
				app.Div().ID(c.id("cross")).Class("tl-cross"),
				app.Div().ID(c.id("readout")).Class("tl-readout").DataSet("testid", "timeline-readout"),
			),
		)
}
