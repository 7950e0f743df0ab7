// Package query is the browser's data plane: it plays React Query's role
// for AI Infra Studio. A Client caches API responses by request URL, serves
// cached data at once and refetches it in the background when it is older
// than a stale time (stale-while-revalidate), shares one request between
// every caller that wants the same URL while it is in flight, retries
// network errors and 5xx responses with exponential backoff, invalidates
// cached data by key prefix after mutations, and applies optimistic
// updates that are rolled back when the mutation fails.
//
// Requests go through a Transport: the browser's fetch in the wasm build
// (NewFetchTransport), a fake in tests. Components subscribe with an
// Observer, which re-renders them through ctx.Dispatch on every change.
package query

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultStaleTime is how long fetched data counts as fresh when
// Options.StaleTime is zero.
const DefaultStaleTime = 15 * time.Second

// DefaultMaxEntries bounds the number of cached responses nobody observes.
const DefaultMaxEntries = 64

// Options configures a Client. The zero value selects every default.
type Options struct {
	// StaleTime is how long data stays fresh after a fetch. Subscribing to
	// fresh data does not refetch; subscribing to stale data returns it at
	// once and refetches in the background. Negative means always stale.
	StaleTime time.Duration
	// Retry is the retry policy for queries (mutations are never retried).
	Retry Retry
	// MaxEntries bounds the unobserved responses kept in the cache; the
	// least recently used are dropped first.
	MaxEntries int
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// Sleep waits d or until ctx is done (default: a timer). Tests replace
	// it to observe the backoff without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client is a cache of API responses keyed by request URL. It is safe for
// concurrent use. Subscribers' callbacks run on whichever goroutine caused
// the change, never with the Client's lock held.
type Client struct {
	tr   Transport
	opts Options

	mu       sync.Mutex
	entries  map[string]*entry
	nextID   int
	tick     uint64 // orders entry use for eviction
	online   bool
	connSubs map[int]func(online bool)
}

// entry is the cached state of one key.
type entry struct {
	raw       []byte // last good body, nil before the first success
	value     any    // raw decoded as the type last asked for, or nil
	hasData   bool
	err       error // error of the last fetch, nil after a success
	updatedAt time.Time
	stale     bool  // invalidated since the last fetch
	inflight  *call // running fetch, nil when idle
	subs      map[int]func()
	gen       uint64 // bumped on every visible change
	used      uint64 // Client.tick at the last subscribe or unsubscribe
}

// call is one in-flight fetch shared by every waiter.
type call struct {
	done chan struct{}
	err  error
}

// New returns a Client that sends requests through tr.
func New(tr Transport, opts Options) *Client {
	if opts.StaleTime == 0 {
		opts.StaleTime = DefaultStaleTime
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	opts.Retry = opts.Retry.withDefaults()
	return &Client{
		tr:       tr,
		opts:     opts,
		entries:  make(map[string]*entry),
		online:   true,
		connSubs: make(map[int]func(bool)),
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Result is a snapshot of a query for one subscriber.
type Result[T any] struct {
	// Data is the last successfully fetched (or optimistically set) value;
	// valid when HasData. It may be shared with other subscribers: treat
	// it as read-only.
	Data    T
	HasData bool
	// Err is the error of the last fetch. It stays set, next to older
	// Data, until a fetch succeeds.
	Err error
	// Fetching is true while a request for the key is in flight.
	Fetching bool
	// UpdatedAt is when Data was fetched or set.
	UpdatedAt time.Time
	// gen orders snapshots of the same key.
	gen uint64
}

// Loading reports whether there is nothing to show yet: no data, no error,
// or a fetch in flight after an error (a retry is running).
func (r Result[T]) Loading() bool {
	return !r.HasData && (r.Err == nil || r.Fetching)
}

// Failed reports whether the query has an error and no data to show.
func (r Result[T]) Failed() bool { return !r.HasData && r.Err != nil && !r.Fetching }

// Subscribe calls fn with the current state of key right away, and again
// after every change (fetch start, new data, error, invalidation,
// optimistic update). When there is no data yet, or the data is stale, a
// fetch starts (joining one already in flight). The returned cancel
// function stops the calls; it is safe to call more than once.
func Subscribe[T any](c *Client, key string, fn func(Result[T])) (cancel func()) {
	cancel = subscribe(c, key, fn)
	fn(snapshot[T](c, key))
	return cancel
}

// subscribe is Subscribe without the initial call of fn.
func subscribe[T any](c *Client, key string, fn func(Result[T])) (cancel func()) {
	return c.subscribe(key, func() { fn(snapshot[T](c, key)) })
}

// subscribe calls changed after every change of key, starting a fetch
// when the key needs one. The generic functions are thin shells around
// this and the other untyped methods, so that each type the app queries
// adds little code to app.wasm.
func (c *Client) subscribe(key string, changed func()) (cancel func()) {
	c.mu.Lock()
	e := c.entry(key)
	c.nextID++
	id := c.nextID
	e.subs[id] = changed
	c.tick++
	e.used = c.tick
	fetch := c.needsFetch(e)
	c.mu.Unlock()

	if fetch {
		c.start(key, false)
	}

	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			if e, ok := c.entries[key]; ok {
				delete(e.subs, id)
				c.tick++
				e.used = c.tick
			}
			c.evict()
			c.mu.Unlock()
		})
	}
}

// Fetch returns the value of key, fetching it unless fresh data is cached.
// Concurrent calls for the same key share one request.
func Fetch[T any](ctx context.Context, c *Client, key string) (T, error) {
	data, err := c.fetch(ctx, key, decodeAs[T])
	v, _ := data.(T) // the zero T after an error
	return v, err
}

// fetch is Fetch with the data decoded by as.
func (c *Client) fetch(ctx context.Context, key string, as decoder) (any, error) {
	c.mu.Lock()
	e := c.entry(key)
	fresh := e.inflight == nil && !c.needsFetch(e)
	c.mu.Unlock()
	if !fresh {
		cl := c.start(key, false)
		select {
		case <-cl.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	data, s := c.snapshot(key, as)
	if !s.hasData || (!fresh && s.err != nil) {
		if s.err == nil {
			s.err = fmt.Errorf("no data for %s", key)
		}
		return nil, s.err
	}
	return data, nil
}

// Peek returns the cached state of key without fetching.
func Peek[T any](c *Client, key string) Result[T] {
	return snapshot[T](c, key)
}

// SetData replaces the cached value of key with fn(old, ok), where ok
// reports whether old holds cached data, and notifies subscribers. The new
// value counts as fresh.
func SetData[T any](c *Client, key string, fn func(old T, ok bool) T) {
	c.setData(key, decodeAs[T], func(old any) any {
		v, ok := old.(T)
		return fn(v, ok)
	})
}

// setData is SetData with the old data decoded by as (nil when there is
// none).
func (c *Client) setData(key string, as decoder, fn func(old any) any) {
	c.mu.Lock()
	e := c.entry(key)
	v := fn(typed(e, as))
	c.store(e, v)
	subs := e.notifiers()
	c.mu.Unlock()
	notify(subs)
}

// store sets v as e's data. c.mu must be held.
func (c *Client) store(e *entry, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		raw = nil
	}
	e.raw, e.value, e.hasData, e.err = raw, v, true, nil
	e.updatedAt, e.stale = c.opts.Now(), false
	e.gen++
}

// Refetch starts a fetch of key even if its data is fresh, unless one is
// already in flight.
func (c *Client) Refetch(key string) {
	c.start(key, false)
}

// Invalidate marks every cached key that starts with prefix as stale and
// refetches those that have subscribers; the others refetch when next
// subscribed. It returns the number of keys invalidated.
func (c *Client) Invalidate(prefix string) int {
	c.mu.Lock()
	var active []string
	n := 0
	for k, e := range c.entries {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		n++
		e.stale = true
		if len(e.subs) > 0 {
			active = append(active, k)
		}
	}
	c.mu.Unlock()
	sort.Strings(active)
	for _, k := range active {
		// A fetch in flight started before the change may return old
		// data: replace it.
		c.start(k, true)
	}
	return n
}

// RefetchActive refetches every subscribed key whose data is stale or
// whose last fetch failed. The shell calls it when the network comes back.
func (c *Client) RefetchActive() {
	c.mu.Lock()
	var keys []string
	for k, e := range c.entries {
		if len(e.subs) > 0 && (e.err != nil || c.needsFetch(e)) {
			keys = append(keys, k)
		}
	}
	c.mu.Unlock()
	sort.Strings(keys)
	for _, k := range keys {
		c.start(k, false)
	}
}

// Online reports whether the last request got a response (or the browser
// said it is online since). It starts true.
func (c *Client) Online() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.online
}

// SetOnline records the connectivity state, for example from the
// browser's online and offline events, and notifies OnConnectivity
// listeners when it changes. Going online refetches active queries.
func (c *Client) SetOnline(online bool) {
	c.mu.Lock()
	changed := c.online != online
	c.online = online
	var fns []func(bool)
	if changed {
		ids := make([]int, 0, len(c.connSubs))
		for id := range c.connSubs {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		for _, id := range ids {
			fns = append(fns, c.connSubs[id])
		}
	}
	c.mu.Unlock()
	for _, fn := range fns {
		fn(online)
	}
	if changed && online {
		c.RefetchActive()
	}
}

// OnConnectivity calls fn whenever Online changes. The returned function
// removes fn.
func (c *Client) OnConnectivity(fn func(online bool)) (cancel func()) {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.connSubs[id] = fn
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.connSubs, id)
		c.mu.Unlock()
	}
}

