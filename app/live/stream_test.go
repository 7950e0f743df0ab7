package live

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// fakeConn is one dialed connection of fakeDialer.
type fakeConn struct {
	url    string
	h      Handler
	closed bool
}

func (c *fakeConn) Close() { c.closed = true }

// fakeDialer records dials; the test drives each connection.
type fakeDialer struct {
	mu    sync.Mutex
	conns []*fakeConn
}

func (d *fakeDialer) Dial(url string, h Handler) Conn {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := &fakeConn{url: url, h: h}
	d.conns = append(d.conns, c)
	return c
}

func (d *fakeDialer) last(t *testing.T) *fakeConn {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.conns) == 0 {
		t.Fatal("no connection was dialed")
	}
	return d.conns[len(d.conns)-1]
}

func (d *fakeDialer) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.conns)
}

// fakeClock runs timers when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() {
		c.mu.Lock()
		t.stopped = true
		c.mu.Unlock()
	}
}

// advance moves the clock by d and runs the timers due, in order.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	rest := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			due = append(due, t)
		} else if !t.stopped {
			rest = append(rest, t)
		}
	}
	c.timers = rest
	c.mu.Unlock()
	sort.Slice(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, t := range due {
		t.f()
	}
}

func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// fakeEnv is a page whose visibility and network the test sets.
type fakeEnv struct {
	hidden, offline    bool
	onHidden, onOnline func(bool)
}

func (e *fakeEnv) Hidden() bool { return e.hidden }
func (e *fakeEnv) Online() bool { return !e.offline }
func (e *fakeEnv) Watch(h func(bool), o func(bool)) func() {
	e.onHidden, e.onOnline = h, o
	return func() { e.onHidden, e.onOnline = nil, nil }
}

// recorder is a Sink that records applied seqs.
type recorder struct {
	mu   sync.Mutex
	seqs []int64
}

func (r *recorder) Apply(m api.Message) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seqs = append(r.seqs, m.Seq)
	return true, nil
}

type harness struct {
	t      *testing.T
	d      *fakeDialer
	clock  *fakeClock
	env    *fakeEnv
	sink   *recorder
	s      *Stream
	gaps   int
	states []State
}

func newHarness(t *testing.T, since int64) *harness {
	h := &harness{t: t, d: &fakeDialer{}, clock: &fakeClock{now: time.Unix(1000, 0)}, env: &fakeEnv{}, sink: &recorder{}}
	h.s = NewStream(Options{
		URL:     func(since int64) string { return fmt.Sprintf("ws://x/ws/runs/r?since=%d", since) },
		Since:   since,
		Dialer:  h.d,
		Sink:    h.sink,
		Env:     h.env,
		Clock:   h.clock,
		Backoff: Backoff{Rand: func() float64 { return 0.5 }},
		OnGap:   func() { h.gaps++ },
	})
	h.s.Subscribe(func(st Status) {
		if n := len(h.states); n == 0 || h.states[n-1] != st.State {
			h.states = append(h.states, st.State)
		}
	})
	return h
}

func (h *harness) hello(c *fakeConn, latest, since int64, gap bool) {
	h.t.Helper()
	b, _ := json.Marshal(api.Hello{RunID: "r", Status: studio.RunRunning, Seq: latest, Since: since, Resumed: !gap, Gap: gap})
	h.send(c, api.Message{Type: api.TypeHello, Seq: latest, Data: b})
}

func (h *harness) send(c *fakeConn, m api.Message) {
	h.t.Helper()
	if m.Data == nil {
		m.Data = json.RawMessage(`{}`)
	}
	b, err := json.Marshal(m)
	if err != nil {
		h.t.Fatal(err)
	}
	c.h.Message(b)
}

func (h *harness) point(c *fakeConn, seqs ...int64) {
	for _, q := range seqs {
		h.send(c, api.Message{Type: api.TypeMetricPoint, Seq: q})
	}
}

