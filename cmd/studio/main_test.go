package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/server"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/synth"
)

func TestParseConfig(t *testing.T) {
	defaults := config{addr: "127.0.0.1:8080", seed: 42, scale: 1, web: "web", tick: time.Second, logFormat: "text", logLevel: slog.LevelInfo, logCache: server.DefaultLogCacheBytes, warmMetrics: true}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(c *config)
		wantErr string
	}{
		{"defaults", nil, nil, func(c *config) {}, ""},
		{"flags", []string{"-addr", "0.0.0.0:9000", "-seed", "7", "-scale", "3", "-tick", "20ms", "-chaos", "1", "-origins", "a.test, *.b.test", "-log", "json", "-log-level", "debug", "-web", "/srv/web"}, nil,
			func(c *config) {
				*c = config{addr: "0.0.0.0:9000", seed: 7, scale: 3, web: "/srv/web", tick: 20 * time.Millisecond, chaos: true,
					origins: []string{"a.test", "*.b.test"}, logFormat: "json", logLevel: slog.LevelDebug, logCache: server.DefaultLogCacheBytes, warmMetrics: true}
			}, ""},
		{"log cache size", []string{"-log-cache", "64MiB"}, nil, func(c *config) { c.logCache = 64 << 20 }, ""},
		{"log cache from the environment", nil, map[string]string{"STUDIO_LOG_CACHE": "1GiB"}, func(c *config) { c.logCache = 1 << 30 }, ""},
		{"log cache disabled", nil, map[string]string{"STUDIO_LOG_CACHE": "0"}, func(c *config) { c.logCache = -1 }, ""},
		{"bad log cache size", []string{"-log-cache", "lots"}, nil, nil, `invalid log cache size "lots"`},
		{"negative log cache size", []string{"-log-cache", "-1MiB"}, nil, nil, `invalid log cache size "-1MiB"`},
		{"environment", nil, map[string]string{"STUDIO_ADDR": "127.0.0.1:1", "STUDIO_SEED": "9", "STUDIO_SCALE": "2", "WS_TICK": "50ms", "WS_CHAOS_DISCONNECT": "1", "STUDIO_WEB": "w", "STUDIO_ORIGINS": "x.test"},
			func(c *config) {
				c.addr, c.seed, c.scale, c.tick, c.chaos, c.web, c.origins = "127.0.0.1:1", 9, 2, 50*time.Millisecond, true, "w", []string{"x.test"}
			}, ""},
		{"flags win over the environment", []string{"-seed", "1"}, map[string]string{"STUDIO_SEED": "9"}, func(c *config) { c.seed = 1 }, ""},
		{"chaos off", nil, map[string]string{"WS_CHAOS_DISCONNECT": "0"}, func(c *config) {}, ""},
		{"bad seed", []string{"-seed", "-1"}, nil, nil, `invalid seed "-1"`},
		{"bad scale", nil, map[string]string{"STUDIO_SCALE": "0"}, nil, `invalid scale "0": want an integer between 1 and 1000`},
		{"bad tick", []string{"-tick", "fast"}, nil, nil, `invalid tick "fast"`},
		{"tick too short", []string{"-tick", "1us"}, nil, nil, "between 1ms and 1m"},
		{"bad chaos", nil, map[string]string{"WS_CHAOS_DISCONNECT": "maybe"}, nil, `invalid chaos setting "maybe"`},
		{"bad address", []string{"-addr", "8080"}, nil, nil, `invalid address "8080"`},
		{"bad log format", []string{"-log", "xml"}, nil, nil, `invalid log format "xml"`},
		{"bad log level", []string{"-log-level", "loud"}, nil, nil, `invalid log level "loud"`},
		{"unknown flag", []string{"-nope"}, nil, nil, "flag provided but not defined"},
		{"stray argument", []string{"serve"}, nil, nil, `unexpected argument "serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseConfig(%q) error = %v; want %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseConfig(%q): %v", tt.args, err)
			}
			want := defaults
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parseConfig(%q) = %+v; want %+v", tt.args, got, want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"0", 0, false},
		{"4096", 4096, false},
		{"10B", 10, false},
		{"512KiB", 512 << 10, false},
		{"256MiB", 256 << 20, false},
		{"2 GiB", 2 << 30, false},
		{"", 0, true},
		{"MiB", 0, true},
		{"1.5GiB", 0, true},
		{"-1", 0, true},
		{"10MB", 0, true},
		{"9999999999GiB", 0, true},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	for _, n := range []int64{0, 1, 1000, 4 << 10, 256 << 20, 3 << 30, 1<<20 + 1} {
		if got, err := parseSize(formatSize(n)); err != nil || got != n {
			t.Errorf("parseSize(formatSize(%d) = %q) = %d, %v", n, formatSize(n), got, err)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"localhost:8080", true},
		{"[::1]:8080", true},
		{"0.0.0.0:8080", false},
		{":8080", false},
		{"192.168.1.4:80", false},
		{"example.com:80", false},
	}
	for _, tt := range tests {
		if got := isLoopback(tt.addr); got != tt.want {
			t.Errorf("isLoopback(%q) = %v; want %v", tt.addr, got, tt.want)
		}
	}
}

// startStudio runs the server on a free loopback port until the test ends
// or stop is called, and returns its base URL.
func startStudio(t *testing.T, cfg config, logs io.Writer) (base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, logs, func(a net.Addr) { addrc <- a }) }()
	select {
	case a := <-addrc:
		base = "http://" + a.String()
	case err := <-done:
		cancel()
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("the server did not start")
	}
	var result error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			result = <-done
		}
		return result
	}
	t.Cleanup(func() { stop() })
	return base, stop
}

func TestRunServesAndShutsDownGracefully(t *testing.T) {
	var logs bytes.Buffer
	cfg := config{addr: "127.0.0.1:0", seed: 42, scale: 1, web: "web", tick: 20 * time.Millisecond, logFormat: "json", logLevel: slog.LevelInfo}
	base, stop := startStudio(t, cfg, &logs)

	resp, err := http.Get(base + "/api/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h api.Health
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if resp.StatusCode != 200 || h.Status != "ok" || h.Seed != 42 || h.Scale != 1 {
		t.Fatalf("healthz = %d %+v; want ok, seed 42, scale 1", resp.StatusCode, h)
	}
	resp, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "AI Infra Studio") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("GET / = %d %q; want the fallback page with security headers", resp.StatusCode, page)
	}

	// A live stream is closed with "going away" by the shutdown.
	var live string
	runsResp, err := http.Get(base + "/api/runs?status=running&limit=1")
	if err != nil {
		t.Fatal(err)
	}
	var runs struct{ Items []struct{ ID string } }
	json.NewDecoder(runsResp.Body).Decode(&runs)
	runsResp.Body.Close()
	if len(runs.Items) == 0 {
		t.Fatal("no running run")
	}
	live = runs.Items[0].ID
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws/runs/"+live, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if _, _, err := c.Read(ctx); err != nil {
		t.Fatalf("read hello: %v", err)
	}
	readErr := make(chan error, 1)
	go func() {
		for {
			if _, _, err := c.Read(ctx); err != nil {
				readErr <- err
				return
			}
		}
	}()

	start := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("run returned %v after shutdown; want nil", err)
	}
	if el := time.Since(start); el > shutdownTimeout {
		t.Errorf("shutdown took %v; want under %v", el, shutdownTimeout)
	}
	if err := <-readErr; websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("stream ended with %v; want going away", err)
	}
	out := logs.String()
	for _, want := range []string{`"msg":"serving"`, `"msg":"shutting down"`, `"msg":"stopped"`, `"path":"/api/healthz"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "LISTENING BEYOND LOOPBACK") {
		t.Error("warned about a loopback address")
	}
}

