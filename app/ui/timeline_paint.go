package ui

import (
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// The timeline's geometry, in CSS pixels. The CSS (web/app.css, "Time Warp
// Timeline") uses the same numbers.
const (
	// tlMinGap is the closest two marks of a lane are drawn: events
	// nearer than this share one count badge.
	tlMinGap = 20.0
	// tlTrackH is the height of a metric track, tlTrackPad its inner
	// margin above and below the line.
	tlTrackH   = 56.0
	tlTrackPad = 6.0
	// tlOverviewH is the height of the overview strip.
	tlOverviewH = 40.0
)

// tlTrack is one metric track of the timeline.
type tlTrack struct {
	Name, Unit string
	// Points are the overview-resolution points, sorted by time.
	Points []studio.Point
	// Detail holds finer points over DetailSpan (nil when none was
	// fetched); they are drawn when the window lies inside DetailSpan.
	Detail     []studio.Point
	DetailSpan timeline.Span
}

// points returns the points to draw for window w.
func (t *tlTrack) points(w timeline.Window) []studio.Point {
	if len(t.Detail) > 0 && !w.From.Before(t.DetailSpan.From) && !w.To.After(t.DetailSpan.To) {
		return t.Detail
	}
	return t.Points
}

// tlScene is everything one paint of the detail view depends on.
type tlScene struct {
	Win    timeline.Window
	W      float64 // width of the detail view and the overview, > 0
	Lanes  []timeline.LaneEvents
	Tracks []tlTrack
	Model  *timelineModel
	// ByID finds pinned events.
	ByID map[studio.EventID]studio.Event
	// Before and After are the compared spans, shaded when HasCompare.
	Before, After timeline.Span
	HasCompare    bool
	// Fast lays marks out for a frame of a drag (see paintFrame); Pan
	// says the zoom is the one of the previous frame.
	Fast, Pan bool
	// Anchor is where a fast pan's marks start (see paintFrame); StateKey
	// changes with everything else the marks depend on (the events, the
	// pins, the focus), "" when unknown.
	Anchor   time.Time
	StateKey string
	// SkipLanes and SkipTracks leave the lanes or the tracks as they are
	// (a zooming drag draws them in turns, see Timeline.paint).
	SkipLanes, SkipTracks bool
	// TrackWide draws the tracks a window wider on each side; Reuse[i]
	// skips track i, whose last drawing still covers the window.
	TrackWide bool
	Reuse     []bool
}

// tlFrame is one paint of the detail view: markup and attributes for the
// elements the painter owns.
type tlFrame struct {
	Marks    [][]tlMarkOut // the marks of each lane, left to right
	LaneARIA []string      // aria-label of each lane's track
	Axis     string
	Grid     string
	PinLines string
	Shade    string
	Tracks   []tlTrackFrame
	// BrushX and BrushW place the brush on the overview.
	BrushX, BrushW float64
	OverviewPins   string
	Range          string
	// Tabbable is the event whose marker takes part in the Tab order (the
	// focused one, else the first visible one).
	Tabbable studio.EventID
}

// tlTrackFrame is one painted metric track.
type tlTrackFrame struct {
	Line, Area string
	Lo, Hi     string // y axis extent labels
	Y          chart.Linear
	// Pts are the points drawn (sorted by time), for the hover readout.
	Pts   []studio.Point
	Empty bool
	// Reused says the track was not drawn (see tlScene.Reuse); Cover is
	// the span a wide drawing covers.
	Reused bool
	Cover  timeline.Span
}

// tlBufs holds the buffers one painter reuses from frame to frame.
type tlBufs struct {
	// marks caches the markup of marks by key and state: a frame that
	// shows the same marks (new live points, a hover) builds none again.
	marks map[string]tlMarkOut
	// panKey, panMarks and panTab keep the marks of the current pan,
	// placed from its anchor.
	panKey   string
	panMarks [][]tlMarkOut
	panTab   studio.EventID
	b        []byte
	lanes    [][]timeline.Mark
	pts      []studio.Point
	xs       []float64
	ys       []float64
	ticks    []chart.Tick
}

// laneLabelPlural names a lane's events ("Checkpoints").
func laneLabelPlural(l studio.Lane) string {
	switch l {
	case studio.LaneDeploy:
		return "Deploys"
	case studio.LaneCheckpoint:
		return "Checkpoints"
	case studio.LaneAlert:
		return "Alerts"
	case studio.LaneLogSpike:
		return "Log spikes"
	case studio.LaneCommit:
		return "Commits"
	}
	return string(l)
}

// tlClock formats a time on the timeline: "15:04:05", with milliseconds
// when the window is narrower than a minute.
func tlClock(t time.Time, width time.Duration) string {
	if width < time.Minute {
		return t.UTC().Format("15:04:05.000")
	}
	return t.UTC().Format("15:04:05")
}

// tlRange describes a window: "Nov 20 02:00:00 – 03:00:00 UTC · 1h 00m".
func tlRange(w timeline.Window) string {
	width := w.Width()
	from := w.From.UTC()
	to := w.To.UTC()
	s := from.Format("Jan 2") + " " + tlClock(from, width) + " – "
	if to.YearDay() != from.YearDay() || to.Year() != from.Year() {
		s += to.Format("Jan 2") + " "
	}
	return s + tlClock(to, width) + " UTC · " + format.Duration(width)
}

// eventLabel is the accessible name of an event marker: title, lane,
// time, severity and pin.
func eventLabel(e studio.Event, letter string) string {
	s := e.Title + ", " + laneLabel(e.Lane) + " lane, " + e.Time.UTC().Format("Jan 2 15:04:05 UTC")
	if e.Severity != "" && e.Severity != studio.SeverityInfo {
		s += ", " + string(e.Severity)
	}
	if letter != "" {
		s += ", pinned " + letter
	}
	return s
}

// fmtMetric writes a metric value with its unit and digits significant
// digits: milliseconds of a second or more read as seconds ("2.699 s",
// not "2.699k ms"); other values use chart.NumberFormat ("1.2k req/s").
func fmtMetric(v float64, unit string, digits int) string {
	if unit == "ms" && math.Abs(v) >= 1000 {
		return chart.NumberFormat{Unit: "s", Digits: digits}.Format(v / 1000)
	}
	return chart.NumberFormat{Unit: unit, Digits: digits}.Format(v)
}

// compactCount writes n for a count badge: "7", "340", "1.2k", "12k".
func compactCount(n int) string {
	switch {
	case n < 1000:
		return strconv.Itoa(n)
	case n < 10000:
		return strconv.FormatFloat(math.Floor(float64(n)/100)/10, 'f', -1, 64) + "k"
	}
	return strconv.Itoa(n/1000) + "k"
}

func appendPx(b []byte, v float64) []byte {
	b = strconv.AppendFloat(b, math.Round(v*10)/10, 'f', -1, 64)
	return append(b, "px"...)
}

func appendAttr(b []byte, name, value string) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, `="`...)
	b = append(b, html.EscapeString(value)...)
	return append(b, '"')
}