func (h *harness) wantState(want State) {
	h.t.Helper()
	if got := h.s.Status().State; got != want {
		h.t.Fatalf("state = %s; want %s (history %v)", got, want, h.states)
	}
}

func (h *harness) wantSeqs(want ...int64) {
	h.t.Helper()
	h.sink.mu.Lock()
	defer h.sink.mu.Unlock()
	if fmt.Sprint(h.sink.seqs) != fmt.Sprint(want) {
		h.t.Fatalf("applied seqs = %v; want %v", h.sink.seqs, want)
	}
}

func TestStreamReconnectResumes(t *testing.T) {
	h := newHarness(t, 10)
	h.s.Start()
	h.wantState(Connecting)
	c1 := h.d.last(t)
	if c1.url != "ws://x/ws/runs/r?since=10" {
		t.Fatalf("first url = %s; want since=10", c1.url)
	}
	h.hello(c1, 12, 10, false)
	h.wantState(Live)
	h.point(c1, 11, 12, 13)
	h.wantSeqs(11, 12, 13)

	// Chaos drop: reconnect after the jittered wait, resume after 13.
	c1.h.Close(4000, "chaos")
	h.wantState(Reconnecting)
	st := h.s.Status()
	if st.Attempt != 1 || st.Code != 4000 {
		t.Fatalf("after drop: attempt %d code %d; want 1, 4000", st.Attempt, st.Code)
	}
	if want := h.clock.Now().Add(250 * time.Millisecond); !st.RetryAt.Equal(want) {
		t.Errorf("RetryAt = %v; want %v (half of the 500ms ceiling)", st.RetryAt, want)
	}
	h.clock.advance(249 * time.Millisecond)
	if h.d.count() != 1 {
		t.Fatal("redialed before the backoff elapsed")
	}
	h.clock.advance(time.Millisecond)
	c2 := h.d.last(t)
	if c2.url != "ws://x/ws/runs/r?since=13" {
		t.Fatalf("resume url = %s; want since=13", c2.url)
	}
	h.wantState(Reconnecting) // still reconnecting until the hello
	// The server replays from 14; a stale duplicate is ignored.
	h.hello(c2, 15, 13, false)
	h.point(c2, 13, 14, 15)
	h.wantSeqs(11, 12, 13, 14, 15)
	if d := h.s.Status().Duplicates; d != 1 {
		t.Errorf("Duplicates = %d; want 1", d)
	}
	h.wantState(Live)
	want := []State{Connecting, Live, Reconnecting, Live}
	if fmt.Sprint(h.states) != fmt.Sprint(want) {
		t.Errorf("states = %v; want %v", h.states, want)
	}
	// Messages of the dropped connection are ignored.
	h.point(c1, 16)
	h.wantSeqs(11, 12, 13, 14, 15)
}

func TestStreamBackoffGrows(t *testing.T) {
	h := newHarness(t, 0)
	h.s.Start()
	wantWaits := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 7500 * time.Millisecond, 7500 * time.Millisecond}
	for i, want := range wantWaits {
		c := h.d.last(t)
		c.h.Close(1006, "")
		st := h.s.Status()
		if st.Attempt != i+1 {
			t.Fatalf("attempt = %d; want %d", st.Attempt, i+1)
		}
		if got := st.RetryAt.Sub(h.clock.Now()); got != want {
			t.Errorf("wait before attempt %d = %v; want %v", i+1, got, want)
		}
		h.clock.advance(want)
	}
	// A hello resets the attempts.
	h.hello(h.d.last(t), 0, 0, false)
	h.d.last(t).h.Close(1006, "")
	if st := h.s.Status(); st.Attempt != 1 {
		t.Errorf("attempt after a successful connection = %d; want 1", st.Attempt)
	}
}

