// Package logpattern mines log templates (a Drain-like miner that turns
// numbers, ids, paths and other variable tokens into wildcards) and
// compares two windows of a log by pattern: which patterns appeared, which
// vanished and which changed their share most.
//
// It is shared by the browser and the server, so it is deterministic: the
// same messages in the same order always give the same templates, IDs and
// report order.
package logpattern
