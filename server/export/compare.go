package export

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/logpattern"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// resolveWindow returns the report window over a subject whose span is
// [spanFrom, spanTo]: q.From and q.To clipped to the span (the zero Time
// means the span's edge), clamped like the browser's timeline window. A
// window that misses the span entirely is CodeInvalid.
func resolveWindow(subject string, spanFrom, spanTo time.Time, q ReportQuery) (timeline.Window, error) {
	if spanTo.Before(spanFrom) {
		spanFrom, spanTo = spanTo, spanFrom
	}
	miss := (!q.From.IsZero() && q.From.After(spanTo)) || (!q.To.IsZero() && q.To.Before(spanFrom))
	if miss {
		return timeline.Window{}, invalidf("empty window: %s – %s does not overlap %s (%s – %s)",
			fmtTimeOr(q.From, "start"), fmtTimeOr(q.To, "end"), subject, fmtTime(spanFrom), fmtTime(spanTo))
	}
	from, to := spanFrom, spanTo
	if !q.From.IsZero() && q.From.After(from) {
		from = q.From
	}
	if !q.To.IsZero() && q.To.Before(to) {
		to = q.To
	}
	return timeline.NewWindow(spanFrom, spanTo).Select(from, to), nil
}

func fmtTimeOr(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return fmtTime(t)
}

// resolvePins looks up each pin id among events (sets of one subject's
// events, searched in order) and returns the pins sorted by time and
// labelled P1, P2... An unknown id is CodeInvalid naming it.
func resolvePins(ids []studio.EventID, subject string, sets ...[]studio.Event) ([]pin, error) {
	pins := make([]pin, 0, len(ids))
	for _, id := range ids {
		found := false
		for _, events := range sets {
			if i := slices.IndexFunc(events, func(e studio.Event) bool { return e.ID == id }); i >= 0 {
				pins = append(pins, pin{ev: events[i]})
				found = true
				break
			}
		}
		if !found {
			return nil, invalidf("unknown pin %s: %s has no event with that id", quote(string(id)), subject)
		}
	}
	slices.SortStableFunc(pins, func(a, b pin) int { return a.ev.Time.Compare(b.ev.Time) })
	for i := range pins {
		pins[i].label = "P" + strconv.Itoa(i+1)
	}
	return pins, nil
}

// compareSpan is the length of each comparison window: span when set,
// else a tenth of the report window (at least a minute).
func compareSpan(win timeline.Window, span time.Duration) time.Duration {
	if span > 0 {
		return span
	}
	return max(win.Width()/10, time.Minute).Round(time.Second)
}

// comparison is one pin comparison of a report: the metric deltas
// between two spans, and (for runs) the log pattern shifts.
type comparison struct {
	title    string
	cmp      timeline.Comparison
	shifts   []logpattern.PatternShift
	hasLogs  bool
	nBefore  int
	nAfter   int
	logLimit int
}

// comparePlan says which comparisons a report makes: each pin against the
// span before it (timeline.ComparePin), then each pair of consecutive pins
// by what followed them (timeline.ComparePins).
type comparePlan struct {
	title string
	a, b  *pin // b is nil for a single-pin comparison
	// spans are the time ranges whose data the comparison reads.
	spans []timeline.Span
}

func planComparisons(pins []pin, d time.Duration) []comparePlan {
	var plans []comparePlan
	for i := range pins {
		p := &pins[i]
		plans = append(plans, comparePlan{
			title: p.label + " · " + p.ev.Title + " · " + fmtTime(p.ev.Time),
			a:     p,
			spans: []timeline.Span{{From: p.ev.Time.Add(-d), To: p.ev.Time.Add(d)}},
		})
	}
	for i := 0; i+1 < len(pins); i++ {
		a, b := &pins[i], &pins[i+1]
		endA := a.ev.Time.Add(d)
		if endA.After(b.ev.Time) {
			endA = b.ev.Time
		}
		plans = append(plans, comparePlan{
			title: a.label + " → " + b.label + " · what followed each",
			a:     a, b: b,
			spans: []timeline.Span{{From: a.ev.Time, To: endA}, {From: b.ev.Time, To: b.ev.Time.Add(d)}},
		})
	}
	return plans
}

