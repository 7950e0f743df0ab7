package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// counters are the load's running totals.
type counters struct {
	requests, errors, messages         int64
	connections, openStreams           int64
	resumes, gaps, chaosDrops, runEnds int64
	actions, accepted, created         int64
	stalls                             int64
	latency                            histogram // of the load's requests
	probe                              histogram // of the /api/healthz probes
}

// histogram counts durations in buckets growing by 10%, from 10 µs to
// about 2 minutes, for quantiles of any number of samples in fixed memory.
type histogram struct{ counts [170]int64 }

func bucketOf(d time.Duration) int {
	if d <= 10*time.Microsecond {
		return 0
	}
	return min(int(math.Log(float64(d)/float64(10*time.Microsecond))/math.Log(1.1))+1, len(histogram{}.counts)-1)
}

func (h *histogram) add(d time.Duration) { h.counts[bucketOf(d)]++ }

// quantile returns the upper bound of the bucket holding quantile q.
func (h histogram) quantile(q float64) time.Duration {
	var total int64
	for _, c := range h.counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	target := int64(math.Ceil(q * float64(total)))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= max(target, 1) {
			return time.Duration(float64(10*time.Microsecond) * math.Pow(1.1, float64(i))).Round(10 * time.Microsecond)
		}
	}
	return 0
}

// runInfo is what the load needs to know of a run.
type runInfo struct {
	id       studio.RunID
	logCount int64
}

// load generates the REST and WebSocket traffic.
type load struct {
	base   string
	ws     string
	client *http.Client
	cfg    config

	runs        []runInfo
	biggest     runInfo // the run with the most log lines
	experiments []studio.ExperimentID
	models      []studio.ModelID
	deployments []studio.DeploymentID
	traces      []studio.TraceID

	mu       sync.Mutex
	c        counters
	fails    []string
	live     []studio.RunID
	lastMake time.Time

	lastAction atomic.Int64 // unix nanos of the last deployment action
	nameSeq    atomic.Int64
}

// newLoad reads the dataset's ids from base.
func newLoad(ctx context.Context, base string, client *http.Client, cfg config) (*load, error) {
	l := &load{base: base, ws: "ws" + strings.TrimPrefix(base, "http"), client: client, cfg: cfg}
	var runs api.Page[studio.Run]
	if err := l.getJSON(ctx, "/api/runs?limit="+strconv.Itoa(api.MaxListLimit), &runs); err != nil {
		return nil, err
	}
	for _, r := range runs.Items {
		ri := runInfo{id: r.ID, logCount: r.LogCount}
		l.runs = append(l.runs, ri)
		if ri.logCount > l.biggest.logCount {
			l.biggest = ri
		}
	}
	var exps api.Page[studio.Experiment]
	var models api.Page[studio.Model]
	var deps api.Page[studio.Deployment]
	var traces api.Page[studio.TraceSummary]
	for path, v := range map[string]any{"/api/experiments?limit=1000": &exps, "/api/registry/models?limit=1000": &models,
		"/api/deployments?limit=1000": &deps, "/api/traces?limit=1000": &traces} {
		if err := l.getJSON(ctx, path, v); err != nil {
			return nil, err
		}
	}
	for _, e := range exps.Items {
		l.experiments = append(l.experiments, e.ID)
	}
	for _, m := range models.Items {
		l.models = append(l.models, m.ID)
	}
	for _, d := range deps.Items {
		l.deployments = append(l.deployments, d.ID)
	}
	for _, t := range traces.Items {
		l.traces = append(l.traces, t.ID)
	}
	if len(l.runs) == 0 || len(l.experiments) == 0 || len(l.deployments) == 0 || len(l.traces) == 0 {
		return nil, fmt.Errorf("%s serves an empty dataset", base)
	}
	l.refreshLive(ctx)
	return l, nil
}

// getJSON GETs path and decodes a 200 answer into v.
func (l *load) getJSON(ctx context.Context, path string, v any) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.base+path, nil)
	resp, err := l.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s = %d %.200s", path, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// fail records a failed check.
func (l *load) fail(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.c.errors++
	if len(l.fails) < 100 {
		l.fails = append(l.fails, fmt.Sprintf(format, args...))
	}
}

func (l *load) count(f func(c *counters)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f(&l.c)
}

// counters returns a copy of the totals.
func (l *load) counters() counters {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c
}

