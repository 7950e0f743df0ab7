package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// longTests reports whether the long variants of the reliability tests
// run: STUDIO_LONG=1 and not -short.
func longTests() bool { return os.Getenv("STUDIO_LONG") == "1" && !testing.Short() }

// loadClient is an HTTP client for many concurrent requests to one host.
func loadClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64},
		Timeout:   30 * time.Second,
	}
}

// post sends a POST and returns the status and body; a transport error is
// status 0 with the error as body.
func post(c *http.Client, url, contentType, body string) (int, []byte) {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// frozenStore is a seed-42 store whose clock stays at the epoch, like the
// one of newTestServer.
func frozenStore(seed uint64) *store.Store {
	return store.New(synth.New(seed, 1), store.Options{Now: func() time.Time { return synth.DefaultEpoch }})
}

// TestConcurrentDeploymentActionsReplay sends 1,000 concurrent advance,
// rollback and simulate-incident requests for one deployment over HTTP.
// Every answer is 200 or 409; the history gains exactly one entry per 200,
// with the same actions; and replaying the history's actions in order on
// a fresh store gives the same deployment, events and model, byte for
// byte. Run it with -race.
func TestConcurrentDeploymentActionsReplay(t *testing.T) {
	const requests = 1000
	ts := newTestServer(t, Options{TickInterval: time.Hour})
	deps, err := ts.store.Deployments(api.ListQuery{Limit: api.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	var dep studio.Deployment
	for _, d := range deps.Items {
		if d.Status == studio.DeployProgressing {
			dep = d
		}
	}
	if dep.ID == "" {
		t.Fatal("no progressing deployment in the dataset")
	}
	start := len(dep.History)
	actions := []studio.DeploymentAction{studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident}

	client := loadClient()
	defer client.CloseIdleConnections()
	var (
		mu       sync.Mutex
		accepted = map[studio.DeploymentAction]int{}
		statuses = map[int]int{}
		wg       sync.WaitGroup
		gate     = make(chan struct{})
	)
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := actions[(i*7+i/3)%len(actions)] // mixed, not in lockstep with the goroutine order
			<-gate
			status, body := post(client, ts.ts.URL+"/api/deployments/"+string(dep.ID)+"/"+string(a), "", "")
			mu.Lock()
			defer mu.Unlock()
			statuses[status]++
			switch status {
			case http.StatusOK:
				accepted[a]++
			case http.StatusConflict:
			default:
				t.Errorf("POST %s = %d %s; want 200 or 409", a, status, body)
			}
		}()
	}
	close(gate)
	wg.Wait()
	t.Logf("%d requests: statuses %v, accepted %v", requests, statuses, accepted)

	var final studio.Deployment
	ts.getJSON(t, "/api/deployments/"+string(dep.ID), &final)
	added := final.History[start:]
	total := 0
	for _, n := range accepted {
		total += n
	}
	if len(added) != total || total == 0 {
		t.Fatalf("history grew by %d entries for %d accepted actions; want one each (and some accepted)", len(added), total)
	}
	inHistory := map[studio.DeploymentAction]int{}
	for i, h := range added {
		inHistory[h.Action]++
		if h.Seq != start+i+1 || h.From != final.History[start+i-1].To {
			t.Fatalf("history entry %d = seq %d from %s; want seq %d from %s", start+i, h.Seq, h.From, start+i+1, final.History[start+i-1].To)
		}
	}
	for _, a := range actions {
		if inHistory[a] != accepted[a] {
			t.Errorf("%s: %d in the history, %d accepted", a, inHistory[a], accepted[a])
		}
	}

	// Replay the accepted actions, in history order, on a fresh store.
	replay := frozenStore(42)
	for _, h := range added {
		if _, err := replay.Act(dep.ID, h.Action); err != nil {
			t.Fatalf("replaying history entry %d (%s): %v", h.Seq, h.Action, err)
		}
	}
	want, err := replay.Deployment(dep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := mustMarshal(t, final), mustMarshal(t, want); got != w {
		t.Errorf("the deployment after the concurrent actions differs from the replay\n got: %.400s\nwant: %.400s", got, w)
	}
	var events api.EventPage
	ts.getJSON(t, "/api/deployments/"+string(dep.ID)+"/events", &events)
	wantEvents, err := replay.DeploymentEvents(dep.ID, api.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if mustMarshal(t, events) != mustMarshal(t, wantEvents) {
		t.Errorf("deployment events differ from the replay: %d events, replay %d", len(events.Events), len(wantEvents.Events))
	}
	var model studio.Model
	ts.getJSON(t, "/api/registry/models/"+string(dep.ModelID), &model)
	wantModel, _ := replay.Model(dep.ModelID)
	var versions, wantVersions any
	ts.getJSON(t, "/api/registry/models/"+string(dep.ModelID)+"/versions", &versions)
	v, _ := replay.ModelVersions(dep.ModelID)
	mustUnmarshal(t, []byte(mustMarshal(t, v)), &wantVersions)
	if mustMarshal(t, model) != mustMarshal(t, wantModel) || mustMarshal(t, versions) != mustMarshal(t, wantVersions) {
		t.Errorf("model %s or its versions differ from the replay", dep.ModelID)
	}
}

// TestConcurrentRunCreationLosesNone creates 500 runs with concurrent
// POST /api/runs: every one is answered 201 with a distinct id, is
// served at its Location, and appears exactly once in the run list.
func TestConcurrentRunCreationLosesNone(t *testing.T) {
	const n = 500
	ts := newTestServer(t, Options{TickInterval: time.Hour})
	id := findIDs(t, ts.store)
	before, err := ts.store.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	client := loadClient()
	defer client.CloseIdleConnections()
	var (
		mu      sync.Mutex
		created = map[studio.RunID]string{} // id -> name
		wg      sync.WaitGroup
		gate    = make(chan struct{})
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("load-%03d", i)
			body := strings.Replace(fmt.Sprintf(validCreateBody, id.experiment), "lr-sweep-7", name, 1)
			<-gate
			status, b := post(client, ts.ts.URL+"/api/runs", "application/json", body)
			if status != http.StatusCreated {
				t.Errorf("POST /api/runs %s = %d %s; want 201", name, status, b)
				return
			}
			var r studio.Run
			if err := json.Unmarshal(b, &r); err != nil || r.Name != name {
				t.Errorf("created %s: %s (%v)", name, b, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if other, dup := created[r.ID]; dup {
				t.Errorf("%s and %s both got id %s", other, name, r.ID)
			}
			created[r.ID] = name
		}()
	}
	close(gate)
	wg.Wait()
	if len(created) != n {
		t.Fatalf("%d distinct runs created; want %d", len(created), n)
	}
	var page api.Page[studio.Run]
	ts.getJSON(t, "/api/runs?limit="+strconv.Itoa(api.MaxListLimit), &page)
	if page.Total != before.Total+n {
		t.Errorf("the run list has %d runs; want %d + %d", page.Total, before.Total, n)
	}
	listed := map[studio.RunID]int{}
	for _, r := range page.Items {
		listed[r.ID]++
		if name, ok := created[r.ID]; ok && (r.Name != name || r.Status != studio.RunQueued) {
			t.Errorf("listed %s = %q %s; want %q queued", r.ID, r.Name, r.Status, name)
		}
	}
	for rid, name := range created {
		if listed[rid] != 1 {
			t.Errorf("run %s (%s) is listed %d times; want once", rid, name, listed[rid])
		}
	}
	// Ids are dense: the created runs follow the dataset's without a hole.
	for i := range n {
		rid := synth.RunID(before.Total + i)
		if _, ok := created[rid]; !ok {
			t.Errorf("no created run has id %s", rid)
		}
	}
	// Each is served at its own URL.
	for rid, name := range created {
		var r studio.Run
		ts.getJSON(t, "/api/runs/"+string(rid), &r)
		if r.Name != name {
			t.Errorf("GET /api/runs/%s name = %q; want %q", rid, r.Name, name)
		}
	}
}

// chaosDuration is how long TestChaosManyClients streams: 5 s by default,
// 60 s with STUDIO_LONG=1, or STUDIO_CHAOS_DURATION (a Go duration).
func chaosDuration(t *testing.T) time.Duration {
	if s := os.Getenv("STUDIO_CHAOS_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("STUDIO_CHAOS_DURATION=%q: want a duration such as 60s", s)
		}
		return d
	}
	if longTests() {
		return 60 * time.Second
	}
	return 5 * time.Second
}

// follower is one WebSocket client that follows a run through drops.
type follower struct {
	run  studio.RunID
	msgs []api.Message
	// drops counts the connections that ended before the run did, by
	// close code: 4000 (chaos), 1008 (too slow: a client that falls
	// SendQueue messages behind, as a starved test machine makes it) and
	// 1006 (cut without a close frame, when the close handshake does not
	// finish within the server's grace).
	drops map[websocket.StatusCode]int
	err   error
}

// follow reads run's stream from seq 0 to its end, reconnecting with
// ?since=<last seq> after every drop, as the web app does, until the run
// ends (a normal closure) or ctx ends. It records a gap, a duplicate, a
// failed resume or any other failure in f.err and stops.
func (f *follower) follow(ctx context.Context, ts *httptest.Server) {
	var last int64
	for ctx.Err() == nil {
		c, _, err := websocket.Dial(ctx, wsURL(ts, "/ws/runs/"+string(f.run)+"?since="+itoa(last)), nil)
		if err != nil {
			f.err = fmt.Errorf("dial after seq %d: %w", last, err)
			return
		}
		c.SetReadLimit(1 << 20)
		first := true
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				c.CloseNow()
				if ctx.Err() != nil {
					f.err = fmt.Errorf("stopped at seq %d: %w", last, ctx.Err())
					return
				}
				switch st := websocket.CloseStatus(err); st {
				case websocket.StatusNormalClosure:
					return
				case statusChaos, websocket.StatusPolicyViolation, -1:
					if st == -1 {
						st = websocket.StatusAbnormalClosure
					}
					if f.drops == nil {
						f.drops = map[websocket.StatusCode]int{}
					}
					f.drops[st]++
				default:
					f.err = fmt.Errorf("after seq %d: %w", last, err)
					return
				}
				break
			}
			var m api.Message
			if err := json.Unmarshal(b, &m); err != nil {
				f.err = fmt.Errorf("message %q: %w", b, err)
				c.CloseNow()
				return
			}
			if first {
				first = false
				var h api.Hello
				if m.Type != api.TypeHello || json.Unmarshal(m.Data, &h) != nil || h.Gap || (last > 0 && !h.Resumed) {
					f.err = fmt.Errorf("resume from %d: hello %s; want resumed without a gap", last, b)
					c.CloseNow()
					return
				}
				continue
			}
			if m.Seq != last+1 {
				f.err = fmt.Errorf("got seq %d after %d", m.Seq, last)
				c.CloseNow()
				return
			}
			last = m.Seq
			f.msgs = append(f.msgs, m)
		}
	}
	f.err = fmt.Errorf("stopped at seq %d: %w", last, ctx.Err())
}

// TestChaosManyClients runs 50 WebSocket clients, five on each of ten
// created runs, with WS_CHAOS_DISCONNECT on, for chaosDuration (5 s by
// default; 60 s with STUDIO_LONG=1). Each client follows its run from the
// first message to the end through the chaos drops (and any slow-client
// drop a busy machine causes), resuming with ?since=, and must end with
// exactly the server's sequence for the run (no gap, no duplicate, the
// same bytes), which is also what REST returns.
func TestChaosManyClients(t *testing.T) {
	const runs, perRun = 10, 5
	dur := chaosDuration(t)
	// The run's length follows from its epochs (50 steps each, at most
	// 2000 steps) and one step per tick.
	tick := max(25*time.Millisecond, dur/2000)
	epochs := min(max(int((dur/tick+49)/50), 1), 40)
	ts := newTestServerWithStore(t, 1<<16, Options{TickInterval: tick, Chaos: true})
	t.Logf("%d clients on %d runs of %d steps, tick %v, about %v", runs*perRun, runs, epochs*50, tick, time.Duration(epochs*50)*tick)

	var ids []studio.RunID
	for range runs {
		ids = append(ids, ts.createRun(t, epochs).ID)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*dur+30*time.Second)
	defer cancel()
	followers := make([]*follower, 0, runs*perRun)
	var wg sync.WaitGroup
	for i := range runs * perRun {
		f := &follower{run: ids[i%runs]}
		followers = append(followers, f)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.follow(ctx, ts.ts)
		}()
	}
	wg.Wait()

	drops := map[websocket.StatusCode]int{}
	for i, f := range followers {
		for code, n := range f.drops {
			drops[code] += n
		}
		if f.err != nil {
			t.Errorf("client %d on %s: %v", i, f.run, f.err)
		}
	}
	t.Logf("drops over %d clients: %d chaos (4000), %d too slow (1008), %d cut (1006); the server logged %d slow-subscriber drops",
		len(followers), drops[statusChaos], drops[websocket.StatusPolicyViolation], drops[websocket.StatusAbnormalClosure],
		strings.Count(ts.logs.String(), "too slow"))
	if t.Failed() {
		return
	}
	if drops[statusChaos] < runs*perRun {
		t.Errorf("chaos dropped %d connections over %d clients; want several each", drops[statusChaos], runs*perRun)
	}

	for _, id := range ids {
		server, latest, gap, err := ts.store.Since(id, 0)
		if err != nil || gap {
			t.Fatalf("Since(%s, 0) = gap %v, %v; want the whole stream buffered", id, gap, err)
		}
		var run studio.Run
		ts.getJSON(t, "/api/runs/"+string(id), &run)
		if !run.Status.Terminal() || run.StreamSeq != latest {
			t.Errorf("%s: %s at seq %d; want terminal at %d", id, run.Status, run.StreamSeq, latest)
		}
		for i, f := range followers {
			if f.run != id {
				continue
			}
			if len(f.msgs) != len(server) {
				t.Errorf("client %d on %s got %d messages; the server sent %d", i, id, len(f.msgs), len(server))
				continue
			}
			for j := range server {
				if f.msgs[j].Seq != server[j].Seq || f.msgs[j].Type != server[j].Type || !bytes.Equal(f.msgs[j].Data, server[j].Data) {
					t.Errorf("client %d on %s: message %d = %d %s; the server's is %d %s", i, id, j, f.msgs[j].Seq, f.msgs[j].Data, server[j].Seq, server[j].Data)
					break
				}
			}
		}
		checkStreamMatchesREST(t, ts, id, server)
	}
}

