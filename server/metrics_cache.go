package server

import (
	"container/list"
	"strconv"
	"strings"
	"sync"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Bounds of the cache of encoded metrics responses: 16 MiB in all (about
// 37 responses of every metric of a run at 1,000 points), at most 4 MiB a
// response. Larger responses (tens of thousands of points) are encoded for
// each request, as before.
const (
	metricsCacheBytes    = 16 << 20
	metricsCacheMaxEntry = 4 << 20
)

// metricsKey identifies a metrics query of a run as the client sent it.
type metricsKey struct {
	run studio.RunID
	// names are the requested names, each prefixed with its length, so
	// that no two lists of names (even invalid ones) share a key.
	names         string
	from, to, max int
}

func newMetricsKey(id studio.RunID, q api.MetricQuery) metricsKey {
	var b strings.Builder
	for _, n := range q.Names {
		b.WriteString(strconv.Itoa(len(n)))
		b.WriteByte(':')
		b.WriteString(n)
	}
	return metricsKey{run: id, names: b.String(), from: q.From, to: q.To, max: q.MaxPoints}
}

// metricsJSON caches encoded metrics responses, least recently used first
// out, bounded by metricsCacheBytes. An entry is valid while the run has
// the step count it was encoded at (store.MetricSteps): forever for an
// ended run, until the next step for a running one. The zero value is
// ready to use; it is safe for concurrent use.
type metricsJSON struct {
	mu      sync.Mutex
	order   list.List // of *metricsEntry, most recent first
	entries map[metricsKey]*list.Element
	bytes   int // bodies held
}

type metricsEntry struct {
	key   metricsKey
	steps int
	body  []byte // never modified
}

// get returns the body cached for k at steps steps. The body must not be
// modified.
func (c *metricsJSON) get(k metricsKey, steps int) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || e.Value.(*metricsEntry).steps != steps {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*metricsEntry).body, true
}

// put caches body, which the cache now owns, for k at steps steps,
// replacing an entry of k at another step count and evicting the least
// recently used entries beyond metricsCacheBytes. A body larger than
// metricsCacheMaxEntry is not cached.
func (c *metricsJSON) put(k metricsKey, steps int, body []byte) {
	if len(body) > metricsCacheMaxEntry {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[metricsKey]*list.Element)
	}
	if e, ok := c.entries[k]; ok {
		old := e.Value.(*metricsEntry)
		c.bytes += len(body) - len(old.body)
		old.steps, old.body = steps, body
		c.order.MoveToFront(e)
	} else {
		c.entries[k] = c.order.PushFront(&metricsEntry{k, steps, body})
		c.bytes += len(body)
	}
	for c.bytes > metricsCacheBytes {
		old := c.order.Remove(c.order.Back()).(*metricsEntry)
		delete(c.entries, old.key)
		c.bytes -= len(old.body)
	}
}