// failures returns the recorded failures (at most 100).
func (l *load) failures() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.fails)
}

// run generates load until ctx ends.
func (l *load) run(ctx context.Context) {
	var wg sync.WaitGroup
	for i := range l.cfg.rest {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.restWorker(ctx, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i))))
		}()
	}
	for i := range l.cfg.ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.subscriber(ctx, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(1000+i))))
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				l.refreshLive(ctx)
			}
		}
	}()
	wg.Wait()
}

// refreshLive reloads the live runs and, when fewer than three are left,
// creates one (at most one every 30 s), so the streams never run dry.
func (l *load) refreshLive(ctx context.Context) {
	var page api.Page[studio.Run]
	if err := l.getJSON(ctx, "/api/runs?status=running&limit=100", &page); err != nil {
		if ctx.Err() == nil {
			l.fail("list live runs: %v", err)
		}
		return
	}
	var ids []studio.RunID
	for _, r := range page.Items {
		ids = append(ids, r.ID)
	}
	l.mu.Lock()
	l.live = ids
	create := len(ids) < 3 && time.Since(l.lastMake) > 30*time.Second
	if create {
		l.lastMake = time.Now()
	}
	l.mu.Unlock()
	if create {
		l.createRun(ctx)
	}
}

// createRun creates a long run in the first experiment.
func (l *load) createRun(ctx context.Context) {
	body := fmt.Sprintf(`{"experiment_id":%q,"name":"soak-%d-%d","tags":["soak"],"config":{"model":"llama-3-8b","dataset":"code-instruct-v4",
		"optimizer":"adamw","learning_rate":0.0003,"batch_size":64,"epochs":40,"gpus":8,"warmup_steps":100,"weight_decay":0.01,"seed":7,"precision":"bf16"}}`,
		l.experiments[0], time.Now().Unix(), l.nameSeq.Add(1))
	status, b, err := l.do(ctx, http.MethodPost, "/api/runs", "application/json", body)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			l.fail("create run: %v", err)
		}
	case status != http.StatusCreated:
		l.fail("POST /api/runs = %d %.200s", status, b)
	default:
		l.count(func(c *counters) { c.created++ })
	}
}

// do sends one request, reads the whole answer and records its latency.
func (l *load) do(ctx context.Context, method, path, contentType, body string) (int, []byte, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	start := time.Now()
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	el := time.Since(start)
	l.count(func(c *counters) {
		c.requests++
		c.latency.add(el)
	})
	return resp.StatusCode, b, err
}

// restWorker sends random requests until ctx ends.
func (l *load) restWorker(ctx context.Context, rng *rand.Rand) {
	for ctx.Err() == nil {
		l.request(ctx, rng)
		select {
		case <-ctx.Done():
		case <-time.After(l.cfg.think):
		}
	}
}