// entry returns the entry of key, creating it. c.mu must be held.
func (c *Client) entry(key string) *entry {
	e, ok := c.entries[key]
	if !ok {
		e = &entry{subs: make(map[int]func())}
		c.entries[key] = e
	}
	return e
}

// needsFetch reports whether e has no usable fresh data. c.mu must be held.
func (c *Client) needsFetch(e *entry) bool {
	if e.inflight != nil {
		return false
	}
	if !e.hasData || e.stale || e.err != nil {
		return true
	}
	return c.opts.StaleTime < 0 || c.opts.Now().Sub(e.updatedAt) >= c.opts.StaleTime
}

// start begins a fetch of key, or returns the one in flight. With replace,
// a fetch in flight is abandoned (its result is dropped) and a new one
// starts.
func (c *Client) start(key string, replace bool) *call {
	c.mu.Lock()
	e := c.entry(key)
	if e.inflight != nil && !replace {
		cl := e.inflight
		c.mu.Unlock()
		return cl
	}
	if e.inflight != nil {
		close(e.inflight.done) // waiters read the state as it is
	}
	cl := &call{done: make(chan struct{})}
	e.inflight = cl
	e.gen++
	subs := e.notifiers()
	c.mu.Unlock()

	notify(subs)
	go c.run(key, cl)
	return cl
}

