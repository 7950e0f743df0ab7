package query

import (
	"errors"
	"time"
)

// Retry is the policy for repeating failed queries. Only transient
// failures are retried: network errors and 5xx responses. A 4xx is the
// caller's fault and is returned at once.
type Retry struct {
	// Attempts is the number of retries after the first try; 0 means the
	// default (3) and a negative value disables retries.
	Attempts int
	// Base is the delay before the first retry (default 400ms); each later
	// retry waits twice as long as the one before, up to Max (default 8s).
	Base time.Duration
	Max  time.Duration
}

// DefaultRetry is the policy used when Options.Retry is zero.
var DefaultRetry = Retry{Attempts: 3, Base: 400 * time.Millisecond, Max: 8 * time.Second}

func (r Retry) withDefaults() Retry {
	if r.Attempts == 0 {
		r.Attempts = DefaultRetry.Attempts
	}
	if r.Attempts < 0 {
		r.Attempts = 0
	}
	if r.Base <= 0 {
		r.Base = DefaultRetry.Base
	}
	if r.Max <= 0 {
		r.Max = DefaultRetry.Max
	}
	return r
}

// Delay returns how long to wait before retry number n (0 for the first
// retry): Base·2ⁿ, capped at Max.
func (r Retry) Delay(n int) time.Duration {
	r = r.withDefaults()
	d := r.Base
	for i := 0; i < n; i++ {
		d *= 2
		if d >= r.Max {
			return r.Max
		}
	}
	return min(d, r.Max)
}

// Retryable reports whether a request that failed with err may succeed if
// tried again: network errors and 5xx responses are, 4xx responses and
// everything else are not.
func Retryable(err error) bool {
	if IsNetwork(err) {
		return true
	}
	var se *StatusError
	return errors.As(err, &se) && se.Status >= 500
}