// paintFrame lays out the detail view of sc. It is pure: the same scene
// always gives the same frame.
func paintFrame(sc *tlScene, bufs *tlBufs) tlFrame {
	w := sc.Win
	px := sc.W
	m := sc.Model
	f := tlFrame{
		Marks:    make([][]tlMarkOut, len(sc.Lanes)),
		LaneARIA: make([]string, len(sc.Lanes)),
		Tracks:   make([]tlTrackFrame, len(sc.Tracks)),
		Range:    tlRange(w),
	}

	if sc.SkipLanes {
		paintRest(sc, bufs, &f)
		return f
	}
	// Lanes: one marker per event, one count badge per cluster. The
	// focused event's marker is the one in the Tab order when it is
	// drawn on its own; otherwise the first single marker is.
	for len(bufs.lanes) < len(sc.Lanes) {
		bufs.lanes = append(bufs.lanes, nil)
	}
	// A fast paint while panning lays the marks out over a fixed stretch
	// of four window widths from an anchor before the window (Anchor, kept
	// by the caller for the whole pan): every frame of the pan computes
	// the very same marks, so they keep their keys and only the lane
	// wrappers move. The marks outside the window fall outside the lanes'
	// clip.
	mw, mpx, off := w, px, 0.0
	anchored := sc.Fast && sc.Pan && px > 0 && !sc.Anchor.IsZero() && !sc.Anchor.After(w.From) &&
		!w.To.After(sc.Anchor.Add(4*w.Width()))
	if anchored {
		mw.From, mw.To = sc.Anchor, sc.Anchor.Add(4*w.Width())
		mpx = 4 * px
		off = float64(w.From.Sub(mw.From)) * px / float64(w.Width())
		// The same anchor, zoom and state give the same marks: move the
		// last ones instead of laying them out again.
		key := sc.Anchor.String() + "|" + strconv.FormatFloat(mpx, 'g', -1, 64) + "|" + sc.StateKey
		if sc.StateKey != "" && key == bufs.panKey && len(bufs.panMarks) == len(sc.Lanes) {
			for i, lane := range sc.Lanes {
				out := make([]tlMarkOut, len(bufs.panMarks[i]))
				for j, o := range bufs.panMarks[i] {
					o.X -= off
					out[j] = o
				}
				f.Marks[i] = out
				lo := sort.Search(len(lane.Events), func(k int) bool { return !lane.Events[k].Time.Before(w.From) })
				hi := sort.Search(len(lane.Events), func(k int) bool { return lane.Events[k].Time.After(w.To) })
				f.LaneARIA[i] = laneLabelPlural(lane.Lane) + ": " + format.Count(len(lane.Events), "event") + ", " + strconv.Itoa(hi-lo) + " in view"
			}
			f.Tabbable = bufs.panTab
			paintRest(sc, bufs, &f)
			return f
		}
		defer func() {
			bufs.panKey, bufs.panTab = key, f.Tabbable
			bufs.panMarks = bufs.panMarks[:0]
			for _, lane := range f.Marks {
				abs := make([]tlMarkOut, len(lane))
				for j, o := range lane {
					o.X += off
					abs[j] = o
				}
				bufs.panMarks = append(bufs.panMarks, abs)
			}
		}()
	}
	// While a drag changes the zoom every frame no mark survives from one
	// frame to the next; drawing them three times as far apart cuts the
	// elements to create by as much. The counts still add up; the end of
	// the drag draws the marks at their usual spacing.
	gap := tlMinGap
	if sc.Fast && !sc.Pan {
		gap *= 3
	}
	for i, lane := range sc.Lanes {
		bufs.lanes[i] = timeline.AppendMarks(bufs.lanes[i][:0], lane.Events, mw, mpx, gap)
		if off != 0 {
			for j := range bufs.lanes[i] {
				bufs.lanes[i][j].X -= off
				bufs.lanes[i][j].X1 -= off
			}
		}
	}
	for i := range sc.Lanes {
		for _, mk := range bufs.lanes[i] {
			if !mk.Single() {
				continue
			}
			if f.Tabbable == "" {
				f.Tabbable = mk.ID
			}
			if m.focus != "" && mk.ID == m.focus {
				f.Tabbable = m.focus
			}
		}
	}
	for len(f.Marks) < len(sc.Lanes) {
		f.Marks = append(f.Marks, nil)
	}
	for i, lane := range sc.Lanes {
		inView := 0
		out := make([]tlMarkOut, 0, len(bufs.lanes[i]))
		for _, mk := range bufs.lanes[i] {
			if !sc.Fast {
				inView += mk.Count
			}
			out = append(out, bufs.mark(mk, lane, w, m, f.Tabbable, sc.Fast))
		}
		if sc.Fast {
			lo := sort.Search(len(lane.Events), func(k int) bool { return !lane.Events[k].Time.Before(w.From) })
			hi := sort.Search(len(lane.Events), func(k int) bool { return lane.Events[k].Time.After(w.To) })
			inView = hi - lo
		}
		f.Marks[i] = out
		f.LaneARIA[i] = laneLabelPlural(lane.Lane) + ": " + format.Count(len(lane.Events), "event") + ", " + strconv.Itoa(inView) + " in view"
	}
	paintRest(sc, bufs, &f)
	return f
}

