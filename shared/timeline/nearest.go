package timeline

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Nearest returns the event closest to t. events must be sorted by Time.
// ok is false only when events is empty. A tie goes to the earlier event.
func Nearest(events []studio.Event, t time.Time) (e studio.Event, ok bool) {
	if len(events) == 0 {
		return studio.Event{}, false
	}
	i := sort.Search(len(events), func(i int) bool { return !events[i].Time.Before(t) })
	switch i {
	case 0:
		return events[0], true
	case len(events):
		return events[i-1], true
	}
	if before, after := events[i-1], events[i]; t.Sub(before.Time) > after.Time.Sub(t) {
		return after, true
	}
	return events[i-1], true
}

// Index holds the events of every lane merged in timeline order (time,
// then lane display order, then ID) for O(log n) lookups across lanes and
// keyboard focus order. It is immutable; build a new one when events
// change. Its methods are safe for concurrent use.
type Index struct {
	events []studio.Event
	nanos  []int64 // events[i].Time as Unix nanoseconds, for a compact search
	pos    map[studio.EventID]int
}

// NewIndex returns the index of events, which may come in any order and
// from any lanes. events is not modified.
func NewIndex(events []studio.Event) *Index {
	ix := &Index{
		events: slices.Clone(events),
		nanos:  make([]int64, len(events)),
		pos:    make(map[studio.EventID]int, len(events)),
	}
	slices.SortStableFunc(ix.events, compareEvents)
	for i, e := range ix.events {
		ix.nanos[i] = unixNano(e.Time)
		if _, dup := ix.pos[e.ID]; !dup {
			ix.pos[e.ID] = i
		}
	}
	return ix
}

// unixNano is t.UnixNano saturated to the int64 range, so times before
// 1678 or after 2262 still sort correctly among themselves and the rest.
func unixNano(t time.Time) int64 {
	const maxSec = math.MaxInt64/1_000_000_000 - 1
	switch s := t.Unix(); {
	case s > maxSec:
		return math.MaxInt64
	case s < -maxSec:
		return math.MinInt64
	}
	return t.UnixNano()
}

// Len returns the number of events.
func (ix *Index) Len() int { return len(ix.events) }

// Events returns every event in timeline order. The caller must not
// modify the slice.
func (ix *Index) Events() []studio.Event { return ix.events }

// At returns the i-th event in timeline order. It panics if i is out of
// range, like a slice index.
func (ix *Index) At(i int) studio.Event { return ix.events[i] }

// Nearest returns the event closest to t across all lanes in O(log n).
// A tie between an earlier and a later event goes to the earlier one;
// among events at the same instant, the first in lane order wins. ok is
// false only when the index is empty.
func (ix *Index) Nearest(t time.Time) (e studio.Event, ok bool) {
	i, ok := ix.NearestIndex(t)
	if !ok {
		return studio.Event{}, false
	}
	return ix.events[i], true
}

// NearestIndex is Nearest returning the event's position in timeline order.
func (ix *Index) NearestIndex(t time.Time) (i int, ok bool) {
	n := len(ix.nanos)
	if n == 0 {
		return 0, false
	}
	tn := unixNano(t)
	i, _ = slices.BinarySearch(ix.nanos, tn) // first at or after t
	switch i {
	case 0:
		return 0, true
	case n:
		return n - 1, true
	}
	// Compare distances in uint64: they cannot overflow there.
	before := uint64(tn - ix.nanos[i-1])
	after := uint64(ix.nanos[i] - tn)
	if after < before {
		return i, true
	}
	// The earlier side: the first event at that instant.
	j, _ := slices.BinarySearch(ix.nanos[:i], ix.nanos[i-1])
	return j, true
}

// Position returns the place of the event id in timeline order.
func (ix *Index) Position(id studio.EventID) (i int, ok bool) {
	i, ok = ix.pos[id]
	return i, ok
}

// Next returns the event after id in timeline order (time, then lane
// order, then ID): the `j` key. An unknown or empty id returns the first
// event. ok is false at the end or when the index is empty.
func (ix *Index) Next(id studio.EventID) (e studio.Event, ok bool) {
	i, known := ix.pos[id]
	switch {
	case !known:
		i = 0
	default:
		i++
	}
	if i >= len(ix.events) {
		return studio.Event{}, false
	}
	return ix.events[i], true
}

// Prev returns the event before id in timeline order: the `k` key. An
// unknown or empty id returns the last event. ok is false at the start or
// when the index is empty.
func (ix *Index) Prev(id studio.EventID) (e studio.Event, ok bool) {
	i, known := ix.pos[id]
	switch {
	case !known:
		i = len(ix.events) - 1
	default:
		i--
	}
	if i < 0 {
		return studio.Event{}, false
	}
	return ix.events[i], true
}

// Between returns the events with from <= Time <= to, in timeline order,
// as a sub-slice of Events (no copy).
func (ix *Index) Between(from, to time.Time) []studio.Event {
	lo, _ := slices.BinarySearch(ix.nanos, unixNano(from))
	hi, found := slices.BinarySearch(ix.nanos, unixNano(to))
	for found && hi < len(ix.nanos) && ix.nanos[hi] == unixNano(to) {
		hi++
	}
	if hi < lo {
		return ix.events[lo:lo]
	}
	return ix.events[lo:hi]
}
