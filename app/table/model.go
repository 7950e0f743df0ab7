package table

import (
	"net/url"
	"slices"
	"sort"
	"strings"
)

// State is the part of a table's view a user controls and may share: the
// sort column and direction, the text filter and the visible columns. It
// lives in the page URL.
type State struct {
	// Sort is the ID of the sort column, "" for the rows' own order.
	Sort string
	Desc bool
	// Filter is the text filter as typed.
	Filter string
	// Columns lists the visible column IDs; nil means the defaults.
	Columns []string
}

// URL query parameter names, after the table's prefix.
const (
	paramSort = "sort" // "name" ascending, "-name" descending
	paramQ    = "q"
	paramCols = "cols" // comma-separated visible column IDs
)

// Encode writes s into q under prefix: prefix+"sort" ("-id" when
// descending), prefix+"q" and prefix+"cols". Empty values delete their
// parameter, so the default state leaves a clean URL.
func (s State) Encode(q url.Values, prefix string) {
	set := func(k, v string) {
		if v == "" {
			q.Del(prefix + k)
		} else {
			q.Set(prefix+k, v)
		}
	}
	sortV := s.Sort
	if sortV != "" && s.Desc {
		sortV = "-" + sortV
	}
	set(paramSort, sortV)
	set(paramQ, s.Filter)
	if s.Columns == nil {
		q.Del(prefix + paramCols)
	} else {
		cols := strings.Join(s.Columns, ",")
		if cols == "" {
			cols = "," // nothing visible is still an explicit choice
		}
		q.Set(prefix+paramCols, cols)
	}
}

// DecodeState reads the State that Encode wrote under prefix. Unknown
// column IDs are kept; the table ignores them.
func DecodeState(q url.Values, prefix string) State {
	var s State
	if v := q.Get(prefix + paramSort); v != "" {
		s.Desc = strings.HasPrefix(v, "-")
		s.Sort = strings.TrimPrefix(v, "-")
	}
	s.Filter = q.Get(prefix + paramQ)
	if q.Has(prefix + paramCols) {
		s.Columns = []string{}
		for _, id := range strings.Split(q.Get(prefix+paramCols), ",") {
			if id = strings.TrimSpace(id); id != "" {
				s.Columns = append(s.Columns, id)
			}
		}
	}
	return s
}

// Equal reports whether s and o describe the same view.
func (s State) Equal(o State) bool {
	return s.Sort == o.Sort && s.Desc == o.Desc && s.Filter == o.Filter &&
		(s.Columns == nil) == (o.Columns == nil) && slices.Equal(s.Columns, o.Columns)
}

// Matcher reports whether a row, given by the lowercased text of its
// filterable cells, matches a filter. Every whitespace-separated term of
// the filter must occur in the text, case-insensitively.
type Matcher struct{ terms []string }

// NewMatcher parses a filter as typed.
func NewMatcher(filter string) Matcher {
	return Matcher{terms: strings.Fields(strings.ToLower(filter))}
}

// Empty reports whether the filter has no terms (every row matches).
func (m Matcher) Empty() bool { return len(m.terms) == 0 }

// Match reports whether lowered (already lowercased) contains every term.
func (m Matcher) Match(lowered string) bool {
	for _, t := range m.terms {
		if !strings.Contains(lowered, t) {
			return false
		}
	}
	return true
}

// View returns the indexes of the n rows that keep(i) accepts, sorted with
// cmp (nil keeps the input order) and reversed when desc. Ties keep the
// input order in both directions, so paging through equal values is
// stable.
func View(n int, keep func(i int) bool, cmp func(i, j int) int, desc bool) []int {
	idx := make([]int, 0, n)
	for i := range n {
		if keep == nil || keep(i) {
			idx = append(idx, i)
		}
	}
	if cmp != nil {
		sort.SliceStable(idx, func(a, b int) bool {
			c := cmp(idx[a], idx[b])
			if desc {
				return c > 0
			}
			return c < 0
		})
	}
	return idx
}

// Window returns the half-open range [start, end) of rows to put in the
// DOM for a viewport of the given pixel height scrolled to scrollTop, with
// rows of rowHeight pixels. The range covers every visible row plus about
// overscan rows on each side; it moves in steps of overscan rows, so it
// changes once per overscan rows scrolled and most scroll events leave it
// unchanged and need no render.
func Window(scrollTop, viewport, rowHeight, total, overscan int) (start, end int) {
	if total <= 0 || rowHeight <= 0 {
		return 0, 0
	}
	if overscan < 1 {
		overscan = 1
	}
	scrollTop = max(scrollTop, 0)
	viewport = max(viewport, rowHeight)
	vis := (viewport+rowHeight-1)/rowHeight + 1 // rows a viewport can show
	anchor := scrollTop / rowHeight / overscan * overscan
	start = max(anchor-overscan, 0)
	end = min(anchor+2*overscan+vis, total)
	if start >= end {
		start = max(end-overscan, 0)
	}
	return start, end
}

// ScrollToShow returns the scrollTop that brings row into a viewport of
// the given height with the least scrolling; scrollTop itself when the
// row is already fully visible.
func ScrollToShow(row, scrollTop, viewport, rowHeight int) int {
	top := row * rowHeight
	switch {
	case top < scrollTop:
		return top
	case top+rowHeight > scrollTop+viewport:
		return max(top+rowHeight-viewport, 0)
	}
	return scrollTop
}

// Move returns the active row after a navigation key in a list of n rows
// with page rows per screen, or (active, false) for other keys. active is
// -1 when no row is active yet; any move then starts at the first row.
func Move(key string, active, n, page int) (int, bool) {
	if n == 0 {
		return -1, false
	}
	page = max(page, 1)
	clamp := func(i int) int { return min(max(i, 0), n-1) }
	if active < 0 {
		switch key {
		case "ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home":
			return 0, true
		case "End":
			return n - 1, true
		}
		return active, false
	}
	switch key {
	case "ArrowDown":
		return clamp(active + 1), true
	case "ArrowUp":
		return clamp(active - 1), true
	case "PageDown":
		return clamp(active + page), true
	case "PageUp":
		return clamp(active - page), true
	case "Home":
		return 0, true
	case "End":
		return n - 1, true
	}
	return active, false
}

// SlotCount returns how many DOM rows a viewport of the given height can
// need: the largest window Window returns for it.
func SlotCount(viewport, rowHeight, overscan int) int {
	if rowHeight <= 0 {
		return 0
	}
	overscan = max(overscan, 1)
	viewport = max(viewport, rowHeight)
	return (viewport+rowHeight-1)/rowHeight + 1 + 3*overscan
}

// Slots maps the rows [start, end) onto n DOM slots so that row i always
// lands in slot i mod n: when the window moves, rows that stay in view
// keep their DOM element (and go-app rewrites nothing in them), and only
// the slots of rows entering the window change. It returns, per slot, the
// row it shows or -1 for an unused slot. end-start must not exceed n.
func Slots(start, end, n int) []int {
	slots := make([]int, n)
	for k := range slots {
		slots[k] = -1
	}
	if n <= 0 {
		return slots
	}
	for i := start; i < end && i < start+n; i++ {
		slots[i%n] = i
	}
	return slots
}