// checkStreamMatchesREST compares the metric points and log lines of a
// finished run's stream with GET .../metrics and every page of GET .../logs.
func checkStreamMatchesREST(t *testing.T, ts *testServer, id studio.RunID, msgs []api.Message) {
	t.Helper()
	points := map[string][]studio.Point{}
	var lines []studio.LogLine
	for _, m := range msgs {
		switch m.Type {
		case api.TypeMetricPoint:
			var p api.MetricPoint
			mustUnmarshal(t, m.Data, &p)
			points[p.Metric] = append(points[p.Metric], p.Point)
		case api.TypeLogLine:
			var l studio.LogLine
			mustUnmarshal(t, m.Data, &l)
			lines = append(lines, l)
		}
	}
	var metrics api.MetricsResponse
	ts.getJSON(t, "/api/runs/"+string(id)+"/metrics", &metrics)
	if len(metrics.Series) != len(studio.MetricNames) {
		t.Errorf("%s: REST has %d series; want %d", id, len(metrics.Series), len(studio.MetricNames))
	}
	for _, s := range metrics.Series {
		if mustMarshal(t, points[s.Name]) != mustMarshal(t, s.Points) {
			t.Errorf("%s: metric %s: streamed %d points, REST %d; they differ", id, s.Name, len(points[s.Name]), len(s.Points))
		}
	}
	var rest []studio.LogLine
	for from := int64(0); ; {
		var page api.LogPage
		ts.getJSON(t, fmt.Sprintf("/api/runs/%s/logs?from_seq=%d&limit=%d", id, from, api.MaxLogLimit), &page)
		rest = append(rest, page.Lines...)
		if len(page.Lines) == 0 || page.Next == "" {
			break
		}
		from = page.Lines[len(page.Lines)-1].Seq + 1
	}
	if mustMarshal(t, rest) != mustMarshal(t, lines) {
		t.Errorf("%s: streamed %d log lines, REST %d; they differ", id, len(lines), len(rest))
	}
}