func TestRunWarnsBeyondLoopback(t *testing.T) {
	var logs bytes.Buffer
	cfg := config{addr: "0.0.0.0:0", seed: 42, scale: 1, tick: time.Second, logFormat: "text", logLevel: slog.LevelInfo}
	_, stop := startStudio(t, cfg, &logs)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "level=WARN msg=\"LISTENING BEYOND LOOPBACK") {
		t.Errorf("no loud warning for 0.0.0.0:\n%s", logs.String())
	}
}

func TestRunFailsOnBusyAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := config{addr: ln.Addr().String(), seed: 42, scale: 1, tick: time.Second, logFormat: "text"}
	if err := run(context.Background(), cfg, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("run on a busy address = %v; want address already in use", err)
	}
}

// lockedBuffer is a bytes.Buffer that the server's goroutines may write
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRunWarmsMetrics checks that the server computes the longest runs'
// metric series in the background once it serves (the log says when it
// is done), without getting in the way of a metrics query.
func TestRunWarmsMetrics(t *testing.T) {
	var logs lockedBuffer
	cfg := config{addr: "127.0.0.1:0", seed: 42, scale: 1, web: "web", tick: time.Second, logFormat: "json", logLevel: slog.LevelInfo, warmMetrics: true}
	base, stop := startStudio(t, cfg, &logs)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), `"msg":"metric series warmed"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no \"metric series warmed\" in the log after 20 s:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(base + "/api/runs/" + string(synth.LongMetricRun) + "/metrics?name=loss&max_points=1000")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics = %d; want 200", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