// paintRest lays out everything of a frame but the lanes: axis, grid,
// pins, compared windows, tracks and brush.
func paintRest(sc *tlScene, bufs *tlBufs, f *tlFrame) {
	w := sc.Win
	px := sc.W
	m := sc.Model

	// Axis and grid.
	ts := chart.NewTime(w.From, w.To, 0, px)
	bufs.ticks = ts.AppendWallTicks(bufs.ticks[:0], max(2, int(px/120)))
	b := bufs.b[:0]
	g := make([]byte, 0, 64*len(bufs.ticks))
	for _, tk := range bufs.ticks {
		if tk.Pos < 24 || tk.Pos > px-24 { // a label cut by the edge reads wrong
			continue
		}
		b = append(b, `<span class="tl-tick" style="left:`...)
		b = appendPx(b, tk.Pos)
		b = append(b, `">`...)
		b = append(b, html.EscapeString(tk.Label)...)
		b = append(b, "</span>"...)
		g = append(g, `<i style="left:`...)
		g = appendPx(g, tk.Pos)
		g = append(g, `"></i>`...)
	}
	f.Axis = string(b)
	f.Grid = string(g)

	// Pins: a line through lanes and tracks for each pin in view.
	b = b[:0]
	ob := make([]byte, 0, 64*len(m.pins))
	for i, id := range m.pins {
		e, ok := sc.ByID[id]
		if !ok {
			continue
		}
		letter := string(rune('A' + i))
		cls := "tl-pinline"
		if m.compared(id) {
			cls += " compared"
		}
		if w.Contains(e.Time) {
			b = append(b, `<div class="`...)
			b = append(b, cls...)
			b = append(b, `" style="left:`...)
			b = appendPx(b, w.X(e.Time, px))
			b = append(b, `" aria-hidden="true"><span>`...)
			b = append(b, letter...)
			b = append(b, "</span></div>"...)
		}
		ob = append(ob, `<i class="`...)
		ob = append(ob, cls...)
		ob = append(ob, `" style="left:`...)
		ob = appendPx(ob, w.SpanX(e.Time, px))
		ob = append(ob, `">`...)
		ob = append(ob, letter...)
		ob = append(ob, "</i>"...)
	}
	f.PinLines = string(b)
	f.OverviewPins = string(ob)

	// Compared windows.
	b = b[:0]
	if sc.HasCompare {
		for _, s := range []struct {
			span  timeline.Span
			class string
			label string
		}{{sc.Before, "tl-shade-before", "before"}, {sc.After, "tl-shade-after", "after"}} {
			x0 := max(0, w.X(s.span.From, px))
			x1 := min(px, w.X(s.span.To, px))
			if x1 <= x0 {
				continue
			}
			b = append(b, `<div class="tl-shade `...)
			b = append(b, s.class...)
			b = append(b, `" style="left:`...)
			b = appendPx(b, x0)
			b = append(b, ";width:"...)
			b = appendPx(b, x1-x0)
			b = append(b, `">`...)
			if x1-x0 >= 56 { // a narrower shade has no room for its label
				b = append(b, "<span>"...)
				b = append(b, s.label...)
				b = append(b, "</span>"...)
			}
			b = append(b, "</div>"...)
		}
	}
	f.Shade = string(b)
	bufs.b = b

	// Metric tracks. While a drag pans, each track is drawn a window wider
	// on both sides (TrackWide) and then moved rather than redrawn
	// (Reuse) until the view leaves what it covers.
	lo, hi := chart.Seconds(w.From), chart.Seconds(w.To)
	wide := timeline.Window{From: w.From.Add(-w.Width()), To: w.To.Add(w.Width())}
	wts := chart.NewTime(wide.From, wide.To, -px, 2*px)
	for i := range sc.Tracks {
		switch {
		case sc.SkipTracks || i < len(sc.Reuse) && sc.Reuse[i]:
			f.Tracks[i] = tlTrackFrame{Reused: true}
		case sc.TrackWide:
			f.Tracks[i] = paintTrack(&sc.Tracks[i], wide, wts, 3*px, chart.Seconds(wide.From), chart.Seconds(wide.To), bufs, 1)
			f.Tracks[i].Cover = timeline.Span{From: wide.From, To: wide.To}
		case sc.Fast:
			// A zooming drag: half the points per pixel until it ends.
			f.Tracks[i] = paintTrack(&sc.Tracks[i], w, ts, px, lo, hi, bufs, 2)
		default:
			f.Tracks[i] = paintTrack(&sc.Tracks[i], w, ts, px, lo, hi, bufs, 1)
		}
	}

	// Brush.
	f.BrushX = w.SpanX(w.From, px)
	f.BrushW = max(w.SpanX(w.To, px)-f.BrushX, 2)
}

