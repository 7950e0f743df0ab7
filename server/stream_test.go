package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// newStreamServer serves a Server whose streams come from src and runs its
// hub until the test ends.
func newStreamServer(t *testing.T, src runSource, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.TickInterval == 0 {
		opts.TickInterval = 20 * time.Millisecond
	}
	s := newServer(nil, src, opts)
	ts := httptest.NewServer(s.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		ts.Close()
	})
	return s, ts
}

// wsURL returns the ws:// URL of path on ts.
func wsURL(ts *httptest.Server, path string) string {
	return "ws" + strings.TrimPrefix(ts.URL, "http") + path
}

// dial opens a stream and closes it when the test ends.
func dial(t *testing.T, ts *httptest.Server, path string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, wsURL(ts, path), nil)
	if err != nil {
		t.Fatalf("Dial(%s): %v", path, err)
	}
	c.SetReadLimit(1 << 20)
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// readMessage reads one stream message, failing the test after 5 s.
func readMessage(t *testing.T, c *websocket.Conn) (api.Message, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		return api.Message{}, err
	}
	var m api.Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("message %q: %v", b, err)
	}
	return m, nil
}

// readHello reads the first message and decodes its api.Hello.
func readHello(t *testing.T, c *websocket.Conn) api.Hello {
	t.Helper()
	m, err := readMessage(t, c)
	if err != nil {
		t.Fatalf("read hello: %v", err)
	}
	if m.Type != api.TypeHello {
		t.Fatalf("first message type = %q; want hello", m.Type)
	}
	var h api.Hello
	if err := json.Unmarshal(m.Data, &h); err != nil {
		t.Fatalf("hello data %s: %v", m.Data, err)
	}
	if m.Seq != h.Seq {
		t.Errorf("hello message seq %d != hello.seq %d", m.Seq, h.Seq)
	}
	return h
}