// run performs the fetch cl of key and publishes its outcome.
func (c *Client) run(key string, cl *call) {
	body, err := c.get(context.Background(), key)

	c.mu.Lock()
	e := c.entry(key)
	if e.inflight != cl {
		c.mu.Unlock() // replaced: done was closed by start
		return
	}
	e.inflight = nil
	if err == nil {
		e.raw, e.value, e.hasData, e.err = body, nil, true, nil
		e.updatedAt, e.stale = c.opts.Now(), false
	} else {
		e.err = err
	}
	e.gen++
	cl.err = err
	subs := e.notifiers()
	c.evict()
	c.mu.Unlock()

	close(cl.done)
	notify(subs)
}

// get performs a GET of url with the retry policy.
func (c *Client) get(ctx context.Context, url string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		body, err := c.Do(ctx, Request{Method: "GET", URL: url})
		if err == nil {
			return body, nil
		}
		if attempt >= c.opts.Retry.Attempts || !Retryable(err) || ctx.Err() != nil {
			return nil, err
		}
		if err := c.opts.Sleep(ctx, c.opts.Retry.Delay(attempt)); err != nil {
			return nil, err
		}
	}
}

// Do sends req once, without retries or caching, and returns the body of a
// 2xx response. Other statuses give a *StatusError, a failed exchange a
// *NetworkError. Every outcome updates Online.
func (c *Client) Do(ctx context.Context, req Request) ([]byte, error) {
	if req.Method == "" {
		req.Method = "GET"
	}
	resp, err := c.tr.Do(ctx, req)
	if err != nil {
		if !IsNetwork(err) {
			err = &NetworkError{URL: req.URL, Err: err}
		}
		c.SetOnline(false)
		return nil, err
	}
	c.SetOnline(true)
	if resp.Status < 200 || resp.Status > 299 {
		return nil, statusError(resp.Status, resp.Body)
	}
	return resp.Body, nil
}

