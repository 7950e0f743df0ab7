package store

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// searchKey identifies a cached search: the log grows, so its length is
// part of the key.
type searchKey struct {
	run    studio.RunID
	q      string
	levels string
	count  int64
}

// searchResult is every match of a search, or the first maxCachedSeqs
// of them when truncated.
type searchResult struct {
	count     int64
	seqs      []int64
	truncated bool
}

const (
	maxCachedSeqs   = 200_000
	searchChunk     = 1 << 16
	defaultSearches = 1000
)

// SearchLogs counts the lines of run id that match q.Q (case-insensitive
// substring) and q.Level (any of), and returns the matching seqs at or
// after q.FromSeq: at most q.Limit (default 1000, max api.MaxSearchSeqs).
// q.Q may be empty (or blank) only with at least one level: the search then
// counts and lists the lines of those levels. Results are cached per (run,
// q, levels, log length), so repeating a search, or paging through its
// seqs, is cheap.
func (s *Store) SearchLogs(id studio.RunID, q api.LogSearchQuery) (api.LogSearch, error) {
	if strings.TrimSpace(q.Q) == "" {
		if len(q.Level) == 0 {
			return api.LogSearch{}, studio.Errorf(studio.CodeInvalid, "q must not be empty without a level: give the text to search for, or the levels whose lines to count")
		}
		q.Q = "" // level only: every message matches
	}
	if err := checkLevels(q.Level); err != nil {
		return api.LogSearch{}, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = defaultSearches
	}
	if limit < 1 || limit > api.MaxSearchSeqs {
		return api.LogSearch{}, studio.Errorf(studio.CodeInvalid, "limit must be between 1 and %d", api.MaxSearchSeqs)
	}
	from := max(q.FromSeq, 0)
	v, err := s.view(id)
	if err != nil {
		return api.LogSearch{}, err
	}
	levels := slices.Clone(q.Level)
	slices.Sort(levels)
	levels = slices.Compact(levels)
	var lk strings.Builder
	for _, l := range levels {
		lk.WriteString(string(l) + ",")
	}
	k := searchKey{run: id, q: asciiLower(q.Q), levels: lk.String(), count: v.logCount}
	res, ok := s.searches.get(k)
	if !ok {
		res = search(&v.plan, v.logCount, levels, q.Q)
		s.searches.put(k, res)
	}
	out := api.LogSearch{Query: q.Q, Count: res.count, FromSeq: from, Seqs: []int64{}}
	if len(levels) == 1 {
		out.Level = levels[0]
	}
	i, _ := slices.BinarySearch(res.seqs, from)
	if i < len(res.seqs) || !res.truncated {
		end := min(i+limit, len(res.seqs))
		out.Seqs = append(out.Seqs, res.seqs[i:end]...)
		out.More = end < len(res.seqs) || res.truncated
		if len(out.Seqs) == limit || !res.truncated {
			return out, nil
		}
		from = res.seqs[len(res.seqs)-1] + 1 // continue past the cached prefix
	}
	m := newMatcher(&v.plan, levels, q.Q)
	for seq := from; seq < v.logCount; seq++ {
		if m.match(seq) {
			if len(out.Seqs) == limit {
				out.More = true
				break
			}
			out.Seqs = append(out.Seqs, seq)
		}
	}
	return out, nil
}

// search scans the whole log in chunks, in parallel where the platform
// allows, and merges the chunks in order.
func search(plan *synth.RunPlan, count int64, levels []studio.LogLevel, q string) *searchResult {
	chunks := int((count + searchChunk - 1) / searchChunk)
	found := make([][]int64, chunks)
	counts := make([]int64, chunks)
	workers := min(runtime.GOMAXPROCS(0), max(chunks, 1))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := newMatcher(plan, levels, q)
			for c := range next {
				from, to := int64(c)*searchChunk, min(int64(c+1)*searchChunk, count)
				for seq := from; seq < to; seq++ {
					if m.match(seq) {
						counts[c]++
						if len(found[c]) < maxCachedSeqs {
							found[c] = append(found[c], seq)
						}
					}
				}
			}
		}()
	}
	for c := range chunks {
		next <- c
	}
	close(next)
	wg.Wait()
	res := &searchResult{seqs: []int64{}}
	for c := range chunks {
		res.count += counts[c]
		if res.truncated {
			continue
		}
		room := maxCachedSeqs - len(res.seqs)
		res.seqs = append(res.seqs, found[c][:min(room, len(found[c]))]...)
		if int64(len(found[c])) > int64(room) || counts[c] > int64(len(found[c])) {
			res.truncated = true
		}
	}
	return res
}
