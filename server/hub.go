package server

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// runSource is what the hub needs from the store: the run's status, its
// stream (Tick, Since) and the runs that are live. *store.Store implements it.
type runSource interface {
	Run(id studio.RunID) (studio.Run, error)
	Tick(id studio.RunID) ([]api.Message, error)
	Since(id studio.RunID, since int64) (msgs []api.Message, latest int64, gap bool, err error)
	StreamBounds(id studio.RunID) (oldest, latest int64, err error)
	Live() []studio.RunID
}

// hubConfig holds the hub's settings, already defaulted by New.
type hubConfig struct {
	log      *slog.Logger
	interval time.Duration
	chaos    bool
	maxConns int
	queue    int
}

// hub runs one producer goroutine per live run. Each producer ticks its run
// in the store at the run's cadence and hands the new messages to the run's
// subscribers without ever blocking on them.
type hub struct {
	src runSource
	cfg hubConfig

	ctx    context.Context // ends at shutdown; producers and the poller stop
	cancel context.CancelFunc
	wg     sync.WaitGroup // producers and connections

	mu      sync.Mutex
	streams map[studio.RunID]*runStream // live runs with a producer
	subs    map[*subscriber]struct{}    // every open connection
	closed  bool
}

// runStream is a live run's producer state. mu orders Tick against
// subscribe, so a subscriber sees each message exactly once: either in its
// backlog (Since) or in its queue.
type runStream struct {
	id      studio.RunID
	cadence time.Duration
	mu      sync.Mutex
	subs    map[*subscriber]struct{}
	ended   bool // the run is terminal and the producer has stopped
}

func newHub(src runSource, cfg hubConfig) *hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &hub{
		src: src, cfg: cfg, ctx: ctx, cancel: cancel,
		streams: make(map[studio.RunID]*runStream),
		subs:    make(map[*subscriber]struct{}),
	}
}

// cadence returns the emit interval of run id: the configured interval,
// spread over [interval/2, 3·interval/2) by a hash of id from 100ms up.
func (h *hub) cadence(id studio.RunID) time.Duration {
	d := h.cfg.interval
	if d < 100*time.Millisecond {
		return d
	}
	f := fnv.New64a()
	f.Write([]byte(id))
	return d/2 + time.Duration(f.Sum64()%uint64(d))
}