// timedSource is a runSource with one never-ending run that emits perTick
// messages of size bytes on each tick and remembers when each seq left
// Tick, so clients can measure delivery latency.
type timedSource struct {
	perTick int
	pad     string

	mu      sync.Mutex
	emitted []time.Time // emitted[seq-1]
	buf     []api.Message
}

func newTimedSource(perTick, size int) *timedSource {
	return &timedSource{perTick: perTick, pad: strings.Repeat("x", size)}
}

func (s *timedSource) Run(id studio.RunID) (studio.Run, error) {
	if id != "run-a" {
		return studio.Run{}, studio.Errorf(studio.CodeNotFound, "run %q not found", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return studio.Run{ID: id, Status: studio.RunRunning, StreamSeq: int64(len(s.emitted))}, nil
}

func (s *timedSource) Tick(id studio.RunID) ([]api.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := make([]api.Message, s.perTick)
	now := time.Now()
	for i := range msgs {
		seq := int64(len(s.emitted)) + 1
		data, _ := json.Marshal(api.MetricPoint{Metric: s.pad, Point: studio.Point{Step: int(seq)}})
		msgs[i] = api.Message{Type: api.TypeMetricPoint, Seq: seq, Data: data}
		s.emitted = append(s.emitted, now)
	}
	s.buf = append(s.buf[max(0, len(s.buf)-64):], msgs...)
	return msgs, nil
}

func (s *timedSource) Since(id studio.RunID, since int64) ([]api.Message, int64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	latest := int64(len(s.emitted))
	if since < 0 {
		return nil, latest, false, nil
	}
	var out []api.Message
	for _, m := range s.buf {
		if m.Seq > since {
			out = append(out, m)
		}
	}
	return out, latest, len(s.buf) > 0 && since < s.buf[0].Seq-1, nil
}

func (s *timedSource) StreamBounds(id studio.RunID) (oldest, latest int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	latest = int64(len(s.emitted))
	if len(s.buf) == 0 {
		return latest + 1, latest, nil
	}
	return s.buf[0].Seq, latest, nil
}

func (s *timedSource) Live() []studio.RunID { return []studio.RunID{"run-a"} }

// emittedAt returns when seq left Tick.
func (s *timedSource) emittedAt(seq int64) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emitted[seq-1]
}

// seqOf reads the seq of a stream frame without decoding its data.
func seqOf(frame []byte) (int64, bool) {
	i := bytes.Index(frame, []byte(`"seq":`))
	if i < 0 {
		return 0, false
	}
	rest := frame[i+len(`"seq":`):]
	j := bytes.IndexAny(rest, ",}")
	if j < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return n, err == nil
}

// latencies is a set of delivery latencies.
type latencies []time.Duration

func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// phase is a stage of TestSlowClientDoesNotDelayOthers.
type phase int32

const (
	phaseBaseline phase = iota // readers only
	phaseStuck                 // the slow client is attached
	phaseDropped               // the slow client was dropped
	phases
)

var phaseNames = [phases]string{"readers alone", "slow client attached", "after the drop"}

// TestSlowClientDoesNotDelayOthers streams about 2.5 MB/s to three readers,
// measuring each message's delivery latency (from the producer's Tick to
// the reader's Read): first alone, then while a client that never reads
// (with a tiny receive buffer) is attached, then after the server dropped
// it. The slow client must be dropped (1008 "too slow") once its queue
// overflows, and the readers' latency while it was stuck must stay within
// a small multiple of their latency alone, which makes the check hold on
// a busy machine too: a hub that waited on the slow client would stall
// every reader until the drop.
func TestSlowClientDoesNotDelayOthers(t *testing.T) {
	src := newTimedSource(4, 6000)
	s, ts := newStreamServer(t, src, Options{TickInterval: 10 * time.Millisecond, SendQueue: 256})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	type reader struct {
		mu   sync.Mutex
		lat  [phases]latencies
		err  error
		last int64
	}
	var now atomic.Int32 // the current phase
	readers := make([]*reader, 3)
	rctx, stopReaders := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range readers {
		r := &reader{}
		readers[i] = r
		c := dial(t, ts, "/ws/runs/run-a")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, b, err := c.Read(rctx)
				if err != nil {
					if rctx.Err() == nil {
						r.err = err
					}
					return
				}
				seq, ok := seqOf(b)
				if !ok {
					r.err = fmt.Errorf("frame without a seq: %.80s", b)
					return
				}
				if bytes.Contains(b[:min(len(b), 40)], []byte(`"hello"`)) {
					r.last = seq
					continue
				}
				if seq != r.last+1 {
					r.err = fmt.Errorf("seq %d after %d", seq, r.last)
					return
				}
				r.last = seq
				lat := time.Since(src.emittedAt(seq))
				ph := now.Load()
				r.mu.Lock()
				r.lat[ph] = append(r.lat[ph], lat)
				r.mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Second)

	slowDialer := &net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
		var serr error
		c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		return serr
	}}
	now.Store(int32(phaseStuck))
	slow, _, err := websocket.Dial(ctx, wsURL(ts, "/ws/runs/run-a"), &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: slowDialer.DialContext}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.CloseNow()
	joined := time.Now()
	waitFor(t, "the slow client to be admitted", func() bool { return s.hub.count() > len(readers) })
	for s.hub.count() > len(readers) {
		if ctx.Err() != nil {
			t.Fatal("the client that never reads was never dropped")
		}
		time.Sleep(5 * time.Millisecond)
	}
	now.Store(int32(phaseDropped))
	t.Logf("the slow client was dropped %v after it joined", time.Since(joined).Round(time.Millisecond))
	time.Sleep(time.Second)
	stopReaders()
	wg.Wait()

	// The slow connection was closed by the server: draining it ends in
	// an error (1008 "too slow" if the close frame got through).
	slow.SetReadLimit(1 << 24)
	for {
		if _, _, err := slow.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatal("the slow client's connection is still open")
			}
			if st := websocket.CloseStatus(err); st != -1 && st != websocket.StatusPolicyViolation {
				t.Errorf("the slow client was closed with %v; want 1008", st)
			}
			break
		}
	}
	for i, r := range readers {
		if r.err != nil {
			t.Errorf("reader %d: %v", i, r.err)
			continue
		}
		for p := range phases {
			l := r.lat[p]
			t.Logf("reader %d, %s: %d messages, latency p50 %v p99 %v max %v", i, phaseNames[p], len(l), l.quantile(0.5), l.quantile(0.99), l.quantile(1))
			if len(l) == 0 {
				t.Errorf("reader %d got no message %s", i, phaseNames[p])
			}
		}
		base, stuck := r.lat[phaseBaseline], r.lat[phaseStuck]
		if p99, limit := stuck.quantile(0.99), max(4*base.quantile(0.99), 100*time.Millisecond); p99 > limit {
			t.Errorf("reader %d: p99 latency %v while the slow client was stuck; want under %v (4x its p99 alone): the slow client held it back", i, p99, limit)
		}
		if worst, limit := stuck.quantile(1), max(4*base.quantile(1), time.Second); worst > limit {
			t.Errorf("reader %d: max latency %v while the slow client was stuck; want under %v (4x its max alone)", i, worst, limit)
		}
	}
}

