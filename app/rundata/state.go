// Package rundata is the browser's per-run state: one State per open run
// page, filled by REST queries and kept current by the live WebSocket
// stream. Every component of the run page (charts, log viewer, overview,
// Time Warp Timeline) reads the same State, so a streamed point, line or
// event shows everywhere at once, without refetching and without losing
// the user's zoom, scroll position or selection.
//
// The data a State holds:
//
//   - the run (studio.Run) as last fetched, with Status, Steps, LogCount
//     and Summary advanced by the stream;
//   - metric series by name: []studio.Point sorted by step, append-only,
//     one point per step. REST data may be decimated (Series.Decimated);
//     streamed points are appended after its last step;
//   - timeline events sorted by time, one per ID, and the span of the run;
//   - the latest log lines (a window of the last TailCapacity lines, sorted
//     by seq) for follow mode and the overview;
//   - a version counter, bumped on every change, and per-part versions so
//     a view can cache what it derived (a path string, say) until its part
//     changes.
//
// Merging rules: points with a step at or before a series' last step are
// ignored (REST and the stream overlap around the snapshot); events are
// deduplicated by ID and kept sorted; log lines are deduplicated by seq.
// Replacing a series or the events with a fresh REST response (after a
// stream gap) keeps the streamed data that is newer than the response.
//
// A State is safe for concurrent use. Subscribe's callbacks are coalesced:
// in the browser at most one call per animation frame, however many
// messages arrived; natively (tests, prerendering) the Options.Schedule
// function decides.
package rundata

import (
	"cmp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// TailCapacity is the number of latest log lines a State keeps.
const TailCapacity = 2000

// Options configures a State. The zero value selects every default.
type Options struct {
	// TailCapacity bounds the latest log lines kept (default
	// TailCapacity).
	TailCapacity int
	// Schedule runs fn later, once per batch of changes. In the browser
	// the default is the next animation frame; natively it runs fn at
	// once. Tests pass a manual scheduler to observe coalescing.
	Schedule func(fn func())
}

// SeriesData is one metric series as a State holds it.
type SeriesData struct {
	// Name is the metric name, Unit its display unit.
	Name string
	Unit string
	// Points are sorted by Step with one point per step. Treat as
	// read-only: the State appends to the backing array.
	Points []studio.Point
	// Total is the number of distinct steps the series represents: the
	// REST response's Total (points before decimation) plus the points
	// appended after it. It equals len(Points) unless Decimated.
	Total int
	// Decimated is true when Points is a min/max-preserving subset of the
	// REST data (max_points was smaller than the series).
	Decimated bool
	// Version changes whenever Points changes.
	Version uint64
}

// LastStep returns the step of the last point, or -1 for an empty series.
func (s SeriesData) LastStep() int {
	if len(s.Points) == 0 {
		return -1
	}
	return s.Points[len(s.Points)-1].Step
}

// State is the client-side state of one run. Create it with New; the zero
// value is not usable.
type State struct {
	id   studio.RunID
	opts Options

	mu      sync.Mutex
	version uint64

	run     studio.Run
	hasRun  bool
	runVer  uint64
	series  map[string]*SeriesData
	order   []string // series names in display order
	events  []studio.Event
	eventIx map[studio.EventID]int
	evVer   uint64
	span    timeline.Span // from the events response, widened by data
	hasEvs  bool
	tail    []studio.LogLine // sorted by seq, at most opts.TailCapacity
	tailVer uint64

	subs    map[int]func()
	nextSub int
	pending bool
}

// New returns an empty State for run id.
func New(id studio.RunID, opts Options) *State {
	if opts.TailCapacity <= 0 {
		opts.TailCapacity = TailCapacity
	}
	if opts.Schedule == nil {
		opts.Schedule = frameSchedule
	}
	return &State{
		id:      id,
		opts:    opts,
		series:  make(map[string]*SeriesData),
		eventIx: make(map[studio.EventID]int),
		subs:    make(map[int]func()),
	}
}

// ID returns the run's id.
func (s *State) ID() studio.RunID { return s.id }

// Version returns a counter that increases on every change of any part.
func (s *State) Version() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// Run returns the run as last fetched and advanced by the stream; ok is
// false until SetRun was called. Its Summary map and Metrics slice are
// never modified afterwards (the State replaces them): a caller may keep
// the run as a snapshot.
func (s *State) Run() (r studio.Run, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run, s.hasRun
}

// RunVersion returns a counter that changes whenever Run changes.
func (s *State) RunVersion() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runVer
}

