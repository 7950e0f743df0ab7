package ui

import (
	"sort"
	"strings"

	"github.com/aiinfra/studio/shared/studio"
)

// spanTree is a trace's spans arranged for the waterfall: parent and
// children links, depth, times relative to the trace start, a preorder,
// subtree sizes and the critical path. Build it once per trace; every
// view (collapse, search) works on indexes into it.
type spanTree struct {
	spans    []studio.Span
	parent   []int   // -1 for a root
	children [][]int // by start time
	depth    []int
	start    []int64 // µs from the trace start
	end      []int64
	total    int64 // µs from the trace start to the last end
	order    []int // preorder (parents before children, siblings by start)
	pos      []int // pos[i] is i's index in order
	size     []int // descendants of i (subtree size minus one)
	critical []bool
	errBelow []bool // a descendant (or the span itself) has status error
	service  []int  // index into services
	services []string
	text     []string // lowercased searchable text
}

// buildSpanTree indexes spans. Spans whose parent is missing become roots.
func buildSpanTree(spans []studio.Span) *spanTree {
	n := len(spans)
	t := &spanTree{
		spans:    spans,
		parent:   make([]int, n),
		children: make([][]int, n),
		depth:    make([]int, n),
		start:    make([]int64, n),
		end:      make([]int64, n),
		pos:      make([]int, n),
		size:     make([]int, n),
		critical: make([]bool, n),
		errBelow: make([]bool, n),
		service:  make([]int, n),
		text:     make([]string, n),
	}
	if n == 0 {
		return t
	}
	byID := make(map[string]int, n)
	t0 := spans[0].Start
	svc := map[string]bool{}
	for i, s := range spans {
		byID[s.ID] = i
		if s.Start.Before(t0) {
			t0 = s.Start
		}
		svc[s.Service] = true
	}
	for s := range svc {
		t.services = append(t.services, s)
	}
	sort.Strings(t.services)
	svcIdx := make(map[string]int, len(t.services))
	for i, s := range t.services {
		svcIdx[s] = i
	}
	var roots []int
	for i, s := range spans {
		t.start[i] = s.Start.Sub(t0).Microseconds()
		t.end[i] = t.start[i] + max(s.DurationUS, 0)
		t.total = max(t.total, t.end[i])
		t.service[i] = svcIdx[s.Service]
		p, ok := byID[s.Parent]
		if s.Parent == "" || !ok || p == i {
			t.parent[i] = -1
			roots = append(roots, i)
			continue
		}
		t.parent[i] = p
		t.children[p] = append(t.children[p], i)
	}
	byStart := func(ids []int) {
		sort.SliceStable(ids, func(a, b int) bool { return t.start[ids[a]] < t.start[ids[b]] })
	}
	byStart(roots)
	for i := range t.children {
		byStart(t.children[i])
	}
	// Preorder with an explicit stack (traces can be deep).
	t.order = make([]int, 0, n)
	visited := make([]bool, n)
	stack := make([]int, 0, 64)
	for k := len(roots) - 1; k >= 0; k-- {
		stack = append(stack, roots[k])
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[i] {
			continue // a cycle in bad data
		}
		visited[i] = true
		t.pos[i] = len(t.order)
		t.order = append(t.order, i)
		if p := t.parent[i]; p >= 0 {
			t.depth[i] = t.depth[p] + 1
		}
		ch := t.children[i]
		for k := len(ch) - 1; k >= 0; k-- {
			stack = append(stack, ch[k])
		}
	}
	// Spans caught in a parent cycle never reached: append as roots.
	for i := range spans {
		if !visited[i] {
			t.parent[i] = -1
			t.pos[i] = len(t.order)
			t.order = append(t.order, i)
		}
	}
	// Subtree sizes and error propagation, children before parents.
	for k := len(t.order) - 1; k >= 0; k-- {
		i := t.order[k]
		if spans[i].Status == studio.SpanError {
			t.errBelow[i] = true
		}
		if p := t.parent[i]; p >= 0 {
			t.size[p] += t.size[i] + 1
			t.errBelow[p] = t.errBelow[p] || t.errBelow[i]
		}
	}
	for _, r := range roots {
		t.markCritical(r)
	}
	for i, s := range spans {
		var b strings.Builder
		b.WriteString(strings.ToLower(s.Operation))
		b.WriteByte(0)
		b.WriteString(strings.ToLower(s.Service))
		b.WriteByte(0)
		b.WriteString(strings.ToLower(s.ID))
		for k, v := range s.Attributes {
			b.WriteByte(0)
			b.WriteString(strings.ToLower(k))
			b.WriteByte('=')
			b.WriteString(strings.ToLower(v))
		}
		t.text[i] = b.String()
	}
	return t
}

// markCritical marks the critical path under root: the chain of work
// that determines when each critical span ends. Walking back from a
// span's end, it takes the child that finished last before the cursor
// (ends clipped to the cursor), descends into it and moves the cursor to
// that child's start. Children sorted by end, latest first, make this one
// pass: a child skipped because it starts after the cursor stays skipped,
// since the cursor only moves back.
func (t *spanTree) markCritical(root int) {
	stack := []int{root}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		t.critical[i] = true
		ch := append([]int(nil), t.children[i]...)
		sort.SliceStable(ch, func(a, b int) bool { return t.end[ch[a]] > t.end[ch[b]] })
		cursor := t.end[i]
		for _, c := range ch {
			if t.start[c] < cursor {
				stack = append(stack, c)
				cursor = t.start[c]
			}
		}
	}
}

// visible returns the spans shown when the spans in collapsed are folded:
// the preorder without the descendants of collapsed spans.
func (t *spanTree) visible(collapsed map[int]bool) []int {
	rows := make([]int, 0, len(t.order))
	for k := 0; k < len(t.order); k++ {
		i := t.order[k]
		rows = append(rows, i)
		if collapsed[i] {
			k += t.size[i]
		}
	}
	return rows
}

// matches returns the spans whose operation, service, id or attributes
// contain every term of q, in preorder.
func (t *spanTree) matches(q string) []int {
	terms := strings.Fields(strings.ToLower(q))
	if len(terms) == 0 {
		return nil
	}
	var out []int
	for _, i := range t.order {
		ok := true
		for _, term := range terms {
			if !strings.Contains(t.text[i], term) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// ancestors returns the parents of i, nearest first.
func (t *spanTree) ancestors(i int) []int {
	var out []int
	for p := t.parent[i]; p >= 0; p = t.parent[p] {
		out = append(out, p)
	}
	return out
}
