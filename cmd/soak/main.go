// Command soak puts AI Infra Studio under mixed REST and WebSocket load
// for a while and checks that memory and goroutines stay flat.
//
// By default it runs the server in this process, on a free loopback port,
// so it can read the runtime's own numbers (goroutines, heap after a GC)
// without adding any debug endpoint to the server. With -target it loads a
// server that is already running and only checks the answers.
//
// The load mixes, on -rest workers: the dashboard, run lists with random
// filters, sorts and offsets, log pages at random positions (the
// 1,000,000-line run included) followed by their next cursor, log
// searches, metrics with random max_points, events, registry,
// deployments, traces and deployment actions (at most two a second);
// and, on -ws subscribers, WebSocket streams of live runs that churn: each
// reads for a few seconds, leaves (politely or not) and comes back with
// ?since=<last seq>, checking that the resumed stream has no gap and no
// duplicate.
//
// After -warmup it records the heap; it samples every -sample; at the end
// it stops the load and fails (exit status 1) if a request failed, a
// stream broke its contract, the heap under load grew past -heap-factor
// times its post-warmup value, or the goroutines did not return to within
// -goroutine-slack of their count before the load.
//
// Usage:
//
//	go run ./cmd/soak                      # 10 minutes, in-process server
//	go run ./cmd/soak -duration 2m
//	go run ./cmd/soak -target http://127.0.0.1:8080 -duration 5m
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aiinfra/studio/server"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/synth"
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, cfg, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if !rep.ok() {
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	duration       time.Duration
	warmup         time.Duration
	sample         time.Duration
	target         string
	seed           uint64
	scale          int
	tick           time.Duration
	chaos          bool
	rest           int
	ws             int
	think          time.Duration
	heapFactor     float64
	goroutineSlack int
	stall          time.Duration
}

// parseFlags reads the flags from args; usage and errors go to out.
func parseFlags(args []string, out io.Writer) (config, error) {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	fs.DurationVar(&c.duration, "duration", 10*time.Minute, "how long to load the server, warm-up included")
	fs.DurationVar(&c.warmup, "warmup", 0, "load before the heap reference is taken (default: a fifth of -duration, at most 1m)")
	fs.DurationVar(&c.sample, "sample", 10*time.Second, "sampling interval")
	fs.StringVar(&c.target, "target", "", "`URL` of a running server to load instead of an in-process one (memory is then not checked)")
	fs.Uint64Var(&c.seed, "seed", 42, "dataset seed of the in-process server")
	fs.IntVar(&c.scale, "scale", 1, "dataset scale of the in-process server")
	fs.DurationVar(&c.tick, "tick", 100*time.Millisecond, "stream cadence of the in-process server")
	fs.BoolVar(&c.chaos, "chaos", false, "drop WebSockets at random in the in-process server (WS_CHAOS_DISCONNECT)")
	fs.IntVar(&c.rest, "rest", 6, "concurrent REST workers")
	fs.IntVar(&c.ws, "ws", 24, "concurrent WebSocket subscribers")
	fs.DurationVar(&c.think, "think", 10*time.Millisecond, "pause between two requests of one REST worker")
	fs.Float64Var(&c.heapFactor, "heap-factor", 1.5, "largest allowed ratio of the final heap to the post-warm-up heap")
	fs.IntVar(&c.goroutineSlack, "goroutine-slack", 10, "goroutines allowed above the pre-load count once the load stops")
	fs.DurationVar(&c.stall, "stall", 2*time.Second, "a /api/healthz probe (every 500ms) slower than this is reported as a stall, with the goroutine stacks of the in-process server")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.warmup == 0 {
		c.warmup = min(c.duration/5, time.Minute)
	}
	switch {
	case c.duration <= 0 || c.warmup < 0 || c.warmup >= c.duration:
		return config{}, fmt.Errorf("want 0 <= -warmup < -duration, got %v and %v", c.warmup, c.duration)
	case c.sample <= 0:
		return config{}, fmt.Errorf("invalid -sample %v", c.sample)
	case c.rest < 0 || c.ws < 0 || c.rest+c.ws == 0:
		return config{}, errors.New("want some -rest workers or -ws subscribers")
	case c.stall <= 0:
		return config{}, fmt.Errorf("invalid -stall %v", c.stall)
	case c.heapFactor < 1:
		return config{}, fmt.Errorf("invalid -heap-factor %g: want at least 1", c.heapFactor)
	case c.scale < 1 || c.tick < time.Millisecond:
		return config{}, errors.New("want -scale >= 1 and -tick >= 1ms")
	}
	if c.target != "" {
		c.target = strings.TrimRight(c.target, "/")
		if !strings.HasPrefix(c.target, "http://") && !strings.HasPrefix(c.target, "https://") {
			return config{}, fmt.Errorf("invalid -target %q: want an http:// or https:// URL", c.target)
		}
	}
	return c, nil
}

// inProcess is a server running in this process.
type inProcess struct {
	url   string
	srv   *server.Server
	http  *http.Server
	done  chan error
	hub   context.CancelFunc
	hubOK chan error
}

