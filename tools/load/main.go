// Command load measures AI Infra Studio's server under load: HTTP
// throughput and latency of the hot API reads, and WebSocket fan-out to
// many subscribers. It only ever talks to loopback addresses, and every
// phase is bounded in time and request count.
//
// Usage:
//
//	go run ./tools/load [flags]
//	    starts bin/studio twice (-scale for HTTP, -ws-scale for WebSockets),
//	    measures, and stops it
//	go run ./tools/load -url http://127.0.0.1:8080 [-pid N]
//	    measures a server that is already running (-pid enables the
//	    memory-per-connection reading)
//	go run ./tools/load -profile DIR
//	    measures an in-process copy of the server instead of the binary
//	    and writes its CPU profiles to DIR/http.cpu and DIR/ws.cpu
//
// HTTP: for each endpoint, -c connections send GETs back to back (closed
// loop, keep-alive, a minimal HTTP/1.1 client) for -d or -n requests after
// a -warmup; this is repeated -count times and the medians are reported:
// GET /api/dashboard, the runs list (first page, and every run as the runs
// page loads it), a 500-line page of run-0042's 1,000,000-line log at a
// uniformly random offset, and the metrics of run-0017 with max_points=1000.
//
// WebSocket: -ws subscribers are spread round-robin over at least -ws-runs
// running runs (creating runs with POST /api/runs when there are fewer)
// and every message is recorded for -ws-d. Delivery latency is tick-aligned
// (see latencies in stats.go): the protocol carries no send time. Server
// memory per connection is the growth of the server's VmRSS
// (/proc/<pid>/status) from before dialling to one second after the last
// subscriber connected, divided by the number connected.
//
// With -json the full results are written as JSON for tools/benchtab.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Report is everything one invocation measured; tools/benchtab reads it.
type Report struct {
	Started      time.Time    `json:"started"`
	Target       string       `json:"target"`
	Version      string       `json:"version"`
	Scale        int          `json:"scale"`
	WSScale      int          `json:"ws_scale"`
	Conns        int          `json:"conns"`
	Seconds      float64      `json:"seconds_per_run"`
	Count        int          `json:"count"`
	LoadAvgStart float64      `json:"loadavg_start"`
	LoadAvgEnd   float64      `json:"loadavg_end"`
	HTTP         []HTTPResult `json:"http"`
	// HTTPServerMemory is the HTTP server's VmRSS and VmHWM at the end of
	// the HTTP phase (0 when the process is not known).
	HTTPServerMemory memory    `json:"http_server_memory"`
	WS               *WSResult `json:"ws,omitempty"`
}

