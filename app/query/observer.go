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
	key     string
	client  *Client
	cancel  func()
	// epoch identifies the current subscription so that callbacks of an
	// older one are ignored.
	epoch uint64
}

// Observe subscribes to key on c, replacing any previous subscription.
// Observing the key already observed does nothing. The current cached
// state is applied immediately, so a page revisited shows its data in the
// same frame.
func (o *Observer[T]) Observe(ctx app.Context, c *Client, key string) {
	if o.cancel != nil && o.key == key && o.client == c {
		return
	}
	o.Close()
	o.key, o.client = key, c
	o.Result = Result[T]{}
	o.epoch++
	epoch := o.epoch
	o.cancel = subscribe(c, key, func(r Result[T]) {
		ctx.Dispatch(func(ctx app.Context) {
			if o.apply(epoch, r) && o.Changed != nil {
				o.Changed(ctx)
			}
		})
	})
	o.apply(epoch, snapshot[T](c, key))
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
func (o *Observer[T]) Key() string { return o.key }

// Refetch refetches the observed key; retry buttons call it.
func (o *Observer[T]) Refetch() {
	if o.client != nil && o.key != "" {
		o.client.Refetch(o.key)
	}
}

// Close ends the subscription. The last Result is kept.
func (o *Observer[T]) Close() {
	if o.cancel != nil {
		o.cancel()
		o.cancel = nil
	}
	o.epoch++
}
