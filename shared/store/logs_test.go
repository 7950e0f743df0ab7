package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

func defaultLogQuery() api.LogQuery { return api.LogQuery{FromSeq: -1} }

func searchQuery(q string) api.LogSearchQuery { return api.LogSearchQuery{Q: q} }

// seqs returns the seqs of a page's lines.
func seqs(p api.LogPage) []int64 {
	out := make([]int64, len(p.Lines))
	for i, l := range p.Lines {
		out[i] = l.Seq
	}
	return out
}

func wantRange(t *testing.T, what string, p api.LogPage, from, to int64) {
	t.Helper()
	if int64(len(p.Lines)) != to-from {
		t.Fatalf("%s: %d lines; want [%d, %d)", what, len(p.Lines), from, to)
	}
	for i, l := range p.Lines {
		if l.Seq != from+int64(i) {
			t.Fatalf("%s: line %d has seq %d; want %d", what, i, l.Seq, from+int64(i))
		}
	}
}

func TestLogsPaging(t *testing.T) {
	s := readStore(t)
	const run = synth.BigLogRun
	const n = int64(synth.BigLogLines)
	c := func(pos int64) string { return cursor{pos: pos}.String() }
	b := func(pos int64) string { return cursor{pos: pos, backward: true}.String() }
	tests := []struct {
		name             string
		q                api.LogQuery
		from, to         int64
		wantNext, wantPr string
	}{
		{"default page", api.LogQuery{FromSeq: -1}, 0, 200, c(200), ""},
		{"limit", api.LogQuery{FromSeq: -1, Limit: 5}, 0, 5, c(5), ""},
		{"forward cursor", api.LogQuery{FromSeq: -1, Cursor: c(500_000), Limit: 500}, 500_000, 500_500, c(500_500), b(500_000)},
		{"backward cursor", api.LogQuery{FromSeq: -1, Cursor: b(500_000), Limit: 500}, 499_500, 500_000, c(500_000), b(499_500)},
		{"dir backward with forward cursor", api.LogQuery{FromSeq: -1, Cursor: c(10), Backward: true, Limit: 500}, 0, 10, c(10), ""},
		{"backward at start", api.LogQuery{FromSeq: -1, Cursor: b(0), Limit: 10}, 0, 0, c(0), ""},
		{"forward to the end", api.LogQuery{FromSeq: -1, Cursor: c(n - 3), Limit: 10}, n - 3, n, "", b(n - 3)},
		{"forward at the end", api.LogQuery{FromSeq: -1, Cursor: c(n), Limit: 10}, n, n, "", b(n)},
		{"backward from the end", api.LogQuery{FromSeq: -1, Cursor: b(n), Limit: 10}, n - 10, n, "", b(n - 10)},
		{"from seq", api.LogQuery{FromSeq: 999_999, Limit: 10}, 999_999, n, "", b(999_999)},
		{"from seq past the end", api.LogQuery{FromSeq: n + 50, Limit: 10}, n, n, "", b(n)},
		{"from seq backward", api.LogQuery{FromSeq: 100, Backward: true, Limit: 10}, 90, 100, c(100), b(90)},
		{"tail", api.LogQuery{FromSeq: -1, Tail: 50}, n - 50, n, "", b(n - 50)},
		{"from seq 0 with a cursor", api.LogQuery{FromSeq: 0, Cursor: c(42), Limit: 2}, 42, 44, c(44), b(42)},
		{"from seq 0 with tail", api.LogQuery{Tail: 2}, n - 2, n, "", b(n - 2)},
		{"tail ignores limit", api.LogQuery{FromSeq: -1, Tail: 3, Limit: 100}, n - 3, n, "", b(n - 3)},
		{"max limit", api.LogQuery{FromSeq: -1, Cursor: c(7), Limit: api.MaxLogLimit}, 7, 7 + api.MaxLogLimit, c(7 + api.MaxLogLimit), b(7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Logs(run, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			wantRange(t, tt.name, p, tt.from, tt.to)
			if p.Next != tt.wantNext || p.Prev != tt.wantPr {
				t.Errorf("next, prev = %q, %q; want %q, %q", p.Next, p.Prev, tt.wantNext, tt.wantPr)
			}
			if p.Total != n || p.Filtered || p.ScannedFrom != tt.from || p.ScannedTo != tt.to {
				t.Errorf("total %d filtered %v scanned [%d, %d)", p.Total, p.Filtered, p.ScannedFrom, p.ScannedTo)
			}
		})
	}
}

func TestLogsWalkBothWays(t *testing.T) {
	s := readStore(t)
	run := studio.RunID("run-0003")
	r, _ := s.Run(run)
	var fwd []int64
	q := api.LogQuery{FromSeq: -1, Limit: 777}
	for pages := 0; ; pages++ {
		p, err := s.Logs(run, q)
		if err != nil {
			t.Fatal(err)
		}
		fwd = append(fwd, seqs(p)...)
		if p.Next == "" {
			break
		}
		q = api.LogQuery{FromSeq: -1, Limit: 777, Cursor: p.Next}
		if pages > 1000 {
			t.Fatal("forward walk does not end")
		}
	}
	if int64(len(fwd)) != r.LogCount {
		t.Fatalf("forward walk saw %d lines; want %d", len(fwd), r.LogCount)
	}
	for i, seq := range fwd {
		if seq != int64(i) {
			t.Fatalf("forward walk line %d has seq %d", i, seq)
		}
	}
	var back []int64
	q = api.LogQuery{FromSeq: -1, Tail: 500}
	for {
		p, err := s.Logs(run, q)
		if err != nil {
			t.Fatal(err)
		}
		back = append(seqs(p), back...)
		if p.Prev == "" {
			break
		}
		q = api.LogQuery{FromSeq: -1, Limit: 500, Cursor: p.Prev}
	}
	if int64(len(back)) != r.LogCount || back[0] != 0 || back[len(back)-1] != r.LogCount-1 {
		t.Fatalf("backward walk saw %d lines [%d..%d]; want %d", len(back), back[0], back[len(back)-1], r.LogCount)
	}
}

func TestLogsBadQueries(t *testing.T) {
	s := readStore(t)
	tests := []struct {
		name string
		q    api.LogQuery
		msg  string
	}{
		{"limit too big", api.LogQuery{FromSeq: -1, Limit: api.MaxLogLimit + 1}, "limit must be between 1 and 2000"},
		{"negative limit", api.LogQuery{FromSeq: -1, Limit: -1}, "limit must be between 1 and 2000"},
		{"bad prefix", api.LogQuery{FromSeq: -1, Cursor: "x1"}, `invalid cursor "x1": must start with c or b`},
		{"no digits", api.LogQuery{FromSeq: -1, Cursor: "c"}, "missing position"},
		{"negative", api.LogQuery{FromSeq: -1, Cursor: "c-1"}, "lowercase base 36"},
		{"uppercase", api.LogQuery{FromSeq: -1, Cursor: "cA"}, "lowercase base 36"},
		{"leading zero", api.LogQuery{FromSeq: -1, Cursor: "c01"}, "not canonical"},
		{"overflow", api.LogQuery{FromSeq: -1, Cursor: "czzzzzzzzzzzzz"}, "out of range"},
		{"too long", api.LogQuery{FromSeq: -1, Cursor: "c" + strings.Repeat("1", 40)}, "too long"},
		{"past the end", api.LogQuery{FromSeq: -1, Cursor: cursor{pos: 2_000_000}.String()}, "past the end of the log (1000000 lines)"},
		{"two positions", api.LogQuery{FromSeq: 5, Cursor: "c1"}, "at most one of"},
		{"tail and from_time", api.LogQuery{FromSeq: -1, Tail: 5, FromTime: "2026-11-20T00:00:00Z"}, "at most one of"},
		{"bad from_seq", api.LogQuery{FromSeq: -2}, "from_seq must be >= 0"},
		{"bad from_time", api.LogQuery{FromSeq: -1, FromTime: "yesterday"}, "from_time must be an RFC 3339 time"},
		{"tail too big", api.LogQuery{FromSeq: -1, Tail: api.MaxLogLimit + 1}, "tail must be between 1 and 2000"},
		{"negative tail", api.LogQuery{FromSeq: -1, Tail: -3}, "tail must be between 1 and 2000"},
		{"bad level", api.LogQuery{FromSeq: -1, Level: []studio.LogLevel{"fatal"}}, `unknown level "fatal"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Logs(synth.BigLogRun, tt.q)
			wantCode(t, err, studio.CodeInvalid, tt.msg)
		})
	}
}

func TestLogsFromTime(t *testing.T) {
	s := readStore(t)
	const run = synth.BigLogRun
	p, _ := s.Logs(run, api.LogQuery{FromSeq: 123_456, Limit: 3})
	target := p.Lines[1] // seq 123457
	tests := []struct {
		name    string
		t       time.Time
		backwd  bool
		want    int64 // first seq (or, backward, the position)
		wantLen int
	}{
		{"exact line time", target.Time, false, -1, 10},
		{"one ns later", target.Time.Add(time.Nanosecond), false, -2, 10},
		{"before the start", target.Time.Add(-100 * 24 * time.Hour), false, 0, 10},
		{"after the end", target.Time.Add(100 * 24 * time.Hour), false, 1_000_000, 0},
		{"backward", target.Time, true, -1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Logs(run, api.LogQuery{FromSeq: -1, FromTime: tt.t.Format(time.RFC3339Nano), Limit: 10, Backward: tt.backwd})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Lines) != tt.wantLen {
				t.Fatalf("%d lines; want %d", len(p.Lines), tt.wantLen)
			}
			if tt.wantLen == 0 {
				return
			}
			first := p.Lines[0]
			switch {
			case tt.backwd:
				if last := p.Lines[len(p.Lines)-1]; !last.Time.Before(tt.t) {
					t.Errorf("backward page ends at %v, not before %v", last.Time, tt.t)
				}
			case tt.want == -1:
				if first.Time.Before(tt.t) || first.Seq > target.Seq {
					t.Errorf("first line %d at %v; want the first line at or after %v (<= %d)", first.Seq, first.Time, tt.t, target.Seq)
				}
				prev, _ := s.Logs(run, api.LogQuery{FromSeq: first.Seq - 1, Limit: 1})
				if !prev.Lines[0].Time.Before(tt.t) {
					t.Errorf("line %d at %v is also at or after %v", first.Seq-1, prev.Lines[0].Time, tt.t)
				}
			case tt.want == -2:
				if !first.Time.After(tt.t) && !first.Time.Equal(tt.t) {
					t.Errorf("first line at %v is before %v", first.Time, tt.t)
				}
			default:
				if first.Seq != tt.want {
					t.Errorf("first seq = %d; want %d", first.Seq, tt.want)
				}
			}
		})
	}
}

func TestLogsFiltered(t *testing.T) {
	s := readStore(t)
	const run = synth.BigLogRun
	tests := []struct {
		name  string
		q     api.LogQuery
		check func(studio.LogLine) bool
	}{
		{"errors", api.LogQuery{FromSeq: -1, Level: []studio.LogLevel{studio.LevelError}, Limit: 20},
			func(l studio.LogLine) bool { return l.Level == studio.LevelError }},
		{"warn or error", api.LogQuery{FromSeq: 300_000, Level: []studio.LogLevel{studio.LevelWarn, studio.LevelError}, Limit: 50},
			func(l studio.LogLine) bool { return l.Level == studio.LevelWarn || l.Level == studio.LevelError }},
		{"q ignores case", api.LogQuery{FromSeq: -1, Q: "ncCL", Limit: 30},
			func(l studio.LogLine) bool { return strings.Contains(strings.ToLower(l.Message), "nccl") }},
		{"q and level backward", api.LogQuery{FromSeq: -1, Cursor: cursor{pos: 900_000, backward: true}.String(), Q: "checkpoint", Level: []studio.LogLevel{studio.LevelInfo}, Limit: 5},
			func(l studio.LogLine) bool {
				return l.Level == studio.LevelInfo && strings.Contains(l.Message, "checkpoint")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Logs(run, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Filtered || len(p.Lines) == 0 || len(p.Lines) > tt.q.Limit {
				t.Fatalf("filtered %v, %d lines", p.Filtered, len(p.Lines))
			}
			if p.ScannedTo-p.ScannedFrom > MaxLogScan {
				t.Errorf("scanned %d lines; want <= %d", p.ScannedTo-p.ScannedFrom, MaxLogScan)
			}
			// Every matching line in the scanned range is returned, in order.
			var want []int64
			all, _ := s.Logs(run, api.LogQuery{FromSeq: p.ScannedFrom, Limit: api.MaxLogLimit})
			for seq := p.ScannedFrom; seq < p.ScannedTo; seq += api.MaxLogLimit {
				all, _ = s.Logs(run, api.LogQuery{FromSeq: seq, Limit: int(min(api.MaxLogLimit, p.ScannedTo-seq))})
				for _, l := range all.Lines {
					if tt.check(l) {
						want = append(want, l.Seq)
					}
				}
			}
			if got := seqs(p); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("lines %v; want every match in [%d, %d): %v", got, p.ScannedFrom, p.ScannedTo, want)
			}
		})
	}
}

func TestLogsFilteredScanIsBounded(t *testing.T) {
	s := readStore(t)
	p, err := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: 10, Q: "no such text anywhere", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 0 || p.ScannedFrom != 10 || p.ScannedTo != 10+MaxLogScan || p.Next != (cursor{pos: 10 + MaxLogScan}).String() || p.Prev != (cursor{pos: 10, backward: true}).String() {
		t.Errorf("scan: %d lines, [%d, %d), next %q prev %q", len(p.Lines), p.ScannedFrom, p.ScannedTo, p.Next, p.Prev)
	}
	// Continuing with Next scans the following range.
	q, _ := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: -1, Cursor: p.Next, Q: "no such text anywhere", Limit: 10})
	if q.ScannedFrom != p.ScannedTo || q.ScannedTo != p.ScannedTo+MaxLogScan {
		t.Errorf("continued scan [%d, %d); want [%d, %d)", q.ScannedFrom, q.ScannedTo, p.ScannedTo, p.ScannedTo+MaxLogScan)
	}
	back, _ := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: -1, Cursor: "b1", Q: "zzz", Limit: 10})
	if back.ScannedFrom != 0 || back.ScannedTo != 1 || back.Prev != "" {
		t.Errorf("backward scan at start: [%d, %d) prev %q", back.ScannedFrom, back.ScannedTo, back.Prev)
	}
}

func TestSearchLogs(t *testing.T) {
	s := readStore(t)
	run := studio.RunID("run-0005")
	r, _ := s.Run(run)
	brute := func(q string, levels ...studio.LogLevel) []int64 {
		var out []int64
		for from := int64(0); from < r.LogCount; from += api.MaxLogLimit {
			p, _ := s.Logs(run, api.LogQuery{FromSeq: from, Limit: api.MaxLogLimit})
			for _, l := range p.Lines {
				if strings.Contains(strings.ToLower(l.Message), strings.ToLower(q)) && (len(levels) == 0 || l.Level == levels[0] || len(levels) > 1 && l.Level == levels[1]) {
					out = append(out, l.Seq)
				}
			}
		}
		return out
	}
	tests := []struct {
		name   string
		q      string
		levels []studio.LogLevel
	}{
		{"word", "shard", nil},
		{"case", "STEP", nil},
		{"with level", "rank", []studio.LogLevel{studio.LevelDebug}},
		{"two levels", "s", []studio.LogLevel{studio.LevelWarn, studio.LevelError}},
		{"rare", "watchdog", nil},
		{"none", "no such thing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := brute(tt.q, tt.levels...)
			got, err := s.SearchLogs(run, api.LogSearchQuery{Q: tt.q, Level: tt.levels, Limit: api.MaxSearchSeqs})
			if err != nil {
				t.Fatal(err)
			}
			if got.Count != int64(len(want)) {
				t.Fatalf("Count = %d; brute force finds %d", got.Count, len(want))
			}
			n := min(len(want), api.MaxSearchSeqs)
			if fmt.Sprint(got.Seqs) != fmt.Sprint(append([]int64{}, want[:n]...)) || got.More != (len(want) > n) {
				t.Errorf("Seqs (%d, more %v) differ from brute force (%d)", len(got.Seqs), got.More, len(want))
			}
			if len(want) > 3 {
				from := want[2]
				page, _ := s.SearchLogs(run, api.LogSearchQuery{Q: tt.q, Level: tt.levels, FromSeq: from, Limit: 1})
				if len(page.Seqs) != 1 || page.Seqs[0] != from || !page.More || page.Count != int64(len(want)) || page.FromSeq != from {
					t.Errorf("SearchLogs(from %d, limit 1) = %+v", from, page)
				}
			}
		})
	}
}

func TestSearchLogsBigRunAndCache(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 1,000,000 lines")
	}
	s, _ := newTestStore(t)
	res, err := s.SearchLogs(synth.BigLogRun, api.LogSearchQuery{Q: "watchdog"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count == 0 || len(res.Seqs) == 0 {
		t.Fatalf("no watchdog lines in the big run: %+v", res)
	}
	for _, seq := range res.Seqs {
		p, _ := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: seq, Limit: 1})
		if !strings.Contains(p.Lines[0].Message, "watchdog") {
			t.Fatalf("line %d does not match: %q", seq, p.Lines[0].Message)
		}
	}
	if s.searches.len() != 1 {
		t.Errorf("%d cached searches; want 1", s.searches.len())
	}
	again, _ := s.SearchLogs(synth.BigLogRun, api.LogSearchQuery{Q: "WATCHDOG"})
	if again.Count != res.Count || s.searches.len() != 1 {
		t.Errorf("repeat search: count %d (want %d), %d cached", again.Count, res.Count, s.searches.len())
	}
	// A query matching almost every line overflows the cached seqs but
	// still pages correctly past them.
	all, err := s.SearchLogs(synth.BigLogRun, api.LogSearchQuery{Q: "E", FromSeq: 900_000, Limit: 5})
	if err != nil || all.Count < maxCachedSeqs || len(all.Seqs) != 5 || all.Seqs[0] < 900_000 || !all.More {
		t.Errorf("broad search from 900000: count %d seqs %v more %v", all.Count, all.Seqs, all.More)
	}
	// Paging across the end of the cached prefix continues seamlessly.
	k := searchKey{run: synth.BigLogRun, q: "e", count: synth.BigLogLines}
	cached, ok := s.searches.get(k)
	if !ok || !cached.truncated || len(cached.seqs) != maxCachedSeqs {
		t.Fatalf("broad search not cached as a truncated prefix")
	}
	edge := cached.seqs[len(cached.seqs)-3]
	across, _ := s.SearchLogs(synth.BigLogRun, api.LogSearchQuery{Q: "e", FromSeq: edge, Limit: 10})
	page, _ := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: edge, Q: "e", Limit: 10})
	if fmt.Sprint(across.Seqs) != fmt.Sprint(seqs(page)) || !across.More {
		t.Errorf("search across the cached prefix = %v; filtered page has %v", across.Seqs, seqs(page))
	}
	for i, seq := range all.Seqs {
		p, _ := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: seq, Limit: 1})
		if !strings.Contains(strings.ToLower(p.Lines[0].Message), "e") || i > 0 && seq <= all.Seqs[i-1] {
			t.Errorf("seq %d does not match or is out of order", seq)
		}
	}
}

func TestSearchLogsBadQueries(t *testing.T) {
	s := readStore(t)
	tests := []struct {
		name string
		q    api.LogSearchQuery
		msg  string
	}{
		{"empty q", api.LogSearchQuery{}, "q must not be empty"},
		{"blank q", api.LogSearchQuery{Q: "  "}, "q must not be empty"},
		{"limit too big", api.LogSearchQuery{Q: "x", Limit: api.MaxSearchSeqs + 1}, "limit must be between 1 and 10000"},
		{"bad level", api.LogSearchQuery{Q: "x", Level: []studio.LogLevel{"loud"}}, "unknown level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SearchLogs("run-0001", tt.q)
			wantCode(t, err, studio.CodeInvalid, tt.msg)
		})
	}
}
