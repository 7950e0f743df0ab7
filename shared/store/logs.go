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
	v, err := s.view(id)
	if err != nil {
		return api.LogPage{}, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = api.DefaultLogLimit
	}
	if limit < 1 || limit > api.MaxLogLimit {
		return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "limit must be between 1 and %d", api.MaxLogLimit)
	}
	if err := checkLevels(q.Level); err != nil {
		return api.LogPage{}, err
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
		return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "give at most one of cursor, from_seq, from_time and tail")
	}
	pos, backward := int64(0), q.Backward
	switch {
	case q.Cursor != "":
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "%v", err)
		}
		if c.pos > count {
			return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "invalid cursor %q: past the end of the log (%d lines)", q.Cursor, count)
		}
		pos, backward = c.pos, backward || c.backward
	case q.FromSeq < -1:
		return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "from_seq must be >= 0")
	case q.FromSeq > 0:
		pos = min(q.FromSeq, count)
	case q.FromTime != "":
		t, err := time.Parse(time.RFC3339Nano, q.FromTime)
		if err != nil {
			return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "from_time must be an RFC 3339 time, not %q", truncate(q.FromTime, 40))
		}
		if v.plan.Started() {
			pos = v.plan.SeqAt(t, count)
		}
	case q.Tail < 0 || q.Tail > api.MaxLogLimit:
		return api.LogPage{}, studio.Errorf(studio.CodeInvalid, "tail must be between 1 and %d", api.MaxLogLimit)
	case q.Tail > 0:
		pos, backward, limit = count, true, q.Tail
	}
	if len(q.Level) > 0 || q.Q != "" {
		return filteredPage(&v.plan, count, pos, backward, limit, newMatcher(&v.plan, q.Level, q.Q)), nil
	}
	from, to := pos, min(pos+int64(limit), count)
	if backward {
		from, to = max(0, pos-int64(limit)), pos
	}
	p := api.LogPage{Lines: appendLines(make([]studio.LogLine, 0, to-from), &v.plan, from, to), Total: count, ScannedFrom: from, ScannedTo: to}
	setLinks(&p, from, to, count)
	return p, nil
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