// SetRun records a REST snapshot of the run. Counters the stream has
// already advanced past the snapshot (Steps, LogCount) are kept, so a
// late response never moves the run backwards; a terminal status is never
// replaced by a live one.
func (s *State) SetRun(r studio.Run) {
	s.mu.Lock()
	if s.hasRun {
		r.Steps = max(r.Steps, s.run.Steps)
		r.LogCount = max(r.LogCount, s.run.LogCount)
		if s.run.Status.Terminal() && !r.Status.Terminal() {
			r.Status, r.EndedAt = s.run.Status, s.run.EndedAt
		}
	}
	// Summary is shared with the query cache: copy before the stream
	// writes to it.
	sum := make(map[string]float64, len(r.Summary))
	for k, v := range r.Summary {
		sum[k] = v
	}
	r.Summary = sum
	r.Metrics = slices.Clone(r.Metrics)
	s.run, s.hasRun = r, true
	for _, m := range r.Metrics {
		s.addName(m.Name, m.Unit)
	}
	s.runChanged()
	s.mu.Unlock()
	s.changed()
}

// ApplyStatus applies a stream status message to the run.
func (s *State) ApplyStatus(st api.Status) {
	s.mu.Lock()
	if st.Status != "" {
		s.run.Status = st.Status
	}
	s.run.Steps = max(s.run.Steps, st.Steps)
	s.run.LogCount = max(s.run.LogCount, st.LogCount)
	if st.EndedAt != nil {
		t := *st.EndedAt
		s.run.EndedAt = &t
		s.widen(t)
	}
	if st.Status == studio.RunRunning && s.run.StartedAt == nil {
		// The run just started; the REST refetch brings the exact time.
		t := s.span.To
		if t.IsZero() {
			t = s.run.CreatedAt
		}
		s.run.StartedAt = &t
	}
	s.runChanged()
	s.mu.Unlock()
	s.changed()
}

// runChanged bumps the run version. s.mu must be held.
func (s *State) runChanged() {
	s.version++
	s.runVer = s.version
}

// SeriesNames returns the names of the known series in display order:
// studio.MetricNames first, then any other in order of appearance.
func (s *State) SeriesNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.order)
}

// addName registers a series name. s.mu must be held.
func (s *State) addName(name, unit string) *SeriesData {
	sd, ok := s.series[name]
	if ok {
		if sd.Unit == "" {
			sd.Unit = unit
		}
		return sd
	}
	if unit == "" {
		unit = studio.MetricUnits[name]
	}
	sd = &SeriesData{Name: name, Unit: unit}
	s.series[name] = sd
	s.order = append(s.order, name)
	rank := func(n string) int {
		if i := slices.Index(studio.MetricNames, n); i >= 0 {
			return i
		}
		return len(studio.MetricNames)
	}
	sort.SliceStable(s.order, func(i, j int) bool { return rank(s.order[i]) < rank(s.order[j]) })
	return sd
}

// Series returns the points of metric name sorted by step, nil when
// unknown. The slice is shared: treat it as read-only.
func (s *State) Series(name string) []studio.Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sd, ok := s.series[name]; ok {
		return sd.Points
	}
	return nil
}

// SeriesData returns metric name with its bookkeeping; ok is false when
// the series is unknown.
func (s *State) SeriesData(name string) (sd SeriesData, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.series[name]
	if !ok {
		return SeriesData{Name: name, Unit: studio.MetricUnits[name]}, false
	}
	return *p, true
}

