//go:build !(js && wasm)

package rundata

// frameSchedule runs fn at once: outside the browser there are no frames.
func frameSchedule(fn func()) { fn() }
