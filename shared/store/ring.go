package store

import "github.com/aiinfra/studio/shared/api"

// ring is a bounded buffer of a run's latest stream messages, oldest
// first. The messages' seqs are consecutive.
type ring struct {
	msgs  []api.Message
	start int // index of the oldest message
}

func newRing(size int) ring { return ring{msgs: make([]api.Message, 0, min(size, 64))} }

// push appends m, evicting the oldest message when the ring holds size.
func (r *ring) push(m api.Message, size int) {
	if len(r.msgs) < size { // still growing: no wrap yet
		r.msgs = append(r.msgs, m)
		return
	}
	r.msgs[r.start] = m
	r.start = (r.start + 1) % len(r.msgs)
}

// len returns the number of buffered messages.
func (r *ring) len() int { return len(r.msgs) }

// at returns the i-th oldest buffered message.
func (r *ring) at(i int) api.Message { return r.msgs[(r.start+i)%len(r.msgs)] }