// tlMarkOut is one mark of a lane as the painter draws it: a marker for a
// single event, a count badge for a cluster. Both are spans with the
// button role rather than <button>s: styling hundreds of buttons (their
// user-agent rules) each frame of a drag was measurably slower, and the
// timeline handles Enter and Space itself.
type tlMarkOut struct {
	// Key identifies the mark from frame to frame ("e:<id>" for an event,
	// "c:<first id>:<count>" for a badge), so a drag moves the elements
	// it drew before instead of creating new ones.
	Key string
	// X is the mark's left edge in px (a marker's centre), W a badge's
	// width (0 for a marker).
	X, W float64
	// Open is the element's opening tag without its position, and Body
	// its content and closing tag: the mark's look, compared from frame
	// to frame.
	Open, Body string
}

// style returns the mark's position, shift px to the right, as an inline
// style.
func (o tlMarkOut) style(shift float64) string {
	// The translate property, not transform: it applies before the
	// marker's own rotate (the alert diamonds), in the lane's axes.
	s := "translate:" + tlPx(o.X+shift) + " 0"
	if o.W > 0 {
		s += ";width:" + tlPx(o.W)
	}
	return s
}

// html returns the mark's element, shift px to the right.
func (o tlMarkOut) html(shift float64) string {
	return o.Open[:len(o.Open)-1] + ` style="` + o.style(shift) + `">` + o.Body
}