// run starts producers for the live runs and keeps polling for runs that
// become live, until ctx or the hub ends.
func (h *hub) run(ctx context.Context) error {
	poll := max(h.cfg.interval, 50*time.Millisecond)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for _, id := range h.src.Live() {
			h.ensure(id)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-h.ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ensure starts the producer of run id unless it runs already or the hub
// is shut down, and returns the run's stream (nil after shutdown). The
// producer stops by itself when the run turns out to be terminal.
func (h *hub) ensure(id studio.RunID) *runStream {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	if rs, ok := h.streams[id]; ok {
		return rs
	}
	rs := &runStream{id: id, cadence: h.cadence(id), subs: make(map[*subscriber]struct{})}
	h.streams[id] = rs
	h.wg.Add(1)
	go h.produce(rs)
	return rs
}

// produce ticks rs at its cadence until the run ends or the hub shuts down.
func (h *hub) produce(rs *runStream) {
	defer h.wg.Done()
	t := time.NewTicker(rs.cadence)
	defer t.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		if !h.tick(rs) {
			h.mu.Lock()
			if h.streams[rs.id] == rs {
				delete(h.streams, rs.id)
			}
			h.mu.Unlock()
			return
		}
	}
}

// tick advances the run once and broadcasts the new messages. It reports
// whether the run is still live. A subscriber whose queue is full is
// dropped with "too slow"; when the run ends, every subscriber gets the
// final messages and then a normal closure.
func (h *hub) tick(rs *runStream) (live bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	msgs, err := h.src.Tick(rs.id)
	if err != nil {
		h.cfg.log.Error("tick failed; stopping the run's stream", "run", rs.id, "err", err)
		h.endStream(rs)
		return false
	}
	frames := make([][]byte, 0, len(msgs))
	terminal := false
	for _, m := range msgs {
		b, err := json.Marshal(m)
		if err != nil {
			h.cfg.log.Error("encode stream message", "run", rs.id, "seq", m.Seq, "err", err)
			continue
		}
		frames = append(frames, b)
		if m.Type == api.TypeStatus {
			var st api.Status
			if json.Unmarshal(m.Data, &st) == nil && st.Status.Terminal() {
				terminal = true
			}
		}
	}
	if len(msgs) == 0 {
		// A queued run may emit nothing on a tick; only a terminal one is done.
		run, err := h.src.Run(rs.id)
		terminal = err != nil || run.Status.Terminal()
	}
	if len(frames) > 0 {
		for sub := range rs.subs {
			if !sub.enqueue(frames) {
				delete(rs.subs, sub)
				sub.end(reasonSlow)
				h.cfg.log.Warn("dropping a stream subscriber that is too slow", "run", rs.id, "queue_limit", sub.limit)
			}
		}
	}
	if terminal {
		h.endStream(rs)
		return false
	}
	return true
}

// endStream marks rs ended and closes its subscribers once they have sent
// what is queued. rs.mu must be held.
func (h *hub) endStream(rs *runStream) {
	rs.ended = true
	for sub := range rs.subs {
		sub.end(reasonEnded)
	}
	clear(rs.subs)
}

// admit registers a new connection, or returns an error when the hub is
// shutting down or MaxConns connections are open.
func (h *hub) admit() (*subscriber, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, studio.Errorf(studio.CodeUnavailable, "server is shutting down")
	}
	if len(h.subs) >= h.cfg.maxConns {
		return nil, studio.Errorf(studio.CodeUnavailable, "too many open streams (limit %d): retry later", h.cfg.maxConns)
	}
	sub := newSubscriber(h.cfg.queue)
	h.subs[sub] = struct{}{}
	h.wg.Add(1)
	return sub, nil
}

// release forgets a connection admitted by admit and removes it from its
// run. It is called exactly once per admitted subscriber.
func (h *hub) release(sub *subscriber, rs *runStream) {
	if rs != nil {
		rs.mu.Lock()
		delete(rs.subs, sub)
		rs.mu.Unlock()
	}
	sub.stop()
	h.mu.Lock()
	delete(h.subs, sub)
	h.mu.Unlock()
	h.wg.Done()
}

// subscription is what a new connection sends first.
type subscription struct {
	hello   api.Hello
	backlog []api.Message
	ended   bool       // the run is terminal: close after the backlog
	stream  *runStream // nil when ended
}

// subscribe attaches sub to run id. since is the last seq the client has
// (-1 for none). The backlog is every buffered message after since; live
// messages after it arrive in sub's queue, none lost and none repeated.
func (h *hub) subscribe(sub *subscriber, id studio.RunID, since int64) (subscription, error) {
	run, err := h.src.Run(id)
	if err != nil {
		return subscription{}, err
	}
	if !run.Status.Terminal() {
		rs := h.ensure(id)
		if rs == nil {
			return subscription{}, studio.Errorf(studio.CodeUnavailable, "server is shutting down")
		}
		rs.mu.Lock()
		defer rs.mu.Unlock()
		if !rs.ended {
			s, err := h.snapshot(id, since)
			if err != nil {
				return s, err
			}
			if !s.ended {
				rs.subs[sub] = struct{}{}
				s.stream = rs
			}
			return s, nil
		}
	}
	return h.snapshot(id, since)
}

