package server

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// testServer is a Server over a seed-42 store, served by httptest. The
// hub is not running: runs only tick when a test subscribes or creates one.
type testServer struct {
	*Server
	ts    *httptest.Server
	store *store.Store
	logs  *syncBuffer
}

// newTestServer starts a test server; it is closed when the test ends.
func newTestServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	return newTestServerWithStore(t, 0, opts)
}

// newTestServerWithStore is newTestServer with a stream buffer of bufSize
// messages per run (0: the store's default).
func newTestServerWithStore(t testing.TB, bufSize int, opts Options) *testServer {
	t.Helper()
	// A frozen clock makes every response a pure function of the requests.
	st := store.New(synth.New(42, 1), store.Options{Now: func() time.Time { return synth.DefaultEpoch }, BufferSize: bufSize})
	logs := &syncBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	if opts.TickInterval == 0 {
		opts.TickInterval = 20 * time.Millisecond
	}
	s := New(st, opts)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return &testServer{Server: s, ts: ts, store: st, logs: logs}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// do sends a request and returns the response with its body read.
func (ts *testServer) do(t testing.TB, method, path, contentType string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ts.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp, b
}

// ids are real ids of the seed-42 dataset, found through the store.
type ids struct {
	experiment, run, liveRun, model, deployment, trace string
}

func findIDs(t testing.TB, st *store.Store) ids {
	t.Helper()
	var out ids
	exps, err := st.Experiments(api.ListQuery{Limit: 1})
	if err != nil || len(exps.Items) == 0 {
		t.Fatalf("Experiments: %v", err)
	}
	out.experiment = string(exps.Items[0].ID)
	runs, err := st.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if err != nil || len(runs.Items) == 0 {
		t.Fatalf("Runs: %v", err)
	}
	for _, r := range runs.Items {
		if r.Status.Terminal() && r.LogCount > 0 && out.run == "" {
			out.run = string(r.ID)
		}
		if r.Status == studio.RunRunning && out.liveRun == "" {
			out.liveRun = string(r.ID)
		}
	}
	models, err := st.Models(api.ListQuery{Limit: 1})
	if err != nil || len(models.Items) == 0 {
		t.Fatalf("Models: %v", err)
	}
	out.model = string(models.Items[0].ID)
	deps, err := st.Deployments(api.ListQuery{Limit: 1})
	if err != nil || len(deps.Items) == 0 {
		t.Fatalf("Deployments: %v", err)
	}
	out.deployment = string(deps.Items[0].ID)
	traces, err := st.Traces(api.ListQuery{Limit: 1})
	if err != nil || len(traces.Items) == 0 {
		t.Fatalf("Traces: %v", err)
	}
	out.trace = string(traces.Items[0].ID)
	if out.run == "" || out.liveRun == "" {
		t.Fatalf("no finished run with logs or no running run in the dataset: %+v", out)
	}
	return out
}

// mustJSON encodes v as writeJSON does.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestEndpointsServeTheStore(t *testing.T) {
	ts := newTestServer(t, Options{Version: "test"})
	st := ts.store
	id := findIDs(t, st)
	call := func(v any, err error) any {
		if err != nil {
			t.Fatalf("store: %v", err)
		}
		return v
	}
	tests := []struct {
		name string
		path string
		want func() any
	}{
		{"healthz", "/api/healthz", func() any { return api.Health{Status: "ok", Version: "test", Seed: 42, Scale: 1} }},
		{"dashboard", "/api/dashboard", func() any { return st.Dashboard() }},
		{"experiments", "/api/experiments?sort=name&order=desc&limit=3", func() any {
			return call(st.Experiments(api.ListQuery{Sort: "name", Order: api.Desc, Limit: 3}))
		}},
		{"experiment", "/api/experiments/" + id.experiment, func() any { return call(st.Experiment(studio.ExperimentID(id.experiment))) }},
		{"experiment runs", "/api/experiments/" + id.experiment + "/runs?status=succeeded,failed", func() any {
			return call(st.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.DefaultListLimit}, Experiment: studio.ExperimentID(id.experiment),
				Status: []studio.RunStatus{studio.RunSucceeded, studio.RunFailed}}))
		}},
		{"runs", "/api/runs?limit=7&offset=3&sort=loss", func() any {
			return call(st.Runs(api.RunQuery{ListQuery: api.ListQuery{Sort: "loss", Limit: 7, Offset: 3}}))
		}},
		{"run", "/api/runs/" + id.run, func() any { return call(st.Run(studio.RunID(id.run))) }},
		{"logs", "/api/runs/" + id.run + "/logs?limit=500&from_seq=10", func() any {
			return call(st.Logs(studio.RunID(id.run), api.LogQuery{FromSeq: 10, Limit: 500}))
		}},
		{"logs tail", "/api/runs/" + id.run + "/logs?tail=20", func() any {
			return call(st.Logs(studio.RunID(id.run), api.LogQuery{FromSeq: -1, Tail: 20, Limit: api.DefaultLogLimit}))
		}},
		{"logs filtered", "/api/runs/" + id.run + "/logs?level=warn,error", func() any {
			return call(st.Logs(studio.RunID(id.run), api.LogQuery{FromSeq: -1, Limit: api.DefaultLogLimit, Level: []studio.LogLevel{studio.LevelWarn, studio.LevelError}}))
		}},
		{"log search", "/api/runs/" + id.run + "/logs/search?q=step", func() any {
			return call(st.SearchLogs(studio.RunID(id.run), api.LogSearchQuery{Q: "step", Limit: api.DefaultSearch}))
		}},
		{"metrics", "/api/runs/" + id.run + "/metrics?name=loss&max_points=100", func() any {
			return call(st.Metrics(studio.RunID(id.run), api.MetricQuery{Names: []string{"loss"}, To: -1, MaxPoints: 100}))
		}},
		{"run events", "/api/runs/" + id.run + "/events", func() any { return call(st.RunEvents(studio.RunID(id.run), api.EventQuery{})) }},
		{"models", "/api/registry/models", func() any { return call(st.Models(api.ListQuery{Limit: api.DefaultListLimit})) }},
		{"model", "/api/registry/models/" + id.model, func() any { return call(st.Model(studio.ModelID(id.model))) }},
		{"model versions", "/api/registry/models/" + id.model + "/versions", func() any { return call(st.ModelVersions(studio.ModelID(id.model))) }},
		{"deployments", "/api/deployments", func() any { return call(st.Deployments(api.ListQuery{Limit: api.DefaultListLimit})) }},
		{"deployment", "/api/deployments/" + id.deployment, func() any { return call(st.Deployment(studio.DeploymentID(id.deployment))) }},
		{"deployment events", "/api/deployments/" + id.deployment + "/events?lane=deploy,alert", func() any {
			return call(st.DeploymentEvents(studio.DeploymentID(id.deployment), api.EventQuery{Lanes: []studio.Lane{studio.LaneDeploy, studio.LaneAlert}}))
		}},
		{"traces", "/api/traces?limit=5", func() any { return call(st.Traces(api.ListQuery{Limit: 5})) }},
		{"trace", "/api/traces/" + id.trace, func() any { return call(st.Trace(studio.TraceID(id.trace))) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.do(t, http.MethodGet, tt.path, "", nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d %s; want 200", tt.path, resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q; want application/json", ct)
			}
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length = %q; body has %d bytes", cl, len(body))
			}
			if want := mustJSON(t, tt.want()); string(body) != want {
				t.Errorf("GET %s body differs from the store's answer\n got: %.300s\nwant: %.300s", tt.path, body, want)
			}
			// HEAD gives the same headers and no body.
			head, hb := ts.do(t, http.MethodHead, tt.path, "", nil)
			if head.StatusCode != http.StatusOK || len(hb) != 0 || head.Header.Get("Content-Length") != resp.Header.Get("Content-Length") {
				t.Errorf("HEAD %s = %d, %d body bytes, Content-Length %q; want 200, none, %q",
					tt.path, head.StatusCode, len(hb), head.Header.Get("Content-Length"), resp.Header.Get("Content-Length"))
			}
		})
	}
}

