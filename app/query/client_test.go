package query

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// fakeTransport answers requests with a handler and counts calls per URL.
// With a gate, every call blocks until the test sends on it.
type fakeTransport struct {
	mu      sync.Mutex
	calls   map[string]int
	reqs    []Request
	handler func(n int, req Request) (Response, error)
	gate    chan struct{}
}

func newFake(h func(n int, req Request) (Response, error)) *fakeTransport {
	return &fakeTransport{calls: make(map[string]int), handler: h}
}

func (f *fakeTransport) Do(ctx context.Context, req Request) (Response, error) {
	f.mu.Lock()
	n := f.calls[req.URL]
	f.calls[req.URL]++
	f.reqs = append(f.reqs, req)
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return Response{}, ctx.Err()
		}
	}
	return f.handler(n, req)
}

func (f *fakeTransport) count(url string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[url]
}

func jsonOK(s string) (Response, error) { return Response{Status: 200, Body: []byte(s)}, nil }

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type item struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

// recorder collects the results a subscriber receives.
type recorder[T any] struct {
	mu  sync.Mutex
	got []Result[T]
	ch  chan Result[T]
}

func newRecorder[T any]() *recorder[T] { return &recorder[T]{ch: make(chan Result[T], 64)} }

func (r *recorder[T]) fn(res Result[T]) {
	r.mu.Lock()
	r.got = append(r.got, res)
	r.mu.Unlock()
	r.ch <- res
}

// waitFor returns the first result for which ok returns true.
func (r *recorder[T]) waitFor(t *testing.T, ok func(Result[T]) bool) Result[T] {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case res := <-r.ch:
			if ok(res) {
				return res
			}
		case <-timeout:
			t.Fatalf("timed out waiting for result")
		}
	}
}

func hasData[T any](r Result[T]) bool { return r.HasData && !r.Fetching }

func TestSubscribeFetchesOnceWhileFresh(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	tr := newFake(func(n int, req Request) (Response, error) {
		return jsonOK(fmt.Sprintf(`{"name":"a","n":%d}`, n))
	})
	c := New(tr, Options{StaleTime: 10 * time.Second, Now: clock.Now})

	r1 := newRecorder[item]()
	cancel1 := Subscribe(c, "/api/x", r1.fn)
	first := r1.waitFor(t, hasData[item])
	if first.Data.N != 0 {
		t.Fatalf("first fetch data = %+v; want n=0", first.Data)
	}
	cancel1()

	clock.Advance(5 * time.Second)
	r2 := newRecorder[item]()
	cancel2 := Subscribe(c, "/api/x", r2.fn)
	defer cancel2()
	got := <-r2.ch
	if !got.HasData || got.Fetching || got.Data.N != 0 {
		t.Fatalf("fresh subscribe = %+v; want cached data, no fetch", got)
	}
	if n := tr.count("/api/x"); n != 1 {
		t.Fatalf("transport calls = %d; want 1", n)
	}
}

func TestStaleWhileRevalidate(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	tr := newFake(func(n int, req Request) (Response, error) {
		return jsonOK(fmt.Sprintf(`{"name":"a","n":%d}`, n))
	})
	c := New(tr, Options{StaleTime: 10 * time.Second, Now: clock.Now})
	if _, err := Fetch[item](context.Background(), c, "/api/x"); err != nil {
		t.Fatal(err)
	}

	clock.Advance(11 * time.Second)
	r := newRecorder[item]()
	cancel := Subscribe(c, "/api/x", r.fn)
	defer cancel()
	first := <-r.ch
	if !first.HasData || first.Data.N != 0 || !first.Fetching {
		t.Fatalf("stale subscribe first result = %+v; want old data while refetching", first)
	}
	fresh := r.waitFor(t, func(res Result[item]) bool { return res.Data.N == 1 })
	if fresh.Fetching || fresh.Err != nil {
		t.Fatalf("revalidated result = %+v; want settled data", fresh)
	}
	if !fresh.UpdatedAt.Equal(clock.Now()) {
		t.Errorf("UpdatedAt = %v; want %v", fresh.UpdatedAt, clock.Now())
	}
}

func TestInFlightDeduplication(t *testing.T) {
	tr := newFake(func(n int, req Request) (Response, error) { return jsonOK(`{"name":"d","n":7}`) })
	tr.gate = make(chan struct{})
	c := New(tr, Options{})

	const callers = 8
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := Fetch[item](context.Background(), c, "/api/d")
			if err == nil && v.N != 7 {
				err = fmt.Errorf("got %+v", v)
			}
			errs <- err
		}()
	}
	// Subscribers join the same request too.
	r := newRecorder[item]()
	cancel := Subscribe(c, "/api/d", r.fn)
	defer cancel()

	// Wait until the single request is blocked in the transport, give the
	// other callers time to join it, then let it finish.
	deadline := time.Now().Add(5 * time.Second)
	for tr.count("/api/d") == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(tr.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r.waitFor(t, hasData[item])
	if n := tr.count("/api/d"); n != 1 {
		t.Fatalf("transport calls = %d; want 1 shared request", n)
	}
}

