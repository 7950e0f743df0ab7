package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/server"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/synth"
)

func TestPercentile(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name string
		d    []time.Duration
		q    float64
		want time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one value", ms(7), 0.99, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p99 of 1..100", hundred, 0.99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 1, 100 * time.Millisecond},
		{"p0 is the min", hundred, 0, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.d, tt.q); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v; want %v", tt.d, tt.q, got, tt.want)
			}
		})
	}
	if got := median([]float64{3, 1, 2, 10}); got != 2.5 {
		t.Errorf("median = %v; want 2.5", got)
	}
}

// TestLatencies simulates two runs whose ticks are on grids of different
// cadence and phase, with known delivery delays, and checks that the
// tick-aligned latencies come back (less the fastest delivery).
func TestLatencies(t *testing.T) {
	const fastest = 200 * time.Microsecond
	type run struct {
		cadence, phase time.Duration
	}
	runs := []run{{700 * time.Millisecond, 650 * time.Millisecond}, {1300 * time.Millisecond, 20 * time.Millisecond}}
	r := rand.New(rand.NewPCG(1, 2))
	var ds []delivery
	var want []time.Duration
	cadence := map[int]time.Duration{}
	for ri, rn := range runs {
		cadence[ri] = rn.cadence
		seq := int64(0)
		for tick := range 20 {
			at := rn.phase + time.Duration(tick)*rn.cadence
			if tick == 7 {
				at += 30 * time.Millisecond // a late timer delays the whole tick
			}
			for range 3 { // three messages per tick
				seq++
				for sub := range 5 {
					d := fastest + time.Duration(sub)*2*time.Millisecond + time.Duration(r.IntN(100))*time.Microsecond
					if sub == 0 {
						d = fastest
					}
					ds = append(ds, delivery{run: ri, seq: seq, at: at + d})
					want = append(want, at+d-(rn.phase+time.Duration(tick)*rn.cadence)-fastest)
				}
			}
		}
	}
	r.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
	aligned, spread := latencies(ds, cadence)
	slices.Sort(want)
	if len(aligned) != len(want) {
		t.Fatalf("latencies returned %d values; want %d", len(aligned), len(want))
	}
	for i := range want {
		if d := aligned[i] - want[i]; d < -time.Microsecond || d > time.Microsecond {
			t.Fatalf("aligned[%d] = %v; want %v", i, aligned[i], want[i])
		}
	}
	if max := spread[len(spread)-1]; max > 9*time.Millisecond || max < 8*time.Millisecond {
		t.Errorf("largest spread = %v; want the slowest subscriber's 8-8.1 ms", max)
	}
}

func TestClusterStartWraps(t *testing.T) {
	c := time.Second
	rs := []time.Duration{990 * time.Millisecond, 995 * time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond}
	if got := clusterStart(rs, c); got != 990*time.Millisecond {
		t.Errorf("clusterStart = %v; want 990ms (the cluster wraps past the cadence)", got)
	}
}

func TestLoopbackURL(t *testing.T) {
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://127.0.0.1:8080/api/dashboard?x=1", "http://127.0.0.1:8080", true},
		{"http://[::1]:9000", "http://[::1]:9000", true},
		{"http://localhost:8080", "http://localhost:8080", true},
		{"http://10.0.0.1:8080", "", false},
		{"http://8.8.8.8:80", "", false},
		{"https://127.0.0.1:8443", "", false},
		{"http://127.0.0.1", "", false},
		{"127.0.0.1:8080", "", false},
	}
	for _, tt := range tests {
		u, err := loopbackURL(tt.raw)
		if (err == nil) != tt.ok {
			t.Errorf("loopbackURL(%q) error = %v; want ok %v", tt.raw, err, tt.ok)
			continue
		}
		if tt.ok && u.String() != tt.want {
			t.Errorf("loopbackURL(%q) = %s; want %s", tt.raw, u, tt.want)
		}
	}
}

func TestOptionsRefuseUnbounded(t *testing.T) {
	base := options{conns: 32, dur: time.Second, maxReq: 10, count: 1, subs: 10, wsDur: time.Second, timeout: time.Minute, only: "http,ws"}
	tests := []struct {
		name string
		edit func(*options)
	}{
		{"a remote url", func(o *options) { o.rawURL = "http://192.0.2.1:80" }},
		{"no duration", func(o *options) { o.dur = 0 }},
		{"an hour", func(o *options) { o.dur = time.Hour }},
		{"no request bound", func(o *options) { o.maxReq = 0 }},
		{"too many subscribers", func(o *options) { o.subs = 100_000 }},
		{"an unknown phase", func(o *options) { o.only = "grpc" }},
	}
	if err := base.check(); err != nil {
		t.Fatalf("base options: %v", err)
	}
	for _, tt := range tests {
		o := base
		tt.edit(&o)
		if err := o.check(); err == nil {
			t.Errorf("%s: check accepted %+v", tt.name, o)
		}
	}
}

func TestParseStatus(t *testing.T) {
	m, err := parseStatus(strings.NewReader("Name:\tstudio\nVmHWM:\t  51200 kB\nVmRSS:\t   40960 kB\nThreads: 9\n"))
	if err != nil || m.RSS != 40960<<10 || m.HWM != 51200<<10 {
		t.Errorf("parseStatus = %+v, %v; want RSS 40 MiB, HWM 50 MiB", m, err)
	}
	if _, err := parseStatus(strings.NewReader("Name: x\n")); err == nil {
		t.Error("parseStatus accepted a status without VmRSS")
	}
}