// laneHTML returns the markup of a lane's marks, in time order.
func laneHTML(marks []tlMarkOut) string {
	var b strings.Builder
	for _, o := range marks {
		b.WriteString(o.html(0))
	}
	return b.String()
}

// mark returns markOut(mk, ...), from the cache when the same mark was
// laid out before in the same state. The cache holds at most 4096 marks.
func (b *tlBufs) mark(mk timeline.Mark, lane timeline.LaneEvents, w timeline.Window, m *timelineModel, tabbable studio.EventID, lite bool) tlMarkOut {
	var st []byte
	if lite {
		st = append(st, 'l')
	}
	if w.Width() < time.Minute {
		st = append(st, 'm') // clock times with milliseconds
	}
	members := lane.Events[mk.First : mk.First+mk.Count]
	for _, e := range members {
		if e.ID == tabbable {
			st = append(st, 't')
		}
		if letter := m.pinLetter(e.ID); letter != "" {
			st = append(st, letter...)
			if m.compared(e.ID) {
				st = append(st, '*')
			}
		}
	}
	key := string(lane.Lane) + "|" + string(members[0].ID) + "|" + strconv.Itoa(mk.Count) + "|" + string(st)
	if o, ok := b.marks[key]; ok {
		o.X, o.W = mk.X, 0
		if !mk.Single() {
			o.X, o.W = mk.X-10, mk.X1-mk.X+20
		}
		return o
	}
	o := markOut(mk, lane, w, m, tabbable, lite)
	if b.marks == nil || len(b.marks) >= 4096 {
		b.marks = make(map[string]tlMarkOut)
	}
	b.marks[key] = o
	return o
}

