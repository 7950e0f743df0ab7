package timeline

import (
	"math"
	"sort"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Mark is one thing to draw in a lane: a single event, or a cluster of
// events too close together to draw apart, shown as one badge with its
// count. Its members are events[First : First+Count] of the slice given to
// Marks.
type Mark struct {
	X     float64 `json:"x"`  // pixel x of the first member
	X1    float64 `json:"x1"` // pixel x of the last member; X for a single event
	Count int     `json:"count"`
	First int     `json:"first"`
	// From and To are the times of the first and last member.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// ID is the event's ID for a single event, "" for a cluster.
	ID studio.EventID `json:"id,omitempty"`
	// Severity is the highest severity among the members.
	Severity studio.Severity `json:"severity"`
}

// Single reports whether m stands for exactly one event.
func (m Mark) Single() bool { return m.Count == 1 }

// Marks lays out the events of one lane in a detail view px pixels wide
// showing w's [From, To]. events must be sorted by Time. Walking the
// visible events left to right, each mark starts at the first event not yet
// placed and takes every following event less than minGap pixels from it;
// so consecutive marks are at least minGap apart and never overlap.
//
// Events are never dropped: the Counts always sum to the number of events
// with From <= Time <= To. minGap <= 0 gives one mark per event. Pixel
// positions are clamped to [0, px]; a px that is NaN or negative counts
// as 0.
func Marks(events []studio.Event, w Window, px, minGap float64) []Mark {
	return AppendMarks(nil, events, w, px, minGap)
}

// AppendMarks is Marks appending to dst.
func AppendMarks(dst []Mark, events []studio.Event, w Window, px, minGap float64) []Mark {
	if !(px > 0) {
		px = 0
	}
	if math.IsNaN(minGap) {
		minGap = 0
	}
	lo := sort.Search(len(events), func(i int) bool { return !events[i].Time.Before(w.From) })
	hi := sort.Search(len(events), func(i int) bool { return events[i].Time.After(w.To) })
	for i := lo; i < hi; {
		x := max(0, min(px, w.X(events[i].Time, px)))
		m := Mark{X: x, X1: x, Count: 1, First: i, From: events[i].Time, To: events[i].Time,
			ID: events[i].ID, Severity: events[i].Severity}
		j := i + 1
		for ; j < hi; j++ {
			xj := max(0, min(px, w.X(events[j].Time, px)))
			if !(xj-x < minGap) {
				break
			}
			m.X1, m.To = xj, events[j].Time
			m.Severity = higher(m.Severity, events[j].Severity)
		}
		if m.Count = j - i; m.Count > 1 {
			m.ID = ""
		}
		dst = append(dst, m)
		i = j
	}
	return dst
}

// higher returns the more severe of a and b.
func higher(a, b studio.Severity) studio.Severity {
	if severityRank(b) > severityRank(a) {
		return b
	}
	return a
}

func severityRank(s studio.Severity) int {
	switch s {
	case studio.SeverityCritical:
		return 3
	case studio.SeverityWarning:
		return 2
	case studio.SeverityInfo:
		return 1
	}
	return 0
}
