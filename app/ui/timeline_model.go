package ui

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// URL query keys of the timeline's shareable state.
const (
	qFrom = "from" // window start, RFC 3339 (UTC, milliseconds)
	qTo   = "to"   // window end
	qPins = "pins" // pinned event ids, comma-separated, in pin order
	qCmp  = "cmp"  // the pins being compared (one or two of pins); absent means the first two
	qDur  = "d"    // compare window length, a Go duration ("5m0s", "1h")
)

// maxPins bounds the pins of one timeline: they are lettered A to Z.
const maxPins = 26

// urlTimeLayout writes window bounds in URLs: UTC with milliseconds, so a
// copied link restores the window to the millisecond.
const urlTimeLayout = "2006-01-02T15:04:05.000Z"

// timelineQuery is the timeline state a URL carries.
type timelineQuery struct {
	// From and To are the window; both zero when the URL has none (or an
	// invalid one).
	From, To time.Time
	Pins     []studio.EventID
	Cmp      []studio.EventID
	Dur      time.Duration // 0 when absent
}

// parseTimelineQuery reads the timeline state from q, ignoring what is
// malformed: a link with a bad window still opens, showing everything.
func parseTimelineQuery(q url.Values) timelineQuery {
	var tq timelineQuery
	from, err1 := time.Parse(time.RFC3339Nano, q.Get(qFrom))
	to, err2 := time.Parse(time.RFC3339Nano, q.Get(qTo))
	if err1 == nil && err2 == nil && to.After(from) {
		tq.From, tq.To = from.UTC(), to.UTC()
	}
	tq.Pins = parseEventIDs(q.Get(qPins), maxPins)
	if !q.Has(qCmp) {
		// A link with pins and no cmp (written by hand, or by the
		// report) compares the first pins, as pinning them would.
		tq.Cmp = slices.Clone(tq.Pins[:min(2, len(tq.Pins))])
	}
	for _, id := range parseEventIDs(q.Get(qCmp), 2) {
		if slices.Contains(tq.Pins, id) {
			tq.Cmp = append(tq.Cmp, id)
		}
	}
	if d, err := time.ParseDuration(q.Get(qDur)); err == nil && d > 0 && d <= 30*24*time.Hour {
		tq.Dur = d
	}
	return tq
}

// parseEventIDs splits a comma-separated list of event ids, dropping empty,
// overlong and repeated ones, keeping at most n.
func parseEventIDs(s string, n int) []studio.EventID {
	var ids []studio.EventID
	for part := range strings.SplitSeq(s, ",") {
		id := studio.EventID(strings.TrimSpace(part))
		if id == "" || len(id) > 128 || slices.Contains(ids, id) {
			continue
		}
		if len(ids) == n {
			break
		}
		ids = append(ids, id)
	}
	return ids
}

// encode writes the state into q, removing the keys it has no value for
// and leaving every other key (the run page's tab) alone.
func (tq timelineQuery) encode(q url.Values) {
	set := func(k, v string) {
		if v == "" {
			q.Del(k)
			return
		}
		q.Set(k, v)
	}
	if tq.From.IsZero() || tq.To.IsZero() {
		set(qFrom, "")
		set(qTo, "")
	} else {
		set(qFrom, tq.From.UTC().Format(urlTimeLayout))
		set(qTo, tq.To.UTC().Format(urlTimeLayout))
	}
	set(qPins, joinEventIDs(tq.Pins))
	set(qCmp, joinEventIDs(tq.Cmp))
	if len(tq.Pins) > 0 && len(tq.Cmp) == 0 {
		q.Set(qCmp, "") // pins, none compared (an absent cmp compares the first)
	}
	if tq.Dur > 0 {
		set(qDur, tq.Dur.String())
	} else {
		set(qDur, "")
	}
}

func joinEventIDs(ids []studio.EventID) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(id))
	}
	return b.String()
}

