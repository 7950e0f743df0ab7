package ui

import (
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

func linesFrom(start int64, n int) []studio.LogLine {
	out := make([]studio.LogLine, n)
	for i := range out {
		out[i] = studio.LogLine{Seq: start + int64(i)}
	}
	return out
}

func TestLogPages(t *testing.T) {
	c := newLogPages()
	c.max = 3
	if got := c.missing(150, 450, 1000); len(got) != 3 || got[0] != 1 {
		t.Fatalf("missing(150, 450) = %v; want pages 1, 0, 2 (middle first)", got)
	}
	c.start(1)
	if got := c.missing(150, 450, 1000); len(got) != 2 {
		t.Errorf("missing with page 1 in flight = %v; want 2 pages", got)
	}
	c.put(1, linesFrom(200, 200))
	if l, ok := c.line(321); !ok || l.Seq != 321 {
		t.Errorf("line(321) = %v, %v; want seq 321", l.Seq, ok)
	}
	if _, ok := c.line(400); ok {
		t.Error("line(400) found in an uncached page")
	}
	// A partial last page counts as complete only up to total.
	c.put(4, linesFrom(800, 50))
	if got := c.missing(800, 850, 850); len(got) != 0 {
		t.Errorf("missing for a complete tail page = %v; want none", got)
	}
	if got := c.missing(800, 900, 900); len(got) != 1 {
		t.Errorf("missing after the log grew = %v; want page 4 again", got)
	}
	// LRU: touching page 1 keeps it; the oldest other page goes.
	c.put(2, linesFrom(400, 200))
	c.touch(200, 300)
	c.put(3, linesFrom(600, 200))
	if c.len() != 3 {
		t.Fatalf("len = %d; want 3", c.len())
	}
	if _, ok := c.line(820); ok {
		t.Error("the least recently used page 4 was kept")
	}
	if _, ok := c.line(250); !ok {
		t.Error("the recently touched page 1 was dropped")
	}
	// A page with a hole keeps only its consecutive prefix.
	bad := append(linesFrom(0, 10), studio.LogLine{Seq: 42})
	c.put(0, bad)
	if _, ok := c.line(9); !ok {
		t.Error("line 9 of the consecutive prefix missing")
	}
	if got := c.missing(0, 200, 1000); len(got) != 1 || got[0] != 0 {
		t.Errorf("missing(0,200) after a short page = %v; want [0]", got)
	}
}