const validCreateBody = `{"experiment_id": %q, "name": "lr-sweep-7", "tags": ["sweep"],
 "config": {"model": "llama-3-8b", "dataset": "code-instruct-v4", "optimizer": "adamw", "learning_rate": 0.0003,
  "batch_size": 64, "epochs": 3, "gpus": 8, "warmup_steps": 100, "weight_decay": 0.01, "seed": 7, "precision": "bf16"}}`

func TestCreateRun(t *testing.T) {
	ts := newTestServer(t, Options{})
	id := findIDs(t, ts.store)
	body := fmt.Sprintf(validCreateBody, id.experiment)
	resp, b := ts.do(t, http.MethodPost, "/api/runs", "application/json; charset=UTF-8", strings.NewReader(body))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/runs = %d %s; want 201", resp.StatusCode, b)
	}
	var run studio.Run
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	if run.Status != studio.RunQueued || run.Name != "lr-sweep-7" || string(run.ExperimentID) != id.experiment {
		t.Errorf("created run = %+v; want queued lr-sweep-7 in %s", run, id.experiment)
	}
	loc := resp.Header.Get("Location")
	if loc != "/api/runs/"+string(run.ID) {
		t.Fatalf("Location = %q; want /api/runs/%s", loc, run.ID)
	}
	if resp, b := ts.do(t, http.MethodGet, loc, "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %s", loc, resp.StatusCode, b)
	}
	// The new run gets a producer right away: it starts running.
	waitFor(t, "the created run to start", func() bool {
		r, err := ts.store.Run(run.ID)
		return err == nil && r.Status == studio.RunRunning && r.StreamSeq > 0
	})
}

