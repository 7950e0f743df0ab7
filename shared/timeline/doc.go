// Package timeline holds the logic of the Time Warp Timeline: events
// grouped into lanes, the visible window over a run's span (zoom, pan,
// brush, time <-> pixel), nearest-event and keyboard-order lookups, metric
// values at a time, density marks that never drop events, and pin
// comparisons of metrics before and after a moment.
//
// The browser and the server share it, so it is deterministic, never reads
// the clock, and results are plain JSON-friendly structs.
package timeline