// readN reads n messages and checks that their seqs follow after.
func readN(t *testing.T, c *websocket.Conn, after int64, n int) []api.Message {
	t.Helper()
	msgs := make([]api.Message, 0, n)
	for i := range n {
		m, err := readMessage(t, c)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if want := after + int64(i) + 1; m.Seq != want {
			t.Fatalf("message %d has seq %d; want %d", i, m.Seq, want)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

func TestStreamHelloAndCadence(t *testing.T) {
	src := newFakeSource(3, 0, 4096, "run-a")
	_, ts := newStreamServer(t, src, Options{})
	c := dial(t, ts, "/ws/runs/run-a")
	h := readHello(t, c)
	if h.RunID != "run-a" || h.Status != studio.RunRunning || h.Since != -1 || h.Resumed || h.Gap || h.TickMS != 20 {
		t.Errorf("hello = %+v; want run-a running, since -1, not resumed, no gap, tick 20ms", h)
	}
	start := time.Now()
	const ticks = 15
	readN(t, c, h.Seq, 3*ticks)
	// 15 ticks of 20 ms: allow for a slow, shared CI machine but catch a
	// producer that ticks far too fast or far too slowly.
	if el := time.Since(start); el < 10*20*time.Millisecond || el > 3*time.Second {
		t.Errorf("%d ticks took %v; want about %v", ticks, el, ticks*20*time.Millisecond)
	}
}

func TestStreamCadenceIsJitteredPerRun(t *testing.T) {
	h := newHub(newFakeSource(1, 0, 16), hubConfig{interval: time.Second})
	seen := map[time.Duration]bool{}
	for i := range 50 {
		d := h.cadence(studio.RunID("run-" + string(rune('a'+i%26)) + string(rune('a'+i/26))))
		if d < 500*time.Millisecond || d >= 1500*time.Millisecond {
			t.Fatalf("cadence %v outside [500ms, 1500ms)", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct cadences over 50 runs; want them spread", len(seen))
	}
	if d := h.cadence("run-a"); d != h.cadence("run-a") {
		t.Errorf("cadence of run-a changes between calls")
	}
	if d := newHub(nil, hubConfig{interval: 20 * time.Millisecond}).cadence("run-a"); d != 20*time.Millisecond {
		t.Errorf("test cadence = %v; want exactly 20ms", d)
	}
}

func TestStreamResumeAfterDisconnect(t *testing.T) {
	src := newFakeSource(2, 0, 4096, "run-a")
	_, ts := newStreamServer(t, src, Options{})
	c := dial(t, ts, "/ws/runs/run-a")
	h := readHello(t, c)
	got := readN(t, c, h.Seq, 10)
	last := got[len(got)-1].Seq
	c.CloseNow() // a dropped connection, not a polite close
	time.Sleep(150 * time.Millisecond)

	c2 := dial(t, ts, "/ws/runs/run-a?since="+itoa(last))
	h2 := readHello(t, c2)
	if !h2.Resumed || h2.Gap || h2.Since != last || h2.Seq <= last {
		t.Fatalf("hello after resume = %+v; want resumed from %d with newer messages", h2, last)
	}
	missed := int(h2.Seq - last)
	msgs := readN(t, c2, last, missed+4) // the backlog, then live ones
	want := src.history("run-a")[last : h2.Seq+4]
	for i, m := range msgs {
		if m.Seq != want[i].Seq || string(m.Data) != string(want[i].Data) {
			t.Fatalf("resumed message %d = %d %s; want %d %s", i, m.Seq, m.Data, want[i].Seq, want[i].Data)
		}
	}
}

func TestStreamGapWhenSinceIsTooOld(t *testing.T) {
	src := newFakeSource(5, 0, 10, "run-a")
	_, ts := newStreamServer(t, src, Options{})
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if r, _ := src.Run("run-a"); r.StreamSeq > 30 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run never reached seq 30")
		}
	}
	tests := []struct {
		name  string
		since string
	}{
		{"evicted", "1"},
		{"from the future", "1000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, ts, "/ws/runs/run-a?since="+tt.since)
			h := readHello(t, c)
			if !h.Gap || h.Resumed {
				t.Fatalf("hello = %+v; want gap, not resumed", h)
			}
			readN(t, c, h.Seq, 5) // live messages right after hello.Seq
		})
	}
}

func TestStreamRunEndClosesNormally(t *testing.T) {
	src := newFakeSource(2, 5, 4096, "run-a")
	_, ts := newStreamServer(t, src, Options{})
	c := dial(t, ts, "/ws/runs/run-a?since=0")
	h := readHello(t, c)
	if !h.Resumed {
		t.Fatalf("hello = %+v; want resumed from 0", h)
	}
	var msgs []api.Message
	var err error
	for {
		var m api.Message
		if m, err = readMessage(t, c); err != nil {
			break
		}
		msgs = append(msgs, m)
	}
	if st := websocket.CloseStatus(err); st != websocket.StatusNormalClosure {
		t.Fatalf("close status = %v (%v); want normal closure", st, err)
	}
	var ce websocket.CloseError
	if errors.As(err, &ce) && ce.Reason != "run ended" {
		t.Errorf("close reason = %q; want \"run ended\"", ce.Reason)
	}
	want := src.history("run-a")
	if len(msgs) != len(want) || msgs[len(msgs)-1].Type != api.TypeStatus {
		t.Fatalf("got %d messages ending with %q; want all %d ending with the final status", len(msgs), msgs[len(msgs)-1].Type, len(want))
	}

	// Joining a finished run gives its hello and backlog, then the close.
	c2 := dial(t, ts, "/ws/runs/run-a?since=3")
	h2 := readHello(t, c2)
	if h2.Status != studio.RunSucceeded || !h2.Resumed {
		t.Errorf("hello of a finished run = %+v; want succeeded, resumed", h2)
	}
	readN(t, c2, 3, len(want)-3)
	if _, err := readMessage(t, c2); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("after the backlog: %v; want normal closure", err)
	}
}

func TestStreamRequestErrors(t *testing.T) {
	src := newFakeSource(1, 0, 16, "run-a")
	_, ts := newStreamServer(t, src, Options{AllowedOrigins: []string{"*.example.com", "https://trusted.test"}})
	upgrade := http.Header{"Connection": {"Upgrade"}, "Upgrade": {"websocket"}, "Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}}
	tests := []struct {
		name     string
		path     string
		header   http.Header
		origin   string
		wantCode int
		wantErr  studio.Code
	}{
		{"unknown run", "/ws/runs/run-x", upgrade, "", 404, studio.CodeNotFound},
		{"bad id", "/ws/runs/a%20b", upgrade, "", 400, studio.CodeInvalid},
		{"bad since", "/ws/runs/run-a?since=-4", upgrade, "", 400, studio.CodeInvalid},
		{"plain get", "/ws/runs/run-a", nil, "", 426, codeUpgradeRequired},
		{"cross-site origin", "/ws/runs/run-a", upgrade, "http://evil.test", 403, codeForbidden},
		{"origin with bad url", "/ws/runs/run-a", upgrade, "::nope", 403, codeForbidden},
		{"same origin", "/ws/runs/run-a", upgrade, ts.URL, 101, ""},
		{"allowed pattern", "/ws/runs/run-a", upgrade, "https://app.example.com", 101, ""},
		{"allowed scheme pattern", "/ws/runs/run-a", upgrade, "https://trusted.test", 101, ""},
		{"scheme pattern needs its scheme", "/ws/runs/run-a", upgrade, "http://trusted.test", 403, codeForbidden},
		{"no origin (not a browser)", "/ws/runs/run-a", upgrade, "", 101, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+tt.path, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("status = %d; want %d", resp.StatusCode, tt.wantCode)
			}
			if tt.wantErr != "" {
				checkErrorBody(t, resp, tt.wantErr)
			}
		})
	}
}