// conflictAction finds a deployment action that the seed-42 dataset
// rejects, by trying each on a throwaway store.
func conflictAction(t *testing.T) (studio.DeploymentID, studio.DeploymentAction) {
	t.Helper()
	st := store.New(synth.New(42, 1), store.Options{})
	deps, err := st.Deployments(api.ListQuery{Limit: api.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps.Items {
		for _, a := range []studio.DeploymentAction{studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident} {
			probe := store.New(synth.New(42, 1), store.Options{})
			if _, err := probe.Act(d.ID, a); studio.ErrorCode(err) == studio.CodeConflict {
				return d.ID, a
			}
		}
	}
	t.Fatal("no deployment action of the dataset is a conflict")
	return "", ""
}

func TestDeploymentActions(t *testing.T) {
	ts := newTestServer(t, Options{})
	depID, bad := conflictAction(t)
	resp, b := ts.do(t, http.MethodPost, "/api/deployments/"+string(depID)+"/"+string(bad), "", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("POST %s on %s = %d %s; want 409", bad, depID, resp.StatusCode, b)
	}
	// Some action is accepted: 200 with the deployment, and it shows up.
	for _, a := range []studio.DeploymentAction{studio.ActionSimulateIncident, studio.ActionAdvance, studio.ActionRollback} {
		for _, body := range []struct{ ct, body string }{{"", ""}, {"application/json", "{}"}} {
			before, _ := ts.store.Deployment(depID)
			resp, b := ts.do(t, http.MethodPost, "/api/deployments/"+string(depID)+"/"+string(a), body.ct, strings.NewReader(body.body))
			if resp.StatusCode == http.StatusConflict {
				continue
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("POST %s = %d %s; want 200 or 409", a, resp.StatusCode, b)
			}
			var d studio.Deployment
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			if len(d.History) != len(before.History)+1 {
				t.Errorf("history grew from %d to %d; want one entry per accepted action", len(before.History), len(d.History))
			}
			return
		}
	}
	t.Fatal("every action was a conflict")
}

func TestErrors(t *testing.T) {
	ts := newTestServer(t, Options{})
	id := findIDs(t, ts.store)
	depID, bad := conflictAction(t)
	run := "/api/runs/" + id.run
	big := strings.Repeat(" ", api.MaxBodyBytes+1)
	create := fmt.Sprintf(validCreateBody, id.experiment)
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        io.Reader
		wantStatus  int
		wantCode    studio.Code
		wantMsg     string
		wantAllow   string
	}{
		{"limit too big", "GET", "/api/experiments?limit=10001", "", nil, 400, studio.CodeInvalid, "limit must be between 1 and 10000", ""},
		{"negative offset", "GET", "/api/runs?offset=-1", "", nil, 400, studio.CodeInvalid, "offset must be between 0", ""},
		{"unknown sort", "GET", "/api/traces?sort=secret", "", nil, 400, studio.CodeInvalid, `unknown sort "secret"`, ""},
		{"unknown status", "GET", "/api/runs?status=x", "", nil, 400, studio.CodeInvalid, `unknown status "x": want one of queued, running`, ""},
		{"log limit too big", "GET", run + "/logs?limit=2001", "", nil, 400, studio.CodeInvalid, "limit must be between 1 and 2000", ""},
		{"cursor and tail", "GET", run + "/logs?cursor=c1&tail=5", "", nil, 400, studio.CodeInvalid, "use only one of", ""},
		{"forged cursor", "GET", run + "/logs?cursor=zzzz", "", nil, 400, studio.CodeInvalid, "cursor", ""},
		{"control character in q", "GET", run + "/logs?q=%1b", "", nil, 400, studio.CodeInvalid, "control characters", ""},
		{"search without q", "GET", run + "/logs/search", "", nil, 400, studio.CodeInvalid, "q is required", ""},
		{"unknown metric", "GET", run + "/metrics?name=secret", "", nil, 400, studio.CodeInvalid, `unknown metric "secret"`, ""},
		{"metric range reversed", "GET", run + "/metrics?from=9&to=1", "", nil, 400, studio.CodeInvalid, "must not be greater than", ""},
		{"unknown lane", "GET", run + "/events?lane=gossip", "", nil, 400, studio.CodeInvalid, `unknown lane "gossip"`, ""},
		{"bad id characters", "GET", "/api/runs/a%20b", "", nil, 400, studio.CodeInvalid, `invalid run id "a b"`, ""},
		{"dot dot id", "GET", "/api/runs/..", "", nil, 400, studio.CodeInvalid, `invalid run id ".."`, ""},
		{"encoded dot dot id", "GET", "/api/experiments/%2e%2e", "", nil, 400, studio.CodeInvalid, "invalid experiment id", ""},
		{"long id", "GET", "/api/traces/" + strings.Repeat("t", api.MaxIDLength+1), "", nil, 400, studio.CodeInvalid, "at most 128 characters", ""},
		{"experiment conflicts with path", "GET", "/api/experiments/" + id.experiment + "/runs?experiment=exp-other", "", nil, 400, studio.CodeInvalid, "conflicts", ""},
		{"unknown run", "GET", "/api/runs/run-999999", "", nil, 404, studio.CodeNotFound, "", ""},
		{"unknown run logs", "GET", "/api/runs/run-999999/logs", "", nil, 404, studio.CodeNotFound, "", ""},
		{"unknown experiment", "GET", "/api/experiments/exp-nope", "", nil, 404, studio.CodeNotFound, "", ""},
		{"unknown model", "GET", "/api/registry/models/mdl-nope/versions", "", nil, 404, studio.CodeNotFound, "", ""},
		{"unknown deployment", "POST", "/api/deployments/dep-nope/advance", "", nil, 404, studio.CodeNotFound, "", ""},
		{"unknown trace", "GET", "/api/traces/tr-nope", "", nil, 404, studio.CodeNotFound, "", ""},
		{"unknown route", "GET", "/api/nope", "", nil, 404, studio.CodeNotFound, `no route for GET "/api/nope"`, ""},
		{"api root", "GET", "/api", "", nil, 404, studio.CodeNotFound, "no route", ""},
		{"unknown sub-resource", "GET", run + "/secrets", "", nil, 404, studio.CodeNotFound, "no route", ""},
		{"encoded slash in id", "GET", "/api/runs/a%2Fb", "", nil, 404, studio.CodeNotFound, "no route", ""},
		{"double slash", "GET", "/api//runs", "", nil, 404, studio.CodeNotFound, "no route", ""},
		{"unknown ws route", "GET", "/ws/nope", "", nil, 404, studio.CodeNotFound, "no route", ""},
		{"no web handler", "GET", "/runs/run-0001", "", nil, 404, studio.CodeNotFound, "no route", ""},
		{"delete a run", "DELETE", run, "", nil, 405, studio.CodeMethodNotAllowed, "method DELETE not allowed on /api/runs/{id}", "GET, HEAD, OPTIONS"},
		{"put runs", "PUT", "/api/runs", "application/json", strings.NewReader(create), 405, studio.CodeMethodNotAllowed, "", "GET, HEAD, OPTIONS, POST"},
		{"get an action", "GET", "/api/deployments/" + id.deployment + "/advance", "", nil, 405, studio.CodeMethodNotAllowed, "", "OPTIONS, POST"},
		{"post to a stream", "POST", "/ws/runs/" + id.run, "", nil, 405, studio.CodeMethodNotAllowed, "", "GET, OPTIONS"},
		{"lowercase method", "get", "/api/healthz", "", nil, 405, studio.CodeMethodNotAllowed, "method (unknown) not allowed", "GET, HEAD, OPTIONS"},
		{"conflicting action", "POST", "/api/deployments/" + string(depID) + "/" + string(bad), "", nil, 409, studio.CodeConflict, "cannot", ""},
		{"body too large", "POST", "/api/runs", "application/json", strings.NewReader(big), 413, studio.CodeTooLarge, "request body exceeds 1048576 bytes", ""},
		{"chunked body too large", "POST", "/api/runs", "application/json", io.MultiReader(strings.NewReader(big)), 413, studio.CodeTooLarge, "exceeds", ""},
		{"action body too large", "POST", "/api/deployments/" + id.deployment + "/advance", "application/json", strings.NewReader(big), 413, studio.CodeTooLarge, "", ""},
		{"no content type", "POST", "/api/runs", "", strings.NewReader(create), 415, studio.CodeUnsupported, "missing content type", ""},
		{"text content type", "POST", "/api/runs", "text/plain", strings.NewReader(create), 415, studio.CodeUnsupported, `unsupported content type "text/plain"`, ""},
		{"form content type", "POST", "/api/runs", "application/x-www-form-urlencoded", strings.NewReader(create), 415, studio.CodeUnsupported, "", ""},
		{"latin-1 charset", "POST", "/api/runs", "application/json; charset=latin1", strings.NewReader(create), 415, studio.CodeUnsupported, `unsupported charset "latin1"`, ""},
		{"action body not json", "POST", "/api/deployments/" + id.deployment + "/advance", "text/plain", strings.NewReader("go"), 415, studio.CodeUnsupported, "", ""},
		{"empty body", "POST", "/api/runs", "application/json", nil, 400, studio.CodeInvalid, "request body is empty", ""},
		{"malformed json", "POST", "/api/runs", "application/json", strings.NewReader(`{"name":`), 400, studio.CodeInvalid, "truncated json", ""},
		{"unknown field", "POST", "/api/runs", "application/json", strings.NewReader(`{"name":"a","admin":true}`), 400, studio.CodeInvalid, `unknown field "admin"`, ""},
		{"wrong type", "POST", "/api/runs", "application/json", strings.NewReader(`{"config":{"gpus":"8"}}`), 400, studio.CodeInvalid, `field "config.gpus" must be an integer, got string`, ""},
		{"trailing data", "POST", "/api/runs", "application/json", strings.NewReader(`{} {}`), 400, studio.CodeInvalid, "unexpected data after the json object", ""},
		{"action with fields", "POST", "/api/deployments/" + id.deployment + "/advance", "application/json", strings.NewReader(`{"force":true}`), 400, studio.CodeInvalid, `unknown field "force"`, ""},
		{"invalid config", "POST", "/api/runs", "application/json", strings.NewReader(`{"experiment_id":"` + id.experiment + `","name":"x","config":{"learning_rate":5,"gpus":0}}`), 422, studio.CodeValidation, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := ts.do(t, tt.method, tt.path, tt.contentType, tt.body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("%s %s = %d %s; want %d", tt.method, tt.path, resp.StatusCode, b, tt.wantStatus)
			}
			e := checkErrorShape(t, resp, b)
			if e.Code != tt.wantCode || !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("error = %+v; want code %q with message containing %q", e, tt.wantCode, tt.wantMsg)
			}
			if tt.wantCode == studio.CodeValidation && len(e.Details) == 0 {
				t.Errorf("422 without field details: %s", b)
			}
			if got := resp.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q; want %q", got, tt.wantAllow)
			}
		})
	}
	if strings.Contains(ts.logs.String(), "level=ERROR") {
		t.Errorf("bad input was logged as a server error:\n%s", ts.logs)
	}
}