// AllSeries returns every series in display order, as studio.Series (the
// shape shared/timeline's comparisons take). Points are shared: treat
// them as read-only.
func (s *State) AllSeries() []studio.Series {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]studio.Series, 0, len(s.order))
	for _, n := range s.order {
		sd := s.series[n]
		out = append(out, studio.Series{Name: n, Unit: sd.Unit, Points: sd.Points, Total: sd.Total, Decimated: sd.Decimated})
	}
	return out
}

// SetSeries merges a REST response for one series. The response replaces
// the points up to its last step; points already held after that step
// (streamed since the request) are kept. Points must be sorted by step.
func (s *State) SetSeries(sr studio.Series) {
	s.mu.Lock()
	sd := s.addName(sr.Name, sr.Unit)
	pts := dedupeSteps(sr.Points)
	total := len(pts)
	if sr.Decimated && sr.Total > total {
		total = sr.Total
	}
	last := -1
	if len(pts) > 0 {
		last = pts[len(pts)-1].Step
	}
	// Keep what the stream added after the response.
	i, _ := slices.BinarySearchFunc(sd.Points, last+1, func(p studio.Point, step int) int { return cmp.Compare(p.Step, step) })
	newer := sd.Points[i:]
	merged := make([]studio.Point, 0, len(pts)+len(newer)+64)
	merged = append(merged, pts...)
	merged = append(merged, newer...)
	sd.Points = merged
	sd.Total = total + len(newer)
	sd.Decimated = sr.Decimated
	if len(pts) > 0 {
		s.widen(pts[len(pts)-1].Time)
	}
	s.version++
	sd.Version = s.version
	s.mu.Unlock()
	s.changed()
}

// AddPoint appends a streamed point to metric name. It returns false, and
// changes nothing, when the series already has a point at or after p.Step.
func (s *State) AddPoint(name string, p studio.Point) bool {
	s.mu.Lock()
	sd := s.addName(name, "")
	if n := len(sd.Points); n > 0 && p.Step <= sd.Points[n-1].Step {
		s.mu.Unlock()
		return false
	}
	sd.Points = append(sd.Points, p)
	sd.Total++
	if s.hasRun {
		s.run.Steps = max(s.run.Steps, p.Step+1)
		// Copy on write: runs handed out by Run keep their maps and
		// slices unchanged.
		sum := make(map[string]float64, len(s.run.Summary)+1)
		for k, v := range s.run.Summary {
			sum[k] = v
		}
		sum[name] = p.Value
		s.run.Summary = sum
		s.run.Metrics = slices.Clone(s.run.Metrics)
		for i := range s.run.Metrics {
			if s.run.Metrics[i].Name == name {
				s.run.Metrics[i].Points = max(s.run.Metrics[i].Points, sd.Total)
			}
		}
		s.runVer = s.version + 1
	}
	s.widen(p.Time)
	s.version++
	sd.Version = s.version
	s.mu.Unlock()
	s.changed()
	return true
}

// dedupeSteps returns pts with one point per step (the first), sorting a
// copy if pts is out of order. Sorted input without duplicates is
// returned as is.
func dedupeSteps(pts []studio.Point) []studio.Point {
	ok := true
	for i := 1; i < len(pts); i++ {
		if pts[i].Step <= pts[i-1].Step {
			ok = false
			break
		}
	}
	if ok {
		return pts
	}
	c := slices.Clone(pts)
	// A stable sort has one result, and sort.SliceStable costs the wasm
	// client no instantiation over studio.Point.
	sort.SliceStable(c, func(a, b int) bool { return c[a].Step < c[b].Step })
	return slices.CompactFunc(c, func(a, b studio.Point) bool { return a.Step == b.Step })
}

// Events returns the run's timeline events sorted by time (ties by ID),
// one per ID. The slice is a copy; its Links are shared.
func (s *State) Events() []studio.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// EventsVersion returns a counter that changes whenever Events changes.
func (s *State) EventsVersion() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.evVer
}