// request sends one random request of the mix and checks its status.
func (l *load) request(ctx context.Context, rng *rand.Rand) {
	pick := func(n int) int { return rng.IntN(n) }
	run := l.runs[pick(len(l.runs))]
	method, path, want := http.MethodGet, "", http.StatusOK
	var next func(body []byte) string // a follow-up request built from the answer
	switch p := pick(100); {
	case p < 8:
		path = "/api/dashboard"
	case p < 20:
		sorts := api.RunSorts
		path = fmt.Sprintf("/api/runs?sort=%s&order=%s&offset=%d&limit=%d", sorts[pick(len(sorts))], []string{"asc", "desc"}[pick(2)], pick(150), 1+pick(100))
		if pick(3) == 0 {
			path += "&status=" + string(studio.RunStatuses[pick(len(studio.RunStatuses))])
		}
	case p < 28:
		path = fmt.Sprintf("/api/experiments/%s/runs?limit=%d", l.experiments[pick(len(l.experiments))], 1+pick(200))
	case p < 48:
		if pick(3) == 0 {
			run = l.biggest
		}
		if run.logCount == 0 {
			path = "/api/runs/" + string(run.id) + "/logs?tail=200"
			break
		}
		switch pick(4) {
		case 0:
			path = fmt.Sprintf("/api/runs/%s/logs?tail=%d", run.id, 1+pick(500))
		default:
			path = fmt.Sprintf("/api/runs/%s/logs?from_seq=%d&limit=%d", run.id, rng.Int64N(run.logCount), 50+pick(450))
			if pick(4) == 0 {
				path += "&level=warn,error"
			}
		}
		next = func(body []byte) string {
			var page api.LogPage
			if json.Unmarshal(body, &page) != nil || page.Next == "" {
				return ""
			}
			return fmt.Sprintf("/api/runs/%s/logs?cursor=%s&limit=200", run.id, url.QueryEscape(page.Next))
		}
	case p < 53:
		path = fmt.Sprintf("/api/runs/%s/logs/search?q=%s", run.id, []string{"step", "error", "checkpoint", "loss", "nan", "shard"}[pick(6)])
	case p < 68:
		path = fmt.Sprintf("/api/runs/%s/metrics?max_points=%d", run.id, 50+pick(1950))
		if pick(2) == 0 {
			path += "&name=" + studio.MetricNames[pick(len(studio.MetricNames))]
		}
	case p < 73:
		path = "/api/runs/" + string(run.id) + "/events"
	case p < 78:
		m := l.models[pick(len(l.models))]
		path = []string{"/api/registry/models", "/api/registry/models/" + string(m), "/api/registry/models/" + string(m) + "/versions"}[pick(3)]
	case p < 88:
		d := l.deployments[pick(len(l.deployments))]
		path = []string{"/api/deployments", "/api/deployments/" + string(d), "/api/deployments/" + string(d) + "/events"}[pick(3)]
	case p < 93:
		now := time.Now().UnixNano()
		last := l.lastAction.Load()
		if now-last < int64(500*time.Millisecond) || !l.lastAction.CompareAndSwap(last, now) {
			path = "/api/deployments"
			break
		}
		method = http.MethodPost
		path = fmt.Sprintf("/api/deployments/%s/%s", l.deployments[pick(len(l.deployments))], []string{"advance", "rollback", "simulate-incident"}[pick(3)])
	default:
		if pick(4) == 0 {
			path = "/api/traces/" + string(l.traces[pick(len(l.traces))])
		} else {
			path = fmt.Sprintf("/api/traces?limit=%d&sort=duration&order=desc", 1+pick(50))
		}
	}
	status, body, err := l.do(ctx, method, path, "", "")
	if err != nil {
		if ctx.Err() == nil {
			l.fail("%s %s: %v", method, path, err)
		}
		return
	}
	if method == http.MethodPost {
		l.count(func(c *counters) {
			c.actions++
			if status == http.StatusOK {
				c.accepted++
			}
		})
		if status == http.StatusConflict {
			return
		}
	}
	if status != want {
		l.fail("%s %s = %d %.200s", method, path, status, body)
		return
	}
	if next != nil {
		if p := next(body); p != "" {
			if status, body, err := l.do(ctx, http.MethodGet, p, "", ""); err != nil && ctx.Err() == nil {
				l.fail("GET %s: %v", p, err)
			} else if err == nil && status != http.StatusOK {
				l.fail("GET %s = %d %.200s", p, status, body)
			}
		}
	}
}

// watch probes GET /api/healthz every 500 ms until ctx ends. A probe
// slower than cfg.stall is a stall: it is counted and reported with the
// system load, and the first time, for an in-process server, the
// goroutine stacks taken while the probe still waits are written to a
// file, to tell lock contention from a starved machine.
func (l *load) watch(ctx context.Context, start time.Time, inProcess bool) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	dumped := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		begin := time.Now()
		got := make(chan []byte, 1)
		var timer *time.Timer
		if inProcess && !dumped {
			timer = time.AfterFunc(l.cfg.stall, func() {
				buf := make([]byte, 16<<20)
				got <- buf[:runtime.Stack(buf, true)]
			})
		}
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		req, _ := http.NewRequestWithContext(pctx, http.MethodGet, l.base+"/api/healthz", nil)
		resp, err := l.client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		cancel()
		el := time.Since(begin)
		if ctx.Err() != nil {
			if timer != nil {
				timer.Stop()
			}
			return
		}
		l.count(func(c *counters) { c.probe.add(el) })
		where := ""
		if timer != nil && !timer.Stop() {
			dumped = true
			if f, ferr := os.CreateTemp("", "soak-stall-*.txt"); ferr == nil {
				f.Write(<-got)
				f.Close()
				where = "; the goroutine stacks during it are in " + f.Name()
			}
		}
		switch {
		case el > l.cfg.stall:
			l.note(fmt.Sprintf("stall at %v: /api/healthz took %v (load average %s)%s", begin.Sub(start).Round(time.Second), el.Round(time.Millisecond), loadAverage(), where))
			l.count(func(c *counters) { c.stalls++ })
		case err != nil:
			l.fail("GET /api/healthz: %v", err)
		}
	}
}

