package store

import (
	"bytes"
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// MaxLogScan is the number of lines a filtered log page examines at most;
// LogPage.ScannedFrom/ScannedTo say where it stopped so the client can
// continue.
const MaxLogScan = 50_000

// matcher tests lines against a level set and a case-insensitive
// substring. It reuses its buffers, so one matcher serves one goroutine.
type matcher struct {
	plan   *synth.RunPlan
	levels []studio.LogLevel
	q      []byte // lowercase; nil matches every message
	buf    []byte
	low    []byte
}

func newMatcher(plan *synth.RunPlan, levels []studio.LogLevel, q string) *matcher {
	m := &matcher{plan: plan, levels: levels}
	if q != "" {
		m.q = []byte(asciiLower(q))
	}
	return m
}

func asciiLower(s string) string {
	b := []byte(s)
	lowerInPlace(b)
	return string(b)
}

func lowerInPlace(b []byte) {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
}

// match reports whether line seq matches.
func (m *matcher) match(seq int64) bool {
	if len(m.levels) > 0 && !slices.Contains(m.levels, m.plan.LogLevel(seq)) {
		return false
	}
	if m.q == nil {
		return true
	}
	m.buf, _, _ = m.plan.AppendLogMessage(m.buf[:0], seq)
	m.low = append(m.low[:0], m.buf...)
	lowerInPlace(m.low)
	return bytes.Contains(m.low, m.q)
}

func checkLevels(levels []studio.LogLevel) error {
	for _, l := range levels {
		if !l.Valid() {
			return studio.Errorf(studio.CodeInvalid, "unknown level %q (valid: debug, info, warn, error)", l)
		}
	}
	return nil
}

// Logs returns a page of run id's log.
//
// The position is one of q.Cursor, q.FromSeq (>= 0; -1 when absent),
// q.FromTime (RFC 3339: the first line at or after it) or q.Tail (the last
// Tail lines); with none the page starts at seq 0, and giving more than one
// is CodeInvalid (FromSeq 0, the default position, never conflicts). A
// forward page returns up to Limit lines from the position; a backward page
// (q.Backward, or a cursor taken from Prev) the Limit lines just before it,
// ascending. Next and Prev are "" at the ends of the log. Unfiltered pages
// cost O(Limit) at any depth.
//
// With q.Level or q.Q the page scans at most MaxLogScan lines from the
// position in its direction, collecting up to Limit matches; ScannedFrom
// and ScannedTo report the examined range and Next/Prev continue the scan.
func (s *Store) Logs(id studio.RunID, q api.LogQuery) (api.LogPage, error) {
	lp, err := s.logPosition(id, q)
	if err != nil {
		return api.LogPage{}, err
	}
	if lp.filtered() {
		return filteredPage(&lp.view.plan, lp.view.logCount, lp.pos, lp.backward, lp.limit, newMatcher(&lp.view.plan, q.Level, q.Q)), nil
	}
	p := lp.page()
	p.Lines = appendLines(make([]studio.LogLine, 0, p.ScannedTo-p.ScannedFrom), &lp.view.plan, p.ScannedFrom, p.ScannedTo)
	return p, nil
}

// LogWindow is an unfiltered log page without its lines: where the page
// lies in the run's log, and the means to produce any line below its
// Total. Callers that keep lines elsewhere, such as the server's cache of
// encoded lines, use it to answer a query exactly as Logs does.
type LogWindow struct {
	// Page is the page Logs returns, with Lines nil: it holds the lines
	// [Page.ScannedFrom, Page.ScannedTo) of a log of Page.Total lines.
	Page api.LogPage
	// Run is the run's id as the store spells it.
	Run  studio.RunID
	plan synth.RunPlan
}

// AppendLines appends lines [from, to) of the window's run to dst, equal
// to the lines Logs returns for them. It needs 0 <= from <= to <=
// w.Page.Total: lines below Total never change, whatever the run does
// next.
func (w *LogWindow) AppendLines(dst []studio.LogLine, from, to int64) []studio.LogLine {
	return appendLines(dst, &w.plan, from, to)
}

// LogWindow resolves q as Logs does, with the same errors, without
// generating the page's lines. ok is false, with a zero window, when q
// filters by level or text: such a page is not a range of lines, and only
// Logs serves it.
func (s *Store) LogWindow(id studio.RunID, q api.LogQuery) (w LogWindow, ok bool, err error) {
	lp, err := s.logPosition(id, q)
	if err != nil || lp.filtered() {
		return LogWindow{}, false, err
	}
	return lp.window(), true, nil
}

// logPosition is a validated log query: the run, where the page starts
// and in which direction, and how many lines it holds at most.
type logPosition struct {
	view     runView
	pos      int64
	backward bool
	limit    int
	levels   []studio.LogLevel
	q        string
}

func (lp *logPosition) filtered() bool { return len(lp.levels) > 0 || lp.q != "" }

// page returns the unfiltered page at lp without its lines.
func (lp *logPosition) page() api.LogPage {
	count := lp.view.logCount
	from, to := lp.pos, min(lp.pos+int64(lp.limit), count)
	if lp.backward {
		from, to = max(0, lp.pos-int64(lp.limit)), lp.pos
	}
	p := api.LogPage{Total: count, ScannedFrom: from, ScannedTo: to}
	setLinks(&p, from, to, count)
	return p
}

// window returns the unfiltered page at lp as a LogWindow.
func (lp *logPosition) window() LogWindow {
	return LogWindow{Page: lp.page(), Run: lp.view.plan.Run.ID, plan: lp.view.plan}
}

// logPosition validates q against run id's log and resolves its position.
func (s *Store) logPosition(id studio.RunID, q api.LogQuery) (logPosition, error) {
	v, err := s.view(id)
	if err != nil {
		return logPosition{}, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = api.DefaultLogLimit
	}
	if limit < 1 || limit > api.MaxLogLimit {
		return logPosition{}, studio.Errorf(studio.CodeInvalid, "limit must be between 1 and %d", api.MaxLogLimit)
	}
	if err := checkLevels(q.Level); err != nil {
		return logPosition{}, err
	}
	count := v.logCount
	positions := 0
	// FromSeq 0 is the default position, so it does not conflict with another.
	for _, set := range []bool{q.Cursor != "", q.FromSeq > 0, q.FromTime != "", q.Tail != 0} {
		if set {
			positions++
		}
	}
	if positions > 1 {
		return logPosition{}, studio.Errorf(studio.CodeInvalid, "give at most one of cursor, from_seq, from_time and tail")
	}
	pos, backward := int64(0), q.Backward
	switch {
	case q.Cursor != "":
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return logPosition{}, studio.Errorf(studio.CodeInvalid, "%v", err)
		}
		if c.pos > count {
			return logPosition{}, studio.Errorf(studio.CodeInvalid, "invalid cursor %q: past the end of the log (%d lines)", q.Cursor, count)
		}
		pos, backward = c.pos, backward || c.backward
	case q.FromSeq < -1:
		return logPosition{}, studio.Errorf(studio.CodeInvalid, "from_seq must be >= 0")
	case q.FromSeq > 0:
		pos = min(q.FromSeq, count)
	case q.FromTime != "":
		t, err := time.Parse(time.RFC3339Nano, q.FromTime)
		if err != nil {
			return logPosition{}, studio.Errorf(studio.CodeInvalid, "from_time must be an RFC 3339 time, not %q", truncate(q.FromTime, 40))
		}
		if v.plan.Started() {
			// Clamped again: SeqAt overflows for times centuries away.
			pos = min(max(v.plan.SeqAt(t, count), 0), count)
		}
	case q.Tail < 0 || q.Tail > api.MaxLogLimit:
		return logPosition{}, studio.Errorf(studio.CodeInvalid, "tail must be between 1 and %d", api.MaxLogLimit)
	case q.Tail > 0:
		pos, backward, limit = count, true, q.Tail
	}
	return logPosition{view: v, pos: pos, backward: backward, limit: limit, levels: q.Level, q: q.Q}, nil
}

