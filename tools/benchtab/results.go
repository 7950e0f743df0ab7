package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// loadReport is the part of tools/load's JSON report that the tables use.
type loadReport struct {
	Target       string       `json:"target"`
	Version      string       `json:"version"`
	Scale        int          `json:"scale"`
	WSScale      int          `json:"ws_scale"`
	Conns        int          `json:"conns"`
	Seconds      float64      `json:"seconds_per_run"`
	Count        int          `json:"count"`
	LoadAvgStart float64      `json:"loadavg_start"`
	LoadAvgEnd   float64      `json:"loadavg_end"`
	HTTP         []httpResult `json:"http"`
	HTTPMemory   struct {
		RSS int64 `json:"RSS"`
		HWM int64 `json:"HWM"`
	} `json:"http_server_memory"`
	WS *wsResult `json:"ws"`
}

type httpResult struct {
	Name      string  `json:"name"`
	Path      string  `json:"path"`
	RPS       float64 `json:"rps"`
	P50MS     float64 `json:"p50_ms"`
	P90MS     float64 `json:"p90_ms"`
	P99MS     float64 `json:"p99_ms"`
	MaxMS     float64 `json:"max_ms"`
	BodyBytes float64 `json:"body_bytes"`
	Errors    int64   `json:"errors"`
	Runs      []struct {
		RPS   float64 `json:"rps"`
		P99MS float64 `json:"p99_ms"`
	} `json:"runs"`
}

type wsResult struct {
	Subscribers  int     `json:"subscribers"`
	Connected    int     `json:"connected"`
	Runs         int     `json:"runs"`
	Created      int     `json:"created_runs"`
	CadenceMinMS float64 `json:"cadence_min_ms"`
	CadenceMaxMS float64 `json:"cadence_max_ms"`
	Seconds      float64 `json:"seconds"`
	Messages     int64   `json:"messages"`
	MsgPerSec    float64 `json:"messages_per_s"`
	P50MS        float64 `json:"p50_ms"`
	P90MS        float64 `json:"p90_ms"`
	P99MS        float64 `json:"p99_ms"`
	MaxMS        float64 `json:"max_ms"`
	SpreadP50MS  float64 `json:"spread_p50_ms"`
	SpreadP99MS  float64 `json:"spread_p99_ms"`
	DialP50MS    float64 `json:"dial_p50_ms"`
	DialP99MS    float64 `json:"dial_p99_ms"`
	RSSBefore    int64   `json:"rss_before"`
	RSSAfter     int64   `json:"rss_after"`
	BytesPerConn float64 `json:"bytes_per_conn"`
	EndedEarly   int     `json:"ended_early"`
	Errors       int     `json:"errors"`
	FirstErr     string  `json:"first_error"`
}

