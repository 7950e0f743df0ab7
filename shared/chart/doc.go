// Package chart holds the math behind AI Infra Studio's charts: linear, log
// and time scales, nice ticks and their labels, min/max-preserving
// decimation, TensorBoard's debiased EMA smoothing, SVG path data and
// sparklines, and nearest-point lookup for hover.
//
// The browser (go-app compiled to wasm) and the server (canvas export) share
// this code, so every function is deterministic and allocation-conscious:
// Append* variants write into a caller's buffer, and nothing reads the clock
// or a global random source.
package chart
