package server

import (
	"sync"
	"sync/atomic"

	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
)

// DefaultLogCacheBytes bounds the log cache when Options.LogCacheBytes is
// 0: room for the encoded 1,000,000-line log of the default dataset (157
// MiB with its offsets) and some of the pages people read in other runs.
// The process's memory grows by up to twice the bound: the garbage
// collector lets the heap reach twice what is live.
const DefaultLogCacheBytes = 192 << 20

// logBlockLines is the number of lines in a block of the log cache: a
// 500-line page spans one or two blocks.
const logBlockLines = 1024

// logBlockOverhead is what the cache counts for a block besides its text
// and offsets: the block, its map entry and its text header.
const logBlockOverhead = 256

// logCache keeps the JSON of unfiltered log lines, by blocks of
// logBlockLines lines, so that a log page is assembled by copying byte
// ranges instead of generating and encoding its lines. A line below a
// run's log count never changes, whatever the run does next, so a block's
// text is never invalidated: a block of a running run holds the lines that
// existed when it was filled, and is extended when a page needs more. The
// cache is bounded by bytes and evicts the least recently used blocks.
// Goroutines that miss the same block wait for the one that fills it.
type logCache struct {
	max int64

	mu     sync.Mutex
	size   int64 // bytes counted for the cached blocks
	blocks map[logBlockKey]*logBlock
	lru    logBlock // sentinel of the recency ring: lru.next is the most recent

	// fills counts the lines encoded into blocks, for tests and profiles.
	fills atomic.Int64
}

// logBlockKey names a block: lines [n*logBlockLines, (n+1)*logBlockLines)
// of run's log.
type logBlockKey struct {
	run studio.RunID
	n   int64
}

// logBlock is one cache entry.
type logBlock struct {
	key        logBlockKey
	prev, next *logBlock // guarded by logCache.mu
	size       int64     // guarded by logCache.mu
	cached     bool      // in logCache.blocks; guarded by logCache.mu

	fill sync.Mutex // held while the block's lines are generated
	text atomic.Pointer[logBlockText]
}

// logBlockText is the encoded beginning of a block. It is immutable once
// published: extending a block publishes a new logBlockText.
type logBlockText struct {
	// json holds the block's first len(off)-1 lines, each encoded as
	// appendLogLine does and followed by a comma.
	json []byte
	// off[i] is where line i starts in json; off[len(off)-1] is len(json).
	off []uint32
}

// lines returns the number of lines t holds (0 for nil).
func (t *logBlockText) lines() int {
	if t == nil {
		return 0
	}
	return len(t.off) - 1
}

func (t *logBlockText) bytes() int64 { return int64(cap(t.json) + 4*cap(t.off)) }

