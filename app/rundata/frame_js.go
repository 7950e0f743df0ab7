//go:build js && wasm

package rundata

import "syscall/js"

// frameSchedule runs fn on the next animation frame, so that a burst of
// stream messages produces one notification per frame.
func frameSchedule(fn func()) {
	var cb js.Func
	cb = js.FuncOf(func(js.Value, []js.Value) any {
		cb.Release()
		fn()
		return nil
	})
	js.Global().Call("requestAnimationFrame", cb)
}