// listEndpoints returns every list endpoint of the API, including the
// per-experiment, per-model and per-deployment lists, with limits that
// return everything.
func listEndpoints(t *testing.T, st *store.Store) []string {
	t.Helper()
	all := "?limit=" + strconv.Itoa(api.MaxListLimit)
	paths := []string{"/api/dashboard", "/api/experiments" + all, "/api/runs" + all, "/api/registry/models" + all,
		"/api/deployments" + all, "/api/traces" + all}
	exps, err := st.Experiments(api.ListQuery{Limit: api.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range exps.Items {
		paths = append(paths, "/api/experiments/"+string(e.ID)+"/runs"+all)
	}
	models, _ := st.Models(api.ListQuery{Limit: api.MaxListLimit})
	for _, m := range models.Items {
		paths = append(paths, "/api/registry/models/"+string(m.ID)+"/versions")
	}
	deps, _ := st.Deployments(api.ListQuery{Limit: api.MaxListLimit})
	for _, d := range deps.Items {
		paths = append(paths, "/api/deployments/"+string(d.ID), "/api/deployments/"+string(d.ID)+"/events")
	}
	return paths
}

// snapshot GETs every path and returns the bodies by path.
func snapshot(t *testing.T, ts *testServer, paths []string) map[string]string {
	t.Helper()
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		resp, b := ts.do(t, http.MethodGet, p, "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", p, resp.StatusCode, b)
		}
		out[p] = string(b)
	}
	return out
}

