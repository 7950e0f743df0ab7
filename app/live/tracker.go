// Package live is the browser's client of a run's WebSocket stream
// (/ws/runs/{id}): it connects, merges every message into the run's
// client state exactly once and in order, shows the connection state, and
// recovers by itself.
//
// The decisions are plain Go, tested natively: Backoff (exponential with
// full jitter), Tracker (the connection state machine and the seq
// bookkeeping) and Stream (the driver that dials, applies messages, arms
// retry timers and reacts to the page being hidden or the network going
// away). Only the browser binding is wasm-only: BrowserDialer wraps the
// page's WebSocket and BrowserEnv its visibility and online events.
package live

import (
	"time"

	"github.com/aiinfra/studio/shared/api"
)

// State is the connection state shown as data-state on
// [data-testid=ws-status].
type State string

// Connection states.
const (
	// Connecting: the first connection (or the one after the tab became
	// visible or the network came back) is being opened.
	Connecting State = "connecting"
	// Live: the hello arrived; messages flow.
	Live State = "live"
	// Reconnecting: the connection dropped; a retry is waiting (RetryAt)
	// or dialing.
	Reconnecting State = "reconnecting"
	// Offline: the browser reports no network; nothing is attempted until
	// it comes back.
	Offline State = "offline"
	// Closed: the run ended (close code 1000) or the run was already
	// finished; no more messages will come.
	Closed State = "closed"
)

// StatusNormalClosure is the close code the server sends when the run has
// ended.
const StatusNormalClosure = 1000

// Status is a snapshot of a stream's connection for display and tests.
type Status struct {
	State State
	// Attempt is the number of the current reconnect attempt (1 for the
	// first retry), 0 when not reconnecting.
	Attempt int
	// RetryAt is when the next attempt starts; zero when none is waiting.
	RetryAt time.Time
	// Paused is true while the page is hidden: the socket is closed and
	// the stream catches up when the page is visible again.
	Paused bool
	// LastSeq is the seq of the last message applied (the since of the
	// next connection).
	LastSeq int64
	// Code and Reason describe the last close (0 and "" before any).
	Code   int
	Reason string
	// Applied counts the messages applied, Duplicates those ignored for a
	// seq already applied, Gaps the REST refetches asked for.
	Applied    int64
	Duplicates int64
	Gaps       int
}

// Verdict is what to do with a stream message.
type Verdict int

// Verdicts of Tracker.Message.
const (
	// Apply: the message is the next one; merge it.
	Apply Verdict = iota
	// Duplicate: its seq was already applied; ignore it.
	Duplicate
	// Jump: messages are missing before it; drop the connection and
	// reconnect with since=LastSeq, which replays them.
	Jump
)

// Tracker is the connection state machine of one stream and its seq
// bookkeeping. It does no I/O: the Stream feeds it what happened and acts
// on its answers. The zero value is not usable; see NewTracker.
type Tracker struct {
	st      Status
	backoff Backoff
}

// NewTracker returns a Tracker in state Connecting whose first connection
// resumes after seq since (the Run.StreamSeq of the REST snapshot).
func NewTracker(since int64, b Backoff) *Tracker {
	return &Tracker{st: Status{State: Connecting, LastSeq: since}, backoff: b}
}

// Status returns the current state.
func (t *Tracker) Status() Status { return t.st }

// Since is the ?since= of the next connection: the last seq applied.
func (t *Tracker) Since() int64 { return t.st.LastSeq }

// Dialing records that a connection is being opened. The state stays
// Reconnecting during a retry (with its attempt count) and is Connecting
// otherwise.
func (t *Tracker) Dialing() {
	t.st.RetryAt = time.Time{}
	if t.st.State != Reconnecting {
		t.st.State = Connecting
		t.st.Attempt = 0
	}
}

// Hello records the server's hello. It returns true when the client must
// refetch over REST: the server no longer buffers the messages after the
// requested since (Gap); the stream continues after h.Seq.
func (t *Tracker) Hello(h api.Hello) (refetch bool) {
	t.st.State, t.st.Attempt, t.st.RetryAt = Live, 0, time.Time{}
	if h.Gap {
		t.st.LastSeq = h.Seq
		t.st.Gaps++
		return true
	}
	if h.Since < 0 {
		// A subscription without since starts at the server's latest.
		t.st.LastSeq = h.Seq
	}
	return false
}

// Message judges a message with sequence number seq.
func (t *Tracker) Message(seq int64) Verdict {
	switch {
	case seq <= t.st.LastSeq:
		t.st.Duplicates++
		return Duplicate
	case seq > t.st.LastSeq+1:
		return Jump
	}
	t.st.LastSeq = seq
	t.st.Applied++
	return Apply
}

// Closed records that the connection closed with code and reason at now,
// while the page is visible and online. It returns the wait before the
// next attempt and true, or false when the stream is over (code 1000: the
// run ended).
func (t *Tracker) Closed(code int, reason string, now time.Time) (wait time.Duration, retry bool) {
	t.st.Code, t.st.Reason = code, reason
	if code == StatusNormalClosure {
		t.st.State, t.st.Attempt, t.st.RetryAt = Closed, 0, time.Time{}
		return 0, false
	}
	wait = t.backoff.Delay(t.st.Attempt)
	t.st.Attempt++
	t.st.State = Reconnecting
	t.st.RetryAt = now.Add(wait)
	return wait, true
}

// Resync records that the client dropped the connection to replay missing
// messages (a Jump): the next attempt starts at once.
func (t *Tracker) Resync(now time.Time) {
	t.st.Attempt++
	t.st.State = Reconnecting
	t.st.RetryAt = now
	t.st.Code, t.st.Reason = 0, "missing messages"
}

// SetOffline records that the browser went offline (true) or back online
// (false). Going offline stops retrying; coming back starts a fresh
// connection (attempts reset). Ignored once Closed.
func (t *Tracker) SetOffline(offline bool) {
	if t.st.State == Closed {
		return
	}
	t.st.RetryAt = time.Time{}
	t.st.Attempt = 0
	if offline {
		t.st.State = Offline
		return
	}
	t.st.State = Connecting
}

// SetPaused records that the page was hidden (true) or shown again
// (false). While paused the socket is closed and no retry is armed.
func (t *Tracker) SetPaused(paused bool) {
	t.st.Paused = paused
	if t.st.State == Closed {
		return
	}
	t.st.RetryAt = time.Time{}
	if !paused && t.st.State != Offline {
		t.st.State, t.st.Attempt = Connecting, 0
	}
}

// End records that the stream is over without a close from the server
// (the run was already finished when the page opened).
func (t *Tracker) End() {
	t.st.State, t.st.Attempt, t.st.RetryAt = Closed, 0, time.Time{}
}
