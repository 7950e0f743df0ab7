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

// subscription is the part of an Observer that does not depend on T.
type subscription struct {
	key    string
	client *Client
	cancel func()
	// epoch identifies the current subscription so that callbacks of an
	// older one are ignored.
	epoch uint64
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
	epoch := o.epoch
	o.cancel = c.subscribe(key, func() {
		r := snapshot[T](c, key)
		ctx.Dispatch(func(ctx app.Context) { o.update(ctx, epoch, r) })
	})
	o.apply(epoch, snapshot[T](c, key))
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
	return true
}

// update applies r and runs Changed when r is kept.
func (o *Observer[T]) update(ctx app.Context, epoch uint64, r Result[T]) {
	if o.apply(epoch, r) && o.Changed != nil {
		o.Changed(ctx)
	}
}

// apply stores r unless it belongs to an older subscription or is older
// than the snapshot already shown.
func (o *Observer[T]) apply(epoch uint64, r Result[T]) bool {
	if epoch != o.epoch || r.gen < o.Result.gen {
		return false
	}
	o.Result = r
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
