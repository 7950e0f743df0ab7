package store

import (
	"container/list"
	"sync"

	"github.com/aiinfra/studio/shared/studio"
)

// decimatedBudget bounds the points held by the cache of decimated series
// (a point is 40 bytes: about 10 MiB); one entry may use at most an
// eighth of it.
const decimatedBudget = 1 << 18

// decimatedKey identifies a decimated series: metric of run over steps
// from..to (inclusive, both within the steps the run had produced) at
// maxPoints. The values and times of a produced step never change, so an
// entry never goes stale, whatever the run does next.
type decimatedKey struct {
	run            studio.RunID
	metric         int
	from, to, maxP int
}

// metricCache is what Metrics keeps besides the raw series (Store.series):
// the fills in progress, so that concurrent readers of a cold series wait
// for one computation instead of each making its own, and recent decimated
// results, bounded by decimatedBudget points. The zero value is ready to
// use; it is safe for concurrent use.
type metricCache struct {
	mu      sync.Mutex
	filling map[seriesKey]chan struct{} // closed when the fill ends
	order   list.List                   // of *decimatedEntry, most recent first
	entries map[decimatedKey]*list.Element
	points  int // held by entries
}

type decimatedEntry struct {
	key decimatedKey
	pts []studio.Point
}

// claim registers a fill of series k. It returns leader true when the
// caller is now filling k and must call release(k) when done; otherwise
// another fill is in progress and done is closed when it ends.
func (c *metricCache) claim(k seriesKey) (done <-chan struct{}, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.filling[k]; ok {
		return ch, false
	}
	if c.filling == nil {
		c.filling = make(map[seriesKey]chan struct{})
	}
	c.filling[k] = make(chan struct{})
	return nil, true
}

// release ends the caller's fill of k, waking the readers waiting for it.
func (c *metricCache) release(k seriesKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.filling[k])
	delete(c.filling, k)
}

// decimatedPoints returns the cached points of k, which must not be
// modified, and marks them recently used.
func (c *metricCache) decimatedPoints(k decimatedKey) ([]studio.Point, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*decimatedEntry).pts, true
}

// putDecimated caches pts, which the cache now owns, as the points of k,
// evicting the least recently used entries beyond decimatedBudget. An
// entry larger than an eighth of the budget is not cached.
func (c *metricCache) putDecimated(k decimatedKey, pts []studio.Point) {
	if len(pts) > decimatedBudget/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[decimatedKey]*list.Element)
	}
	if e, ok := c.entries[k]; ok { // a concurrent reader computed it too
		c.order.MoveToFront(e)
		return
	}
	c.entries[k] = c.order.PushFront(&decimatedEntry{k, pts})
	c.points += len(pts)
	for c.points > decimatedBudget {
		e := c.order.Back()
		old := c.order.Remove(e).(*decimatedEntry)
		delete(c.entries, old.key)
		c.points -= len(old.pts)
	}
}

// MetricSteps returns the number of metric steps run id has produced.
// A run's metrics are a pure function of the run and this count, so a
// response of Metrics stays valid, for the same query, as long as the
// count does not change (forever once the run has ended).
func (s *Store) MetricSteps(id studio.RunID) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.runLocked(id)
	if err != nil {
		return 0, err
	}
	return st.steps, nil
}
