package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// span builds a span starting at ms and lasting dur ms.
func span(id, parent, svc string, ms, dur int64, status studio.SpanStatus) studio.Span {
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	return studio.Span{
		ID: id, Parent: parent, Service: svc, Operation: "op-" + id,
		Start: t0.Add(time.Duration(ms) * time.Millisecond), DurationUS: dur * 1000,
		Status: status, Attributes: map[string]string{"http.route": "/v1/" + id},
	}
}

// testTrace:
//
//	root 0..100
//	  a 0..30        (child a1 5..25)
//	  b 10..60       (parallel with a, ends later)
//	  c 60..100      (sequential after b)
//	    c1 65..95 error
//	orphan (unknown parent) 0..10
func testTrace() []studio.Span {
	return []studio.Span{
		span("root", "", "gateway", 0, 100, studio.SpanOK),
		span("a", "root", "auth", 0, 30, studio.SpanOK),
		span("a1", "a", "auth", 5, 20, studio.SpanOK),
		span("b", "root", "router", 10, 50, studio.SpanOK),
		span("c", "root", "router", 60, 40, studio.SpanOK),
		span("c1", "c", "db", 65, 30, studio.SpanError),
		span("orphan", "missing", "db", 0, 10, studio.SpanOK),
	}
}

func ids(t *spanTree, idx []int) string {
	out := make([]string, len(idx))
	for i, k := range idx {
		out[i] = t.spans[k].ID
	}
	return strings.Join(out, " ")
}

func TestSpanTree(t *testing.T) {
	tr := buildSpanTree(testTrace())
	if got := ids(tr, tr.order); got != "root a a1 b c c1 orphan" && got != "orphan root a a1 b c c1" {
		t.Errorf("preorder = %s", got)
	}
	byID := map[string]int{}
	for i, s := range tr.spans {
		byID[s.ID] = i
	}
	depth := map[string]int{"root": 0, "a": 1, "a1": 2, "b": 1, "c": 1, "c1": 2, "orphan": 0}
	for id, d := range depth {
		if got := tr.depth[byID[id]]; got != d {
			t.Errorf("depth(%s) = %d; want %d", id, got, d)
		}
	}
	if tr.total != 100_000 {
		t.Errorf("total = %dµs; want 100000", tr.total)
	}
	if got := tr.size[byID["root"]]; got != 5 {
		t.Errorf("size(root) = %d; want 5", got)
	}
	if !tr.errBelow[byID["root"]] || !tr.errBelow[byID["c"]] || tr.errBelow[byID["a"]] {
		t.Error("errBelow does not follow the error span c1 up to its ancestors only")
	}
	if strings.Join(tr.services, ",") != "auth,db,gateway,router" {
		t.Errorf("services = %v", tr.services)
	}
}

func TestCriticalPath(t *testing.T) {
	tr := buildSpanTree(testTrace())
	var crit []string
	for _, i := range tr.order {
		if tr.critical[i] {
			crit = append(crit, tr.spans[i].ID)
		}
	}
	// root ends at 100 because of c (60..100), which waits for b
	// (10..60); b started at 10, before which a (0..30, clipped to 10)
	// and its child a1 (5..25) ran. c1 determines c's end.
	if got := strings.Join(crit, " "); got != "root a a1 b c c1 orphan" {
		t.Errorf("critical path = %s; want root a a1 b c c1 orphan", got)
	}
}

func TestCriticalPathFanOutIsLinear(t *testing.T) {
	// A root with 10,000 parallel children must not take quadratic time.
	spans := []studio.Span{span("root", "", "s", 0, 100, studio.SpanOK)}
	for i := range 10000 {
		spans = append(spans, span(fmt.Sprint("c", i), "root", "s", int64(i%50), 10, studio.SpanOK))
	}
	start := time.Now()
	tr := buildSpanTree(spans)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("buildSpanTree of 10,001 spans took %v", d)
	}
	if len(tr.order) != len(spans) {
		t.Errorf("order has %d spans; want %d", len(tr.order), len(spans))
	}
}

func TestVisibleAndMatches(t *testing.T) {
	tr := buildSpanTree(testTrace())
	byID := map[string]int{}
	for i, s := range tr.spans {
		byID[s.ID] = i
	}
	all := ids(tr, tr.visible(nil))
	if strings.Count(all, " ")+1 != 7 {
		t.Errorf("visible(nil) = %s; want every span", all)
	}
	got := ids(tr, tr.visible(map[int]bool{byID["a"]: true, byID["c"]: true}))
	if strings.Contains(got, "a1") || strings.Contains(got, "c1") || !strings.Contains(got, "b") {
		t.Errorf("visible with a and c collapsed = %s", got)
	}
	if got := ids(tr, tr.visible(map[int]bool{byID["root"]: true})); got != "root orphan" && got != "orphan root" {
		t.Errorf("visible with root collapsed = %s", got)
	}
	tests := []struct {
		q, want string
	}{
		{"", ""},
		{"op-c", "c c1"},
		{"ROUTER", "b c"},
		{"route=/v1/a1", "a1"},
		{"db op-c1", "c1"},
		{"nothing", ""},
	}
	for _, tt := range tests {
		if got := ids(tr, tr.matches(tt.q)); got != tt.want {
			t.Errorf("matches(%q) = %q; want %q", tt.q, got, tt.want)
		}
	}
	if got := ids(tr, tr.ancestors(byID["c1"])); got != "c root" {
		t.Errorf("ancestors(c1) = %s; want c root", got)
	}
}

func TestSpanTreeSurvivesBadData(t *testing.T) {
	spans := []studio.Span{
		span("x", "y", "s", 0, 10, studio.SpanOK),
		span("y", "x", "s", 0, 10, studio.SpanOK), // a cycle
		span("z", "z", "s", 0, -5, studio.SpanOK), // own parent, negative duration
	}
	tr := buildSpanTree(spans)
	if len(tr.order) != 3 {
		t.Fatalf("order = %v; want all 3 spans", tr.order)
	}
	if tr.end[2] < tr.start[2] {
		t.Error("negative duration gives an end before the start")
	}
	if empty := buildSpanTree(nil); len(empty.order) != 0 || empty.total != 0 {
		t.Error("empty trace is not empty")
	}
}
