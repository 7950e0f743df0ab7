package live

import (
	"math/rand/v2"
	"time"
)

// Default reconnect policy: the first retry waits up to DefaultBase, each
// later one up to twice as long, never more than DefaultCap.
const (
	DefaultBase = 500 * time.Millisecond
	DefaultCap  = 15 * time.Second
)

// Backoff is exponential backoff with full jitter: retry n (0 for the
// first) waits a uniformly random duration in [0, min(Cap, Base·2ⁿ)). Full
// jitter spreads the reconnects of many clients dropped at once (a server
// restart) instead of having them retry in lockstep.
type Backoff struct {
	// Base is the ceiling of the first wait (default DefaultBase).
	Base time.Duration
	// Cap bounds every wait (default DefaultCap).
	Cap time.Duration
	// Rand returns a number in [0, 1) (default math/rand/v2's Float64).
	Rand func() float64
}

// Ceiling returns the upper bound of the wait before retry n:
// min(Cap, Base·2ⁿ). n below 0 counts as 0.
func (b Backoff) Ceiling(n int) time.Duration {
	base, limit := b.Base, b.Cap
	if base <= 0 {
		base = DefaultBase
	}
	if limit <= 0 {
		limit = DefaultCap
	}
	d := base
	for i := 0; i < n; i++ {
		if d >= limit/2 {
			return limit
		}
		d *= 2
	}
	return min(d, limit)
}

// Delay returns the wait before retry n, drawn uniformly from
// [0, Ceiling(n)).
func (b Backoff) Delay(n int) time.Duration {
	r := b.Rand
	if r == nil {
		r = rand.Float64
	}
	f := r()
	if f < 0 || f >= 1 {
		f = 0
	}
	return time.Duration(f * float64(b.Ceiling(n)))
}