type options struct {
	bin, rawURL, only, jsonOut, profile string
	endpoints                           string
	pid, scale, wsScale, conns, count   int
	subs, minRunning                    int
	seed                                uint64
	dur, wsDur, warmup, tick, timeout   time.Duration
	maxReq                              int64
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("load: ")
	var o options
	var serveMode bool
	var sc serveConfig
	flag.StringVar(&o.bin, "bin", "bin/studio", "server `binary` to start (unless -url)")
	flag.StringVar(&o.rawURL, "url", "", "measure the server at this loopback `URL` instead of starting one")
	flag.IntVar(&o.pid, "pid", 0, "process id of the -url server, for memory readings")
	flag.IntVar(&o.scale, "scale", 1, "dataset scale of the server for the HTTP phase")
	flag.IntVar(&o.wsScale, "ws-scale", 8, "dataset scale of the server for the WebSocket phase (8: about 55 running runs)")
	flag.DurationVar(&o.tick, "tick", time.Second, "stream cadence of started servers")
	flag.Uint64Var(&o.seed, "seed", 42, "dataset seed of started servers, and of the random offsets")
	flag.IntVar(&o.conns, "c", 32, "concurrent HTTP connections")
	flag.DurationVar(&o.dur, "d", 5*time.Second, "duration of each HTTP run")
	flag.Int64Var(&o.maxReq, "n", 1_000_000, "at most this many requests per HTTP run")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each endpoint")
	flag.IntVar(&o.count, "count", 3, "runs per endpoint; the report gives medians")
	flag.IntVar(&o.subs, "ws", 1000, "WebSocket subscribers")
	flag.DurationVar(&o.wsDur, "ws-d", 10*time.Second, "WebSocket recording window")
	flag.IntVar(&o.minRunning, "ws-runs", 50, "spread subscribers over at least this many running runs")
	flag.StringVar(&o.only, "only", "http,ws", "phases to run: http, ws or both")
	flag.StringVar(&o.endpoints, "e", "", "HTTP endpoints to measure: comma-separated words of their names (dashboard, runs, log, metrics); empty means all")
	flag.StringVar(&o.jsonOut, "json", "", "write the report as JSON to this `file`")
	flag.StringVar(&o.profile, "profile", "", "profile an in-process server instead of -bin; write CPU profiles to this `dir`")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Minute, "abort everything after this long")
	// Internal: the in-process server that -profile starts.
	flag.BoolVar(&serveMode, "serve", false, "internal: run the in-process server on -addr (see -profile)")
	flag.StringVar(&sc.addr, "addr", "", "internal: address for -serve")
	flag.StringVar(&sc.cpuProf, "cpuprofile", "", "internal: CPU profile file for -serve")
	flag.StringVar(&sc.memProf, "memprofile", "", "internal: allocation profile file for -serve")
	flag.Parse()
	if serveMode {
		sc.seed, sc.scale, sc.tick = o.seed, o.scale, o.tick
		if err := serve(sc); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := o.check(); err != nil {
		log.Fatal(err)
	}
	rep, err := measure(o)
	if rep != nil {
		printReport(os.Stdout, rep)
		if o.jsonOut != "" {
			b, _ := json.MarshalIndent(rep, "", "  ")
			if werr := os.WriteFile(o.jsonOut, append(b, '\n'), 0o644); werr != nil {
				log.Fatal(werr)
			}
		}
	}
	if err != nil {
		log.Fatal(err)
	}
}

// check rejects options that would make the run unbounded or aim it
// beyond loopback.
func (o *options) check() error {
	if o.rawURL != "" {
		if _, err := loopbackURL(o.rawURL); err != nil {
			return err
		}
	}
	switch {
	case o.conns < 1 || o.conns > 1024:
		return fmt.Errorf("-c %d: want 1..1024", o.conns)
	case o.dur <= 0 || o.dur > 5*time.Minute:
		return fmt.Errorf("-d %v: want up to 5m", o.dur)
	case o.maxReq < 1:
		return fmt.Errorf("-n %d: want at least 1", o.maxReq)
	case o.count < 1 || o.count > 20:
		return fmt.Errorf("-count %d: want 1..20", o.count)
	case o.subs < 1 || o.subs > 10_000:
		return fmt.Errorf("-ws %d: want 1..10000", o.subs)
	case o.wsDur <= 0 || o.wsDur > 5*time.Minute:
		return fmt.Errorf("-ws-d %v: want up to 5m", o.wsDur)
	case o.warmup < 0 || o.warmup > time.Minute:
		return fmt.Errorf("-warmup %v: want up to 1m", o.warmup)
	case o.timeout <= 0:
		return fmt.Errorf("-timeout %v: want a positive duration", o.timeout)
	}
	for p := range strings.SplitSeq(o.only, ",") {
		if p != "http" && p != "ws" {
			return fmt.Errorf("-only %q: want http, ws or http,ws", o.only)
		}
	}
	return nil
}

func (o *options) phase(name string) bool {
	for p := range strings.SplitSeq(o.only, ",") {
		if p == name {
			return true
		}
	}
	return false
}

// target is a server to measure: started here (proc) or given by -url.
type target struct {
	proc *process
	base string // http://host:port
	pid  int
}

