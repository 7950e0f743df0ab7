package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// wsConfig configures the WebSocket fan-out.
type wsConfig struct {
	base       *url.URL
	pid        int // the server's process id for memory readings; 0 for none
	subs       int
	minRunning int
	dur        time.Duration
}

// WSResult is the outcome of the fan-out.
type WSResult struct {
	Subscribers int `json:"subscribers"`
	Connected   int `json:"connected"`
	Runs        int `json:"runs"` // running runs the subscribers were spread over
	Created     int `json:"created_runs"`
	// CadenceMS is the range of the runs' tick intervals.
	CadenceMinMS float64 `json:"cadence_min_ms"`
	CadenceMaxMS float64 `json:"cadence_max_ms"`
	Seconds      float64 `json:"seconds"`
	Messages     int64   `json:"messages"`
	MsgPerSec    float64 `json:"messages_per_s"`
	// Tick-aligned delivery latency (see latencies).
	P50MS float64 `json:"p50_ms"`
	P90MS float64 `json:"p90_ms"`
	P99MS float64 `json:"p99_ms"`
	MaxMS float64 `json:"max_ms"`
	// Fan-out spread: time since the run's first subscriber got the seq.
	SpreadP50MS float64 `json:"spread_p50_ms"`
	SpreadP99MS float64 `json:"spread_p99_ms"`
	DialP50MS   float64 `json:"dial_p50_ms"`
	DialP99MS   float64 `json:"dial_p99_ms"`
	// Server memory (VmRSS) before dialling and with every subscriber
	// connected, and the difference per connection.
	RSSBefore     int64   `json:"rss_before"`
	RSSAfter      int64   `json:"rss_after"`
	BytesPerConn  float64 `json:"bytes_per_conn"`
	EndedEarly    int     `json:"ended_early"` // connections the server closed during the window
	Errors        int     `json:"errors"`
	FirstErr      string  `json:"first_error,omitempty"`
	LoadAvgBefore float64 `json:"loadavg_before"`
}

// runningRuns lists the ids of running runs.
func runningRuns(ctx context.Context, base *url.URL) ([]studio.Run, error) {
	var page api.Page[studio.Run]
	if err := getJSON(ctx, base.String()+"/api/runs?status=running&limit="+strconv.Itoa(api.MaxListLimit), &page); err != nil {
		return nil, err
	}
	return page.Items, nil
}

func getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// ensureRunning returns at least n running runs, creating runs through
// POST /api/runs (copies of a running run's config) when there are fewer,
// and waiting until they start.
func ensureRunning(ctx context.Context, base *url.URL, n int) (runs []studio.Run, created int, err error) {
	runs, err = runningRuns(ctx, base)
	if err != nil || len(runs) >= n {
		return runs, 0, err
	}
	if len(runs) == 0 {
		return nil, 0, errors.New("no running run to copy a config from")
	}
	for i := 0; len(runs)+i < n; i++ {
		tmpl := runs[i%len(runs)]
		body, _ := json.Marshal(api.CreateRunRequest{
			ExperimentID: tmpl.ExperimentID, Name: fmt.Sprintf("load-%03d", i), Tags: []string{"load"}, Config: tmpl.Config,
		})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+"/api/runs", bytes.NewReader(body))
		if err != nil {
			return nil, created, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, created, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			return nil, created, fmt.Errorf("POST /api/runs: %s", resp.Status)
		}
		created++
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if runs, err = runningRuns(ctx, base); err != nil || len(runs) >= n {
			return runs, created, err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return nil, created, fmt.Errorf("only %d runs running 30 s after creating %d", len(runs), created)
}

// subscriber is one client connection of the fan-out.
type wsSubscriber struct {
	run     int
	cadence time.Duration
	c       *websocket.Conn
	got     []delivery
	ended   bool
	err     error
}

// runWS opens cfg.subs subscriptions spread round-robin over running runs,
// records every message received during cfg.dur and measures the server's
// memory before and after connecting.
func runWS(ctx context.Context, cfg wsConfig) (WSResult, error) {
	res := WSResult{Subscribers: cfg.subs, LoadAvgBefore: loadAverage()}
	runs, created, err := ensureRunning(ctx, cfg.base, cfg.minRunning)
	res.Created = created
	if err != nil {
		return res, err
	}
	res.Runs = len(runs)
	if cfg.pid > 0 {
		runtimeSettle()
		m, err := readMemory(cfg.pid)
		if err != nil {
			return res, err
		}
		res.RSSBefore = m.RSS
	}
	wsBase := "ws://" + cfg.base.Host + "/ws/runs/"
	base := time.Now()
	recording := make(chan struct{})
	var (
		subs  = make([]*wsSubscriber, cfg.subs)
		dials = make([]time.Duration, 0, cfg.subs)
		mu    sync.Mutex
		errs  []error
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for i := range cfg.subs {
		run := i % len(runs)
		s := &wsSubscriber{run: run}
		subs[i] = s
		t0 := time.Now()
		c, _, err := websocket.Dial(ctx, wsBase+string(runs[run].ID), nil)
		if err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("dial %s: %w", runs[run].ID, err))
			mu.Unlock()
			continue
		}
		c.SetReadLimit(1 << 20)
		s.c = c
		_, b, err := c.Read(ctx)
		if err != nil {
			s.err = err
			continue
		}
		dials = append(dials, time.Since(t0))
		var m api.Message
		var h api.Hello
		if err := json.Unmarshal(b, &m); err != nil || m.Type != api.TypeHello || json.Unmarshal(m.Data, &h) != nil {
			s.err = fmt.Errorf("first message is not a hello: %.80s", b)
			continue
		}
		s.cadence = time.Duration(h.TickMS) * time.Millisecond
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.read(ctx, base, recording)
		}()
	}
	connected := 0
	for _, s := range subs {
		if s.c != nil && s.err == nil {
			connected++
		}
	}
	res.Connected = connected
	slices.Sort(dials)
	res.DialP50MS, res.DialP99MS = ms(percentile(dials, 0.5)), ms(percentile(dials, 0.99))
	if cfg.pid > 0 {
		time.Sleep(time.Second) // let the server settle its buffers
		m, err := readMemory(cfg.pid)
		if err != nil {
			return res, err
		}
		res.RSSAfter = m.RSS
		if connected > 0 {
			res.BytesPerConn = float64(res.RSSAfter-res.RSSBefore) / float64(connected)
		}
	}
	close(recording)
	start := time.Now()
	time.Sleep(cfg.dur)
	res.Seconds = time.Since(start).Seconds()
	cancel()
	for _, s := range subs {
		if s.c != nil {
			s.c.Close(websocket.StatusNormalClosure, "")
		}
	}
	wg.Wait()

	var all []delivery
	cadence := map[int]time.Duration{}
	minC, maxC := time.Duration(0), time.Duration(0)
	for _, s := range subs {
		if s.err != nil {
			errs = append(errs, s.err)
		}
		if s.ended {
			res.EndedEarly++
		}
		if s.cadence > 0 {
			cadence[s.run] = s.cadence
			if minC == 0 || s.cadence < minC {
				minC = s.cadence
			}
			maxC = max(maxC, s.cadence)
		}
		all = append(all, s.got...)
	}
	res.CadenceMinMS, res.CadenceMaxMS = ms(minC), ms(maxC)
	res.Messages = int64(len(all))
	res.MsgPerSec = float64(len(all)) / res.Seconds
	aligned, spread := latencies(all, cadence)
	res.P50MS, res.P90MS = ms(percentile(aligned, 0.5)), ms(percentile(aligned, 0.9))
	res.P99MS, res.MaxMS = ms(percentile(aligned, 0.99)), ms(percentile(aligned, 1))
	res.SpreadP50MS, res.SpreadP99MS = ms(percentile(spread, 0.5)), ms(percentile(spread, 0.99))
	res.Errors = len(errs)
	if len(errs) > 0 {
		res.FirstErr = errs[0].Error()
	}
	if connected == 0 {
		return res, fmt.Errorf("no subscriber connected: %v", errors.Join(errs...))
	}
	return res, nil
}

// read records the messages s receives after recording is closed, until
// ctx ends or the server closes the connection.
func (s *wsSubscriber) read(ctx context.Context, base time.Time, recording <-chan struct{}) {
	on := false
	for {
		_, b, err := s.c.Read(ctx)
		at := time.Since(base)
		if err != nil {
			if ctx.Err() == nil {
				if websocket.CloseStatus(err) == websocket.StatusNormalClosure {
					s.ended = true // the run ended
				} else {
					s.err = err
				}
			}
			return
		}
		if !on {
			select {
			case <-recording:
				on = true
			default:
				continue
			}
		}
		seq, ok := messageSeq(b)
		if !ok {
			s.err = fmt.Errorf("message without a seq: %.80s", b)
			return
		}
		s.got = append(s.got, delivery{run: s.run, seq: seq, at: at})
	}
}

// messageSeq finds the top-level "seq" of a stream message without
// decoding the rest: the server encodes api.Message with "type" first and
// "seq" second, and a type never contains a quote.
func messageSeq(b []byte) (int64, bool) {
	const typ, sep = `{"type":"`, `","seq":`
	if !bytes.HasPrefix(b, []byte(typ)) {
		return 0, false
	}
	rest := b[len(typ):]
	i := bytes.IndexByte(rest, '"')
	if i < 0 || !bytes.HasPrefix(rest[i:], []byte(sep)) {
		return 0, false
	}
	rest = rest[i+len(sep):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	seq, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return seq, err == nil
}

// runtimeSettle gives the server a moment after the HTTP phase, so its
// RSS reading is not taken mid-burst.
func runtimeSettle() { time.Sleep(500 * time.Millisecond) }
