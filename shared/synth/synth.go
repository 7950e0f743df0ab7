// Package synth is the deterministic generator of AI Infra Studio's
// synthetic platform: experiments, runs, metric series, log lines, timeline
// events, models, deployments and traces. Every value is a pure function of
// (Seed, Scale) and indexes; nothing reads the clock or a global random
// source, so the same seed gives identical data natively and in wasm.
package synth

import "time"

// DefaultEpoch is the reference time of the generated platform: every
// generated timestamp is an offset from it (2026-11-20T12:00:00Z).
var DefaultEpoch = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// Generator produces deterministic data from Seed and Scale. It never reads
// the clock: every timestamp is an offset from Epoch.
type Generator struct {
	// Seed selects the dataset: the same seed always gives the same data.
	Seed uint64
	// Scale multiplies the counts of experiments, runs, models,
	// deployments and traces; values below 1 count as 1.
	Scale int
	// Epoch is "now" for the base dataset: runs that are running at Epoch
	// stream from there, and everything else happened before it.
	Epoch time.Time
}

// New returns a Generator for seed and scale with Epoch DefaultEpoch.
// A scale below 1 is treated as 1.
func New(seed uint64, scale int) Generator {
	if scale < 1 {
		scale = 1
	}
	return Generator{Seed: seed, Scale: scale, Epoch: DefaultEpoch}
}