func readLoad(path string) (*loadReport, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r loadReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// httpByName returns the HTTP result whose name starts with prefix.
func (r *loadReport) httpByName(prefix string) (httpResult, bool) {
	if r == nil {
		return httpResult{}, false
	}
	for _, h := range r.HTTP {
		if strings.HasPrefix(h.Name, prefix) {
			return h, true
		}
	}
	return httpResult{}, false
}

func writeHTTP(w io.Writer, r *loadReport) {
	fmt.Fprintf(w, "`%s` (version %s), dataset scale %d; %d keep-alive connections from a Go client on the same machine, "+
		"closed loop; medians of %d runs of %g s each (after a warm-up). Server RSS after the HTTP phase: %.0f MiB (peak %.0f MiB).\n\n",
		r.Target, r.Version, r.Scale, r.Conns, r.Count, r.Seconds, float64(r.HTTPMemory.RSS)/(1<<20), float64(r.HTTPMemory.HWM)/(1<<20))
	fmt.Fprintln(w, "| endpoint | request | req/s | p50 | p90 | p99 | max | body | errors | req/s of each run |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, h := range r.HTTP {
		var each []string
		for _, run := range h.Runs {
			each = append(each, fmt.Sprintf("%.0f", run.RPS))
		}
		fmt.Fprintf(w, "| %s | `%s` | %.0f | %.2f ms | %.2f ms | %.2f ms | %.1f ms | %s | %d | %s |\n",
			h.Name, h.Path, h.RPS, h.P50MS, h.P90MS, h.P99MS, h.MaxMS, bytesize(h.BodyBytes), h.Errors, strings.Join(each, ", "))
	}
}

func writeWS(w io.Writer, r *loadReport) {
	ws := r.WS
	fmt.Fprintf(w, "%d of %d subscribers connected, spread over %d running runs (dataset scale %d, %d runs created), tick cadence %.0f–%.0f ms; %d messages in %.0f s (%.0f/s). ",
		ws.Connected, ws.Subscribers, ws.Runs, r.WSScale, ws.Created, ws.CadenceMinMS, ws.CadenceMaxMS, ws.Messages, ws.Seconds, ws.MsgPerSec)
	fmt.Fprintln(w, "Delivery latency is tick-aligned: the time from the run's tick (its producer ticks on a fixed grid whose phase is taken from the earliest arrival) to the client's receive; the fan-out spread is the time since the run's first subscriber got the same message (a lower bound).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| measure | p50 | p90 | p99 | max |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	fmt.Fprintf(w, "| delivery (tick → client) | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n", ws.P50MS, ws.P90MS, ws.P99MS, ws.MaxMS)
	fmt.Fprintf(w, "| fan-out spread | %.2f ms | | %.2f ms | |\n", ws.SpreadP50MS, ws.SpreadP99MS)
	fmt.Fprintf(w, "| dial + hello | %.2f ms | | %.2f ms | |\n", ws.DialP50MS, ws.DialP99MS)
	fmt.Fprintln(w)
	if ws.RSSBefore > 0 {
		fmt.Fprintf(w, "Server memory (VmRSS): %.1f MiB before dialling, %.1f MiB with every subscriber connected: **%.1f KiB per connection**.",
			float64(ws.RSSBefore)/(1<<20), float64(ws.RSSAfter)/(1<<20), ws.BytesPerConn/1024)
	}
	if ws.Errors > 0 || ws.EndedEarly > 0 {
		fmt.Fprintf(w, " %d errors (first: %s); %d subscriptions closed because their run ended.", ws.Errors, ws.FirstErr, ws.EndedEarly)
	}
	fmt.Fprintln(w)
}

// pageLoad mirrors e2e's load.json entries.
type pageLoad struct {
	Page         string  `json:"page"`
	Path         string  `json:"path"`
	Kind         string  `json:"kind"`
	WallMS       float64 `json:"wall_ms"`
	ReadyMS      float64 `json:"ready"`
	TTFB         float64 `json:"ttfb"`
	WasmEnd      float64 `json:"wasmEnd"`
	WasmTransfer float64 `json:"wasmTransfer"`
	LongTasks    int     `json:"longTasks"`
	LongTaskMS   float64 `json:"longTaskMs"`
}

// interaction mirrors e2e's interactions.json entries.
type interaction struct {
	Name        string  `json:"name"`
	Page        string  `json:"page"`
	Action      string  `json:"action"`
	Frames      int     `json:"frames"`
	FPS         float64 `json:"fps"`
	P50         float64 `json:"p50"`
	P95         float64 `json:"p95"`
	Max         float64 `json:"max"`
	Over33      int     `json:"over33"`
	LongTasks   int     `json:"longTasks"`
	LongTaskMS  float64 `json:"longTaskMs"`
	HeapUsedMB  float64 `json:"heapUsedMB"`
	WasmMemMB   float64 `json:"wasmMemMB"`
	Nodes       int     `json:"nodes"`
	ScriptMS    float64 `json:"scriptMs"`
	LayoutMS    float64 `json:"layoutMs"`
	MaxRows     int     `json:"maxRows"`
	Note        string  `json:"note"`
	HeapTotalMB float64 `json:"heapTotalMB"`
}

// browserResults is everything the e2e perf tests wrote.
type browserResults struct {
	Loads        []pageLoad
	Interactions []interaction
}

func readBrowser(dir string) (*browserResults, error) {
	var r browserResults
	read := func(name string, v any) error {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	if err := read("load.json", &r.Loads); err != nil {
		return nil, err
	}
	if err := read("interactions.json", &r.Interactions); err != nil {
		return nil, err
	}
	var table interaction
	if err := read("table-scroll.json", &table); err != nil {
		return nil, err
	}
	if table.Name != "" {
		r.Interactions = append(r.Interactions, table)
	}
	return &r, nil
}

// loadMedian returns the median in-page time to #app-ready of the loads of
// page of kind, and how many there were.
func (b *browserResults) loadMedian(page, kind string, f func(pageLoad) float64) (float64, int) {
	if b == nil {
		return 0, 0
	}
	var xs []float64
	for _, l := range b.Loads {
		if l.Page == page && l.Kind == kind {
			xs = append(xs, f(l))
		}
	}
	if len(xs) == 0 {
		return 0, 0
	}
	return median(xs), len(xs)
}

func writeBrowser(w io.Writer, b *browserResults) {
	if len(b.Loads) > 0 {
		fmt.Fprintln(w, "Load to `#app-ready` (rendered only by the wasm client): in-page time from navigation start, medians (and every run). Cold is a fresh profile; warm is the same tab loading again (HTTP cache, service worker, V8's wasm code cache).")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| page | load | #app-ready | every run | wall (incl. CDP) | app.wasm received | long tasks (total) |")
		fmt.Fprintln(w, "|---|---|---:|---|---:|---:|---:|")
		seen := map[string]bool{}
		for _, l := range b.Loads {
			k := l.Page + "/" + l.Kind
			if seen[k] {
				continue
			}
			seen[k] = true
			ready, n := b.loadMedian(l.Page, l.Kind, func(x pageLoad) float64 { return x.ReadyMS })
			wall, _ := b.loadMedian(l.Page, l.Kind, func(x pageLoad) float64 { return x.WallMS })
			wasm, _ := b.loadMedian(l.Page, l.Kind, func(x pageLoad) float64 { return x.WasmEnd })
			lt, _ := b.loadMedian(l.Page, l.Kind, func(x pageLoad) float64 { return float64(x.LongTasks) })
			ltms, _ := b.loadMedian(l.Page, l.Kind, func(x pageLoad) float64 { return x.LongTaskMS })
			var each []string
			for _, x := range b.Loads {
				if x.Page == l.Page && x.Kind == l.Kind {
					each = append(each, fmt.Sprintf("%.0f", x.ReadyMS))
				}
			}
			fmt.Fprintf(w, "| %s `%s` | %s (%d) | %.0f ms | %s | %.0f ms | %.0f ms | %.0f (%.0f ms) |\n",
				l.Page, l.Path, l.Kind, n, ready, strings.Join(each, ", "), wall, wasm, lt, ltms)
		}
		fmt.Fprintln(w)
	}
	if len(b.Interactions) > 0 {
		fmt.Fprintln(w, "Interactions: frame times from requestAnimationFrame (60 Hz: 16.7 ms is a full-rate frame), long tasks, and Chromium's Performance.getMetrics (JS heap excludes the Go heap in wasm memory).")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| interaction | action | frames (fps) | p50 | p95 | max | > 33 ms | long tasks | script / layout | JS heap | wasm memory | DOM nodes | rows in DOM | note |")
		fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
		for _, in := range b.Interactions {
			rows := ""
			if in.MaxRows > 0 {
				rows = fmt.Sprint(in.MaxRows)
			}
			wasm := ""
			if in.WasmMemMB > 0 {
				wasm = fmt.Sprintf("%.0f MB", in.WasmMemMB)
			}
			fmt.Fprintf(w, "| %s | %s | %d (%.1f) | %.1f ms | %.1f ms | %.1f ms | %d | %d (%.0f ms) | %.0f / %.0f ms | %.1f MB | %s | %d | %s | %s |\n",
				in.Name, in.Action, in.Frames, in.FPS, in.P50, in.P95, in.Max, in.Over33, in.LongTasks, in.LongTaskMS,
				in.ScriptMS, in.LayoutMS, in.HeapUsedMB, wasm, in.Nodes, rows, in.Note)
		}
	}
}

// wasmSizes are the sizes of app.wasm and its precompressed copies.
type wasmSizes struct {
	Path              string
	Raw, Gzip, Brotli int64
}

func readSizes(path string) (*wasmSizes, error) {
	s := &wasmSizes{Path: path}
	for _, f := range []struct {
		suffix string
		n      *int64
	}{{"", &s.Raw}, {".gz", &s.Gzip}, {".br", &s.Brotli}} {
		st, err := os.Stat(path + f.suffix)
		if err != nil {
			return nil, err
		}
		*f.n = st.Size()
	}
	return s, nil
}

func writeSizes(w io.Writer, s *wasmSizes) {
	fmt.Fprintln(w, "| file | bytes | of raw |")
	fmt.Fprintln(w, "|---|---:|---:|")
	for _, f := range []struct {
		name string
		n    int64
	}{{s.Path, s.Raw}, {s.Path + ".gz (gzip -9)", s.Gzip}, {s.Path + ".br (brotli, as shipped)", s.Brotli}} {
		fmt.Fprintf(w, "| %s | %s | %.1f %% |\n", f.name, thousands(f.n), 100*float64(f.n)/float64(s.Raw))
	}
}

// thousands formats n with commas.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// target is one goal of the performance issue.
type target struct {
	what, goal, measured string
	met                  bool
	known                bool // measured at all
}

// targets evaluates the targets against the measurements.
func targets(load *loadReport, br *browserResults, sizes *wasmSizes) []target {
	var ts []target
	for _, ep := range []struct{ prefix, label string }{
		{"dashboard", "`/api/dashboard`"},
		{"log page", "500-line log page (random offset in 1,000,000 lines)"},
	} {
		h, ok := load.httpByName(ep.prefix)
		ts = append(ts,
			target{ep.label + " throughput", "≥ 20,000 req/s", thousands(int64(h.RPS+0.5)) + " req/s", h.RPS >= 20000, ok},
			target{ep.label + " p99", "< 10 ms", fmt.Sprintf("%.2f ms", h.P99MS), h.P99MS < 10, ok})
	}
	if load != nil && load.WS != nil {
		ws := load.WS
		ts = append(ts,
			target{fmt.Sprintf("WebSocket delivery p99, %s subscribers", thousands(int64(ws.Connected))), "< 50 ms", fmt.Sprintf("%.2f ms", ws.P99MS), ws.P99MS < 50 && ws.Connected >= 1000, true},
			target{"server memory per WebSocket", "< 64 KiB", fmt.Sprintf("%.1f KiB", ws.BytesPerConn/1024), ws.BytesPerConn > 0 && ws.BytesPerConn < 64<<10, ws.RSSBefore > 0})
	} else {
		ts = append(ts, target{what: "WebSocket delivery p99, 1,000 subscribers", goal: "< 50 ms"}, target{what: "server memory per WebSocket", goal: "< 64 KiB"})
	}
	for _, pg := range []string{"dashboard", "run"} {
		for _, kind := range []struct {
			name  string
			limit float64
		}{{"cold", 1000}, {"warm", 300}} {
			v, n := br.loadMedian(pg, kind.name, func(l pageLoad) float64 { return l.ReadyMS })
			ts = append(ts, target{fmt.Sprintf("%s load, %s page, to #app-ready (median of %d)", kind.name, pg, n),
				fmt.Sprintf("< %.1f s", kind.limit/1000), fmt.Sprintf("%.0f ms", v), v < kind.limit, n > 0})
		}
	}
	if sizes != nil {
		ts = append(ts, target{"app.wasm brotli (as shipped)", "< 2.0 MB", thousands(sizes.Brotli) + " bytes", sizes.Brotli < 2_000_000, true})
	} else {
		ts = append(ts, target{what: "app.wasm brotli", goal: "< 2.0 MB"})
	}
	return ts
}

func writeTargets(w io.Writer, load *loadReport, br *browserResults, sizes *wasmSizes) {
	fmt.Fprintln(w, "| target | goal | measured | |")
	fmt.Fprintln(w, "|---|---|---:|---|")
	ts := targets(load, br, sizes)
	for _, t := range ts {
		verdict, measured := "missed", t.measured
		switch {
		case !t.known:
			verdict, measured = "not measured", "–"
		case t.met:
			verdict = "met"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.what, t.goal, measured, verdict)
	}
	missed := slices.IndexFunc(ts, func(t target) bool { return t.known && !t.met })
	if missed >= 0 {
		fmt.Fprintln(w, "\nThe missed targets are explained, with profiles, in BENCHMARKS.md after the generated part.")
	}
}
