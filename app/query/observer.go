package query

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Observer keeps a component's view of one query up to date. Embed or
// keep one as an unexported field, call Observe from OnMount, OnNav or
// OnUpdate (never from Render), read Result in Render, and Close it in
// OnDismount:
//
//	type RunPage struct {
//		app.Compo
//		Client *query.Client
//		run    query.Observer[studio.Run]
//	}
//
//	func (p *RunPage) OnNav(ctx app.Context) {
//		p.run.Observe(ctx, p.Client, "/api/runs/"+id)
//	}
//
// Changes are applied on the UI goroutine through ctx.Dispatch, which
// re-renders the component that owns ctx.
type Observer[T any] struct {
	// Result is the latest snapshot of the observed key.
	Result[T]
	// Changed, when set, runs on the UI goroutine after each update
	// applied through Dispatch (to set a document title from loaded data,
	// say).
	Changed func(ctx app.Context)
	subscription
}

// subscription is the part of an Observer that does not depend on T: all
// of the subscribing, dispatching and ordering, so that each type the app
// observes adds only Observe and set to app.wasm.
type subscription struct {
	key    string
	client *Client
	cancel func()
	// epoch identifies the current subscription so that callbacks of an
	// older one are ignored.
	epoch uint64
	// gen is the generation of the snapshot shown, so that an older one
	// arriving late is ignored.
	gen uint64
}

// Observe subscribes to key on c, replacing any previous subscription.
// Observing the key already observed does nothing. The current cached
// state is applied immediately, so a page revisited shows its data in the
// same frame.
func (o *Observer[T]) Observe(ctx app.Context, c *Client, key string) {
	if !o.renew(c, key) {
		return
	}
	o.Result = Result[T]{}
	o.observe(ctx, decodeAs[T], o.set, &o.Changed)
}

// set stores a snapshot of the observed key, its data typed as T.
func (o *Observer[T]) set(data any, s state) {
	o.Result = Result[T]{HasData: s.hasData, Err: s.err, Fetching: s.fetching, UpdatedAt: s.updatedAt, gen: s.gen}
	if s.hasData {
		o.Result.Data, _ = data.(T) // data is nil only for a nil interface T
	}
}

// renew closes the subscription and starts a new one of key on c, unless
// that is the one open; it reports whether it did.
func (s *subscription) renew(c *Client, key string) bool {
	if s.cancel != nil && s.key == key && s.client == c {
		return false
	}
	s.Close()
	s.key, s.client = key, c
	s.epoch++
	s.gen = 0
	return true
}

// observe subscribes to s's key, applies the current snapshot through set
// and then every change on the UI goroutine through ctx.Dispatch, running
// *changed after each one applied that way. as decodes the data for set.
func (s *subscription) observe(ctx app.Context, as decoder, set func(data any, st state), changed *func(ctx app.Context)) {
	c, key, epoch := s.client, s.key, s.epoch
	s.cancel = c.subscribe(key, func() {
		data, st := c.snapshot(key, as)
		ctx.Dispatch(func(ctx app.Context) {
			if s.apply(epoch, data, st, set) && *changed != nil {
				(*changed)(ctx)
			}
		})
	})
	data, st := c.snapshot(key, as)
	s.apply(epoch, data, st, set)
}

// apply passes a snapshot to set unless it belongs to an older
// subscription or is older than the snapshot already shown.
func (s *subscription) apply(epoch uint64, data any, st state, set func(any, state)) bool {
	if epoch != s.epoch || st.gen < s.gen {
		return false
	}
	s.gen = st.gen
	set(data, st)
	return true
}

// Key returns the observed key, "" when none.
func (s *subscription) Key() string { return s.key }

// Refetch refetches the observed key; retry buttons call it.
func (s *subscription) Refetch() {
	if s.client != nil && s.key != "" {
		s.client.Refetch(s.key)
	}
}

// Close ends the subscription. The last Result is kept.
func (s *subscription) Close() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.epoch++
}
