package ui

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		msg, q string
		want   []string
	}{
		{"no query", "", []string{"no query"}},
		{"Loss spike at step 7", "SPIKE", []string{"Loss ", "spike", " at step 7"}},
		{"aaa", "a", []string{"", "a", "", "a", "", "a", ""}},
		{"nothing here", "zzz", []string{"nothing here"}},
	}
	for _, tt := range tests {
		if got := highlight(tt.msg, tt.q); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("highlight(%q, %q) = %q; want %q", tt.msg, tt.q, got, tt.want)
		}
	}
}

func TestLogFilterKeeps(t *testing.T) {
	l := studio.LogLine{Level: studio.LevelWarn, Message: "Checkpoint upload retried"}
	tests := []struct {
		f    logFilter
		want bool
	}{
		{logFilter{}, true},
		{logFilter{levels: []studio.LogLevel{studio.LevelError}}, false},
		{logFilter{levels: []studio.LogLevel{studio.LevelError, studio.LevelWarn}}, true},
		{logFilter{q: "UPLOAD"}, true},
		{logFilter{levels: []studio.LogLevel{studio.LevelWarn}, q: "nope"}, false},
	}
	for _, tt := range tests {
		if got := tt.f.keeps(l); got != tt.want {
			t.Errorf("%+v.keeps = %v; want %v", tt.f, got, tt.want)
		}
	}
}

func TestLogList(t *testing.T) {
	var l logList
	l.appendPage(linesFrom(100, 3), "c100")
	l.appendPage(append(linesFrom(102, 1), linesFrom(103, 2)...), "")
	if n := len(l.lines); n != 5 || l.next != "" {
		t.Fatalf("after two forward pages: %d lines, next %q; want 5 (one overlap dropped), end", n, l.next)
	}
	added := l.prependPage(append(linesFrom(97, 3), linesFrom(100, 1)...), "b97")
	if added != 3 || l.lines[0].Seq != 97 || l.prev != "b97" {
		t.Errorf("prepend added %d, first %d, prev %q; want 3, 97, b97", added, l.lines[0].Seq, l.prev)
	}
	if i, ok := l.index(101); !ok || i != 4 {
		t.Errorf("index(101) = %d, %v; want 4, true", i, ok)
	}
	if i, ok := l.index(99999); ok || i != len(l.lines) {
		t.Errorf("index past the end = %d, %v", i, ok)
	}
}

func TestLogSearchLabel(t *testing.T) {
	s := &logSearch{q: "x", count: 1204, seqs: []int64{5, 9, 40}, cur: -1}
	if got := s.label(); got != "1,204 matches" {
		t.Errorf("label = %q", got)
	}
	s.cur = 1
	if got := s.label(); got != "2 of 1,204" {
		t.Errorf("label = %q; want 2 of 1,204", got)
	}
	if i, ok := s.firstFrom(10); !ok || i != 2 {
		t.Errorf("firstFrom(10) = %d, %v; want 2", i, ok)
	}
	if _, ok := s.firstFrom(41); ok {
		t.Error("firstFrom past the loaded matches = ok")
	}
	if i := s.lastBefore(9); i != 0 {
		t.Errorf("lastBefore(9) = %d; want 0", i)
	}
	var none *logSearch
	if none.label() != "" {
		t.Error("nil search has a label")
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1000000: "1,000,000", -1234: "-1,234"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestLevelCountLabel(t *testing.T) {
	tests := []struct {
		name string
		c    *levelCount
		want string
	}{
		{"no level filter", nil, ""},
		{"in flight", &levelCount{levels: "error,", busy: true}, "counting…"},
		{"failed", &levelCount{levels: "error,", err: errors.New("boom")}, "count failed"},
		{"none", &levelCount{levels: "error,", done: true}, "0 lines"},
		{"one", &levelCount{levels: "error,", count: 1, done: true}, "1 line"},
		{"many", &levelCount{levels: "warn,error,", count: 31245, done: true}, "31,245 lines"},
		{"a recount keeps the last count", &levelCount{levels: "error,", count: 12, done: true, busy: true}, "12 lines"},
		{"a failed recount keeps the last count", &levelCount{levels: "error,", count: 12, done: true, err: errors.New("boom")}, "12 lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.label(); got != tt.want {
				t.Errorf("label() = %q; want %q", got, tt.want)
			}
		})
	}
}
