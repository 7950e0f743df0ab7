package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// TestSearchLogsLevelOnly checks a search without text: it counts and
// lists the lines of the given levels, as a scan of the log pages finds
// them, and pages through them from any seq.
func TestSearchLogsLevelOnly(t *testing.T) {
	s, _ := newTestStore(t)
	run := studio.RunID("run-0005")
	byLevel := map[studio.LogLevel][]int64{}
	eachLine(s, run, mustRun(t, s, run).LogCount, func(l studio.LogLine) {
		byLevel[l.Level] = append(byLevel[l.Level], l.Seq)
	})
	for _, levels := range [][]studio.LogLevel{
		{studio.LevelError},
		{studio.LevelWarn, studio.LevelError},
		{studio.LevelDebug},
		{studio.LevelInfo}, // most lines: more than one response holds
	} {
		var want []int64
		for _, l := range levels {
			want = append(want, byLevel[l]...)
		}
		slices.Sort(want)
		name := fmt.Sprint(levels)
		if len(want) < 4 {
			t.Fatalf("%s: run %s has %d such lines; pick a run with more", name, run, len(want))
		}
		res, err := s.SearchLogs(run, api.LogSearchQuery{Level: levels, Limit: api.MaxSearchSeqs})
		n := min(len(want), api.MaxSearchSeqs)
		if err != nil || res.Count != int64(len(want)) || !slices.Equal(res.Seqs, want[:n]) || res.More != (len(want) > n) || res.Query != "" {
			t.Errorf("%s: count %d, %d seqs, more %v, q %q, err %v; the pages hold %d such lines", name, res.Count, len(res.Seqs), res.More, res.Query, err, len(want))
		}
		from := want[2]
		page, _ := s.SearchLogs(run, api.LogSearchQuery{Level: levels, FromSeq: from, Limit: 1})
		if !slices.Equal(page.Seqs, want[2:3]) || !page.More || page.Count != int64(len(want)) {
			t.Errorf("%s from %d, limit 1 = %+v; want seq %d of %d", name, from, page, from, len(want))
		}
	}
}

// TestSearchLogsLevelOnlyCacheKey checks that level-only counts are cached
// apart from text searches and from other level sets, and that a blank q
// shares the entry of an empty one.
func TestSearchLogsLevelOnlyCacheKey(t *testing.T) {
	s, _ := newTestStore(t)
	run := studio.RunID("run-0005")
	errs := []studio.LogLevel{studio.LevelError}
	count := func(q string, levels []studio.LogLevel) int64 {
		t.Helper()
		res, err := s.SearchLogs(run, api.LogSearchQuery{Q: q, Level: levels, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Count
	}
	onlyErrors := count("", errs)
	if n := s.searches.len(); n != 1 {
		t.Fatalf("%d cached searches after one; want 1", n)
	}
	if again := count(" ", errs); again != onlyErrors || s.searches.len() != 1 {
		t.Errorf("blank q: count %d (want %d), %d cached (want 1)", again, onlyErrors, s.searches.len())
	}
	both := count("", []studio.LogLevel{studio.LevelWarn, studio.LevelError})
	if both <= onlyErrors || s.searches.len() != 2 {
		t.Errorf("warn+error count %d (want more than the %d errors), %d cached (want 2)", both, onlyErrors, s.searches.len())
	}
	if reordered := count("", []studio.LogLevel{studio.LevelError, studio.LevelWarn}); reordered != both || s.searches.len() != 2 {
		t.Errorf("error+warn count %d (want %d), %d cached (want 2: the level order does not matter)", reordered, both, s.searches.len())
	}
	text := count("rank", errs)
	if text > onlyErrors || s.searches.len() != 3 {
		t.Errorf("text search among errors: count %d (at most %d), %d cached (want 3)", text, onlyErrors, s.searches.len())
	}
	if _, ok := s.searches.get(searchKey{run: run, levels: "error,", count: mustRun(t, s, run).LogCount}); !ok {
		t.Error("the level-only count is not cached under an empty q")
	}
}

// TestSearchLogsNeedsTextOrLevel checks the message of a search with
// neither.
func TestSearchLogsNeedsTextOrLevel(t *testing.T) {
	s := readStore(t)
	for _, q := range []string{"", "  "} {
		_, err := s.SearchLogs("run-0001", api.LogSearchQuery{Q: q})
		wantCode(t, err, studio.CodeInvalid, "q must not be empty without a level")
	}
	_, err := s.SearchLogs("run-0001", api.LogSearchQuery{Level: []studio.LogLevel{"loud"}})
	wantCode(t, err, studio.CodeInvalid, "unknown level")
}

// TestSearchLogsLevelOnlyBigRun counts the error lines of the
// 1,000,000-line run and checks the count against the sum of its pages.
func TestSearchLogsLevelOnlyBigRun(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 1,000,000 lines")
	}
	s, _ := newTestStore(t)
	res, err := s.SearchLogs(synth.BigLogRun, api.LogSearchQuery{Level: []studio.LogLevel{studio.LevelError}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count == 0 || len(res.Seqs) != 5 || !res.More {
		t.Fatalf("errors of the big run: %+v", res)
	}
	for _, seq := range res.Seqs {
		p, _ := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: seq, Limit: 1})
		if p.Lines[0].Level != studio.LevelError {
			t.Errorf("line %d is %s, not error", seq, p.Lines[0].Level)
		}
	}
	var n int64
	eachLine(s, synth.BigLogRun, synth.BigLogLines, func(l studio.LogLine) {
		if l.Level == studio.LevelError {
			n++
		}
	})
	if res.Count != n {
		t.Errorf("Count = %d; the pages hold %d error lines", res.Count, n)
	}
}

// eachLine calls f with the first count lines of run, in order, page by
// page.
func eachLine(s *Store, run studio.RunID, count int64, f func(studio.LogLine)) {
	for from := int64(0); from < count; from += api.MaxLogLimit {
		p, _ := s.Logs(run, api.LogQuery{FromSeq: from, Limit: api.MaxLogLimit})
		for _, l := range p.Lines {
			f(l)
		}
	}
}

func mustRun(t *testing.T, s *Store, id studio.RunID) studio.Run {
	t.Helper()
	r, err := s.Run(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// BenchmarkSearchLogsLevelOnly counts the lines of a few level sets over
// the 1,000,000-line run with an empty cache: one scan of every line's
// level each (a repeat is a cache hit, as for text searches).
func BenchmarkSearchLogsLevelOnly(b *testing.B) {
	s, _ := newTestStore(b)
	for _, levels := range [][]studio.LogLevel{
		{studio.LevelError},
		{studio.LevelWarn, studio.LevelError},
		{studio.LevelInfo},
	} {
		q := api.LogSearchQuery{Level: levels, Limit: 1}
		b.Run(fmt.Sprint(levels), func(b *testing.B) {
			for b.Loop() {
				s.searches = newLRU[searchKey, *searchResult](16)
				if _, err := s.SearchLogs(synth.BigLogRun, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