// notifiers returns e's subscriber callbacks in subscription order. c.mu
// must be held.
func (e *entry) notifiers() []func() {
	ids := make([]int, 0, len(e.subs))
	for id := range e.subs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	fns := make([]func(), len(ids))
	for i, id := range ids {
		fns[i] = e.subs[id]
	}
	return fns
}

func notify(fns []func()) {
	for _, fn := range fns {
		fn()
	}
}

// evict drops the least recently used entries nobody observes until at
// most MaxEntries of them remain. c.mu must be held.
func (c *Client) evict() {
	type cand struct {
		key  string
		used uint64
	}
	var idle []cand
	for k, e := range c.entries {
		if len(e.subs) == 0 && e.inflight == nil {
			idle = append(idle, cand{k, e.used})
		}
	}
	if len(idle) <= c.opts.MaxEntries {
		return
	}
	sort.Slice(idle, func(i, j int) bool { return idle[i].used < idle[j].used })
	for _, cd := range idle[:len(idle)-c.opts.MaxEntries] {
		delete(c.entries, cd.key)
	}
}

// snapshot returns the state of key typed as T.
func snapshot[T any](c *Client, key string) Result[T] {
	data, s := c.snapshot(key, decodeAs[T])
	r := Result[T]{HasData: s.hasData, Err: s.err, Fetching: s.fetching, UpdatedAt: s.updatedAt, gen: s.gen}
	if s.hasData {
		r.Data, _ = data.(T) // data is nil only for a nil interface T
	}
	return r
}

// state is a Result without its Data.
type state struct {
	hasData   bool
	err       error
	fetching  bool
	updatedAt time.Time
	gen       uint64
}

// snapshot returns the state of key and its data decoded by as.
func (c *Client) snapshot(key string, as decoder) (any, state) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, state{}
	}
	s := state{err: e.err, fetching: e.inflight != nil, updatedAt: e.updatedAt, gen: e.gen}
	if !e.hasData {
		return nil, s
	}
	data, err := as(e)
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return nil, s
	}
	s.hasData = true
	return data, s
}

// typed returns e's data decoded by as, or nil when it has none (or it
// does not decode). c.mu must be held.
func typed(e *entry, as decoder) any {
	if !e.hasData {
		return nil
	}
	v, err := as(e)
	if err != nil {
		return nil
	}
	return v
}

// A decoder returns an entry's data as one type (decodeAs[T]). c.mu must
// be held.
type decoder func(e *entry) (any, error)

// decodeAs returns e's data as a T (in an interface), decoding e.raw when
// the cached value has another type, and keeps the result. c.mu must be
// held.
func decodeAs[T any](e *entry) (any, error) {
	if _, ok := e.value.(T); ok {
		return e.value, nil
	}
	var v T
	if err := json.Unmarshal(e.raw, &v); err != nil {
		return nil, fmt.Errorf("decode response: %w", err)
	}
	e.value = v
	return e.value, nil
}