func TestReadResponse(t *testing.T) {
	tests := []struct {
		name       string
		raw        string
		status     int
		size       int64
		reusable   bool
		wantErr    bool
		wantUnread string
	}{
		{"200 with a body", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}NEXT", 200, 2, true, false, "NEXT"},
		{"404", "HTTP/1.1 404 Not Found\r\ncontent-length: 5\r\n\r\nnope!", 404, 5, true, false, ""},
		{"connection close", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 200, 0, false, false, ""},
		{"chunked is refused", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 200, 0, false, true, ""},
		{"no length", "HTTP/1.1 200 OK\r\n\r\n", 200, 0, false, true, ""},
		{"garbage", "SSH-2.0-OpenSSH\r\n", 0, 0, false, true, ""},
		{"short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 200, 0, false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bufio.NewReader(strings.NewReader(tt.raw))
			status, size, reusable, err := readResponse(r)
			if (err != nil) != tt.wantErr {
				t.Fatalf("readResponse error = %v; want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if status != tt.status || size != tt.size || reusable != tt.reusable {
				t.Errorf("readResponse = %d, %d, %v; want %d, %d, %v", status, size, reusable, tt.status, tt.size, tt.reusable)
			}
			if rest, _ := io.ReadAll(r); string(rest) != tt.wantUnread {
				t.Errorf("left %q unread; want %q", rest, tt.wantUnread)
			}
		})
	}
}

func TestMessageSeq(t *testing.T) {
	tests := []struct {
		msg  string
		want int64
		ok   bool
	}{
		{`{"type":"metric_point","seq":42,"data":{"metric":"loss"}}`, 42, true},
		{`{"type":"hello","seq":0,"data":{}}`, 0, true},
		{`{"seq":1,"type":"log_line"}`, 0, false},
		{`{"type":"x","data":{"seq":3}}`, 0, false},
		{`{"type":"x","seq":"7"}`, 0, false},
		{``, 0, false},
	}
	for _, tt := range tests {
		got, ok := messageSeq([]byte(tt.msg))
		if got != tt.want || ok != tt.ok {
			t.Errorf("messageSeq(%s) = %d, %v; want %d, %v", tt.msg, got, ok, tt.want, tt.ok)
		}
	}
}

// newServer serves a seed-42 store on a loopback test server with the
// given stream cadence.
func newServer(t *testing.T, tick time.Duration) *url.URL {
	t.Helper()
	st := store.New(synth.New(42, 1), store.Options{})
	srv := server.New(st, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TickInterval: tick})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx); close(done) }()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		cancel()
		<-done
		ts.Close()
	})
	u, err := loopbackURL(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRunHTTP(t *testing.T) {
	u := newServer(t, time.Hour)
	ep := endpoint{Name: "dashboard", Path: fixed("/api/dashboard")}
	run := runHTTP(context.Background(), ep, loadConfig{addr: u.Host, conns: 4, dur: 5 * time.Second, maxReq: 200, seed: 1})
	if run.Requests != 200 || run.Errors != 0 {
		t.Fatalf("runHTTP = %d requests, %d errors (%s); want 200 and none", run.Requests, run.Errors, run.FirstErr)
	}
	if run.P50MS <= 0 || run.P99MS < run.P50MS || run.BodyBytes < 1000 {
		t.Errorf("runHTTP = %+v; want positive latencies and dashboard-sized bodies", run)
	}
	bad := endpoint{Name: "missing", Path: fixed("/api/runs/run-9999")}
	if run := runHTTP(context.Background(), bad, loadConfig{addr: u.Host, conns: 1, dur: 5 * time.Second, maxReq: 3, seed: 1}); run.Errors != 3 || !strings.Contains(run.FirstErr, "404") {
		t.Errorf("runHTTP on a missing run = %d errors (%s); want 3 errors naming the 404", run.Errors, run.FirstErr)
	}
}

// TestRunWS fans out to 30 subscribers over the live runs of a scale-1
// server ticking about every 250 ms, creating runs so that 10 are running.
func TestRunWS(t *testing.T) {
	if testing.Short() {
		t.Skip("streams for a few seconds")
	}
	u := newServer(t, 250*time.Millisecond)
	res, err := runWS(context.Background(), wsConfig{base: u, subs: 30, minRunning: 10, dur: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Connected != 30 || res.Runs < 10 || res.Messages == 0 {
		t.Fatalf("runWS = %+v; want 30 connected over at least 10 runs, with messages", res)
	}
	if res.P50MS < 0 || res.P99MS < res.P50MS || res.P99MS < res.SpreadP99MS || res.P99MS > res.CadenceMaxMS+res.SpreadP99MS {
		t.Errorf("runWS latencies p50 %.2f ms, p99 %.2f ms, spread p99 %.2f ms; want 0 <= p50 <= p99, spread <= p99 <= cadence (%.0f ms) + spread",
			res.P50MS, res.P99MS, res.SpreadP99MS, res.CadenceMaxMS)
	}
	if res.Errors != 0 {
		t.Errorf("runWS: %d errors, first %s", res.Errors, res.FirstErr)
	}
}