// appendLines appends lines [from, to) of plan to dst, as plan.LogLine
// returns them, but with the page's messages in one string: a page costs a
// few allocations instead of several per line.
func appendLines(dst []studio.LogLine, plan *synth.RunPlan, from, to int64) []studio.LogLine {
	if to <= from {
		return dst
	}
	const meanMessage = 96 // bytes; the buffer grows when needed
	buf := make([]byte, 0, (to-from)*meanMessage)
	ends := make([]int, 0, to-from)
	first := len(dst)
	for seq := from; seq < to; seq++ {
		var lvl studio.LogLevel
		var src string
		buf, lvl, src = plan.AppendLogMessage(buf, seq)
		ends = append(ends, len(buf))
		dst = append(dst, studio.LogLine{Seq: seq, Time: plan.LineTime(seq), Level: lvl, Source: src})
	}
	text := string(buf)
	start := 0
	for i, end := range ends {
		dst[first+i].Message = text[start:end]
		start = end
	}
	return dst
}

// setLinks sets Next (continue after to) and Prev (continue before from).
func setLinks(p *api.LogPage, from, to, count int64) {
	if to < count {
		p.Next = cursor{pos: to}.String()
	}
	if from > 0 {
		p.Prev = cursor{pos: from, backward: true}.String()
	}
}

func filteredPage(plan *synth.RunPlan, count, pos int64, backward bool, limit int, m *matcher) api.LogPage {
	p := api.LogPage{Lines: []studio.LogLine{}, Total: count, Filtered: true}
	if !backward {
		end := min(count, pos+MaxLogScan)
		seq := pos
		for ; seq < end && len(p.Lines) < limit; seq++ {
			if m.match(seq) {
				p.Lines = append(p.Lines, plan.LogLine(seq))
			}
		}
		p.ScannedFrom, p.ScannedTo = pos, seq
	} else {
		end := max(0, pos-MaxLogScan)
		seq := pos
		for ; seq > end && len(p.Lines) < limit; seq-- {
			if m.match(seq - 1) {
				p.Lines = append(p.Lines, plan.LogLine(seq-1))
			}
		}
		slices.Reverse(p.Lines)
		p.ScannedFrom, p.ScannedTo = seq, pos
	}
	setLinks(&p, p.ScannedFrom, p.ScannedTo, count)
	return p
}