// note records a finding that is not a failure by itself.
func (l *load) note(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) < 100 {
		l.fails = append(l.fails, s)
	}
}

// pickLive returns a random live run, or "" when none is live.
func (l *load) pickLive(rng *rand.Rand) studio.RunID {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.live) == 0 {
		return ""
	}
	return l.live[rng.IntN(len(l.live))]
}

// dropLive forgets a run that ended.
func (l *load) dropLive(id studio.RunID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.live = slices.DeleteFunc(l.live, func(r studio.RunID) bool { return r == id })
}

// subscriber follows live runs, a few seconds at a time, resuming each
// with ?since=<last seq>, until ctx ends.
func (l *load) subscriber(ctx context.Context, rng *rand.Rand) {
	last := map[studio.RunID]int64{}
	for ctx.Err() == nil {
		id := l.pickLive(rng)
		if id == "" {
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		since, resuming := last[id]
		u := l.ws + "/ws/runs/" + string(id)
		if resuming {
			u += "?since=" + strconv.FormatInt(since, 10)
		}
		seq, ended := l.follow(ctx, rng, id, u, since, resuming)
		if seq > 0 {
			last[id] = seq
		}
		if ended {
			l.dropLive(id)
			delete(last, id)
		}
	}
}

// follow reads one connection for 2 to 8 seconds and then leaves, half the
// time with a close handshake and half the time by dropping the TCP
// connection. It checks the hello and that seqs follow one another, and
// returns the last seq read and whether the run ended.
func (l *load) follow(ctx context.Context, rng *rand.Rand, id studio.RunID, u string, since int64, resuming bool) (last int64, ended bool) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	c, _, err := websocket.Dial(dctx, u, nil)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			l.fail("dial %s: %v", u, err)
		}
		return 0, false
	}
	c.SetReadLimit(1 << 20)
	l.count(func(c *counters) {
		c.connections++
		c.openStreams++
	})
	defer l.count(func(c *counters) { c.openStreams-- })
	var left atomic.Bool
	polite := rng.IntN(2) == 0
	leave := time.AfterFunc(2*time.Second+time.Duration(rng.Int64N(int64(6*time.Second))), func() {
		left.Store(true)
		if polite {
			c.Close(websocket.StatusNormalClosure, "bye")
		} else {
			c.CloseNow()
		}
	})
	defer leave.Stop()
	defer c.CloseNow()

	var msg struct {
		Type string          `json:"type"`
		Seq  int64           `json:"seq"`
		Data json.RawMessage `json:"data"`
	}
	first := true
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			switch {
			case ctx.Err() != nil || left.Load():
			case websocket.CloseStatus(err) == websocket.StatusNormalClosure:
				l.count(func(c *counters) { c.runEnds++ })
				return last, true
			case websocket.CloseStatus(err) == 4000:
				l.count(func(c *counters) { c.chaosDrops++ })
			default:
				l.fail("stream %s after seq %d: %v", id, last, err)
			}
			return last, false
		}
		if err := json.Unmarshal(b, &msg); err != nil {
			l.fail("stream %s: message %.100q: %v", id, b, err)
			return last, false
		}
		if first {
			first = false
			var h api.Hello
			if msg.Type != api.TypeHello || json.Unmarshal(msg.Data, &h) != nil {
				l.fail("stream %s: first message %.100q is not a hello", id, b)
				return last, false
			}
			switch {
			case resuming && h.Gap:
				l.count(func(c *counters) { c.gaps++ })
				last = h.Seq
			case resuming:
				if !h.Resumed || h.Since != since {
					l.fail("stream %s: resume from %d got hello %+v", id, since, h)
					return last, false
				}
				l.count(func(c *counters) { c.resumes++ })
				last = since
			default:
				last = h.Seq
			}
			continue
		}
		if msg.Seq != last+1 {
			l.fail("stream %s: seq %d after %d (resumed %v from %d)", id, msg.Seq, last, resuming, since)
			return 0, false
		}
		last = msg.Seq
		l.count(func(c *counters) { c.messages++ })
	}
}