// TestRestartWithSameSeedRestoresBaseDataset mutates a server every way
// the API allows (created runs, streamed ticks, deployment actions), then
// "restarts" it (a new store from the same seed) and checks that every
// list endpoint answers byte for byte what the first server answered
// before the mutations. Another seed gives another dataset.
func TestRestartWithSameSeedRestoresBaseDataset(t *testing.T) {
	first := newTestServer(t, Options{TickInterval: time.Hour})
	paths := listEndpoints(t, first.store)
	base := snapshot(t, first, paths)

	// Mutate: runs created, every live run ticked, an action on every
	// deployment that accepts one.
	for range 3 {
		first.createRun(t, 2)
	}
	for _, id := range first.store.Live() {
		for range 5 {
			if _, err := first.store.Tick(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	deps, _ := first.store.Deployments(api.ListQuery{Limit: api.MaxListLimit})
	for _, d := range deps.Items {
		for _, a := range []studio.DeploymentAction{studio.ActionSimulateIncident, studio.ActionRollback, studio.ActionAdvance} {
			resp, _ := first.do(t, http.MethodPost, "/api/deployments/"+string(d.ID)+"/"+string(a), "", nil)
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
	}
	changed := 0
	for p, b := range snapshot(t, first, paths) {
		if b != base[p] {
			changed++
		}
	}
	if changed < len(paths)/4 {
		t.Fatalf("the mutations changed only %d of %d endpoints; the test would prove little", changed, len(paths))
	}

	restarted := newTestServer(t, Options{TickInterval: time.Hour})
	again := snapshot(t, restarted, paths)
	for _, p := range paths {
		if again[p] != base[p] {
			t.Errorf("GET %s after a restart differs from the first start\n got: %.200s\nwant: %.200s", p, again[p], base[p])
		}
	}

	other := New(frozenStore(43), Options{TickInterval: time.Hour})
	rec := httptest.NewRecorder()
	other.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/runs?limit=10000", nil))
	if rec.Body.String() == base["/api/runs?limit=10000"] {
		t.Error("seed 43 serves the same runs as seed 42")
	}
	other.Close()
}
