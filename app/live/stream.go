package live

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiinfra/studio/shared/api"
)

// Conn is an open (or opening) connection. Close closes it politely. A
// handler call that races with Close is ignored by the Stream.
type Conn interface {
	Close()
}

// Handler receives what happens on a connection. Dial implementations
// call it asynchronously (never from inside Dial), one call at a time.
type Handler struct {
	// Message receives each text message.
	Message func(data []byte)
	// Close receives the close code and reason once the connection is
	// closed or failed to open (code 1006 for an abnormal closure).
	Close func(code int, reason string)
}

// Dialer opens connections. A failure to connect is reported through
// Handler.Close, not by Dial.
type Dialer interface {
	Dial(url string, h Handler) Conn
}

// DialerFunc adapts a function to the Dialer interface.
type DialerFunc func(url string, h Handler) Conn

// Dial calls f(url, h).
func (f DialerFunc) Dial(url string, h Handler) Conn { return f(url, h) }

// Env is the page's visibility and connectivity.
type Env interface {
	// Hidden reports whether the page is hidden (a background tab).
	Hidden() bool
	// Online reports whether the browser thinks it has a network.
	Online() bool
	// Watch calls onHidden and onOnline when those change, until cancel
	// is called.
	Watch(onHidden func(hidden bool), onOnline func(online bool)) (cancel func())
}

// Clock is the time source of a Stream; tests replace it.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d; stop cancels it.
	AfterFunc(d time.Duration, f func()) (stop func())
}

// Sink receives the messages a Stream applies, once each and in seq
// order. rundata.State is one. Apply must not call back into the Stream.
type Sink interface {
	Apply(m api.Message) (changed bool, err error)
}

// Options configures a Stream.
type Options struct {
	// URL returns the stream URL resuming after since, for example
	// "ws://host/ws/runs/run-0042?since=17". Required.
	URL func(since int64) string
	// Since is the seq the first connection resumes after: the
	// Run.StreamSeq of the REST snapshot the Sink holds.
	Since int64
	// Dialer opens connections (BrowserDialer in the browser). Required.
	Dialer Dialer
	// Sink receives the messages. Required.
	Sink Sink
	// Env reports visibility and connectivity; nil means always visible
	// and online.
	Env Env
	// Clock defaults to the real clock.
	Clock Clock
	// Backoff is the reconnect policy (zero value: the defaults).
	Backoff Backoff
	// OnGap is called when the server no longer has the messages after
	// the stream's since: the caller refetches the run's data over REST
	// (query.Client.Invalidate). The stream continues with the live
	// messages, which the Sink deduplicates against the refetched data.
	OnGap func()
	// OnError is called with messages that do not decode; nil ignores
	// them.
	OnError func(error)
}

// Stream is the live connection of one run. It is safe for concurrent
// use. Create it with NewStream, then Start it; Stop it when the page
// goes away.
type Stream struct {
	opts Options

	mu        sync.Mutex
	tr        *Tracker
	gen       uint64 // identifies the current connection; handlers of older ones are ignored
	conn      Conn
	stopTimer func()
	unwatch   func()
	offline   bool
	started   bool
	stopped   bool

	status  atomic.Pointer[Status]
	subsMu  sync.Mutex
	subs    map[int]func(Status)
	nextSub int
}

// NewStream returns a Stream that is not connected yet.
func NewStream(opts Options) *Stream {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	s := &Stream{opts: opts, tr: NewTracker(opts.Since, opts.Backoff), subs: make(map[int]func(Status))}
	st := s.tr.Status()
	s.status.Store(&st)
	return s
}

// Status returns the latest state of the connection. It never blocks on
// the stream's work, so a subscriber may call it.
func (s *Stream) Status() Status { return *s.status.Load() }

// Subscribe calls fn with the status after every change of state,
// attempt, pause or close (not for every message; read Status for the
// counters). fn runs on the goroutine that caused the change, without the
// stream's lock held. The returned function removes fn.
func (s *Stream) Subscribe(fn func(Status)) (cancel func()) {
	s.subsMu.Lock()
	s.nextSub++
	id := s.nextSub
	s.subs[id] = fn
	s.subsMu.Unlock()
	return func() {
		s.subsMu.Lock()
		delete(s.subs, id)
		s.subsMu.Unlock()
	}
}

// Start connects, unless the page is hidden or offline (then it waits for
// that to change). Starting twice does nothing.
func (s *Stream) Start() {
	s.mu.Lock()
	if s.started || s.stopped {
		s.mu.Unlock()
		return
	}
	s.started = true
	if env := s.opts.Env; env != nil {
		s.unwatch = env.Watch(s.onHidden, s.onOnline)
		if !env.Online() {
			s.offline = true
			s.tr.SetOffline(true)
		}
		if env.Hidden() {
			s.tr.SetPaused(true)
		}
	}
	if !s.offline && !s.tr.Status().Paused {
		s.dial()
	}
	s.mu.Unlock()
	s.publish()
}