func TestRetryPolicy(t *testing.T) {
	netErr := errors.New("connection refused")
	tests := []struct {
		name      string
		responses []func() (Response, error)
		wantCalls int
		wantErr   string // "" for success
		wantDelay []time.Duration
		online    bool
	}{
		{
			name: "network errors are retried with exponential backoff",
			responses: []func() (Response, error){
				func() (Response, error) { return Response{}, netErr },
				func() (Response, error) { return Response{}, netErr },
				func() (Response, error) { return jsonOK(`{"n":3}`) },
			},
			wantCalls: 3,
			wantDelay: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond},
			online:    true,
		},
		{
			name: "5xx is retried",
			responses: []func() (Response, error){
				func() (Response, error) {
					return Response{Status: 503, Body: []byte(`{"error":{"code":"unavailable","message":"shutting down"}}`)}, nil
				},
				func() (Response, error) { return jsonOK(`{"n":1}`) },
			},
			wantCalls: 2,
			wantDelay: []time.Duration{100 * time.Millisecond},
			online:    true,
		},
		{
			name: "4xx is never retried and keeps the server message",
			responses: []func() (Response, error){
				func() (Response, error) {
					return Response{Status: 404, Body: []byte(`{"error":{"code":"not_found","message":"run \"x\" not found"}}`)}, nil
				},
			},
			wantCalls: 1,
			wantErr:   `run "x" not found`,
			online:    true,
		},
		{
			name: "retries stop after Attempts and report offline",
			responses: []func() (Response, error){
				func() (Response, error) { return Response{}, netErr },
			},
			wantCalls: 4,
			wantErr:   "request /api/r failed: connection refused",
			wantDelay: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond},
			online:    false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFake(func(n int, req Request) (Response, error) {
				return tt.responses[min(n, len(tt.responses)-1)]()
			})
			var mu sync.Mutex
			var delays []time.Duration
			c := New(tr, Options{
				Retry: Retry{Attempts: 3, Base: 100 * time.Millisecond, Max: 300 * time.Millisecond},
				Sleep: func(_ context.Context, d time.Duration) error {
					mu.Lock()
					delays = append(delays, d)
					mu.Unlock()
					return nil
				},
			})
			_, err := Fetch[item](context.Background(), c, "/api/r")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Fetch error = %v; want success", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Fetch succeeded; want error %q", tt.wantErr)
			case tt.wantErr != "" && studio.ErrorMessage(err) != tt.wantErr && err.Error() != tt.wantErr:
				t.Fatalf("Fetch error = %q (message %q); want %q", err, studio.ErrorMessage(err), tt.wantErr)
			}
			if got := tr.count("/api/r"); got != tt.wantCalls {
				t.Errorf("calls = %d; want %d", got, tt.wantCalls)
			}
			if fmt.Sprint(delays) != fmt.Sprint(tt.wantDelay) {
				t.Errorf("delays = %v; want %v", delays, tt.wantDelay)
			}
			if c.Online() != tt.online {
				t.Errorf("Online() = %v; want %v", c.Online(), tt.online)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	r := Retry{Base: 400 * time.Millisecond, Max: 3 * time.Second}
	want := []time.Duration{400 * time.Millisecond, 800 * time.Millisecond, 1600 * time.Millisecond, 3 * time.Second, 3 * time.Second}
	for n, w := range want {
		if got := r.Delay(n); got != w {
			t.Errorf("Delay(%d) = %v; want %v", n, got, w)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"network error", &NetworkError{URL: "/x", Err: errors.New("down")}, true},
		{"wrapped network error", fmt.Errorf("load: %w", &NetworkError{URL: "/x", Err: errors.New("down")}), true},
		{"500", statusError(500, nil), true},
		{"503", statusError(503, nil), true},
		{"404", statusError(404, nil), false},
		{"422", statusError(422, nil), false},
		{"429", statusError(429, nil), false},
		{"plain error", errors.New("decode"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable(%v) = %v; want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestStatusErrorDecoding(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		wantCode   studio.Code
		wantMsg    string
		wantFields int
	}{
		{"api error body", 409, `{"error":{"code":"conflict","message":"deployment is not progressing"}}`, studio.CodeConflict, "deployment is not progressing", 0},
		{"validation details", 422, `{"error":{"code":"validation","message":"validation failed","details":[{"field":"name","message":"required"},{"field":"config.epochs","message":"must be between 1 and 1000"}]}}`, studio.CodeValidation, "validation failed", 2},
		{"html body", 502, `<html>bad gateway</html>`, studio.CodeUnavailable, "502 bad gateway", 0},
		{"empty body", 404, ``, studio.CodeNotFound, "404 not found", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error = statusError(tt.status, []byte(tt.body))
			if got := studio.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code = %q; want %q", got, tt.wantCode)
			}
			if got := studio.ErrorMessage(err); got != tt.wantMsg {
				t.Errorf("message = %q; want %q", got, tt.wantMsg)
			}
			if got := len(studio.ErrorFields(err)); got != tt.wantFields {
				t.Errorf("fields = %d; want %d", got, tt.wantFields)
			}
		})
	}
}

func TestInvalidateByPrefix(t *testing.T) {
	tr := newFake(func(n int, req Request) (Response, error) {
		return jsonOK(fmt.Sprintf(`{"name":%q,"n":%d}`, req.URL, n))
	})
	c := New(tr, Options{StaleTime: time.Hour})
	keys := []string{"/api/deployments", "/api/deployments/dep-a", "/api/runs/run-1"}
	recs := map[string]*recorder[item]{}
	for _, k := range keys {
		r := newRecorder[item]()
		recs[k] = r
		defer Subscribe(c, k, r.fn)()
		r.waitFor(t, hasData[item])
	}
	// An unobserved entry under the prefix is only marked stale.
	if _, err := Fetch[item](context.Background(), c, "/api/deployments?limit=5"); err != nil {
		t.Fatal(err)
	}

	if n := c.Invalidate("/api/deployments"); n != 3 {
		t.Fatalf("Invalidate = %d; want 3", n)
	}
	recs["/api/deployments"].waitFor(t, func(r Result[item]) bool { return r.Data.N == 1 })
	recs["/api/deployments/dep-a"].waitFor(t, func(r Result[item]) bool { return r.Data.N == 1 })
	if n := tr.count("/api/runs/run-1"); n != 1 {
		t.Errorf("unrelated key fetched %d times; want 1", n)
	}
	if n := tr.count("/api/deployments?limit=5"); n != 1 {
		t.Errorf("unobserved key refetched eagerly: %d calls; want 1", n)
	}
	if _, err := Fetch[item](context.Background(), c, "/api/deployments?limit=5"); err != nil {
		t.Fatal(err)
	}
	if n := tr.count("/api/deployments?limit=5"); n != 2 {
		t.Errorf("stale unobserved key not refetched on next use: %d calls; want 2", n)
	}
}

func TestOptimisticUpdateRollsBackOnError(t *testing.T) {
	var mu sync.Mutex
	serverN := 1
	tr := newFake(func(n int, req Request) (Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if req.Method == "POST" {
			return Response{Status: 409, Body: []byte(`{"error":{"code":"conflict","message":"no canary to advance"}}`)}, nil
		}
		return jsonOK(fmt.Sprintf(`{"name":"dep","n":%d}`, serverN))
	})
	c := New(tr, Options{StaleTime: time.Hour})
	r := newRecorder[item]()
	defer Subscribe(c, "/api/deployments/dep", r.fn)()
	r.waitFor(t, hasData[item])

	_, err := Mutate[item](context.Background(), c, Mutation{
		URL:        "/api/deployments/dep/advance",
		Optimistic: []Update{Optimistic("/api/deployments/dep", func(d item) item { d.N = 99; return d })},
		Invalidate: []string{"/api/deployments"},
	})
	if got := studio.ErrorMessage(err); got != "no canary to advance" {
		t.Fatalf("Mutate error message = %q; want the server's", got)
	}
	r.waitFor(t, func(res Result[item]) bool { return res.Data.N == 99 })
	rolled := r.waitFor(t, func(res Result[item]) bool { return res.Data.N == 1 })
	if !rolled.HasData {
		t.Fatalf("rollback lost data: %+v", rolled)
	}
	if got := Peek[item](c, "/api/deployments/dep").Data.N; got != 1 {
		t.Errorf("cached value after rollback = %d; want 1", got)
	}
}

func TestOptimisticUpdateKeptUntilServerTruth(t *testing.T) {
	var mu sync.Mutex
	serverN := 1
	tr := newFake(func(n int, req Request) (Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if req.Method == "POST" {
			if req.ContentType != "application/json" || string(req.Body) != `{"note":"go"}` {
				return Response{Status: 400}, nil
			}
			serverN = 2
			return jsonOK(`{"name":"dep","n":2}`)
		}
		return jsonOK(fmt.Sprintf(`{"name":"dep","n":%d}`, serverN))
	})
	c := New(tr, Options{StaleTime: time.Hour})
	r := newRecorder[item]()
	defer Subscribe(c, "/api/deployments/dep", r.fn)()
	r.waitFor(t, hasData[item])

	got, err := Mutate[item](context.Background(), c, Mutation{
		URL:        "/api/deployments/dep/advance",
		Body:       map[string]string{"note": "go"},
		Optimistic: []Update{Optimistic("/api/deployments/dep", func(d item) item { d.N = 2; d.Name = "optimistic"; return d })},
		Invalidate: []string{"/api/deployments/dep"},
	})
	if err != nil || got.N != 2 {
		t.Fatalf("Mutate = %+v, %v; want n=2", got, err)
	}
	r.waitFor(t, func(res Result[item]) bool { return res.Data.Name == "optimistic" })
	final := r.waitFor(t, func(res Result[item]) bool { return res.Data.Name == "dep" && !res.Fetching })
	if final.Data.N != 2 {
		t.Errorf("after refetch n = %d; want 2", final.Data.N)
	}
}

func TestOptimisticDropsRefetchInFlight(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	getCalls := 0
	tr := newFake(func(n int, req Request) (Response, error) {
		if req.Method == "POST" {
			return jsonOK(`{}`)
		}
		mu.Lock()
		getCalls++
		call := getCalls
		mu.Unlock()
		if call == 2 {
			<-release // a slow background refetch holding pre-mutation data
			return jsonOK(`{"name":"old","n":1}`)
		}
		return jsonOK(fmt.Sprintf(`{"name":"server","n":%d}`, call))
	})
	c := New(tr, Options{StaleTime: time.Hour})
	r := newRecorder[item]()
	defer Subscribe(c, "/api/d", r.fn)()
	r.waitFor(t, hasData[item])
	c.Refetch("/api/d") // call 2 blocks
	r.waitFor(t, func(res Result[item]) bool { return res.Fetching })
	for deadline := time.Now().Add(5 * time.Second); tr.count("/api/d") < 2 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}

	if _, err := Mutate[item](context.Background(), c, Mutation{
		URL:        "/api/d/act",
		Optimistic: []Update{Optimistic("/api/d", func(d item) item { d.Name = "optimistic"; return d })},
		Invalidate: []string{"/api/d"},
	}); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, func(res Result[item]) bool { return res.Data.Name == "server" && res.Data.N == 3 })
	close(release)
	time.Sleep(20 * time.Millisecond)
	if got := Peek[item](c, "/api/d").Data; got.Name != "server" {
		t.Errorf("abandoned refetch overwrote the cache: %+v", got)
	}
}

