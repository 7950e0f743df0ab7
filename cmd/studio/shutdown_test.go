package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// testConfig is a loopback config with a fast stream and the given
// request timeouts (zero: the defaults).
func testConfig(readHeader, read time.Duration) config {
	return config{addr: "127.0.0.1:0", seed: 42, scale: 1, tick: 20 * time.Millisecond, logFormat: "text", logLevel: slog.LevelWarn,
		readHeaderTimeout: readHeader, readTimeout: read}
}

// settled returns runtime.NumGoroutine once it stops falling.
func settled() int {
	n := runtime.NumGoroutine()
	for range 100 {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n {
			return m
		}
		n = m
	}
	return n
}

// waitClosed reads from conn until the server closes it, and returns how
// long that took. It fails the test if conn is still open after limit.
func waitClosed(t *testing.T, conn net.Conn, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	conn.SetReadDeadline(start.Add(limit))
	buf := make([]byte, 4096)
	for {
		if _, err := conn.Read(buf); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("the connection is still open after %v", limit)
			}
			return time.Since(start)
		}
	}
}

// TestSlowHeadersAreCut plays slowloris: 20 clients send a request's
// headers one line every 100 ms and never finish. Each is cut once the
// read-header timeout passes, not before and not much after, while a
// normal client on the same server is served at once.
func TestSlowHeadersAreCut(t *testing.T) {
	const timeout = 400 * time.Millisecond
	base, _ := startStudio(t, testConfig(timeout, 0), io.Discard)
	addr := strings.TrimPrefix(base, "http://")

	var wg sync.WaitGroup
	cut := make([]time.Duration, 20)
	for i := range cut {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			io.WriteString(conn, "GET /api/healthz HTTP/1.1\r\nHost: studio\r\n")
			for j := 0; ; j++ {
				conn.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := fmt.Fprintf(conn, "X-Slow-%d: %d\r\n", j, j); err != nil {
					break
				}
				// A read that returns means the server closed the connection.
				conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
				if _, err := conn.Read(make([]byte, 1)); err != nil {
					var ne net.Error
					if !errors.As(err, &ne) || !ne.Timeout() {
						break
					}
				}
				if time.Since(start) > 5*time.Second {
					break
				}
			}
			cut[i] = time.Since(start)
		}()
	}
	// Meanwhile a normal request is answered quickly.
	start := time.Now()
	resp, err := http.Get(base + "/api/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if el := time.Since(start); resp.StatusCode != 200 || el > time.Second {
		t.Errorf("healthz beside 20 slow clients = %d in %v; want 200 at once", resp.StatusCode, el)
	}
	wg.Wait()
	for i, d := range cut {
		if d < timeout*3/4 || d > timeout+2*time.Second {
			t.Errorf("slow client %d was cut after %v; want about %v (the read-header timeout)", i, d, timeout)
		}
	}
}

// TestSlowBodyIsCut sends complete headers and then a body one byte every
// 100 ms: the request is cut at the read timeout with a JSON 400, and the
// connection is closed.
func TestSlowBodyIsCut(t *testing.T) {
	const timeout = 700 * time.Millisecond
	base, _ := startStudio(t, testConfig(200*time.Millisecond, timeout), io.Discard)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "POST /api/runs HTTP/1.1\r\nHost: studio\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	respc := make(chan *http.Response, 1)
	errc := make(chan error, 1)
	go func() {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			errc <- err
			return
		}
		respc <- resp
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case resp := <-respc:
			el := time.Since(start)
			var e api.ErrorResponse
			json.NewDecoder(resp.Body).Decode(&e)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || e.Error.Code != studio.CodeInvalid {
				t.Errorf("slow body answered %d %+v; want a JSON 400", resp.StatusCode, e.Error)
			}
			if el < timeout*3/4 || el > timeout+2*time.Second {
				t.Errorf("slow body answered after %v; want about %v (the read timeout)", el, timeout)
			}
			waitClosed(t, conn, 3*time.Second)
			return
		case err := <-errc:
			t.Fatalf("no answer to the slow body: %v", err)
		case <-tick.C:
			io.WriteString(conn, " ")
			if time.Since(start) > 10*time.Second {
				t.Fatal("the slow body was never cut")
			}
		}
	}
}

