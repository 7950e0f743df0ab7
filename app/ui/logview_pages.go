package ui

import (
	"sort"

	"github.com/aiinfra/studio/shared/studio"
)

// logPageSize is the number of lines per fetched page of the unfiltered
// log; page n holds seqs [n·logPageSize, (n+1)·logPageSize).
const logPageSize = 200

// maxLogPages bounds the pages a viewer keeps (an LRU): 20,000 lines.
const maxLogPages = 100

// logPages is the log viewer's cache of unfiltered pages, the role of
// React Query's infinite query: pages are fetched by position as the user
// scrolls, the least recently used are dropped. Use it from one goroutine.
type logPages struct {
	pages    map[int64]*logPage
	inflight map[int64]bool
	tick     uint64
	max      int
}

// logPage is one cached page.
type logPage struct {
	lines []studio.LogLine // consecutive seqs from the page's start
	used  uint64
}

func newLogPages() *logPages {
	return &logPages{pages: make(map[int64]*logPage), inflight: make(map[int64]bool), max: maxLogPages}
}

// logPageOf returns the page index holding seq.
func logPageOf(seq int64) int64 { return seq / logPageSize }

// line returns the cached line seq.
func (c *logPages) line(seq int64) (studio.LogLine, bool) {
	p, ok := c.pages[logPageOf(seq)]
	if !ok {
		return studio.LogLine{}, false
	}
	i := seq - logPageOf(seq)*logPageSize
	if i >= int64(len(p.lines)) || p.lines[i].Seq != seq {
		return studio.LogLine{}, false
	}
	return p.lines[i], true
}

// touch marks the pages of rows [first, last) as used now.
func (c *logPages) touch(first, last int64) {
	c.tick++
	for pg := logPageOf(first); pg <= logPageOf(max(last-1, first)); pg++ {
		if p, ok := c.pages[pg]; ok {
			p.used = c.tick
		}
	}
}

// missing returns the pages of rows [first, last) that are neither cached
// (complete up to total) nor being fetched, nearest to the middle first.
func (c *logPages) missing(first, last, total int64) []int64 {
	if last > total {
		last = total
	}
	var out []int64
	for pg := logPageOf(first); first < last && pg <= logPageOf(last-1); pg++ {
		if c.inflight[pg] {
			continue
		}
		p, ok := c.pages[pg]
		want := min(int64(logPageSize), total-pg*logPageSize)
		if ok && int64(len(p.lines)) >= want {
			continue
		}
		out = append(out, pg)
	}
	mid := logPageOf((first + last) / 2)
	sort.SliceStable(out, func(i, j int) bool { return absInt64(out[i]-mid) < absInt64(out[j]-mid) })
	return out
}

func absInt64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// start records that page pg is being fetched.
func (c *logPages) start(pg int64) { c.inflight[pg] = true }

// fail records that the fetch of page pg failed (it will be retried when
// next needed).
func (c *logPages) fail(pg int64) { delete(c.inflight, pg) }

// put stores the lines of page pg (consecutive from its first seq) and
// drops the least recently used pages past the bound.
func (c *logPages) put(pg int64, lines []studio.LogLine) {
	delete(c.inflight, pg)
	start := pg * logPageSize
	// Keep only the consecutive run from the page's first seq.
	n := 0
	for n < len(lines) && n < logPageSize && lines[n].Seq == start+int64(n) {
		n++
	}
	if old, ok := c.pages[pg]; ok && len(old.lines) > n {
		return // an older, longer copy (a live page fetched later is never shorter)
	}
	c.tick++
	c.pages[pg] = &logPage{lines: lines[:n:n], used: c.tick}
	c.evict()
}

// evict drops the least recently used pages until at most max remain.
func (c *logPages) evict() {
	if len(c.pages) <= c.max {
		return
	}
	type cand struct {
		pg   int64
		used uint64
	}
	all := make([]cand, 0, len(c.pages))
	for pg, p := range c.pages {
		all = append(all, cand{pg, p.used})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].used < all[j].used })
	for _, cd := range all[:len(all)-c.max] {
		delete(c.pages, cd.pg)
	}
}

// len returns the number of cached pages.
func (c *logPages) len() int { return len(c.pages) }