// checkErrorShape decodes an error body, failing unless it is exactly
// {"error":{"code":...,"message":...[,"details":[...]]}} with JSON headers.
func checkErrorShape(t *testing.T, resp *http.Response, body []byte) api.ErrorBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q; want application/json", ct)
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("error body %s is not {\"error\":{...}}: %v", body, err)
	}
	for k := range raw["error"] {
		if k != "code" && k != "message" && k != "details" {
			t.Errorf("error body has extra key %q: %s", k, body)
		}
	}
	var e api.ErrorResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error body %s lacks a code or message", body)
	}
	if strings.Contains(string(body), "goroutine ") || strings.Contains(string(body), ".go:") {
		t.Errorf("error body leaks internals: %s", body)
	}
	return e.Error
}

func TestEveryRouteAnswersMethodsWithAllow(t *testing.T) {
	ts := newTestServer(t, Options{})
	id := findIDs(t, ts.store)
	for _, rt := range ts.routes() {
		path := strings.ReplaceAll(rt.path, "{id}", id.run)
		var want []string
		for m := range rt.methods {
			want = append(want, m)
		}
		if _, ok := rt.methods[http.MethodGet]; ok && !rt.noHead {
			want = append(want, http.MethodHead)
		}
		want = append(want, http.MethodOptions)
		slices.Sort(want)
		allow := strings.Join(want, ", ")
		t.Run(rt.path, func(t *testing.T) {
			for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"} {
				if slices.Contains(want, m) && m != http.MethodOptions {
					continue
				}
				resp, b := ts.do(t, m, path, "", nil)
				if m == http.MethodOptions {
					if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Allow") != allow {
						t.Errorf("OPTIONS = %d, Allow %q; want 204, %q", resp.StatusCode, resp.Header.Get("Allow"), allow)
					}
					continue
				}
				if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != allow {
					t.Errorf("%s = %d, Allow %q; want 405, %q", m, resp.StatusCode, resp.Header.Get("Allow"), allow)
				}
				if m != http.MethodHead {
					if e := checkErrorShape(t, resp, b); e.Code != studio.CodeMethodNotAllowed {
						t.Errorf("%s: code %q; want method_not_allowed", m, e.Code)
					}
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<!doctype html>") })
	ts := newTestServer(t, Options{WebHandler: web})
	for _, path := range []string{"/api/healthz", "/api/nope", "/", "/runs/x"} {
		resp, b := ts.do(t, http.MethodGet, path, "", nil)
		if path == "/" && string(b) != "<!doctype html>" {
			t.Errorf("GET / = %q; want the web handler's page", b)
		}
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'",
			"connect-src 'self' ws://" + strings.TrimPrefix(ts.ts.URL, "http://"), "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("%s: CSP allows 'unsafe-eval': %q", path, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q; want %q", path, k, h.Get(k), v)
			}
		}
		if h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS header set without configuration", path)
		}
	}
}