// timelineModel is the Time Warp Timeline's view state: the window, the
// pins, the pins being compared and the focused event. It knows nothing
// of go-app, so every rule here is tested natively.
type timelineModel struct {
	win timeline.Window
	// whole is true while the window shows the whole span: a live span
	// that grows keeps showing all of it.
	whole bool
	pins  []studio.EventID // pin order; the letter of pins[i] is 'A'+i
	sel   []studio.EventID // compared pins: none, one (before/after) or two
	focus studio.EventID   // the event keyboard commands act on
	dur   time.Duration    // compare window length chosen by the user, 0 for the default
}

// newTimelineModel returns the model of a timeline over span showing all
// of it.
func newTimelineModel(span timeline.Span) timelineModel {
	return timelineModel{win: newSpanWindow(span), whole: true}
}

// newSpanWindow returns the window over span, at least a second wide, with
// a minimum zoom of 100 ms.
func newSpanWindow(span timeline.Span) timeline.Window {
	w := timeline.Window{Min: span.From, Max: span.To, From: span.From, To: span.To, MinWidth: 100 * time.Millisecond}
	if span.To.Sub(span.From) < time.Second {
		w.Max = span.From.Add(time.Second)
		w.To = w.Max
	}
	return w.Clamp()
}

// setWindow replaces the window and records whether it shows the whole
// span.
func (m *timelineModel) setWindow(w timeline.Window) {
	m.win = w
	m.whole = !w.From.After(w.Min) && !w.To.Before(w.Max)
}

// setSpan follows a span that changed (live data, a refetch). A window
// that showed the whole span keeps doing so; one at the live edge follows
// it; any other stays where the user put it.
func (m *timelineModel) setSpan(span timeline.Span) {
	next := newSpanWindow(span)
	if next.Min.Equal(m.win.Min) && next.Max.Equal(m.win.Max) {
		return
	}
	if m.whole {
		m.win = next
		return
	}
	w := m.win
	if next.Max.After(w.Max) {
		w = w.Extend(next.Max)
	}
	w.Min = next.Min
	if next.Max.Before(w.Max) {
		w.Max = next.Max
	}
	m.win = w.Clamp()
}

// applyQuery restores the state a URL carries.
func (m *timelineModel) applyQuery(tq timelineQuery) {
	if !tq.From.IsZero() {
		m.setWindow(m.win.Select(tq.From, tq.To))
	}
	m.pins = slices.Clone(tq.Pins)
	m.sel = slices.Clone(tq.Cmp)
	m.dur = tq.Dur
}

// query returns the state to write into the URL. A window that shows the
// whole span is left out, so the plain link keeps following the run.
func (m *timelineModel) query() timelineQuery {
	tq := timelineQuery{Pins: m.pins, Cmp: m.sel, Dur: m.dur}
	if !m.whole {
		tq.From, tq.To = m.win.From, m.win.To
	}
	return tq
}

// pinned reports whether id is pinned.
func (m *timelineModel) pinned(id studio.EventID) bool { return slices.Contains(m.pins, id) }

// pinLetter returns the letter of pin id ("A" for the first), "" when id
// is not pinned.
func (m *timelineModel) pinLetter(id studio.EventID) string {
	if i := slices.Index(m.pins, id); i >= 0 {
		return string(rune('A' + i))
	}
	return ""
}

// togglePin pins id, or unpins it when it is pinned. A new pin joins the
// comparison while fewer than two pins are compared. It returns whether
// id is pinned afterwards; pinning fails when maxPins are pinned.
func (m *timelineModel) togglePin(id studio.EventID) bool {
	if id == "" {
		return false
	}
	if m.pinned(id) {
		m.unpin(id)
		return false
	}
	if len(m.pins) >= maxPins {
		return false
	}
	m.pins = append(slices.Clone(m.pins), id)
	if len(m.sel) < 2 {
		m.sel = append(slices.Clone(m.sel), id)
	}
	return true
}

// unpin removes pin id and drops it from the comparison.
func (m *timelineModel) unpin(id studio.EventID) {
	m.pins = slices.DeleteFunc(slices.Clone(m.pins), func(p studio.EventID) bool { return p == id })
	m.sel = slices.DeleteFunc(slices.Clone(m.sel), func(p studio.EventID) bool { return p == id })
}