// newLogCache returns a cache bounded by max bytes (max > 0).
func newLogCache(max int64) *logCache {
	c := &logCache{max: max, blocks: make(map[logBlockKey]*logBlock)}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// appendPage appends the JSON of w's page, as appendLogPage encodes it, to
// dst. ok is false when a line cannot be encoded by appendLogLine (a time
// outside years 0..9999); the caller then takes the general path.
func (c *logCache) appendPage(dst []byte, w *store.LogWindow) ([]byte, bool) {
	p := &w.Page
	from, to := p.ScannedFrom, p.ScannedTo
	if from < 0 || to > p.Total {
		return dst, false // not a range of lines that exist
	}
	dst = append(dst, `{"lines":[`...)
	for n := from / logBlockLines; n*logBlockLines < to; n++ {
		start := n * logBlockLines
		lo, hi := int(max(from, start)-start), int(min(to, start+logBlockLines)-start)
		// Fill the block with every line that exists, so the next pages of
		// a running run find theirs.
		avail := int(min(start+logBlockLines, p.Total) - start)
		t, ok := c.text(logBlockKey{w.Run, n}, hi, avail, w)
		if !ok {
			return dst, false
		}
		dst = append(dst, t.json[t.off[lo]:t.off[hi]]...)
	}
	if to > from {
		dst = dst[:len(dst)-1] // the last line's comma
	}
	dst = append(dst, ']')
	return appendLogPageEnd(dst, p), true
}

// text returns the text of block key with at least need lines, filling it
// up to avail lines (need <= avail <= logBlockLines) from w when it has
// fewer.
func (c *logCache) text(key logBlockKey, need, avail int, w *store.LogWindow) (*logBlockText, bool) {
	b := c.block(key)
	if t := b.text.Load(); t.lines() >= need {
		return t, true
	}
	b.fill.Lock()
	defer b.fill.Unlock()
	t := b.text.Load()
	if t.lines() >= need { // filled while this goroutine waited
		return t, true
	}
	t, ok := extendBlock(t, key, avail, w)
	if !ok {
		return nil, false
	}
	c.fills.Add(int64(t.lines() - b.text.Load().lines()))
	b.text.Store(t)
	c.resize(b, t.bytes()+logBlockOverhead)
	return t, true
}

// block returns the cache entry of key, creating it, and marks it the most
// recently used.
func (c *logCache) block(key logBlockKey) *logBlock {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.blocks[key]
	if ok {
		c.unlink(b)
	} else {
		b = &logBlock{key: key, size: logBlockOverhead, cached: true}
		c.blocks[key] = b
		c.size += b.size
	}
	b.prev, b.next = &c.lru, c.lru.next
	b.prev.next, b.next.prev = b, b
	c.evict()
	return b
}

// resize records that b now takes size bytes, and evicts blocks until the
// cache fits its bound again. A block evicted while it was filled is not
// counted: nothing finds it any more.
func (c *logCache) resize(b *logBlock, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !b.cached {
		return
	}
	c.size += size - b.size
	b.size = size
	c.evict()
}

// evict drops least recently used blocks while the cache is over its
// bound. c.mu must be held.
func (c *logCache) evict() {
	for c.size > c.max && c.lru.prev != &c.lru {
		b := c.lru.prev
		c.unlink(b)
		delete(c.blocks, b.key)
		b.cached = false
		c.size -= b.size
	}
}

// unlink removes b from the recency ring. c.mu must be held.
func (c *logCache) unlink(b *logBlock) {
	b.prev.next, b.next.prev = b.next, b.prev
	b.prev, b.next = nil, nil
}

// stats returns the number of cached blocks and the bytes counted for them.
func (c *logCache) stats() (blocks int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.blocks), c.size
}

// logFillPool recycles the scratch lines and JSON of block fills.
var logFillPool = sync.Pool{New: func() any { return new(logFill) }}

type logFill struct {
	lines []studio.LogLine
	json  []byte
	off   []uint32
}

// extendBlock returns t (nil for an empty block) extended to avail lines
// generated from w.
func extendBlock(t *logBlockText, key logBlockKey, avail int, w *store.LogWindow) (*logBlockText, bool) {
	f := logFillPool.Get().(*logFill)
	defer logFillPool.Put(f)
	have := t.lines()
	start := key.n * logBlockLines
	f.lines = w.AppendLines(f.lines[:0], start+int64(have), start+int64(avail))
	f.json, f.off = f.json[:0], f.off[:0]
	if t != nil {
		f.json, f.off = append(f.json, t.json...), append(f.off, t.off[:have]...)
	}
	for i := range f.lines {
		f.off = append(f.off, uint32(len(f.json)))
		var ok bool
		if f.json, ok = appendLogLine(f.json, &f.lines[i]); !ok {
			clear(f.lines) // drop the messages' text
			return nil, false
		}
		f.json = append(f.json, ',')
	}
	f.off = append(f.off, uint32(len(f.json)))
	clear(f.lines)
	// Exact-size copies: a full cache holds no slack.
	return &logBlockText{json: append([]byte(nil), f.json...), off: append([]uint32(nil), f.off...)}, true
}