func TestStreamClosedOnRunEnd(t *testing.T) {
	h := newHarness(t, 0)
	h.s.Start()
	c := h.d.last(t)
	h.hello(c, 0, 0, false)
	h.point(c, 1)
	c.h.Close(1000, "run ended")
	h.wantState(Closed)
	if h.clock.pending() != 0 {
		t.Error("a retry was armed after close 1000")
	}
	// Visibility changes do not reopen a closed stream.
	h.env.hidden = true
	h.env.onHidden(true)
	h.env.hidden = false
	h.env.onHidden(false)
	h.wantState(Closed)
	if h.d.count() != 1 {
		t.Errorf("dials = %d; want 1", h.d.count())
	}
}

func TestStreamGapRefetches(t *testing.T) {
	h := newHarness(t, 5)
	h.s.Start()
	c := h.d.last(t)
	h.hello(c, 900, 5, true) // the server no longer has 6..900
	if h.gaps != 1 {
		t.Fatalf("OnGap calls = %d; want 1", h.gaps)
	}
	h.wantState(Live)
	h.point(c, 901, 902)
	h.wantSeqs(901, 902)
	if got := h.s.Status().LastSeq; got != 902 {
		t.Errorf("LastSeq = %d; want 902", got)
	}
}

func TestStreamSeqJumpResyncs(t *testing.T) {
	h := newHarness(t, 0)
	h.s.Start()
	c1 := h.d.last(t)
	h.hello(c1, 0, 0, false)
	h.point(c1, 1, 2)
	h.point(c1, 5) // 3 and 4 are missing
	if !c1.closed {
		t.Fatal("connection with a seq jump was not closed")
	}
	c2 := h.d.last(t)
	if c2 == c1 || c2.url != "ws://x/ws/runs/r?since=2" {
		t.Fatalf("resync url = %s; want a new connection with since=2", c2.url)
	}
	h.wantState(Reconnecting)
	h.hello(c2, 5, 2, false)
	h.point(c2, 3, 4, 5)
	h.wantSeqs(1, 2, 3, 4, 5)
}

func TestStreamPausesWhileHidden(t *testing.T) {
	h := newHarness(t, 0)
	h.env.hidden = true
	h.s.Start()
	if h.d.count() != 0 {
		t.Fatal("dialed while hidden")
	}
	h.env.hidden = false
	h.env.onHidden(false)
	c1 := h.d.last(t)
	h.hello(c1, 3, 0, false)
	h.point(c1, 1, 2, 3)
	h.env.hidden = true
	h.env.onHidden(true)
	if !c1.closed || !h.s.Status().Paused {
		t.Fatal("hiding the page did not close the socket")
	}
	c1.h.Close(1000, "client closed") // our own close must not end the stream
	if st := h.s.Status(); st.State == Closed || h.clock.pending() != 0 {
		t.Fatalf("own close while paused: state %s, %d timers; want no change", st.State, h.clock.pending())
	}
	h.env.hidden = false
	h.env.onHidden(false)
	c2 := h.d.last(t)
	if c2.url != "ws://x/ws/runs/r?since=3" {
		t.Errorf("catch-up url = %s; want since=3", c2.url)
	}
	h.wantState(Connecting)
}

func TestStreamOffline(t *testing.T) {
	h := newHarness(t, 0)
	h.s.Start()
	c1 := h.d.last(t)
	h.hello(c1, 0, 0, false)
	h.env.offline = true
	h.env.onOnline(false)
	h.wantState(Offline)
	if !c1.closed {
		t.Error("socket left open while offline")
	}
	c1.h.Close(1006, "") // ignored: already dropped
	if h.clock.pending() != 0 {
		t.Error("retry armed while offline")
	}
	h.env.offline = false
	h.env.onOnline(true)
	h.wantState(Connecting)
	if h.d.count() != 2 {
		t.Errorf("dials = %d; want 2", h.d.count())
	}
}

func TestStreamStop(t *testing.T) {
	h := newHarness(t, 0)
	h.s.Start()
	c := h.d.last(t)
	c.h.Close(1006, "")
	h.s.Stop()
	h.clock.advance(time.Minute)
	if h.d.count() != 1 {
		t.Errorf("dials after Stop = %d; want 1", h.d.count())
	}
	if h.env.onHidden != nil {
		t.Error("Stop left the environment watched")
	}
}