// compare runs the plan's comparison over series.
func (p comparePlan) compare(series []studio.Series, d time.Duration) timeline.Comparison {
	if p.b == nil {
		return timeline.ComparePin(series, p.a.ev.Time, d)
	}
	return timeline.ComparePins(series, p.a.ev.Time, p.b.ev.Time, d)
}

// deltaTable tabulates a comparison's metric deltas.
func deltaTable(c timeline.Comparison, pal palette) *table {
	t := &table{header: true, cols: []column{
		{title: "metric", width: 0.16},
		{title: "mean before", width: 0.12, align: canvas.Right},
		{title: "mean after", width: 0.12, align: canvas.Right},
		{title: "mean change", width: 0.12, align: canvas.Right},
		{title: "change %", width: 0.1, align: canvas.Right},
		{title: "last before", width: 0.12, align: canvas.Right},
		{title: "last after", width: 0.12, align: canvas.Right},
		{title: "points", width: 0.14, align: canvas.Right},
	}}
	for _, d := range c.Deltas {
		row := []cell{{text: withUnit(d.Metric, d.Unit), bold: true}}
		val := func(st timeline.Stats, v float64) cell {
			if st.Count == 0 {
				return cell{text: "—", muted: true}
			}
			return cell{text: fmtValue(v, d.Unit)}
		}
		row = append(row, val(d.Before, d.Before.Mean), val(d.After, d.After.Mean))
		if d.Mean.Defined {
			row = append(row, cell{text: fmtSigned(d.Mean.Abs, d.Unit), color: changeColor(d.Mean, pal)})
		} else {
			row = append(row, cell{text: "—", muted: true})
		}
		if d.Mean.PctDefined {
			row = append(row, cell{text: fmtSigned(d.Mean.Pct, "%"), color: changeColor(d.Mean, pal)})
		} else {
			row = append(row, cell{text: "—", muted: true})
		}
		row = append(row, val(d.Before, d.Before.Last), val(d.After, d.After.Last),
			cell{text: groupInt(int64(d.Before.Count)) + " / " + groupInt(int64(d.After.Count)), muted: true})
		t.rows = append(t.rows, row)
	}
	return t
}

// changeColor tints large changes, a mean that moved by 10% or more, in
// the warning colour; others keep the text colour (the zero color.RGBA).
func changeColor(d timeline.Change, pal palette) color.RGBA {
	if d.PctDefined && math.Abs(d.Pct) >= 10 {
		return pal.warning
	}
	return color.RGBA{}
}

// maxShiftRows is the number of log pattern shifts a comparison lists.
const maxShiftRows = 14

// shiftTable tabulates the top log pattern shifts.
func shiftTable(shifts []logpattern.PatternShift, pal palette) *table {
	t := &table{header: true, cols: []column{
		{title: "change", width: 0.1},
		{title: "pattern", width: 0.56},
		{title: "before", width: 0.08, align: canvas.Right},
		{title: "after", width: 0.08, align: canvas.Right},
		{title: "share change", width: 0.18, align: canvas.Right},
	}}
	for _, s := range shifts[:min(len(shifts), maxShiftRows)] {
		kind := cell{text: string(s.Kind), bold: true}
		switch s.Kind {
		case logpattern.Appeared:
			kind.color = pal.critical
		case logpattern.Vanished:
			kind.color = pal.info
		default:
			kind.muted = true
		}
		delta := fmtSigned(math.Round(s.Delta*1e4)/1e2, "") + " pp"
		t.rows = append(t.rows, []cell{kind, {text: s.Pattern},
			{text: groupInt(int64(s.Before))}, {text: groupInt(int64(s.After))}, {text: delta}})
	}
	return t
}

// sortedEvents returns events sorted by time (then lane order and ID, as
// timeline.Group orders them) in a new slice.
func sortedEvents(events []studio.Event) []studio.Event {
	out := slices.Clone(events)
	slices.SortStableFunc(out, func(a, b studio.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