// HasEvents reports whether the events were loaded over REST.
func (s *State) HasEvents() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hasEvs
}

// SetEvents merges a REST events response: its events replace those held
// (streamed events not in it are kept, as they are newer), and its From/To
// set the run's span.
func (s *State) SetEvents(p api.EventPage) {
	s.mu.Lock()
	keep := make([]studio.Event, 0, len(p.Events)+8)
	keep = append(keep, p.Events...)
	in := make(map[studio.EventID]bool, len(p.Events))
	for _, e := range p.Events {
		in[e.ID] = true
	}
	for _, e := range s.events {
		if !in[e.ID] {
			keep = append(keep, e)
		}
	}
	s.events = keep
	s.sortEvents()
	s.hasEvs = true
	if !p.From.IsZero() && (s.span.From.IsZero() || p.From.Before(s.span.From)) {
		s.span.From = p.From
	}
	s.widen(p.To)
	s.version++
	s.evVer = s.version
	s.mu.Unlock()
	s.changed()
}

// AddEvent merges a streamed event. It returns false, and changes
// nothing, when an event with the same ID is already held.
func (s *State) AddEvent(e studio.Event) bool {
	s.mu.Lock()
	if _, ok := s.eventIx[e.ID]; ok {
		s.mu.Unlock()
		return false
	}
	n := len(s.events)
	if n == 0 || !eventLess(e, s.events[n-1]) {
		s.events = append(s.events, e)
		s.eventIx[e.ID] = n
	} else {
		s.events = append(s.events, e)
		s.sortEvents()
	}
	s.widen(e.Time)
	s.version++
	s.evVer = s.version
	s.mu.Unlock()
	s.changed()
	return true
}

func eventLess(a, b studio.Event) bool {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

// sortEvents sorts s.events, drops duplicate IDs and rebuilds the index.
// s.mu must be held.
func (s *State) sortEvents() {
	slices.SortStableFunc(s.events, func(a, b studio.Event) int {
		if eventLess(a, b) {
			return -1
		}
		if eventLess(b, a) {
			return 1
		}
		return 0
	})
	clear(s.eventIx)
	out := s.events[:0]
	for _, e := range s.events {
		if _, dup := s.eventIx[e.ID]; dup {
			continue
		}
		s.eventIx[e.ID] = len(out)
		out = append(out, e)
	}
	s.events = out
}

// Span returns the time range the run covers: from the events response's
// From (the run's start) to the latest of its To, the run's end and the
// newest point, line or event seen. Before any data it falls back to the
// run's start (or creation) time; it is zero before SetRun and SetEvents.
func (s *State) Span() timeline.Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.span
	if sp.From.IsZero() && s.hasRun {
		sp.From = s.run.CreatedAt
		if s.run.StartedAt != nil {
			sp.From = *s.run.StartedAt
		}
	}
	if s.hasRun && s.run.EndedAt != nil && s.run.EndedAt.After(sp.To) {
		sp.To = *s.run.EndedAt
	}
	if sp.To.Before(sp.From) {
		sp.To = sp.From
	}
	return sp
}

// widen extends the span's end to t. s.mu must be held.
func (s *State) widen(t time.Time) {
	if t.After(s.span.To) {
		s.span.To = t
	}
}

// Tail returns the latest log lines held, sorted by seq (at most
// TailCapacity of them). The slice is a copy.
func (s *State) Tail() []studio.LogLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.tail)
}

// TailSince returns the held lines with seq >= from, sorted by seq.
func (s *State) TailSince(from int64) []studio.LogLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, _ := slices.BinarySearchFunc(s.tail, from, func(l studio.LogLine, seq int64) int { return cmp.Compare(l.Seq, seq) })
	return slices.Clone(s.tail[i:])
}