func TestStreamRejectsClientMessages(t *testing.T) {
	tests := []struct {
		name string
		msg  []byte
		want websocket.StatusCode
	}{
		{"text", []byte(`{"type":"subscribe"}`), websocket.StatusPolicyViolation},
		{"not json", []byte("hello?"), websocket.StatusPolicyViolation},
		{"too large", []byte(strings.Repeat("x", streamReadLimit+1)), websocket.StatusMessageTooBig},
		{"binary", nil, websocket.StatusUnsupportedData},
	}
	src := newFakeSource(1, 0, 16, "run-a")
	_, ts := newStreamServer(t, src, Options{TickInterval: time.Hour})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, ts, "/ws/runs/run-a")
			readHello(t, c)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			typ := websocket.MessageText
			if tt.msg == nil {
				typ, tt.msg = websocket.MessageBinary, []byte{0, 1, 2}
			}
			if err := c.Write(ctx, typ, tt.msg); err != nil {
				t.Fatal(err)
			}
			_, _, err := c.Read(ctx)
			if got := websocket.CloseStatus(err); got != tt.want {
				t.Fatalf("close status = %v (%v); want %v", got, err, tt.want)
			}
		})
	}
}

func TestStreamMaxConns(t *testing.T) {
	src := newFakeSource(1, 0, 16, "run-a")
	s, ts := newStreamServer(t, src, Options{MaxConns: 2})
	dial(t, ts, "/ws/runs/run-a")
	c2 := dial(t, ts, "/ws/runs/run-a")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, wsURL(ts, "/ws/runs/run-a"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third Dial: %v; want 503", err)
	}
	checkErrorBody(t, resp, studio.CodeUnavailable)
	// Closing one makes room again.
	c2.Close(websocket.StatusNormalClosure, "")
	waitFor(t, "the closed stream to be released", func() bool { return s.hub.count() < 2 })
	dial(t, ts, "/ws/runs/run-a")
}