// Stop closes the connection and cancels every timer and listener. The
// Stream cannot be restarted.
func (s *Stream) Stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.stopped = true
	s.drop()
	unwatch := s.unwatch
	s.unwatch = nil
	s.mu.Unlock()
	if unwatch != nil {
		unwatch()
	}
}

// dial opens a new connection. s.mu must be held.
func (s *Stream) dial() {
	if s.stopped {
		return
	}
	s.drop()
	s.tr.Dialing()
	gen := s.gen
	url := s.opts.URL(s.tr.Since())
	s.conn = s.opts.Dialer.Dial(url, Handler{
		Message: func(data []byte) { s.onMessage(gen, data) },
		Close:   func(code int, reason string) { s.onClose(gen, code, reason) },
	})
}

// drop closes the current connection and cancels a pending retry;
// handlers of the dropped connection are ignored from now on. s.mu must
// be held.
func (s *Stream) drop() {
	s.gen++
	if s.stopTimer != nil {
		s.stopTimer()
		s.stopTimer = nil
	}
	if s.conn != nil {
		c := s.conn
		s.conn = nil
		c.Close()
	}
}

// schedule arms the retry timer. s.mu must be held.
func (s *Stream) schedule(wait time.Duration) {
	gen := s.gen
	s.stopTimer = s.opts.Clock.AfterFunc(wait, func() {
		s.mu.Lock()
		if s.gen == gen && !s.stopped {
			s.stopTimer = nil
			s.dial()
		}
		s.mu.Unlock()
		s.publish()
	})
}

func (s *Stream) onMessage(gen uint64, data []byte) {
	var m api.Message
	if err := json.Unmarshal(data, &m); err != nil {
		s.reportError(fmt.Errorf("decode stream message: %w", err))
		return
	}
	s.mu.Lock()
	if gen != s.gen || s.stopped {
		s.mu.Unlock()
		return
	}
	if m.Type == api.TypeHello {
		var h api.Hello
		if err := json.Unmarshal(m.Data, &h); err != nil {
			s.mu.Unlock()
			s.reportError(fmt.Errorf("decode hello: %w", err))
			return
		}
		refetch := s.tr.Hello(h)
		s.mu.Unlock()
		s.publish()
		if refetch && s.opts.OnGap != nil {
			s.opts.OnGap()
		}
		return
	}
	var err error
	switch s.tr.Message(m.Seq) {
	case Apply:
		_, err = s.opts.Sink.Apply(m)
		s.storeStatus()
	case Duplicate:
		s.storeStatus()
	case Jump:
		s.drop()
		s.tr.Resync(s.opts.Clock.Now())
		s.dial()
		s.mu.Unlock()
		s.publish()
		return
	}
	s.mu.Unlock()
	if err != nil {
		s.reportError(err)
	}
}

func (s *Stream) onClose(gen uint64, code int, reason string) {
	s.mu.Lock()
	if gen != s.gen || s.stopped {
		s.mu.Unlock()
		return
	}
	s.conn = nil
	if wait, retry := s.tr.Closed(code, reason, s.opts.Clock.Now()); retry {
		s.schedule(wait)
	}
	s.mu.Unlock()
	s.publish()
}

func (s *Stream) onHidden(hidden bool) {
	s.mu.Lock()
	if s.stopped || hidden == s.tr.Status().Paused {
		s.mu.Unlock()
		return
	}
	s.tr.SetPaused(hidden)
	st := s.tr.Status().State
	switch {
	case hidden:
		if st != Closed {
			s.drop()
		}
	case st != Closed && !s.offline:
		s.dial()
	}
	s.mu.Unlock()
	s.publish()
}

func (s *Stream) onOnline(online bool) {
	s.mu.Lock()
	if s.stopped || online != s.offline {
		s.mu.Unlock()
		return
	}
	s.offline = !online
	closed := s.tr.Status().State == Closed
	s.tr.SetOffline(!online)
	switch {
	case closed:
	case !online:
		s.drop()
	case !s.tr.Status().Paused:
		s.dial()
	}
	s.mu.Unlock()
	s.publish()
}

func (s *Stream) reportError(err error) {
	if s.opts.OnError != nil {
		s.opts.OnError(err)
	}
}

// storeStatus publishes the tracker's status for Status. s.mu must be
// held.
func (s *Stream) storeStatus() {
	st := s.tr.Status()
	s.status.Store(&st)
}

// publish stores the status and calls the subscribers.
func (s *Stream) publish() {
	s.mu.Lock()
	s.storeStatus()
	st := s.tr.Status()
	s.mu.Unlock()
	s.subsMu.Lock()
	ids := make([]int, 0, len(s.subs))
	for id := range s.subs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	fns := make([]func(Status), len(ids))
	for i, id := range ids {
		fns[i] = s.subs[id]
	}
	s.subsMu.Unlock()
	for _, fn := range fns {
		fn(st)
	}
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() {
	t := time.AfterFunc(d, f)
	return func() { t.Stop() }
}