func TestConnectivity(t *testing.T) {
	down := true
	var mu sync.Mutex
	tr := newFake(func(n int, req Request) (Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return Response{}, errors.New("offline")
		}
		return jsonOK(`{"n":5}`)
	})
	c := New(tr, Options{Retry: Retry{Attempts: -1}})
	var states []bool
	var smu sync.Mutex
	defer c.OnConnectivity(func(on bool) {
		smu.Lock()
		states = append(states, on)
		smu.Unlock()
	})()

	r := newRecorder[item]()
	defer Subscribe(c, "/api/x", r.fn)()
	failed := r.waitFor(t, func(res Result[item]) bool { return res.Failed() })
	if !IsNetwork(failed.Err) {
		t.Fatalf("error = %v; want a network error", failed.Err)
	}
	if c.Online() {
		t.Fatal("Online() = true after a network error")
	}

	mu.Lock()
	down = false
	mu.Unlock()
	c.SetOnline(true) // the browser's "online" event
	got := r.waitFor(t, hasData[item])
	if got.Data.N != 5 || got.Err != nil {
		t.Fatalf("after reconnect = %+v; want data and no error", got)
	}
	smu.Lock()
	defer smu.Unlock()
	if fmt.Sprint(states) != "[false true]" {
		t.Errorf("connectivity changes = %v; want [false true]", states)
	}
}

func TestEvictsLeastRecentlyUsedUnobserved(t *testing.T) {
	tr := newFake(func(n int, req Request) (Response, error) { return jsonOK(`{"n":1}`) })
	c := New(tr, Options{MaxEntries: 2, StaleTime: time.Hour})
	for _, k := range []string{"/a", "/b", "/c"} {
		r := newRecorder[item]()
		cancel := Subscribe(c, k, r.fn)
		r.waitFor(t, hasData[item])
		cancel()
	}
	c.mu.Lock()
	_, hasA := c.entries["/a"]
	n := len(c.entries)
	c.mu.Unlock()
	if hasA || n != 2 {
		t.Errorf("entries = %d, has /a = %v; want 2 without /a", n, hasA)
	}
}

func TestDecodeErrorSurfaces(t *testing.T) {
	tr := newFake(func(n int, req Request) (Response, error) { return jsonOK(`{"n":"not a number"}`) })
	c := New(tr, Options{})
	_, err := Fetch[item](context.Background(), c, "/bad")
	if err == nil {
		t.Fatal("Fetch of malformed JSON succeeded")
	}
}