// snapshot reads the run and its backlog after since. For a stream being
// joined, the caller holds the run's stream lock so no tick interleaves.
func (h *hub) snapshot(id studio.RunID, since int64) (subscription, error) {
	run, err := h.src.Run(id)
	if err != nil {
		return subscription{}, err
	}
	oldest, latest, err := h.src.StreamBounds(id)
	if err != nil {
		return subscription{}, err
	}
	s := subscription{ended: run.Status.Terminal()}
	s.hello = api.Hello{
		RunID: id, Status: run.Status, Seq: latest, Since: since, Oldest: oldest,
		TickMS: int(h.cadence(id) / time.Millisecond),
	}
	if since < 0 {
		return s, nil // no resume: live messages after latest only
	}
	msgs, _, gap, err := h.src.Since(id, since)
	if err != nil {
		return subscription{}, err
	}
	if since > latest {
		gap = true // the client saw seqs this server never sent (an older process)
	}
	s.hello.Gap, s.hello.Resumed = gap, !gap
	if !gap {
		s.backlog = msgs // when gap, the client refetches over REST; live messages follow Seq
	}
	return s, nil
}

// count returns the number of open connections.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// closing reports whether shutdown has begun.
func (h *hub) closing() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// shutdown stops the producers and closes every connection with
// StatusGoingAway, waiting for them until ctx ends; then it drops the rest.
func (h *hub) shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closed = true
	h.cancel()
	subs := make([]*subscriber, 0, len(h.subs))
	for sub := range h.subs {
		subs = append(subs, sub)
	}
	h.mu.Unlock()
	for _, sub := range subs {
		sub.end(reasonShutdown)
	}
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	for _, sub := range subs {
		sub.abort()
	}
	select {
	case <-done:
	case <-time.After(time.Second):
	}
	return ctx.Err()
}

// closeReason says how and why the server closes a connection.
type closeReason struct {
	code  websocket.StatusCode
	text  string
	grace time.Duration // time to send the close frame before the connection is cut
}

// statusChaos is the close code of WS_CHAOS_DISCONNECT drops; browsers
// only see codes 1000 and 3000–4999 that the server sends.
const statusChaos websocket.StatusCode = 4000

var (
	reasonEnded    = closeReason{websocket.StatusNormalClosure, "run ended", 5 * time.Second}
	reasonSlow     = closeReason{websocket.StatusPolicyViolation, "too slow", 250 * time.Millisecond}
	reasonShutdown = closeReason{websocket.StatusGoingAway, "server shutting down", 3 * time.Second}
	reasonChaos    = closeReason{statusChaos, "chaos", time.Second}
)

// subscriber is one connection's bounded send queue. The producer appends
// without blocking; the connection's writer drains it.
type subscriber struct {
	limit  int
	notify chan struct{} // holds a token while the queue is non-empty
	done   chan struct{} // closed by end

	mu     sync.Mutex
	queue  [][]byte
	reason closeReason
	ended  bool
	cancel context.CancelFunc // cuts the connection; set by attach
	timer  *time.Timer        // cuts the connection when the grace expires
}

func newSubscriber(limit int) *subscriber {
	return &subscriber{limit: limit, notify: make(chan struct{}, 1), done: make(chan struct{})}
}

// attach gives the subscriber the function that cuts its connection.
func (s *subscriber) attach(cancel context.CancelFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel = cancel
	if s.ended && s.timer == nil {
		s.timer = time.AfterFunc(s.reason.grace, cancel)
	}
}

// enqueue appends frames unless that would leave more than limit frames
// waiting; an empty queue always takes a whole batch. It reports false
// when the subscriber is too slow.
func (s *subscriber) enqueue(frames [][]byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return true
	}
	if len(s.queue) > 0 && len(s.queue)+len(frames) > s.limit {
		return false
	}
	s.queue = append(s.queue, frames...)
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return true
}

// take removes and returns every queued frame.
func (s *subscriber) take() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// end asks the writer to close the connection for reason r; the first
// reason wins. If the close does not finish within r.grace, the
// connection is cut.
func (s *subscriber) end(r closeReason) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	s.ended = true
	s.reason = r
	close(s.done)
	if s.cancel != nil {
		s.timer = time.AfterFunc(r.grace, s.cancel)
	}
}

// closeReason returns why the subscriber was ended.
func (s *subscriber) closeReason() closeReason {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// abort cuts the connection now.
func (s *subscriber) abort() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// stop releases the grace timer once the connection is gone.
func (s *subscriber) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
}