func TestContentSecurityPolicyHost(t *testing.T) {
	tests := []struct {
		name, host string
		tls        bool
		want       string
	}{
		{"plain", "127.0.0.1:8080", false, "connect-src 'self' ws://127.0.0.1:8080;"},
		{"tls", "studio.example.com", true, "connect-src 'self' wss://studio.example.com;"},
		{"ipv6", "[::1]:8080", false, "connect-src 'self' ws://[::1]:8080;"},
		{"hostile host is not copied", "evil.com; script-src *", false, "connect-src 'self';"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Host = tt.host
			r.TLS = nil
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := ContentSecurityPolicy(r); !strings.Contains(got, tt.want) {
				t.Errorf("ContentSecurityPolicy(host %q) = %q; want it to contain %q", tt.host, got, tt.want)
			}
		})
	}
}

func TestPanicRecovery(t *testing.T) {
	logs := &syncBuffer{}
	s := &Server{log: slog.New(slog.NewTextHandler(logs, nil))}
	h := s.logRequests(s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom in handler")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d; want 500", rec.Code)
	}
	e := checkErrorShape(t, rec.Result(), rec.Body.Bytes())
	if e.Code != studio.CodeInternal || e.Message != "internal error" || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("body = %s; want only \"internal error\"", rec.Body)
	}
	out := logs.String()
	for _, want := range []string{"boom in handler", "stack=", "status=500", "path=/api/x"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestRequestLog(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.do(t, http.MethodGet, "/api/healthz", "", nil)
	ts.do(t, http.MethodGet, "/api/runs?limit=0", "", nil)
	out := ts.logs.String()
	for _, want := range []string{"method=GET path=/api/healthz status=200 duration=", "bytes=", "path=/api/runs status=400"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestStatusOfEveryCode(t *testing.T) {
	codes := []studio.Code{studio.CodeInvalid, studio.CodeNotFound, studio.CodeMethodNotAllowed, studio.CodeConflict,
		studio.CodeTooLarge, studio.CodeUnsupported, studio.CodeValidation, studio.CodeUnavailable, studio.CodeInternal}
	want := []int{400, 404, 405, 409, 413, 415, 422, 503, 500}
	for i, c := range codes {
		if got := statusFor(c); got != want[i] {
			t.Errorf("statusFor(%q) = %d; want %d", c, got, want[i])
		}
	}
	if got := statusFor("made_up"); got != 500 {
		t.Errorf("statusFor(unknown) = %d; want 500", got)
	}
}

func TestInternalErrorsAreHidden(t *testing.T) {
	logs := &syncBuffer{}
	s := &Server{log: slog.New(slog.NewTextHandler(logs, nil))}
	rec := httptest.NewRecorder()
	s.writeError(rec, httptest.NewRequest(http.MethodGet, "/api/x", nil), fmt.Errorf("db password is hunter2"))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "hunter2") {
		t.Fatalf("writeError(foreign error) = %d %s; want 500 without details", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "hunter2") {
		t.Errorf("the internal error was not logged: %s", logs)
	}
}

func TestEverySortIsServed(t *testing.T) {
	ts := newTestServer(t, Options{})
	lists := []struct {
		path  string
		sorts []string
	}{
		{"/api/experiments", api.ExperimentSorts},
		{"/api/runs", api.RunSorts},
		{"/api/registry/models", api.ModelSorts},
		{"/api/deployments", api.DeploymentSorts},
		{"/api/traces", api.TraceSorts},
	}
	for _, l := range lists {
		for _, sort := range l.sorts {
			for _, order := range []string{"asc", "desc"} {
				path := l.path + "?limit=3&sort=" + sort + "&order=" + order
				if resp, b := ts.do(t, http.MethodGet, path, "", nil); resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s = %d %s; want 200", path, resp.StatusCode, b)
				}
			}
		}
	}
}
