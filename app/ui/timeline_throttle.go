package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// frameThrottle runs at most one function per animation frame: the last
// one scheduled before the frame. The function runs on the UI goroutine
// without re-rendering anything (it calls ctx.PreventUpdate), so it must
// change the DOM itself. Pointer moves arrive faster than frames; this
// keeps the work per frame constant.
type frameThrottle struct {
	pending bool
	next    func(app.Context)
	ctx     app.Context
	cb      app.Func
}

// Schedule arranges for fn to run on the next animation frame, replacing
// any function scheduled before it this frame.
func (t *frameThrottle) Schedule(ctx app.Context, fn func(app.Context)) {
	t.next, t.ctx = fn, ctx
	if t.pending || !app.IsClient {
		return
	}
	t.pending = true
	if t.cb == nil {
		t.cb = app.FuncOf(func(app.Value, []app.Value) any {
			t.ctx.Dispatch(func(ctx app.Context) {
				ctx.PreventUpdate()
				t.pending = false
				if f := t.next; f != nil {
					t.next = nil
					f(ctx)
				}
			})
			return nil
		})
	}
	app.Window().Call("requestAnimationFrame", t.cb)
}

// Release frees the JavaScript callback; call it when the component is
// dismounted.
func (t *frameThrottle) Release() {
	if t.cb != nil {
		t.cb.Release()
		t.cb = nil
	}
	t.pending, t.next = false, nil
}