// markOut lays out one mark of lane. tabbable is the event whose marker
// is in the Tab order. A lite mark, drawn during a drag, leaves out the
// accessible label and the badge's time range: less markup to parse each
// frame, and the full paint at the end of the drag writes them.
func markOut(mk timeline.Mark, lane timeline.LaneEvents, w timeline.Window, m *timelineModel, tabbable studio.EventID, lite bool) tlMarkOut {
	var b []byte
	if mk.Single() {
		e := lane.Events[mk.First]
		letter := m.pinLetter(e.ID)
		b = append(b, `<span role="button" class="tl-ev sev-`...)
		b = append(b, e.Severity...)
		if letter != "" {
			b = append(b, " pinned"...)
			if m.compared(e.ID) {
				b = append(b, " compared"...)
			}
		}
		b = append(b, `" data-testid="timeline-event"`...)
		b = appendAttr(b, "data-event-id", string(e.ID))
		if letter != "" {
			b = appendAttr(b, "data-pin", letter)
		}
		if e.ID == tabbable {
			b = append(b, ` tabindex="0"`...)
		} else {
			b = append(b, ` tabindex="-1"`...)
		}
		if letter != "" {
			b = append(b, ` aria-pressed="true"`...)
		} else {
			b = append(b, ` aria-pressed="false"`...)
		}
		if !lite {
			b = appendAttr(b, "aria-label", eventLabel(e, letter))
		}
		b = append(b, '>')
		return tlMarkOut{Key: "e:" + string(e.ID), X: mk.X, Open: string(b), Body: "</span>"}
	}
	members := lane.Events[mk.First : mk.First+mk.Count]
	pinnedIn := 0
	for _, e := range members {
		if m.pinned(e.ID) {
			pinnedIn++
		}
	}
	b = append(b, `<span role="button" class="tl-cluster sev-`...)
	b = append(b, mk.Severity...)
	if pinnedIn > 0 {
		b = append(b, " has-pin"...)
	}
	b = append(b, `" data-testid="timeline-cluster"`...)
	b = appendAttr(b, "data-count", strconv.Itoa(mk.Count))
	if !lite {
		b = appendAttr(b, "data-from", strconv.FormatInt(mk.From.UnixNano(), 10))
		b = appendAttr(b, "data-to", strconv.FormatInt(mk.To.UnixNano(), 10))
	}
	b = append(b, ` tabindex="-1"`...)
	if !lite {
		label := strconv.Itoa(mk.Count) + " " + strings.ToLower(laneLabelPlural(lane.Lane)) + " from " +
			tlClock(mk.From, w.Width()) + " to " + tlClock(mk.To, w.Width()) + " UTC"
		if pinnedIn > 0 {
			label += ", " + strconv.Itoa(pinnedIn) + " pinned"
		}
		b = appendAttr(b, "aria-label", label+"; press to zoom in")
	}
	b = append(b, '>')
	key := "c:" + string(members[0].ID) + ":" + strconv.Itoa(mk.Count)
	body := compactCount(mk.Count) + "</span>"
	if lite {
		// Shaping and rasterising a hundred count labels every frame of
		// a zooming drag cost more than the rest of the lanes; the badges
		// show their counts again when the drag ends.
		body = "</span>"
	}
	return tlMarkOut{Key: key, X: mk.X - 10, W: mk.X1 - mk.X + 20, Open: string(b), Body: body}
}

// paintTrack draws one metric track over window w: the visible points
// decimated to the pixel width (divided by coarse), scaled to their own
// extent.
func paintTrack(t *tlTrack, w timeline.Window, ts chart.Time, px, lo, hi float64, bufs *tlBufs, coarse float64) tlTrackFrame {
	all := t.points(w)
	i, j := chart.VisibleRange(all, chart.ByTime, lo, hi)
	vis := all[i:j]
	if n := px / coarse; len(vis) > int(n) {
		// At most one point per pixel column (chart.Decimate keeps up to
		// four per bucket), or one per coarse columns: software
		// rasterising of long paths is what a drag costs most.
		bufs.pts = chart.AppendDecimated(bufs.pts[:0], vis, chart.ByTime, max(1, int(n/4)))
		vis = bufs.pts
	}
	var tf tlTrackFrame
	tf.Pts = all[i:j]
	if len(vis) == 0 {
		tf.Empty = true
		return tf
	}
	bufs.ys = bufs.ys[:0]
	for _, p := range vis {
		bufs.ys = append(bufs.ys, p.Value)
	}
	vlo, vhi, ok := chart.Extent(bufs.ys)
	if !ok {
		tf.Empty = true
		return tf
	}
	if vlo == vhi {
		d := math.Max(math.Abs(vlo)*0.05, 1e-9)
		vlo, vhi = vlo-d, vhi+d
	}
	tf.Y = chart.NewLinear(vlo, vhi, tlTrackH-tlTrackPad, tlTrackPad)
	bufs.xs = bufs.xs[:0]
	for k, p := range vis {
		bufs.xs = append(bufs.xs, ts.MapTime(p.Time))
		bufs.ys[k] = tf.Y.Map(p.Value)
	}
	line, broken := appendTrackPath(bufs.b[:0], bufs.xs, bufs.ys)
	tf.Line = string(line)
	if broken {
		tf.Area = string(chart.AppendArea(line[:0], bufs.xs, bufs.ys, tlTrackH, 1))
	} else {
		// One unbroken line: the area under it is the line closed along
		// the bottom edge.
		line = append(line, 'L')
		line = appendTenths(line, bufs.xs[len(bufs.xs)-1])
		line = append(line, ' ')
		line = appendTenths(line, tlTrackH)
		line = append(line, 'L')
		line = appendTenths(line, bufs.xs[0])
		line = append(line, ' ')
		line = appendTenths(line, tlTrackH)
		line = append(line, 'Z')
		tf.Area = string(line)
	}
	bufs.b = line
	tf.Lo, tf.Hi = fmtMetric(vlo, t.Unit, 4), fmtMetric(vhi, t.Unit, 4)
	return tf
}