// TailLine returns the held line with sequence number seq, without
// copying the window.
func (s *State) TailLine(seq int64) (studio.LogLine, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.tail)
	if n == 0 || seq < s.tail[0].Seq || seq > s.tail[n-1].Seq {
		return studio.LogLine{}, false
	}
	// The window is usually consecutive: try the direct index first.
	if i := seq - s.tail[0].Seq; i < int64(n) && s.tail[i].Seq == seq {
		return s.tail[i], true
	}
	i, ok := slices.BinarySearchFunc(s.tail, seq, func(l studio.LogLine, seq int64) int { return cmp.Compare(l.Seq, seq) })
	if !ok {
		return studio.LogLine{}, false
	}
	return s.tail[i], true
}

// TailBounds returns the first and last seq of the held lines; ok is false
// when none are held.
func (s *State) TailBounds() (first, last int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tail) == 0 {
		return 0, 0, false
	}
	return s.tail[0].Seq, s.tail[len(s.tail)-1].Seq, true
}

// TailVersion returns a counter that changes whenever Tail changes.
func (s *State) TailVersion() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tailVer
}

// SetTail merges lines (from a REST ?tail= page, say) into the held
// latest lines.
func (s *State) SetTail(lines []studio.LogLine) {
	s.mu.Lock()
	changed := false
	for _, l := range lines {
		changed = s.addLine(l) || changed
	}
	if changed {
		s.version++
		s.tailVer = s.version
	}
	s.mu.Unlock()
	if changed {
		s.changed()
	}
}

// AddLog merges a streamed log line. It returns false when the line was
// already held or is older than every held line of a full window.
func (s *State) AddLog(l studio.LogLine) bool {
	s.mu.Lock()
	ok := s.addLine(l)
	if ok {
		if s.hasRun {
			s.run.LogCount = max(s.run.LogCount, l.Seq+1)
			s.runVer = s.version + 1
		}
		s.widen(l.Time)
		s.version++
		s.tailVer = s.version
	}
	s.mu.Unlock()
	if ok {
		s.changed()
	}
	return ok
}

// addLine inserts l in seq order, dropping the oldest line past the
// capacity. s.mu must be held.
func (s *State) addLine(l studio.LogLine) bool {
	n := len(s.tail)
	switch {
	case n == 0 || l.Seq > s.tail[n-1].Seq:
		s.tail = append(s.tail, l)
	default:
		i, found := slices.BinarySearchFunc(s.tail, l.Seq, func(x studio.LogLine, seq int64) int { return cmp.Compare(x.Seq, seq) })
		if found || (i == 0 && n >= s.opts.TailCapacity) {
			return false
		}
		s.tail = slices.Insert(s.tail, i, l)
	}
	if over := len(s.tail) - s.opts.TailCapacity; over > 0 {
		// Shift in place rarely: keep a slack of one capacity.
		s.tail = s.tail[over:]
		if cap(s.tail) > 4*s.opts.TailCapacity {
			s.tail = slices.Clone(s.tail)
		}
	}
	return true
}

// Subscribe calls fn after changes, at most once per scheduled batch (one
// animation frame in the browser). fn runs without the State's lock held
// and may read the State. The returned cancel function stops the calls;
// it is safe to call more than once.
func (s *State) Subscribe(fn func()) (cancel func()) {
	s.mu.Lock()
	s.nextSub++
	id := s.nextSub
	s.subs[id] = fn
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.subs, id)
			s.mu.Unlock()
		})
	}
}

// changed schedules one notification of the subscribers unless one is
// already pending.
func (s *State) changed() {
	s.mu.Lock()
	if s.pending || len(s.subs) == 0 {
		s.mu.Unlock()
		return
	}
	s.pending = true
	s.mu.Unlock()
	s.opts.Schedule(s.flush)
}

// flush calls every subscriber once.
func (s *State) flush() {
	s.mu.Lock()
	s.pending = false
	ids := make([]int, 0, len(s.subs))
	for id := range s.subs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	fns := make([]func(), len(ids))
	for i, id := range ids {
		fns[i] = s.subs[id]
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
