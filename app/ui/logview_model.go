package ui

import (
	"sort"
	"strings"

	"github.com/aiinfra/studio/shared/studio"
)

// logList is the filtered log (level filter, or only the lines matching
// the search): a contiguous stretch of matching lines loaded page by page
// in both directions from an anchor, as an infinite query does. prev and
// next are the API cursors that continue it ("" at the ends of the log).
type logList struct {
	lines      []studio.LogLine
	prev, next string
	loaded     bool // the first page arrived
}

// maxListLines bounds a filtered list; the far end is dropped past it.
const maxListLines = 20_000

// index returns the position of the first line with seq >= seq, and
// whether that line is exactly seq.
func (l *logList) index(seq int64) (int, bool) {
	i := sort.Search(len(l.lines), func(i int) bool { return l.lines[i].Seq >= seq })
	return i, i < len(l.lines) && l.lines[i].Seq == seq
}

// appendPage adds a forward page after the list. Lines at or before the
// list's last seq are skipped.
func (l *logList) appendPage(lines []studio.LogLine, next string) {
	last := int64(-1)
	if n := len(l.lines); n > 0 {
		last = l.lines[n-1].Seq
	}
	for _, ln := range lines {
		if ln.Seq > last {
			l.lines = append(l.lines, ln)
			last = ln.Seq
		}
	}
	l.next = next
	if over := len(l.lines) - maxListLines; over > 0 {
		l.lines = append(l.lines[:0:0], l.lines[over:]...)
		l.prev = "c" // not a real cursor: reload before the first line
	}
	l.loaded = true
}

// prependPage adds a backward page before the list and returns the number
// of lines added (the caller keeps the scroll position steady with it).
func (l *logList) prependPage(lines []studio.LogLine, prev string) int {
	first := int64(1) << 62
	if len(l.lines) > 0 {
		first = l.lines[0].Seq
	}
	keep := make([]studio.LogLine, 0, len(lines)+len(l.lines))
	for _, ln := range lines {
		if ln.Seq < first && (len(keep) == 0 || ln.Seq > keep[len(keep)-1].Seq) {
			keep = append(keep, ln)
		}
	}
	added := len(keep)
	l.lines = append(keep, l.lines...)
	l.prev = prev
	if over := len(l.lines) - maxListLines; over > 0 {
		l.lines = l.lines[:maxListLines]
		l.next = "c"
	}
	l.loaded = true
	return added
}

// logFilter is what the viewer filters on.
type logFilter struct {
	levels []studio.LogLevel // any of; empty means all
	q      string            // only lines containing q (case-insensitive); "" for all
}

// active reports whether the filter hides lines.
func (f logFilter) active() bool { return len(f.levels) > 0 || f.q != "" }

// keeps reports whether line l passes the filter (for streamed lines).
func (f logFilter) keeps(l studio.LogLine) bool {
	if len(f.levels) > 0 {
		ok := false
		for _, lv := range f.levels {
			if l.Level == lv {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return f.q == "" || containsFold(l.Message, f.q)
}

// containsFold reports whether s contains sub, ignoring ASCII case.
func containsFold(s, sub string) bool {
	return indexFold(s, sub) >= 0
}

// indexFold returns the index of sub in s ignoring ASCII case, or -1.
func indexFold(s, sub string) int {
	if sub == "" {
		return 0
	}
	return strings.Index(asciiLower(s), asciiLower(sub))
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// highlight splits msg around the case-insensitive matches of q: even
// indexes are plain text, odd ones matches.
func highlight(msg, q string) []string {
	if q == "" {
		return []string{msg}
	}
	low, lq := asciiLower(msg), asciiLower(q)
	var parts []string
	for {
		i := strings.Index(low, lq)
		if i < 0 {
			return append(parts, msg)
		}
		parts = append(parts, msg[:i], msg[i:i+len(q)])
		msg, low = msg[i+len(q):], low[i+len(q):]
	}
}

// logSearch is the state of an in-log search: the total match count over
// the whole log and the matching seqs loaded so far, a prefix of all of
// them in order (the API pages them by from_seq).
type logSearch struct {
	q      string
	levels string // the level filter the search ran with
	count  int64
	seqs   []int64
	more   bool // matches after the last of seqs exist
	cur    int  // index of the current match in seqs, -1 for none
	err    error
	busy   bool
}

// firstFrom returns the index of the first loaded match at or after seq;
// ok is false when it is not loaded (load more if s.more).
func (s *logSearch) firstFrom(seq int64) (int, bool) {
	i := sort.Search(len(s.seqs), func(i int) bool { return s.seqs[i] >= seq })
	return i, i < len(s.seqs)
}

// lastBefore returns the index of the last loaded match before seq, -1
// when there is none.
func (s *logSearch) lastBefore(seq int64) int {
	return sort.Search(len(s.seqs), func(i int) bool { return s.seqs[i] >= seq }) - 1
}

// label is the "37 of 1,204" text.
func (s *logSearch) label() string {
	switch {
	case s == nil || s.q == "":
		return ""
	case s.err != nil:
		return "search failed"
	case s.busy && s.count == 0:
		return "searching…"
	case s.count == 0:
		return "no matches"
	case s.cur < 0:
		return formatCount(s.count) + " matches"
	}
	return formatCount(int64(s.cur+1)) + " of " + formatCount(s.count)
}

// levelCount is the number of lines of the level filter's levels in the
// whole log, as a level-only search (no q) counts them.
type levelCount struct {
	levels string // the levelKey of the filter counted
	count  int64
	done   bool // count holds a result
	busy   bool // a count is in flight
	queued bool // a recount of the live log is scheduled
	err    error
}

// label is the "12,345 lines" text; "" when no level filter is on.
func (c *levelCount) label() string {
	switch {
	case c == nil:
		return ""
	case c.err != nil && !c.done:
		return "count failed"
	case !c.done:
		return "counting…"
	case c.count == 1:
		return "1 line"
	}
	return formatCount(c.count) + " lines"
}

// formatCount writes n with thousands separators.
func formatCount(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := []byte{}
	d := 0
	for {
		s = append(s, byte('0'+n%10))
		n /= 10
		d++
		if n == 0 {
			break
		}
		if d%3 == 0 {
			s = append(s, ',')
		}
	}
	if neg {
		s = append(s, '-')
	}
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return string(s)
}