// appendTrackPath appends the SVG path through (xs[i], ys[i]) with one
// decimal, like chart.AppendLine but formatting through integers, which is
// several times faster than strconv's float formatting in wasm; a track
// repaints every frame of a drag. A NaN or infinite coordinate breaks the
// line; broken says whether one did.
func appendTrackPath(dst []byte, xs, ys []float64) (out []byte, broken bool) {
	pen := false
	started := false
	for i := range min(len(xs), len(ys)) {
		x, y := xs[i], ys[i]
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			if started {
				broken = true
			}
			pen = false
			continue
		}
		if pen {
			dst = append(dst, 'L')
		} else {
			if started {
				broken = true
			}
			dst = append(dst, 'M')
			pen, started = true, true
		}
		dst = appendTenths(dst, x)
		dst = append(dst, ' ')
		dst = appendTenths(dst, y)
	}
	return dst, broken
}

// appendTenths appends v rounded to one decimal, without trailing zeros
// ("12", "12.5", "-0.3"), clamped to ±1e6 px.
func appendTenths(dst []byte, v float64) []byte {
	n := int64(math.Round(max(-1e7, min(1e7, v*10))))
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	dst = strconv.AppendInt(dst, n/10, 10)
	if f := n % 10; f != 0 {
		dst = append(dst, '.', byte('0'+f))
	}
	return dst
}

// tlOverview is the overview strip's drawing, which changes only with the
// data and the width, not with the window.
type tlOverview struct {
	Bars   string // event density, one bar per 3 px bucket
	Alerts string // the same for warning and critical events
	Spark  string // the first track across the whole span
}

// paintOverview draws the density of every event over the span and the
// first track as a sparkline.
func paintOverview(w timeline.Window, px float64, lanes []timeline.LaneEvents, tracks []tlTrack) tlOverview {
	var ov tlOverview
	if !(px > 0) {
		return ov
	}
	const bw = 3.0
	n := int(math.Ceil(px / bw))
	all := make([]int, n)
	hot := make([]int, n)
	peak := 0
	for _, l := range lanes {
		for _, e := range l.Events {
			k := int(w.SpanX(e.Time, px) / bw)
			k = max(0, min(n-1, k))
			all[k]++
			if e.Severity == studio.SeverityWarning || e.Severity == studio.SeverityCritical {
				hot[k]++
			}
			peak = max(peak, all[k])
		}
	}
	bar := func(counts []int) string {
		var b []byte
		for k, c := range counts {
			if c == 0 {
				continue
			}
			h := 4 + (tlOverviewH*0.6-4)*math.Sqrt(float64(c)/float64(peak))
			b = append(b, 'M')
			b = strconv.AppendFloat(b, float64(k)*bw, 'f', -1, 64)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, tlOverviewH, 'f', -1, 64)
			b = append(b, 'V')
			b = strconv.AppendFloat(b, math.Round((tlOverviewH-h)*10)/10, 'f', -1, 64)
			b = append(b, 'h')
			b = strconv.AppendFloat(b, bw-1, 'f', -1, 64)
			b = append(b, 'V')
			b = strconv.AppendFloat(b, tlOverviewH, 'f', -1, 64)
			b = append(b, 'Z')
		}
		return string(b)
	}
	if peak > 0 {
		ov.Bars = bar(all)
		ov.Alerts = bar(hot)
	}
	if len(tracks) > 0 && len(tracks[0].Points) > 0 {
		pts := chart.Decimate(tracks[0].Points, chart.ByTime, max(1, int(px/2)))
		xs := make([]float64, len(pts))
		ys := make([]float64, len(pts))
		for k, p := range pts {
			ys[k] = p.Value
		}
		if lo, hi, ok := chart.Extent(ys); ok {
			if lo == hi {
				lo, hi = lo-1, hi+1
			}
			sy := chart.NewLinear(lo, hi, tlOverviewH-3, 3)
			for k, p := range pts {
				xs[k] = w.SpanX(p.Time, px)
				ys[k] = sy.Map(p.Value)
			}
			ov.Spark = string(chart.AppendLine(nil, xs, ys, 1))
		}
	}
	return ov
}