func TestStreamSlowClientIsDropped(t *testing.T) {
	src := newFakeSource(20, 0, 4096, "run-a")
	// The queue holds 50 ticks: plenty for a reading client, even under -race.
	s, ts := newStreamServer(t, src, Options{TickInterval: 5 * time.Millisecond, SendQueue: 1000})

	// The slow client never reads, and its tiny receive buffer fills fast.
	slowDialer := &net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
		var serr error
		c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		return serr
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	slow, _, err := websocket.Dial(ctx, wsURL(ts, "/ws/runs/run-a"), &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: slowDialer.DialContext}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.CloseNow()

	fast := dial(t, ts, "/ws/runs/run-a")
	h := readHello(t, fast)
	next := h.Seq
	for s.hub.count() > 1 {
		if ctx.Err() != nil {
			t.Fatal("the slow client was never dropped")
		}
		readN(t, fast, next, 20) // the fast client keeps receiving, in order
		next += 20
	}
	readN(t, fast, next, 200)

	// The slow client's connection has ended: draining it reaches an error.
	slow.SetReadLimit(1 << 20)
	for {
		if _, _, err := slow.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatal("the slow client's connection is still open")
			}
			break
		}
	}
}

func TestStreamShutdownClosesSockets(t *testing.T) {
	src := newFakeSource(2, 0, 4096, "run-a", "run-b")
	s, ts := newStreamServer(t, src, Options{})
	var conns []*websocket.Conn
	for _, id := range []string{"run-a", "run-a", "run-b"} {
		c := dial(t, ts, "/ws/runs/"+id)
		readHello(t, c)
		conns = append(conns, c)
	}
	errs := make(chan error, len(conns))
	for _, c := range conns {
		go func() {
			for {
				if _, _, err := c.Read(context.Background()); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Shutdown took %v; want well under 5s", el)
	}
	for range conns {
		err := <-errs
		if websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("client saw %v; want going away", err)
		}
	}
	// New streams are refused once shut down.
	_, resp, err := websocket.Dial(ctx, wsURL(ts, "/ws/runs/run-a"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("Dial after shutdown: %v; want 503", err)
	}
}

func TestStreamShutdownCutsUnresponsiveClients(t *testing.T) {
	src := newFakeSource(200, 0, 4096, "run-a")
	s, ts := newStreamServer(t, src, Options{TickInterval: 5 * time.Millisecond, SendQueue: 1 << 20})
	// A client that never reads: its close handshake cannot complete.
	c := dial(t, ts, "/ws/runs/run-a")
	_ = c
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	s.Shutdown(ctx)
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("Shutdown took %v with an unresponsive client; want it bounded by its context", el)
	}
	if n := s.hub.count(); n != 0 {
		t.Errorf("%d connections left after Shutdown", n)
	}
}

func TestStreamNoGoroutineLeak(t *testing.T) {
	src := newFakeSource(2, 0, 4096, "run-a", "run-b")
	s, ts := newStreamServer(t, src, Options{})
	// Warm up: producers and the HTTP server's own goroutines.
	c := dial(t, ts, "/ws/runs/run-a")
	readHello(t, c)
	c.Close(websocket.StatusNormalClosure, "")
	waitFor(t, "warm-up stream release", func() bool { return s.hub.count() == 0 })
	http.DefaultClient.CloseIdleConnections()
	before := settledGoroutines()

	var conns []*websocket.Conn
	for i := range 20 {
		id := "run-a"
		if i%2 == 1 {
			id = "run-b"
		}
		c := dial(t, ts, "/ws/runs/"+id)
		h := readHello(t, c)
		readN(t, c, h.Seq, 2)
		conns = append(conns, c)
	}
	for i, c := range conns {
		if i%2 == 0 {
			c.Close(websocket.StatusNormalClosure, "bye")
		} else {
			c.CloseNow()
		}
	}
	waitFor(t, "every stream to be released", func() bool { return s.hub.count() == 0 })
	if after := settledGoroutines(); after > before+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d before, %d after the clients left\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestStreamChaosReconnectsWithoutGapOrDuplicate(t *testing.T) {
	const ticks = 120
	src := newFakeSource(3, ticks, 4096, "run-a")
	_, ts := newStreamServer(t, src, Options{TickInterval: 10 * time.Millisecond, Chaos: true})
	got, drops := followWithReconnects(t, ts, "run-a", 0)
	if drops < 3 {
		t.Errorf("chaos dropped the stream %d times over %d ticks; want several", drops, ticks)
	}
	want := src.history("run-a")
	if len(got) != len(want) {
		t.Fatalf("got %d messages; want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || got[i].Type != want[i].Type || string(got[i].Data) != string(want[i].Data) {
			t.Fatalf("message %d = %d %s; want %d %s", i, got[i].Seq, got[i].Data, want[i].Seq, want[i].Data)
		}
	}
}

// followWithReconnects follows a run's stream from since until it ends,
// reconnecting with ?since=<last seq> after every chaos drop. It fails on
// any gap or duplicate and returns the messages and the number of drops.
func followWithReconnects(t *testing.T, ts *httptest.Server, id string, since int64) (msgs []api.Message, drops int) {
	t.Helper()
	last := since
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		c := dial(t, ts, "/ws/runs/"+id+"?since="+itoa(last))
		h := readHello(t, c)
		if h.Gap {
			t.Fatalf("resume from %d reported a gap: %+v", last, h)
		}
		for {
			m, err := readMessage(t, c)
			if err != nil {
				switch websocket.CloseStatus(err) {
				case statusChaos:
					drops++
				case websocket.StatusNormalClosure:
					return msgs, drops
				default:
					t.Fatalf("stream ended with %v; want chaos or normal closure", err)
				}
				break
			}
			if m.Seq != last+1 {
				t.Fatalf("got seq %d after %d", m.Seq, last)
			}
			last = m.Seq
			msgs = append(msgs, m)
		}
	}
	t.Fatal("the run did not end within 60s")
	return nil, 0
}

func TestSubscriberQueueBound(t *testing.T) {
	frames := func(n int) [][]byte { return make([][]byte, n) }
	tests := []struct {
		name    string
		batches []int
		want    []bool
	}{
		{"fits", []int{3, 3}, []bool{true, true}},
		{"fills exactly", []int{4, 4}, []bool{true, true}},
		{"overflows", []int{4, 4, 1}, []bool{true, true, false}},
		{"an empty queue takes a large batch", []int{20}, []bool{true}},
		{"but nothing after it", []int{20, 1}, []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSubscriber(8)
			for i, n := range tt.batches {
				if got := s.enqueue(frames(n)); got != tt.want[i] {
					t.Fatalf("enqueue #%d (%d frames) = %v; want %v", i, n, got, tt.want[i])
				}
			}
		})
	}
	s := newSubscriber(8)
	s.enqueue(frames(8))
	if got := len(s.take()); got != 8 {
		t.Errorf("take() = %d frames; want 8", got)
	}
	if !s.enqueue(frames(8)) {
		t.Error("enqueue after take() = false; want room again")
	}
}

// settledGoroutines returns runtime.NumGoroutine once it stops falling.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n {
			return m
		}
		n = m
	}
	return n
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// checkErrorBody fails unless resp carries a JSON error with code.
func checkErrorBody(t *testing.T, resp *http.Response, code studio.Code) api.ErrorBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q; want application/json", ct)
	}
	b, _ := io.ReadAll(resp.Body)
	var e api.ErrorResponse
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body %q: %v", b, err)
	}
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("error = %+v; want code %q and a message", e.Error, code)
	}
	return e.Error
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