// clearPins removes every pin.
func (m *timelineModel) clearPins() { m.pins, m.sel = nil, nil }

// setCompared adds pin id to the comparison (dropping the oldest when two
// are compared already) or removes it.
func (m *timelineModel) setCompared(id studio.EventID, on bool) {
	if !m.pinned(id) {
		return
	}
	sel := slices.DeleteFunc(slices.Clone(m.sel), func(p studio.EventID) bool { return p == id })
	if on {
		if len(sel) == 2 {
			sel = sel[1:]
		}
		sel = append(sel, id)
	}
	m.sel = sel
}

// compared reports whether pin id is in the comparison.
func (m *timelineModel) compared(id studio.EventID) bool { return slices.Contains(m.sel, id) }

// centerOn moves the window, keeping its width, so t is in its middle.
func (m *timelineModel) centerOn(t time.Time) {
	mid := m.win.From.Add(m.win.Width() / 2)
	m.setWindow(m.win.Pan(t.Sub(mid)))
}

// reveal brings event idx of lane into view as a mark of its own, for
// keyboard focus: the window is centred on it when it is outside, and
// narrowed until no other event of the lane is within minGap pixels of it
// (events at the same instant always share a mark). lane must be sorted by
// time.
func (m *timelineModel) reveal(lane []studio.Event, idx int, px, minGap float64) {
	if idx < 0 || idx >= len(lane) {
		return
	}
	e := lane[idx]
	if m.win.Contains(e.Time) && markSingle(lane, idx, m.win, px, minGap) {
		return
	}
	// The closest neighbour at another instant sets the widest window in
	// which e stands apart.
	gap := time.Duration(0)
	for j := idx - 1; j >= 0; j-- {
		if d := e.Time.Sub(lane[j].Time); d > 0 {
			gap = d
			break
		}
	}
	for j := idx + 1; j < len(lane); j++ {
		if d := lane[j].Time.Sub(e.Time); d > 0 {
			if gap == 0 || d < gap {
				gap = d
			}
			break
		}
	}
	width := m.win.Width()
	if gap > 0 && px > 0 && minGap > 0 {
		need := time.Duration(float64(gap) * px / (minGap * 1.25))
		width = min(width, need)
	}
	m.setWindow(m.win.Select(e.Time.Add(-width/2), e.Time.Add(width/2)))
}

// markSingle reports whether event idx of lane is drawn as a mark of its
// own in window w.
func markSingle(lane []studio.Event, idx int, w timeline.Window, px, minGap float64) bool {
	for _, mk := range timeline.Marks(lane, w, px, minGap) {
		if idx >= mk.First && idx < mk.First+mk.Count {
			return mk.Single()
		}
	}
	return false
}

// laneOf returns the lane events and the position of event id in them.
func laneOf(lanes []timeline.LaneEvents, e studio.Event) (lane []studio.Event, idx int) {
	for _, l := range lanes {
		if l.Lane != e.Lane {
			continue
		}
		for i, x := range l.Events {
			if x.ID == e.ID {
				return l.Events, i
			}
		}
	}
	return nil, -1
}

// timelineCmd is what a key press does on the timeline.
type timelineCmd int

// Timeline commands.
const (
	cmdNone      timelineCmd = iota
	cmdPanLeft               // ←: a tenth of the window earlier
	cmdPanRight              // →
	cmdPageLeft              // Shift+← or PageUp: half a window
	cmdPageRight             // Shift+→ or PageDown
	cmdZoomIn                // + or =
	cmdZoomOut               // - or _
	cmdNext                  // j: focus the next event across lanes
	cmdPrev                  // k: the previous one
	cmdPin                   // p: pin or unpin the focused event
	cmdClear                 // Esc: clear the hover readout
	cmdReset                 // 0: show the whole span
	cmdStart                 // Home: move the window to the start
	cmdEnd                   // End: move it to the live edge
)