// startTarget starts the server for a phase, or returns the -url one.
func (o *options) startTarget(phase string, scale int) (*target, error) {
	if o.rawURL != "" {
		u, err := loopbackURL(o.rawURL)
		if err != nil {
			return nil, err
		}
		return &target{base: u.String(), pid: o.pid}, nil
	}
	args := []string{"-scale", strconv.Itoa(scale), "-seed", strconv.FormatUint(o.seed, 10), "-tick", o.tick.String()}
	name := o.bin
	logDir := os.TempDir()
	if o.profile != "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		name = exe
		logDir = o.profile
		args = append(args, "-serve", "-cpuprofile", filepath.Join(o.profile, phase+".cpu"), "-memprofile", filepath.Join(o.profile, phase+".allocs"))
	} else if _, err := os.Stat(name); err != nil {
		return nil, fmt.Errorf("server binary: %w (run make build, or pass -url)", err)
	}
	p, err := startProcess(name, args, filepath.Join(logDir, "studio-load-"+phase+".log"))
	if err != nil {
		return nil, err
	}
	return &target{proc: p, base: p.url.String(), pid: p.pid()}, nil
}

func (t *target) stop() error {
	if t.proc == nil {
		return nil
	}
	return t.proc.stop()
}

// measure runs the phases o asks for.
func measure(o options) (*Report, error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	rep := &Report{
		Started: time.Now().UTC(), Scale: o.scale, WSScale: o.wsScale, Conns: o.conns,
		Seconds: o.dur.Seconds(), Count: o.count, LoadAvgStart: loadAverage(),
	}
	rep.Target = o.bin
	if o.rawURL != "" {
		rep.Target = o.rawURL
		rep.WSScale = 0
	} else if o.profile != "" {
		rep.Target = "in-process server (tools/load -profile)"
	}
	defer func() { rep.LoadAvgEnd = loadAverage() }()
	if o.phase("http") {
		t, err := o.startTarget("http", o.scale)
		if err != nil {
			return rep, err
		}
		err = httpPhase(ctx, o, t, rep)
		if t.pid > 0 {
			rep.HTTPServerMemory, _ = readMemory(t.pid)
		}
		if serr := t.stop(); err == nil && serr != nil {
			err = fmt.Errorf("stop server: %w", serr)
		}
		if err != nil {
			return rep, err
		}
	}
	if o.phase("ws") {
		t, err := o.startTarget("ws", o.wsScale)
		if err != nil {
			return rep, err
		}
		var ws WSResult
		u, _ := loopbackURL(t.base)
		ws, err = runWS(ctx, wsConfig{base: u, pid: t.pid, subs: o.subs, minRunning: o.minRunning, dur: o.wsDur})
		rep.WS = &ws
		if serr := t.stop(); err == nil && serr != nil {
			err = fmt.Errorf("stop server: %w", serr)
		}
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Runs of the scenarios: run-0042 has the 1,000,000-line log, run-0017
// the 100,000-step metrics (synth.BigLogRun, synth.LongMetricRun).
const (
	logRun    = "run-0042"
	metricRun = "run-0017"
	logPage   = 500
)

// httpPhase measures every endpoint against t.
func httpPhase(ctx context.Context, o options, t *target, rep *Report) error {
	var health struct {
		Version string `json:"version"`
	}
	if err := getJSON(ctx, t.base+"/api/healthz", &health); err != nil {
		return err
	}
	rep.Version = health.Version
	var run studio.Run
	if err := getJSON(ctx, t.base+"/api/runs/"+logRun, &run); err != nil {
		return err
	}
	if run.LogCount < logPage {
		return fmt.Errorf("%s has %d log lines; want at least %d", logRun, run.LogCount, logPage)
	}
	lines := run.LogCount - logPage + 1
	endpoints := []endpoint{
		{Name: "dashboard", Show: "/api/dashboard", Path: fixed("/api/dashboard")},
		{Name: "runs list, first page", Show: "/api/runs?limit=50", Path: fixed("/api/runs?limit=50")},
		{Name: "runs list, all runs", Show: "/api/runs?limit=10000", Path: fixed("/api/runs?limit=10000")},
		{
			Name: "log page, 500 lines", Show: fmt.Sprintf("/api/runs/%s/logs?from_seq=<random>&limit=%d", logRun, logPage),
			Path: func(r *rand.Rand) string {
				return fmt.Sprintf("/api/runs/%s/logs?from_seq=%d&limit=%d", logRun, r.Int64N(lines), logPage)
			},
		},
		{Name: "metrics, max_points=1000", Show: "/api/runs/" + metricRun + "/metrics?max_points=1000", Path: fixed("/api/runs/" + metricRun + "/metrics?max_points=1000")},
	}
	addr := strings.TrimPrefix(t.base, "http://")
	for i, ep := range endpoints {
		if !o.wants(ep.Name) {
			continue
		}
		cfg := loadConfig{addr: addr, conns: o.conns, dur: o.warmup, maxReq: o.maxReq, seed: o.seed + uint64(i)<<32}
		if o.warmup > 0 {
			runHTTP(ctx, ep, cfg)
		}
		cfg.dur = o.dur
		var runs []httpRun
		for k := range o.count {
			cfg.seed = o.seed + uint64(i)<<32 + uint64(k+1)<<16
			r := runHTTP(ctx, ep, cfg)
			runs = append(runs, r)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		res := summarize(ep, o.conns, runs)
		rep.HTTP = append(rep.HTTP, res)
		fmt.Fprintf(os.Stderr, "%-26s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d errors)\n", ep.Name, res.RPS, res.P50MS, res.P99MS, res.Errors)
	}
	return nil
}

// wants reports whether -e selects the endpoint called name.
func (o *options) wants(name string) bool {
	if o.endpoints == "" {
		return true
	}
	for w := range strings.SplitSeq(o.endpoints, ",") {
		if w = strings.TrimSpace(w); w != "" && strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func fixed(p string) func(*rand.Rand) string { return func(*rand.Rand) string { return p } }

// printReport writes rep as aligned text.
func printReport(w io.Writer, rep *Report) {
	fmt.Fprintf(w, "target %s (version %s), load average %.2f at start, %.2f at end\n", rep.Target, rep.Version, rep.LoadAvgStart, rep.LoadAvgEnd)
	if len(rep.HTTP) > 0 {
		fmt.Fprintf(w, "HTTP: scale %d, %d connections, medians of %d runs of %gs\n", rep.Scale, rep.Conns, rep.Count, rep.Seconds)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "endpoint\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tbody bytes\terrors\t")
		for _, r := range rep.HTTP {
			fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%.0f\t%d\t\n", r.Name, r.RPS, r.P50MS, r.P90MS, r.P99MS, r.MaxMS, r.BodyBytes, r.Errors)
		}
		tw.Flush()
	}
	if ws := rep.WS; ws != nil {
		fmt.Fprintf(w, "WebSocket: %d/%d subscribers over %d running runs (%d created), cadence %.0f-%.0f ms, %.0f s window\n",
			ws.Connected, ws.Subscribers, ws.Runs, ws.Created, ws.CadenceMinMS, ws.CadenceMaxMS, ws.Seconds)
		fmt.Fprintf(w, "  %d messages (%.0f/s); delivery (tick-aligned) p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
			ws.Messages, ws.MsgPerSec, ws.P50MS, ws.P90MS, ws.P99MS, ws.MaxMS)
		fmt.Fprintf(w, "  fan-out spread p50 %.2f ms, p99 %.2f ms; dial+hello p50 %.2f ms, p99 %.2f ms\n",
			ws.SpreadP50MS, ws.SpreadP99MS, ws.DialP50MS, ws.DialP99MS)
		if ws.RSSBefore > 0 {
			fmt.Fprintf(w, "  server RSS %.1f MiB -> %.1f MiB: %.1f KiB per connection\n",
				float64(ws.RSSBefore)/(1<<20), float64(ws.RSSAfter)/(1<<20), ws.BytesPerConn/1024)
		}
		if ws.Errors > 0 || ws.EndedEarly > 0 {
			fmt.Fprintf(w, "  %d errors (first: %s), %d subscriptions ended by their run\n", ws.Errors, ws.FirstErr, ws.EndedEarly)
		}
	}
}
