package query

import (
	"context"
	"encoding/json"
	"fmt"
)

// Mutation describes a write to the API.
type Mutation struct {
	// Method defaults to "POST".
	Method string
	URL    string
	// Body is sent as JSON when non-nil.
	Body any
	// Optimistic updates are applied to the cache before the request is
	// sent, so the UI shows the expected outcome at once, and are rolled
	// back if the request fails.
	Optimistic []Update
	// Invalidate lists key prefixes to refetch once the request settles,
	// whether it succeeded (to load the server's truth) or failed (to
	// resynchronise after the rollback).
	Invalidate []string
}

// Update is an optimistic change to one cached key; build it with
// Optimistic.
type Update struct {
	key string
	as  decoder           // the cached data as the type fn takes
	fn  func(cur any) any // the new data from the current
}

// Optimistic returns an Update that replaces the cached value of key with
// fn(current). Keys with no cached data are left alone.
func Optimistic[T any](key string, fn func(T) T) Update {
	return Update{key: key, as: decodeAs[T], fn: func(cur any) any { return fn(cur.(T)) }}
}

// apply applies u to c's cache and returns the function that rolls it
// back.
func (u Update) apply(c *Client) (rollback func()) {
	key := u.key
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		c.mu.Unlock()
		return func() {}
	}
	cur := typed(e, u.as)
	if cur == nil {
		c.mu.Unlock()
		return func() {}
	}
	saved := *e
	if e.inflight != nil {
		// A fetch started before the mutation would overwrite the
		// optimistic value with pre-mutation data: drop its result.
		close(e.inflight.done)
		e.inflight = nil
	}
	c.store(e, u.fn(cur))
	gen := e.gen
	subs := e.notifiers()
	c.mu.Unlock()
	notify(subs)

	return func() {
		c.mu.Lock()
		e, ok := c.entries[key]
		if !ok || e.gen != gen {
			c.mu.Unlock() // replaced since: the refetch will resync
			return
		}
		e.raw, e.value, e.hasData = saved.raw, saved.value, saved.hasData
		e.updatedAt, e.stale = saved.updatedAt, saved.stale
		e.gen++
		subs := e.notifiers()
		c.mu.Unlock()
		notify(subs)
	}
}

// Key returns the cache key the update changes.
func (u Update) Key() string { return u.key }

// Mutate applies m's optimistic updates, sends the request once (writes
// are never retried), rolls the updates back if it fails, invalidates
// m.Invalidate, and returns the decoded response body. The error of a
// failed request is a *StatusError (with the server's message and field
// errors) or a *NetworkError.
func Mutate[T any](ctx context.Context, c *Client, m Mutation) (T, error) {
	var v T
	body, err := c.mutate(ctx, m)
	if err != nil {
		return v, err
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &v); err != nil {
			var zero T
			return zero, fmt.Errorf("decode %s response: %w", m.URL, err)
		}
	}
	return v, nil
}

// mutate is Mutate up to the response body, which it returns undecoded.
func (c *Client) mutate(ctx context.Context, m Mutation) ([]byte, error) {
	req := Request{Method: m.Method, URL: m.URL}
	if req.Method == "" {
		req.Method = "POST"
	}
	if m.Body != nil {
		b, err := json.Marshal(m.Body)
		if err != nil {
			return nil, fmt.Errorf("encode %s body: %w", m.URL, err)
		}
		req.Body, req.ContentType = b, "application/json"
	}

	rollbacks := make([]func(), 0, len(m.Optimistic))
	for _, u := range m.Optimistic {
		rollbacks = append(rollbacks, u.apply(c))
	}

	body, err := c.Do(ctx, req)
	if err != nil {
		for i := len(rollbacks) - 1; i >= 0; i-- {
			rollbacks[i]()
		}
	}
	for _, p := range m.Invalidate {
		c.Invalidate(p)
	}
	return body, err
}
