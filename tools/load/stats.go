package main

import (
	"slices"
	"time"
)

// percentile returns the q-quantile (0 <= q <= 1) of sorted by the
// nearest-rank method, or 0 for an empty slice.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1 // ceil(q·n) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// median returns the median of xs (the mean of the middle two for an even
// count), or 0 for an empty slice. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ms converts d to fractional milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// delivery is one stream message as one subscriber received it: the run's
// index, the message's seq, and the receive time as an offset from a
// common base.
type delivery struct {
	run int
	seq int64
	at  time.Duration
}

// latencies estimates stream delivery latency without any timestamp in the
// protocol, from two facts about the server: a run's producer ticks on a
// fixed grid (a time.Ticker with the run's cadence, which drops ticks
// rather than drifting) and sends every message of a tick to all of the
// run's subscribers at once.
//
// For each run, the first arrival of each seq over all subscribers is
// folded modulo the cadence; those residues cluster just after the grid's
// phase, and the start of the cluster (the residue after the largest
// circular gap) is taken as the tick instant plus the fastest delivery.
// aligned is then, per delivery, the time since its tick on that grid: it
// includes a late timer, the store's tick and encoding, the writes to every
// subscriber before this one and the client's read, but not the fastest
// delivery of all (tens of microseconds on loopback), so it slightly
// understates the true latency. spread is the time since the first
// subscriber of the run received the same seq: the fan-out delay alone, a
// lower bound. cadence maps a run's index to its tick interval; runs
// without one are skipped. Latencies of a cadence or more cannot be told
// from the next tick, so aligned is only meaningful well below it.
func latencies(ds []delivery, cadence map[int]time.Duration) (aligned, spread []time.Duration) {
	type key struct {
		run int
		seq int64
	}
	first := make(map[key]time.Duration)
	for _, d := range ds {
		k := key{d.run, d.seq}
		if f, ok := first[k]; !ok || d.at < f {
			first[k] = d.at
		}
	}
	residues := make(map[int][]time.Duration)
	for k, f := range first {
		if c := cadence[k.run]; c > 0 {
			residues[k.run] = append(residues[k.run], f%c)
		}
	}
	phase := make(map[int]time.Duration, len(residues))
	for run, rs := range residues {
		phase[run] = clusterStart(rs, cadence[run])
	}
	aligned = make([]time.Duration, 0, len(ds))
	spread = make([]time.Duration, 0, len(ds))
	for _, d := range ds {
		c := cadence[d.run]
		if c <= 0 {
			continue
		}
		f := first[key{d.run, d.seq}]
		tick := f - mod(f-phase[d.run], c)
		aligned = append(aligned, d.at-tick)
		spread = append(spread, d.at-f)
	}
	slices.Sort(aligned)
	slices.Sort(spread)
	return aligned, spread
}

// clusterStart returns the start of the tightest arc of the circle
// [0, c) that holds every residue: the residue that follows the largest
// gap between neighbours (going round).
func clusterStart(rs []time.Duration, c time.Duration) time.Duration {
	if len(rs) == 0 {
		return 0
	}
	s := slices.Clone(rs)
	slices.Sort(s)
	best, start := s[0]+c-s[len(s)-1], s[0] // the gap that wraps round
	for i := 1; i < len(s); i++ {
		if g := s[i] - s[i-1]; g > best {
			best, start = g, s[i]
		}
	}
	return start
}

// mod returns x modulo m in [0, m) for m > 0.
func mod(x, m time.Duration) time.Duration {
	r := x % m
	if r < 0 {
		r += m
	}
	return r
}