// timelineKey maps a key press to its command. Presses with Ctrl, Alt or
// Meta are left to the browser (Ctrl + zooms the page).
func timelineKey(key string, shift, ctrl, alt, meta bool) timelineCmd {
	if ctrl || alt || meta {
		return cmdNone
	}
	switch key {
	case "ArrowLeft":
		if shift {
			return cmdPageLeft
		}
		return cmdPanLeft
	case "ArrowRight":
		if shift {
			return cmdPageRight
		}
		return cmdPanRight
	case "PageUp":
		return cmdPageLeft
	case "PageDown":
		return cmdPageRight
	case "+", "=":
		return cmdZoomIn
	case "-", "_":
		return cmdZoomOut
	case "j", "J":
		return cmdNext
	case "k", "K":
		return cmdPrev
	case "p", "P":
		return cmdPin
	case "Escape":
		return cmdClear
	case "0":
		return cmdReset
	case "Home":
		return cmdStart
	case "End":
		return cmdEnd
	}
	return cmdNone
}

// zoomStep is the zoom factor of one + or - press.
const zoomStep = 1.5

// apply runs a window command around at (the focused event or the
// window's middle). It reports whether the window changed; the event
// commands (next, prev, pin, clear) are the component's.
func (m *timelineModel) apply(cmd timelineCmd, at time.Time) bool {
	w := m.win
	switch cmd {
	case cmdPanLeft:
		w = w.PanBy(-0.1)
	case cmdPanRight:
		w = w.PanBy(0.1)
	case cmdPageLeft:
		w = w.PanBy(-0.5)
	case cmdPageRight:
		w = w.PanBy(0.5)
	case cmdZoomIn:
		w = w.Zoom(at, zoomStep)
	case cmdZoomOut:
		w = w.Zoom(at, 1/zoomStep)
	case cmdReset:
		w = w.Reset()
	case cmdStart:
		w = w.Pan(w.Min.Sub(w.From))
	case cmdEnd:
		w = w.Pan(w.Max.Sub(w.To))
	default:
		return false
	}
	changed := !w.From.Equal(m.win.From) || !w.To.Equal(m.win.To)
	m.setWindow(w)
	return changed
}

// compareSpans returns the spans the comparison covers: for one pin the
// window of length d before it and the one after it; for two pins what
// followed each (see timeline.ComparePins). ok is false without pins.
func compareSpans(pins []studio.Event, d time.Duration) (before, after timeline.Span, ok bool) {
	var c timeline.Comparison
	switch len(pins) {
	case 1:
		c = timeline.ComparePin(nil, pins[0].Time, d)
	case 2:
		c = timeline.ComparePins(nil, pins[0].Time, pins[1].Time, d)
	default:
		return before, after, false
	}
	return c.Before, c.After, true
}

// compareDurations are the compare window lengths offered.
var compareDurations = []time.Duration{
	10 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute,
	10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
	3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// durationChoices returns the compare lengths that fit a span: from about
// a 500th of it to half of it, always at least three, the chosen one
// included.
func durationChoices(span time.Duration, chosen time.Duration) []time.Duration {
	var out []time.Duration
	for _, d := range compareDurations {
		if d <= span/2 && d >= span/500 || d == chosen {
			out = append(out, d)
		}
	}
	if len(out) < 3 {
		out = slices.Clone(compareDurations[:3])
		if chosen > 0 && !slices.Contains(out, chosen) {
			out = append(out, chosen)
			sort.Slice(out, func(i, j int) bool { return out[i] < out[j] }) // see medianSpacing
		}
	}
	return out
}

// defaultCompareDuration picks the compare length for a span whose tracks
// are sampled every sample (0 when unknown): the longest offered length
// within about a 40th of the span, or four samples when that is longer, so
// each window holds enough points to compare.
func defaultCompareDuration(span, sample time.Duration) time.Duration {
	want := max(span/40, 4*sample)
	best := compareDurations[0]
	for _, d := range compareDurations {
		if d <= want {
			best = d
		}
	}
	return best
}
