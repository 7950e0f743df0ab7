package timeline

import (
	"math"
	"sort"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Span is the half-open time range [From, To).
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether From <= t < To.
func (s Span) Contains(t time.Time) bool { return !t.Before(s.From) && t.Before(s.To) }

// Stats summarises the finite values of a metric in a span. When Count is
// 0 every other field is 0.
type Stats struct {
	Count int     `json:"count"`
	Mean  float64 `json:"mean"`
	Last  float64 `json:"last"` // value of the latest point
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// Change compares one statistic before and after. Every field is finite,
// so a Change always encodes as JSON; undefined results are flagged
// instead of being NaN or Inf.
type Change struct {
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// Abs is After - Before; 0 when !Defined.
	Abs float64 `json:"abs"`
	// Pct is 100 * Abs / |Before|, so a rise is positive even from a
	// negative baseline; 0 when !PctDefined.
	Pct float64 `json:"pct"`
	// Defined is false when either side has no points.
	Defined bool `json:"defined"`
	// PctDefined is false when !Defined or Before is 0: a change from 0
	// has no percentage.
	PctDefined bool `json:"pct_defined"`
}

// NewChange returns the change from before to after.
func NewChange(before, after float64) Change {
	c := Change{Before: before, After: after, Abs: after - before, Defined: true}
	if !finite(c.Abs) {
		return Change{Before: before, After: after}
	}
	if before != 0 {
		if pct := 100 * c.Abs / math.Abs(before); finite(pct) {
			c.Pct, c.PctDefined = pct, true
		}
	}
	return c
}

// Delta is one metric compared between two spans.
type Delta struct {
	Metric string `json:"metric"`
	Unit   string `json:"unit"`
	Before Stats  `json:"before"`
	After  Stats  `json:"after"`
	Mean   Change `json:"mean"` // of Before.Mean and After.Mean
	Last   Change `json:"last"` // of Before.Last and After.Last
}

// Comparison is a set of metrics compared between a Before and an After
// span: the compare panel's table.
type Comparison struct {
	Before Span    `json:"before"`
	After  Span    `json:"after"`
	Deltas []Delta `json:"deltas"`
}

// Measure returns the statistics of the finite values of points in s.
// points must be sorted by Time; NaN and ±Inf values are skipped.
func Measure(points []studio.Point, s Span) Stats {
	lo := sort.Search(len(points), func(i int) bool { return !points[i].Time.Before(s.From) })
	hi := sort.Search(len(points), func(i int) bool { return !points[i].Time.Before(s.To) })
	var st Stats
	sum := 0.0
	for _, p := range points[lo:max(lo, hi)] {
		v := p.Value
		if !finite(v) {
			continue
		}
		if st.Count == 0 {
			st.Min, st.Max = v, v
		}
		st.Count++
		sum += v
		st.Last = v
		st.Min, st.Max = min(st.Min, v), max(st.Max, v)
	}
	if st.Count == 0 {
		return Stats{}
	}
	st.Mean = sum / float64(st.Count)
	if !finite(st.Mean) {
		// The sum overflowed: average incrementally instead.
		m, n := 0.0, 0
		for _, p := range points[lo:hi] {
			if finite(p.Value) {
				n++
				m += (p.Value - m) / float64(n)
			}
		}
		st.Mean = m
	}
	return st
}

// CompareSeries returns the delta of one series between two spans. Its
// points must be sorted by Time.
func CompareSeries(s studio.Series, before, after Span) Delta {
	d := Delta{Metric: s.Name, Unit: s.Unit, Before: Measure(s.Points, before), After: Measure(s.Points, after)}
	if d.Before.Count > 0 && d.After.Count > 0 {
		d.Mean, d.Last = NewChange(d.Before.Mean, d.After.Mean), NewChange(d.Before.Last, d.After.Last)
	} else {
		d.Mean = Change{Before: d.Before.Mean, After: d.After.Mean}
		d.Last = Change{Before: d.Before.Last, After: d.After.Last}
	}
	return d
}

// CompareSpans compares every series between before and after, in the
// order of series. Each series' points must be sorted by Time.
func CompareSpans(series []studio.Series, before, after Span) Comparison {
	c := Comparison{Before: before, After: after, Deltas: make([]Delta, 0, len(series))}
	for _, s := range series {
		c.Deltas = append(c.Deltas, CompareSeries(s, before, after))
	}
	return c
}

// ComparePin compares every series in the window of length d before a pin
// with the one after it: Before is [pin-d, pin) and After is [pin, pin+d).
func ComparePin(series []studio.Series, pin time.Time, d time.Duration) Comparison {
	d = max(d, 0)
	return CompareSpans(series, Span{From: pin.Add(-d), To: pin}, Span{From: pin, To: pin.Add(d)})
}

// ComparePins compares two pins by what followed each: Before is the
// window of length d after the earlier pin, cut short at the later pin so
// the windows never overlap, and After is the window of length d after the
// later pin. The pins may be given in either order. So the table answers
// "how did the metrics after the second moment differ from those after the
// first?" (for example after two deploys).
func ComparePins(series []studio.Series, a, b time.Time, d time.Duration) Comparison {
	if b.Before(a) {
		a, b = b, a
	}
	d = max(d, 0)
	endA := a.Add(d)
	if endA.After(b) {
		endA = b
	}
	return CompareSpans(series, Span{From: a, To: endA}, Span{From: b, To: b.Add(d)})
}

// LinesIn returns the lines with Time in s, as a sub-slice (no copy), to
// feed the log pattern comparison of the same spans. lines must be sorted
// by Time (a run's log, sorted by Seq, is).
func LinesIn(lines []studio.LogLine, s Span) []studio.LogLine {
	lo := sort.Search(len(lines), func(i int) bool { return !lines[i].Time.Before(s.From) })
	hi := sort.Search(len(lines), func(i int) bool { return !lines[i].Time.Before(s.To) })
	return lines[lo:max(lo, hi)]
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
