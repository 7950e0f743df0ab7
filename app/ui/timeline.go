package ui

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"time"

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
	// Default is the window shown when the URL names none; the zero Span
	// shows the whole span.
	Default timeline.Span
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
	ovDone bool // the overview was drawn once
	thr    frameThrottle
	// needFull asks the next paint to rewrite the lanes; laneDOM keeps
	// each lane's elements for fast paints.
	needFull bool
	laneDOM  []*tlLaneDOM
	lastK    float64   // px per ns of the last paint
	anchor   time.Time // where a pan's marks start
	zoomTurn bool      // a zooming drag draws the lanes on this frame
	trackPan []tlTrackPan
	hover    bool
	hoverX   float64
	nearID   studio.EventID
	reads    []timeline.Reading
	drag     tlDrag

	livePaint   time.Time // last repaint for new data
	livePending bool
	evs         []studio.Event // the Events the lanes were built from
	evGen       int            // counts the changes of evs

	urlAt      time.Time // last URL write
	urlPending bool
	settleGen  int
	detailKey  string
}

// tlTrackPan is where a track's last wide drawing (see tlScene.TrackWide)
// was made: at window start origin and zoom k (px per ns), covering cover.
type tlTrackPan struct {
	valid  bool
	origin time.Time
	k      float64
	cover  timeline.Span
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
	c.dom.reset()
	c.ovKey, c.ovDone = "", false
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
	c.sync()
	if c.livePending || c.drag.on {
		// A drag repaints every frame anyway, and its end fully.
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
		c.evGen++
		c.bufs.marks = nil // marks name events by id: start afresh
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
		if !c.Default.From.IsZero() && c.Default.To.After(c.Default.From) {
			c.m.setWindow(c.m.win.Select(c.Default.From, c.Default.To))
		}
		c.ready = true
	} else {
		c.m.setSpan(c.Span)
	}
	c.built = c.Version
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
	// Not slices.Sort: that is the only []int64-shaped sort in the wasm
	// client (~12 KB); equal durations are indistinguishable anyway.
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
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
	pan := sc.Fast && sc.Pan
	// A pan keeps one anchor for its marks until the window leaves the
	// four window widths they cover (see tlScene.Anchor); a new anchor
	// puts the window in the middle of them.
	reanchor := false
	if w := c.m.win; !pan || c.anchor.After(w.From) || w.To.After(c.anchor.Add(4*w.Width())) {
		c.anchor = w.From.Add(-w.Width() * 3 / 2)
		reanchor = pan
	}
	sc.Anchor = c.anchor
	sc.StateKey = strconv.Itoa(c.evGen) + "|" + joinEventIDs(c.m.pins) + "|" + joinEventIDs(c.m.sel) + "|" + string(c.m.focus)
	for len(c.trackPan) < len(c.tracks) {
		c.trackPan = append(c.trackPan, tlTrackPan{})
	}
	sc.TrackWide = pan
	sc.Reuse = make([]bool, len(c.tracks))
	for i := range c.tracks {
		// A wide drawing is reused while it covers the window. It is
		// redrawn early, once the window is within a third of a width of
		// its edge, but not on a frame that re-anchored the lanes: the
		// two heavy jobs land on different frames.
		tp := c.trackPan[i]
		w := c.m.win
		inside := !w.From.Before(tp.cover.From) && !w.To.After(tp.cover.To)
		margin := w.Width() / 3
		comfy := !w.From.Add(-margin).Before(tp.cover.From) && !w.To.Add(margin).After(tp.cover.To)
		sc.Reuse[i] = pan && tp.valid && tp.k == k && i < len(c.frame.Tracks) && inside && (comfy || reanchor)
	}
	// A drag that zooms changes every marker and every track each frame:
	// it draws the lanes on one frame and the tracks and the axis on the
	// next, so each frame does half the work (the two halves are one
	// frame apart while the drag lasts; its end draws everything).
	doLanes, doTracks := true, true
	if fast && !sc.Pan {
		c.zoomTurn = !c.zoomTurn
		doLanes, doTracks = c.zoomTurn, !c.zoomTurn
	}
	sc.SkipLanes, sc.SkipTracks = !doLanes, !doTracks
	prev := c.frame
	c.frame = paintFrame(&sc, &c.bufs)
	if !doLanes {
		c.frame.Marks, c.frame.LaneARIA = prev.Marks, prev.LaneARIA
	}
	for i := range c.frame.Tracks {
		if c.frame.Tracks[i].Reused {
			c.frame.Tracks[i] = prev.Tracks[i]
		}
	}
	f := &c.frame
	d := &c.dom
	for len(c.laneDOM) < len(c.lanes) {
		c.laneDOM = append(c.laneDOM, &tlLaneDOM{})
	}
	// Rewriting a lane replaces its elements; the keyboard focus follows
	// the focused marker to its new element.
	var active app.Value
	lanes := d.el(c.id("lanes"))
	if lanes != nil {
		if a := app.Window().Get("document").Get("activeElement"); a.Truthy() && lanes.Call("contains", a).Bool() {
			active = a
		}
	}
	defer func() {
		if active == nil || active.Get("isConnected").Bool() {
			return
		}
		id := eventIDOf(active)
		if id == "" {
			return
		}
		if el := lanes.Call("querySelector", `[data-event-id="`+cssString(id)+`"]`); el.Truthy() {
			opts := app.Window().Get("Object").New()
			opts.Set("preventScroll", true)
			el.Call("focus", opts)
		}
	}()
	for i := range c.lanes {
		if !doLanes || i >= len(f.Marks) {
			break
		}
		if el := d.el(c.id("marks-" + strconv.Itoa(i))); el != nil {
			c.laneDOM[i].paint(el, f.Marks[i], c.m.win.From, k, fast)
		}
		d.set(c.id("lane-"+strconv.Itoa(i)), "aria-label", f.LaneARIA[i])
	}
	if doTracks {
		d.set(c.id("axis"), "html", f.Axis)
		d.set(c.id("grid"), "html", f.Grid)
	}
	d.set(c.id("pins"), "html", f.PinLines)
	d.set(c.id("shade"), "html", f.Shade)
	d.set(c.id("range"), "text", f.Range)
	if doTracks {
		c.paintTracks(sc.Reuse, pan, fast, k)
	}
	c.paintOverviewStrip(fast)
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

// paintTracks writes the metric tracks of the last frame: a reused wide
// drawing is only moved (see tlScene.Reuse).
func (c *Timeline) paintTracks(reuse []bool, pan, fast bool, k float64) {
	d := &c.dom
	vb := "0 0 " + strconv.FormatFloat(math.Round(c.width), 'f', -1, 64) + " "
	for i, t := range c.frame.Tracks {
		n := strconv.Itoa(i)
		tp := &c.trackPan[i]
		if reuse[i] {
			shift := float64(c.m.win.From.Sub(tp.origin)) * k
			d.set(c.id("tsvg-"+n), "style:transform", "translateX("+tlPx(-shift)+")")
			continue
		}
		if pan {
			*tp = tlTrackPan{valid: true, origin: c.m.win.From, k: k, cover: t.Cover}
		} else {
			tp.valid = false
		}
		d.set(c.id("tsvg-"+n), "style:transform", "none")
		d.set(c.id("tsvg-"+n), "viewBox", vb+strconv.FormatFloat(tlTrackH, 'f', -1, 64))
		d.set(c.id("tline-"+n), "d", t.Line)
		d.set(c.id("tarea-"+n), "d", t.Area)
		d.set(c.id("thi-"+n), "text", t.Hi)
		d.set(c.id("tlo-"+n), "text", t.Lo)
		if !c.hover && !fast {
			d.set(c.id("tval-"+n), "text", lastValueText(t, c.tracks[i]))
		}
	}
}

// paintOverviewStrip redraws the overview strip when the data, the span or
// the width changed.
func (c *Timeline) paintOverviewStrip(fast bool) {
	d := &c.dom
	vb := "0 0 " + strconv.FormatFloat(math.Round(c.width), 'f', -1, 64) + " "
	key := strconv.FormatUint(c.built, 10) + "|" + strconv.FormatFloat(c.width, 'f', 1, 64) + "|" +
		c.m.win.Min.String() + "|" + c.m.win.Max.String()
	// A drag leaves it for its full paint: with thousands of events it
	// costs more than the rest of a frame, and live data keeps changing it.
	if key != c.ovKey && (!fast || !c.ovDone) {
		c.ovDone = true
		c.ovKey = key
		c.ov = paintOverview(c.m.win, c.width, c.lanes, c.tracks)
		d.set(c.id("ovsvg"), "viewBox", vb+strconv.FormatFloat(tlOverviewH, 'f', -1, 64))
		d.set(c.id("ovbars"), "d", c.ov.Bars)
		d.set(c.id("ovalerts"), "d", c.ov.Alerts)
		d.set(c.id("ovspark"), "d", c.ov.Spark)
	}
}

// lastValueText is a track's label value when the pointer is elsewhere:
// the last value in the window.
func lastValueText(t tlTrackFrame, tr tlTrack) string {
	if len(t.Pts) == 0 {
		return "—"
	}
	return fmtMetric(t.Pts[len(t.Pts)-1].Value, tr.Unit, 4)
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
		for i := range c.tracks {
			d.set(c.id("tdot-"+strconv.Itoa(i)), "style:display", "none")
			if i < len(c.frame.Tracks) {
				d.set(c.id("tval-"+strconv.Itoa(i)), "text", lastValueText(c.frame.Tracks[i], c.tracks[i]))
			}
		}
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
		d.set(c.id("tval-"+k), "text", fmtMetric(r.Point.Value, r.Unit, 4))
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
	// sort.Slice runs the same pdqsort as slices.SortFunc (same order for
	// equal times) without a ~20 KB instantiation over studio.Event.
	sort.Slice(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
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
	if c.Source == nil || !hasPoints(c.Tracks) || c.width <= 0 || w.Width() >= w.Span()*2/3 {
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