// TestOversizedHeadersAreRefused sends 100 KB of headers: net/http answers
// 431 before any handler runs (MaxHeaderBytes is 64 KB).
func TestOversizedHeadersAreRefused(t *testing.T) {
	base, _ := startStudio(t, testConfig(0, 0), io.Discard)
	req, _ := http.NewRequest(http.MethodGet, base+"/api/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KB of headers = %d; want 431", resp.StatusCode)
	}
}

// TestShutdownDuringStreamingClosesEverySocket runs the server through
// run with a real listener, opens 30 streams that read and 2 that never
// read (with tiny receive buffers) across the live runs, and shuts down
// while they stream: run returns nil within its shutdown timeout (15 s
// here: the stuck clients take the 3 s close grace, and under -race
// beside other packages' tests the rest has taken over 2 s), every
// reading client gets the close code 1001 "going away", the stuck ones
// are cut, and the goroutines return to where they were before the
// server started.
func TestShutdownDuringStreamingClosesEverySocket(t *testing.T) {
	before := settled()
	cfg := testConfig(0, 0)
	cfg.shutdownTimeout = 15 * time.Second
	base, stop := startStudio(t, cfg, io.Discard)
	resp, err := http.Get(base + "/api/runs?status=running&limit=100")
	if err != nil {
		t.Fatal(err)
	}
	var runs api.Page[studio.Run]
	json.NewDecoder(resp.Body).Decode(&runs)
	resp.Body.Close()
	if len(runs.Items) < 2 {
		t.Fatalf("%d running runs; want several", len(runs.Items))
	}
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/runs/"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	type reader struct {
		n      int
		closed chan error
	}
	var readers []*reader
	var conns []*websocket.Conn
	for i := range 30 {
		c, _, err := websocket.Dial(ctx, ws+string(runs.Items[i%len(runs.Items)].ID), nil)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		defer c.CloseNow()
		c.SetReadLimit(1 << 20)
		r := &reader{closed: make(chan error, 1)}
		readers = append(readers, r)
		conns = append(conns, c)
	}
	var mu sync.Mutex
	for i, c := range conns {
		r := readers[i]
		go func() {
			for {
				if _, _, err := c.Read(ctx); err != nil {
					r.closed <- err
					return
				}
				mu.Lock()
				r.n++
				mu.Unlock()
			}
		}()
	}
	tiny := &net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
		var serr error
		c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		return serr
	}}
	var stuck []*websocket.Conn
	for i := range 2 {
		c, _, err := websocket.Dial(ctx, ws+string(runs.Items[i].ID), &websocket.DialOptions{
			HTTPClient: &http.Client{Transport: &http.Transport{DialContext: tiny.DialContext}},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		stuck = append(stuck, c)
	}
	// Let everyone stream for a while.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		low := 0
		for _, r := range readers {
			if r.n < 10 {
				low++
			}
		}
		mu.Unlock()
		if low == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d streams got fewer than 10 messages in 10 s", low)
		}
	}

	start := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("run returned %v; want nil", err)
	}
	el := time.Since(start)
	t.Logf("shutdown with 32 open streams took %v", el.Round(time.Millisecond))
	if el > cfg.shutdownTimeout {
		t.Errorf("shutdown took %v; want under %v", el, cfg.shutdownTimeout)
	}
	for i, r := range readers {
		select {
		case err := <-r.closed:
			if websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Errorf("stream %d ended with %v; want 1001 going away", i, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("stream %d is still open after the shutdown", i)
		}
	}
	for i, c := range stuck {
		c.SetReadLimit(-1)
		rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
		for {
			if _, _, err := c.Read(rctx); err != nil {
				if rctx.Err() != nil {
					t.Errorf("the stuck stream %d is still open after the shutdown", i)
				}
				break
			}
		}
		rcancel()
	}
	http.DefaultClient.CloseIdleConnections()
	if after := settled(); after > before+3 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before the server started, %d after it stopped\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