// startServer starts the API and streams of a fresh dataset on a free
// loopback port, with cmd/studio's timeouts. Its logs are discarded
// except warnings and errors, which go to logOut.
func startServer(cfg config, logOut io.Writer) (*inProcess, error) {
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st := store.New(synth.New(cfg.seed, cfg.scale), store.Options{})
	srv := server.New(st, server.Options{Logger: log, Version: "soak", TickInterval: cfg.tick, Chaos: cfg.chaos})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &inProcess{
		url: "http://" + ln.Addr().String(),
		srv: srv,
		http: &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10},
		done:  make(chan error, 1),
		hubOK: make(chan error, 1),
	}
	var hctx context.Context
	hctx, p.hub = context.WithCancel(context.Background())
	go func() { p.hubOK <- srv.Run(hctx) }()
	go func() { p.done <- p.http.Serve(ln) }()
	return p, nil
}

// stop shuts the server down as cmd/studio does.
func (p *inProcess) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	wsErr := make(chan error, 1)
	go func() { wsErr <- p.srv.Shutdown(ctx) }()
	err := p.http.Shutdown(ctx)
	werr := <-wsErr
	p.hub()
	<-p.hubOK
	<-p.done
	return errors.Join(err, werr)
}

// settledGoroutines returns runtime.NumGoroutine once it stops falling.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 100 {
		time.Sleep(50 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n {
			return m
		}
		n = m
	}
	return n
}

// heapAfterGC returns the live heap in bytes after a full collection.
func heapAfterGC() (alloc, inuse, sys uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.HeapInuse, m.Sys
}

// run loads the server (in-process unless cfg.target is set) for
// cfg.duration, printing samples to out, and returns the report.
func run(ctx context.Context, cfg config, out io.Writer) (*report, error) {
	base := cfg.target
	var srv *inProcess
	if base == "" {
		var err error
		if srv, err = startServer(cfg, os.Stderr); err != nil {
			return nil, err
		}
		base = srv.url
		defer func() {
			if srv != nil {
				srv.stop()
			}
		}()
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.rest + 4}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	l, err := newLoad(ctx, base, client, cfg)
	if err != nil {
		return nil, err
	}
	rep := &report{cfg: cfg, inProcess: srv != nil}
	if srv != nil {
		client.CloseIdleConnections()
		rep.goroutinesBefore = settledGoroutines()
	}
	fmt.Fprintf(out, "soak: %s for %v (warm-up %v), %d REST workers, %d WebSocket subscribers, tick %v, chaos %v\n",
		base, cfg.duration, cfg.warmup, cfg.rest, cfg.ws, cfg.tick, cfg.chaos)
	fmt.Fprintf(out, "%8s %10s %10s %10s %10s %9s %9s %8s %9s %8s %7s %8s\n", "elapsed", "goroutines", "heap MB", "cache MB", "inuse MB", "sys MB", "req/s", "ws msg/s", "ws conns", "errors", "stalls", "loadavg")

	lctx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	start := time.Now()
	go func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.watch(lctx, start, srv != nil)
		}()
		l.run(lctx)
		wg.Wait()
		close(loadDone)
	}()
	tick := time.NewTicker(cfg.sample)
	defer tick.Stop()
	warm := time.NewTimer(cfg.warmup)
	defer warm.Stop()
	end := time.NewTimer(cfg.duration)
	defer end.Stop()
	prev := l.counters()
	prevAt := start
	var last sampleRow
	sample := func() sampleRow {
		now := time.Now()
		if now.Sub(prevAt) < cfg.sample/4 && last.elapsed > 0 {
			return last // the warm-up or the end coincides with a sample
		}
		c := l.counters()
		s := sampleRow{elapsed: now.Sub(start), goroutines: runtime.NumGoroutine(), counters: c}
		if srv != nil {
			s.heap, s.inuse, s.sys = heapAfterGC()
			s.cache = uint64(srv.srv.CacheBytes())
		}
		secs := now.Sub(prevAt).Seconds()
		s.reqRate = float64(c.requests-prev.requests) / secs
		s.msgRate = float64(c.messages-prev.messages) / secs
		prev, prevAt = c, now
		s.print(out)
		last = s
		return s
	}
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-warm.C:
			rep.warm = sample()
			fmt.Fprintln(out, "         (warm-up over: heap reference taken)")
		case <-tick.C:
			rep.samples = append(rep.samples, sample())
		case <-end.C:
			rep.final = sample()
			break loop
		}
	}
	stopLoad()
	<-loadDone
	rep.counters = l.counters()
	rep.failures = l.failures()
	rep.elapsed = time.Since(start)
	if srv != nil {
		client.CloseIdleConnections()
		rep.goroutinesAfter = settledGoroutines()
		rep.heapAfter, _, _ = heapAfterGC()
		err := srv.stop()
		srv = nil
		if err != nil {
			rep.failures = append(rep.failures, "shutdown: "+err.Error())
		}
	}
	if ctx.Err() != nil {
		rep.interrupted = true
	}
	rep.print(out)
	return rep, nil
}