// tlHover is what the crosshair shows at one x.
type tlHover struct {
	X    float64
	T    time.Time
	Near studio.Event
	// HasNear is false when the timeline has no events.
	HasNear  bool
	Readings []timeline.Reading
}

// hoverAt returns the readout at pixel x of the detail view: the time,
// the nearest event across lanes and each track's nearest point.
func hoverAt(x float64, w timeline.Window, px float64, ix *timeline.Index, tracks []tlTrack, dst []timeline.Reading) tlHover {
	x = max(0, min(px, x))
	h := tlHover{X: x, T: w.TimeAt(x, px)}
	if ix != nil {
		h.Near, h.HasNear = ix.Nearest(h.T)
	}
	h.Readings = dst[:0]
	for i := range tracks {
		pts := tracks[i].points(w)
		p, ok := timeline.ValueAt(pts, h.T)
		h.Readings = append(h.Readings, timeline.Reading{Metric: tracks[i].Name, Unit: tracks[i].Unit, Point: p, OK: ok})
	}
	return h
}

// readoutHTML renders the hover card: the time, the nearest event and the
// metric values.
func readoutHTML(h tlHover, width time.Duration, letter string) string {
	var b strings.Builder
	b.WriteString(`<div class="tl-ro-time">`)
	b.WriteString(h.T.UTC().Format("Jan 2 "))
	b.WriteString(tlClock(h.T, width))
	b.WriteString(` UTC</div>`)
	if h.HasNear {
		b.WriteString(`<div class="tl-ro-event" data-event-id="`)
		b.WriteString(html.EscapeString(string(h.Near.ID)))
		b.WriteString(`"><span class="lane-dot lane-`)
		b.WriteString(html.EscapeString(string(h.Near.Lane)))
		b.WriteString(`"></span><span class="tl-ro-title">`)
		if letter != "" {
			b.WriteString(`<b class="tl-ro-pin">` + letter + `</b> `)
		}
		b.WriteString(html.EscapeString(h.Near.Title))
		b.WriteString(`</span><span class="tl-ro-meta">`)
		b.WriteString(html.EscapeString(laneLabel(h.Near.Lane)))
		b.WriteString(" · ")
		b.WriteString(tlClock(h.Near.Time, width))
		d := h.Near.Time.Sub(h.T)
		b.WriteString(" · ")
		if d >= 0 {
			b.WriteString("+")
		} else {
			b.WriteString("−")
		}
		b.WriteString(format.Duration(d))
		b.WriteString(`</span></div>`)
	}
	if len(h.Readings) > 0 {
		b.WriteString(`<dl class="tl-ro-values">`)
		for i, r := range h.Readings {
			b.WriteString(`<div><dt><i class="tl-sw tl-c`)
			b.WriteString(strconv.Itoa(i))
			b.WriteString(`"></i>`)
			b.WriteString(html.EscapeString(r.Metric))
			b.WriteString(`</dt><dd>`)
			if r.OK {
				b.WriteString(html.EscapeString(fmtMetric(r.Point.Value, r.Unit, 4)))
			} else {
				b.WriteString("—")
			}
			b.WriteString(`</dd></div>`)
		}
		b.WriteString(`</dl>`)
	}
	return b.String()
}
