package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// hostileQueries are query strings that every GET route must answer with
// a 200 (the parameter does not apply there, or is valid) or a JSON 4xx:
// malformed and overflowing numbers, forged cursors, control characters,
// invalid UTF-8, bidi overrides, markup, path tricks, repeated and
// excessive parameters.
var hostileQueries = []string{
	"limit=-1", "limit=0", "limit=99999999999999999999", "limit=1e3", "limit=0x10", "limit=+5", "limit=%20%31",
	"limit=1&limit=5000", "offset=-9223372036854775809", "offset=9223372036854775807", "offset=2147483648",
	"cursor=zzzz", "cursor=c-1", "cursor=c" + strings.Repeat("z", 20), "cursor=" + strings.Repeat("c", 65),
	"cursor=..%2F..%2Fetc%2Fpasswd", "cursor=%00", "cursor=c1&cursor=c2",
	"from_seq=-2", "from_seq=18446744073709551616", "from_seq=9223372036854775807", "tail=-1", "tail=99999999999",
	"dir=sideways", "dir=backward&tail=3", "from_time=not-a-time", "from_time=9999-12-31T23:59:59Z",
	"from_time=0000-01-01T00:00:00Z", "from_time=2026-13-45T99:99:99Z",
	"max_points=-1", "max_points=0", "max_points=2147483648", "max_points=1", "from=-1", "to=-5", "from=5&to=1",
	"name=..%2F..%2Fsecret", "name=loss,loss,loss", "name=" + strings.Repeat("loss,", 40),
	"q=%00", "q=%1b%5b31m", "q=%ff%fe", "q=" + strings.Repeat("x", 300), "q=%E2%80%AE%E2%80%AD", "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	"q=%F0%9F%94%A5", "q=%5C%5C..%5C", "q=*", "q=(((", "q=%25",
	"status=%00", "status=running,done", "status=" + strings.Repeat("running,", 40), "level=" + strings.Repeat("warn,", 40),
	"level=%ff", "lane=%ff", "lane=deploy&lane=deploy",
	"sort=..%2F..%2Fetc%2Fpasswd", "sort=name%3Bdrop", "sort=name&sort=id", "order=sideways", "order=DESC",
	"experiment=..", "experiment=" + strings.Repeat("e", 200), "experiment=%2e%2e%2f",
	"since=-1", "since=99999999999999999999", "since=1.5", "since=",
	"unknown=1", strings.Repeat("x=1&", 2000) + "y=2",
}

// exportQueries are hostile values of the export routes' own parameters
// (sizes, smoothing, axes, themes, pins, report windows). The export routes
// get these and a sample of hostileQueries: a valid report is a full PDF
// render, too slow to repeat for every query that does not concern it.
var exportQueries = []string{
	"name=loss&width=-1", "name=loss&width=99999999999", "name=loss&height=0", "name=loss&smooth=NaN",
	"name=loss&smooth=1e309", "name=loss&log=maybe", "name=loss&x=..%2F", "name=loss&theme=%3Cscript%3E",
	"name=loss&width=1&width=2", "name=" + strings.Join(studio.MetricNames, ",") + ",loss,val_loss",
	"pins=" + strings.Repeat("ev-1,ev-2,ev-3,", 4), "pins=..", "pins=%00", "span=-1s", "span=99999h", "span=1ns",
	"from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z", "from=yesterday",
}

// isExportRoute reports whether a route path is one of package export's.
func isExportRoute(path string) bool {
	return strings.Contains(path, "/report.pdf") || strings.Contains(path, "/chart.")
}

// hostileIDs replace {id} in every route's path: traversal in plain and
// encoded forms, encoded slashes and NULs, Unicode, markup, header
// injection and a 10,000-byte id.
var hostileIDs = []string{
	"..", "%2e%2e", "%2E%2e", ".", "%2e", "a%2Fb", "..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cwindows", "%00", "run%000001",
	"%ff%fe", "%C3%A9t%C3%A9", "%E2%80%AEevil", "%3Cscript%3E", "run-0001%0D%0AX-Injected:%201", "%20", "~", "-",
	"run-99999999999999999999", "run--1", strings.Repeat("r", 10000),
}

// Statuses a hostile request may get. Anything else, in particular any
// 5xx, fails the test.
var hostileStatuses = map[int]bool{200: true, 201: true, 204: true, 400: true, 404: true, 405: true, 409: true, 413: true, 415: true, 422: true, 426: true}

// realPath substitutes a real id of the right kind for {id} in a route.
func (id ids) realPath(route string) string {
	v := id.run
	switch {
	case strings.HasPrefix(route, "/api/experiments/"):
		v = id.experiment
	case strings.HasPrefix(route, "/api/registry/models/"):
		v = id.model
	case strings.HasPrefix(route, "/api/deployments/"):
		v = id.deployment
	case strings.HasPrefix(route, "/api/traces/"):
		v = id.trace
	}
	return strings.ReplaceAll(strings.ReplaceAll(route, "{id}", v), "{format}", "svg")
}

// hostileClient sends raw request URIs, unmodified by url.URL's
// normalisation, with keep-alive so the test is fast. It is safe for
// concurrent use.
type hostileClient struct {
	ts     *testServer
	client *http.Client
}

func newHostileClient(ts *testServer) *hostileClient {
	return &hostileClient{ts: ts, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 20 * time.Second}}
}

// send sends method and the raw request URI with an optional body and
// checks the answer: a status in hostileStatuses and, for an error, the
// JSON error shape. It returns the status (0 when the request failed) and
// the error body. It reports failures with t.Errorf, so it may run in any
// goroutine.
func (c *hostileClient) send(t *testing.T, method, rawURI, contentType string, body []byte) (int, api.ErrorBody) {
	t.Helper()
	u, _ := url.Parse(c.ts.ts.URL)
	req := &http.Request{
		Method: method, URL: &url.URL{Scheme: u.Scheme, Host: u.Host, Opaque: rawURI},
		Header: http.Header{}, Host: u.Host, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		t.Errorf("%s %.120s: %v", method, rawURI, err)
		return 0, api.ErrorBody{}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("%s %.120s: read body: %v", method, rawURI, err)
		return 0, api.ErrorBody{}
	}
	if !hostileStatuses[resp.StatusCode] {
		t.Errorf("%s %.120s = %d %.300s; want 2xx or a 4xx", method, rawURI, resp.StatusCode, b)
		return resp.StatusCode, api.ErrorBody{}
	}
	if resp.StatusCode >= 400 && method != http.MethodHead {
		return resp.StatusCode, errorShape(t, resp, b)
	}
	return resp.StatusCode, api.ErrorBody{}
}

// errorShape is checkErrorShape for any goroutine: it reports with
// t.Errorf and returns the zero ErrorBody when the body is not the JSON
// error shape.
func errorShape(t *testing.T, resp *http.Response, body []byte) api.ErrorBody {
	t.Helper()
	var e api.ErrorResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type = %q; want application/json", resp.Request.Method, resp.Request.URL, ct)
	}
	if err := dec.Decode(&e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("%s %s: error body %.200s is not {\"error\":{\"code\",\"message\"}}: %v", resp.Request.Method, resp.Request.URL, body, err)
		return api.ErrorBody{}
	}
	return e.Error
}

// TestHostileQueriesOnEveryRoute sends every hostile query string to
// every GET route, and every hostile id to every route with an {id}, with
// each of its methods. None may give a 5xx or a non-JSON error, the
// server must log no error, and no goroutine may be left behind.
func TestHostileQueriesOnEveryRoute(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: time.Hour})
	id := findIDs(t, ts.store)
	// The smallest finished run: the queries that are valid for a route
	// (and so served in full) stay cheap; parsing does not depend on size.
	id.run = smallestFinishedRun(t, ts)
	c := newHostileClient(ts)
	c.send(t, http.MethodGet, "/api/healthz", "", nil) // warm up the connection pool
	before := settledGoroutines()

	// Four routes at a time: the requests of one route run in order.
	var requests atomic.Int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, rt := range ts.routes() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, ok := rt.methods[http.MethodGet]; ok {
				queries := hostileQueries
				if isExportRoute(rt.path) {
					queries = slices.Clone(exportQueries)
					for i := 0; i < len(hostileQueries); i += 10 {
						queries = append(queries, hostileQueries[i])
					}
				}
				for _, q := range queries {
					c.send(t, http.MethodGet, id.realPath(rt.path)+"?"+q, "", nil)
					requests.Add(1)
				}
			}
			if !strings.Contains(rt.path, "{id}") {
				return
			}
			for _, hid := range hostileIDs {
				p := strings.ReplaceAll(strings.ReplaceAll(rt.path, "{id}", hid), "{format}", "svg")
				decoded, _ := url.PathUnescape(hid)
				for m := range rt.methods {
					status, e := c.send(t, m, p, "", nil)
					requests.Add(1)
					if status != 0 && status < 400 {
						t.Errorf("%s %.80s = %d; want a 4xx for a hostile id", m, p, status)
					} else if api.ValidateID("", decoded) != nil && status == 400 && !strings.Contains(e.Message, "id") {
						t.Errorf("%s %.80s: 400 %q does not mention the id", m, p, e.Message)
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d hostile requests", requests.Load())
	if strings.Contains(ts.logs.String(), "level=ERROR") {
		t.Errorf("hostile input was logged as a server error:\n%.2000s", ts.logs)
	}
	c.client.CloseIdleConnections()
	if after := settledGoroutines(); after > before+2 {
		t.Errorf("goroutines: %d before the hostile requests, %d after", before, after)
	}
}

// smallestFinishedRun returns the finished run with the fewest steps.
func smallestFinishedRun(t *testing.T, ts *testServer) string {
	t.Helper()
	runs, err := ts.store.Runs(api.RunQuery{ListQuery: api.ListQuery{Sort: "steps", Limit: api.MaxListLimit},
		Status: []studio.RunStatus{studio.RunSucceeded, studio.RunFailed}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs.Items {
		if r.Steps > 0 && r.LogCount > 0 {
			return string(r.ID)
		}
	}
	t.Fatal("no finished run with steps and logs")
	return ""
}

// TestHostileRequests checks the exact answer to hostile requests that
// have one right status and message.
func TestHostileRequests(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: time.Hour})
	id := findIDs(t, ts.store)
	c := newHostileClient(ts)
	run := "/api/runs/" + id.run
	act := "/api/deployments/" + id.deployment + "/advance"
	deep := `{"tags":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}`
	tests := []struct {
		name        string
		method, uri string
		contentType string
		body        string
		wantStatus  int
		wantCode    studio.Code
		wantMsg     string
	}{
		{"bad percent escape in a query", "GET", "/api/runs?limit=%zz", "", "", 400, studio.CodeInvalid, "malformed query string"},
		{"semicolon separator in a query", "GET", "/api/experiments?limit=5;offset=-1", "", "", 400, studio.CodeInvalid, "malformed query string"},
		{"bad escape in a stream query", "GET", "/ws/runs/" + id.liveRun + "?since=%g0", "", "", 400, studio.CodeInvalid, "malformed query string"},
		{"limit overflows int64", "GET", "/api/runs?limit=99999999999999999999", "", "", 400, studio.CodeInvalid, "limit must be between 1 and 10000"},
		{"offset below int64", "GET", "/api/traces?offset=-9223372036854775809", "", "", 400, studio.CodeInvalid, "offset must be between 0"},
		{"from_seq overflows", "GET", run + "/logs?from_seq=18446744073709551616", "", "", 400, studio.CodeInvalid, "from_seq"},
		{"max_points overflows", "GET", run + "/metrics?max_points=99999999999999999999", "", "", 400, studio.CodeInvalid, "max_points"},
		{"cursor with a NUL", "GET", run + "/logs?cursor=c1%00", "", "", 400, studio.CodeInvalid, "invalid cursor"},
		{"cursor beyond the log", "GET", run + "/logs?cursor=c" + strings.Repeat("z", 12), "", "", 400, studio.CodeInvalid, "cursor"},
		{"invalid utf-8 in q", "GET", "/api/runs?q=%ff%fe", "", "", 400, studio.CodeInvalid, "valid utf-8"},
		{"escape sequence in q", "GET", run + "/logs/search?q=%1b%5b2J", "", "", 400, studio.CodeInvalid, "control characters"},
		{"repeated limit", "GET", "/api/runs?limit=1&limit=5000", "", "", 400, studio.CodeInvalid, "limit given 2 times"},
		{"since with a fraction", "GET", "/ws/runs/" + id.liveRun + "?since=1.5", "", "", 400, studio.CodeInvalid, "since"},
		{"encoded traversal id", "GET", "/api/runs/%2e%2e/logs", "", "", 400, studio.CodeInvalid, `invalid run id ".."`},
		{"backslash traversal id", "GET", "/api/traces/..%5C..%5Cwin.ini", "", "", 400, studio.CodeInvalid, "invalid trace id"},
		{"NUL in an id", "GET", "/api/experiments/exp%0001", "", "", 400, studio.CodeInvalid, "invalid experiment id"},
		{"unicode id", "GET", "/api/registry/models/%C3%A9t%C3%A9", "", "", 400, studio.CodeInvalid, "invalid model id"},
		{"10,000-byte id", "GET", "/api/runs/" + strings.Repeat("r", 10000), "", "", 400, studio.CodeInvalid, "at most 128 characters"},
		{"traversal to another route", "GET", "/api/runs/../healthz", "", "", 404, studio.CodeNotFound, "no route"},
		{"dot segment", "GET", "/api/./runs", "", "", 404, studio.CodeNotFound, "no route"},
		{"trailing slash", "GET", "/api/runs/", "", "", 404, studio.CodeNotFound, "no route"},
		{"encoded slash in an action id", "POST", "/api/deployments/a%2Fb/advance", "", "", 404, studio.CodeNotFound, "no route"},
		{"truncated json", "POST", "/api/runs", "application/json", `{"experiment_id": "exp-01", "name": "a`, 400, studio.CodeInvalid, "truncated json"},
		{"top-level array", "POST", "/api/runs", "application/json", `[{"name":"a"}]`, 400, studio.CodeInvalid, "json object"},
		{"top-level string", "POST", "/api/runs", "application/json", `"run"`, 400, studio.CodeInvalid, "json object"},
		{"integer out of range", "POST", "/api/runs", "application/json", `{"config":{"gpus":99999999999999999999}}`, 400, studio.CodeInvalid, `"config.gpus" is out of range`},
		{"float out of range", "POST", "/api/runs", "application/json", `{"config":{"learning_rate":1e400}}`, 400, studio.CodeInvalid, "config.learning_rate"},
		{"negative out of range", "POST", "/api/runs", "application/json", `{"config":{"epochs":-9223372036854775809}}`, 400, studio.CodeInvalid, "config.epochs"},
		{"fraction for an integer", "POST", "/api/runs", "application/json", `{"config":{"batch_size":1.5}}`, 400, studio.CodeInvalid, "must be an integer"},
		{"string for a number", "POST", "/api/runs", "application/json", `{"config":{"learning_rate":"0.1"}}`, 400, studio.CodeInvalid, "must be a number, got string"},
		{"object for a string", "POST", "/api/runs", "application/json", `{"name":{"$gt":""}}`, 400, studio.CodeInvalid, `"name" must be a string`},
		{"prototype pollution key", "POST", "/api/runs", "application/json", `{"__proto__":{"admin":true}}`, 400, studio.CodeInvalid, `unknown field "__proto__"`},
		{"case-folded key", "POST", "/api/runs", "application/json", `{"Name":"a"}`, 400, studio.CodeInvalid, `unknown field "Name"`},
		{"repeated key", "POST", "/api/runs", "application/json", `{"name":"a","name":"b"}`, 400, studio.CodeInvalid, `"name"`},
		{"byte order mark", "POST", "/api/runs", "application/json", "\ufeff{}", 400, studio.CodeInvalid, "malformed json"},
		{"invalid utf-8 in a string", "POST", "/api/runs", "application/json", "{\"name\":\"\xff\xfe\"}", 422, studio.CodeValidation, ""},
		{"NUL in a name", "POST", "/api/runs", "application/json", `{"experiment_id":"` + id.experiment + `","name":"a\u0000b"}`, 422, studio.CodeValidation, ""},
		{"200,000 nested arrays", "POST", "/api/runs", "application/json", deep, 400, studio.CodeInvalid, ""},
		{"json for a form", "POST", "/api/runs", "multipart/form-data; boundary=x", "--x--", 415, studio.CodeUnsupported, "multipart/form-data"},
		{"utf-16 charset", "POST", "/api/runs", "application/json; charset=utf-16", "{}", 415, studio.CodeUnsupported, `unsupported charset "utf-16"`},
		{"content type with garbage", "POST", "/api/runs", "application/json;;;=", "{}", 415, studio.CodeUnsupported, "unsupported content type"},
		{"action body truncated", "POST", act, "application/json", `{`, 400, studio.CodeInvalid, "truncated json"},
		{"action body an array", "POST", act, "application/json", `[]`, 400, studio.CodeInvalid, "json object"},
		{"action body null", "POST", act, "application/json", `null`, 400, studio.CodeInvalid, "json object"},
		{"action form post", "POST", act, "application/x-www-form-urlencoded", "force=1", 415, studio.CodeUnsupported, ""},
		{"wrong method on an action", "PUT", act, "", "", 405, studio.CodeMethodNotAllowed, "use OPTIONS, POST"},
		{"unknown export format", "GET", run + "/metrics/chart.exe?name=loss", "", "", 404, studio.CodeNotFound, `unknown chart format "exe"`},
		{"NUL after an export format", "GET", run + "/metrics/chart.svg%00?name=loss", "", "", 404, studio.CodeNotFound, "unknown chart format"},
		{"made-up method", "BREW", "/api/runs", "", "", 405, studio.CodeMethodNotAllowed, "method BREW not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			status, e := c.send(t, tt.method, tt.uri, tt.contentType, body)
			if status != tt.wantStatus || e.Code != tt.wantCode || !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("%s %.80s = %d %+v; want %d %s with a message containing %q", tt.method, tt.uri, status, e, tt.wantStatus, tt.wantCode, tt.wantMsg)
			}
		})
	}
	if strings.Contains(ts.logs.String(), "level=ERROR") {
		t.Errorf("hostile input was logged as a server error:\n%.2000s", ts.logs)
	}
}

// rawExchange writes req on a fresh TCP connection to ts and returns the
// status line and body of the answer (the connection is closed after).
func rawExchange(t *testing.T, ts *testServer, req string) (status int, body string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	if cw, ok := conn.(*net.TCPConn); ok {
		cw.CloseWrite() // the body ends here, whatever it announced
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response to %.60q: %v", req, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		checkErrorShape(t, resp, b)
	}
	return resp.StatusCode, string(b)
}

// TestHostileBodies sends bodies that lie about their length or their
// chunking over raw TCP: each gets a 4xx, never a 5xx or a hang.
func TestHostileBodies(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: time.Hour})
	tests := []struct {
		name       string
		req        string
		wantStatus int
		wantMsg    string
	}{
		{"body shorter than announced", "POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":", 400, "ended before its announced length"},
		{"announced body too large", "POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{}", 413, "request body exceeds"},
		{"bad chunk size", "POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "could not read request body"},
		{"chunked body cut short", "POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"na", 400, ""},
		{"action body shorter than announced", "POST /api/deployments/dep-x/advance HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{", 400, "ended before its announced length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawExchange(t, ts, tt.req)
			if status != tt.wantStatus || !strings.Contains(body, tt.wantMsg) {
				t.Errorf("status %d %s; want %d with %q", status, body, tt.wantStatus, tt.wantMsg)
			}
		})
	}
}

// TestStreamHandshakeErrorsAreJSON sends WebSocket upgrades that the
// protocol forbids: each gets the status coder/websocket would give, but
// as a JSON error, and no connection is admitted.
func TestStreamHandshakeErrorsAreJSON(t *testing.T) {
	src := newFakeSource(1, 0, 16, "run-a")
	s, ts := newStreamServer(t, src, Options{TickInterval: time.Hour})
	base := http.Header{"Connection": {"Upgrade"}, "Upgrade": {"websocket"}, "Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}}
	tests := []struct {
		name        string
		edit        func(h http.Header)
		proto10     bool
		wantStatus  int
		wantCode    studio.Code
		wantMsg     string
		wantVersion bool
	}{
		{"old protocol version", func(h http.Header) { h.Set("Sec-Websocket-Version", "8") }, false, 400, studio.CodeInvalid, `unsupported websocket version "8"`, true},
		{"no version", func(h http.Header) { h.Del("Sec-Websocket-Version") }, false, 400, studio.CodeInvalid, "unsupported websocket version", true},
		{"no key", func(h http.Header) { h.Del("Sec-Websocket-Key") }, false, 400, studio.CodeInvalid, "Sec-WebSocket-Key", false},
		{"key not base64", func(h http.Header) { h.Set("Sec-Websocket-Key", "<script>") }, false, 400, studio.CodeInvalid, "Sec-WebSocket-Key", false},
		{"key of the wrong size", func(h http.Header) { h.Set("Sec-Websocket-Key", "c2hvcnQ=") }, false, 400, studio.CodeInvalid, "Sec-WebSocket-Key", false},
		{"two keys", func(h http.Header) { h.Add("Sec-Websocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") }, false, 400, studio.CodeInvalid, "Sec-WebSocket-Key", false},
		{"http/1.0", func(h http.Header) {}, true, 426, codeUpgradeRequired, "HTTP/1.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := base.Clone()
			tt.edit(h)
			var b strings.Builder
			proto := "HTTP/1.1"
			if tt.proto10 {
				proto = "HTTP/1.0"
			}
			fmt.Fprintf(&b, "GET /ws/runs/run-a %s\r\nHost: %s\r\n", proto, strings.TrimPrefix(ts.URL, "http://"))
			h.Write(&b)
			b.WriteString("\r\n")
			conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(conn, b.String())
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d %s; want %d", resp.StatusCode, body, tt.wantStatus)
			}
			e := checkErrorShape(t, resp, body)
			if e.Code != tt.wantCode || !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("error = %+v; want %s containing %q", e, tt.wantCode, tt.wantMsg)
			}
			if got := resp.Header.Get("Sec-Websocket-Version"); tt.wantVersion && got != "13" {
				t.Errorf("Sec-WebSocket-Version = %q; want 13 (RFC 6455 §4.4)", got)
			}
		})
	}
	if n := s.hub.count(); n != 0 {
		t.Errorf("%d connections admitted by bad handshakes", n)
	}
}

// TestStreamConnectionFlood opens five times MaxConns streams at once:
// exactly MaxConns are admitted, the rest get a JSON 503, and once the
// clients leave no connection and no goroutine is left.
func TestStreamConnectionFlood(t *testing.T) {
	const maxConns, clients = 20, 100
	src := newFakeSource(1, 0, 64, "run-a", "run-b")
	s, ts := newStreamServer(t, src, Options{MaxConns: maxConns, TickInterval: 50 * time.Millisecond})
	warm := dial(t, ts, "/ws/runs/run-a")
	readHello(t, warm)
	warm.Close(websocket.StatusNormalClosure, "")
	waitFor(t, "the warm-up stream to be released", func() bool { return s.hub.count() == 0 })
	http.DefaultClient.CloseIdleConnections()
	before := settledGoroutines()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var (
		mu       sync.Mutex
		conns    []*websocket.Conn
		refused  int
		failures []string
		start    = make(chan struct{})
		wg       sync.WaitGroup
	)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			path := "/ws/runs/run-a"
			if i%2 == 1 {
				path = "/ws/runs/run-b"
			}
			c, resp, err := websocket.Dial(ctx, wsURL(ts, path), nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				conns = append(conns, c)
			case resp != nil && resp.StatusCode == http.StatusServiceUnavailable:
				refused++
				b, _ := io.ReadAll(resp.Body)
				if !strings.Contains(string(b), `"code":"unavailable"`) || !strings.Contains(string(b), "too many open streams") {
					failures = append(failures, fmt.Sprintf("503 body %s", b))
				}
			default:
				failures = append(failures, fmt.Sprintf("dial: %v", err))
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if len(conns) != maxConns || refused != clients-maxConns {
		t.Errorf("%d admitted, %d refused with 503; want %d and %d", len(conns), refused, maxConns, clients-maxConns)
	}
	// The admitted streams work: each gets its hello and live messages.
	for _, c := range conns {
		c.SetReadLimit(1 << 20)
		h := readHello(t, c)
		readN(t, c, h.Seq, 1)
	}
	for i, c := range conns {
		if i%2 == 0 {
			c.Close(websocket.StatusNormalClosure, "")
		} else {
			c.CloseNow()
		}
	}
	waitFor(t, "every stream to be released", func() bool { return s.hub.count() == 0 })
	http.DefaultClient.CloseIdleConnections()
	if after := settledGoroutines(); after > before+2 {
		t.Errorf("goroutines: %d before the flood, %d after", before, after)
	}
}

// TestNoCORSForCrossOriginRequests checks that another origin gets no
// CORS grant: not on a simple GET, not on a preflight, not on an error.
func TestNoCORSForCrossOriginRequests(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: time.Hour})
	id := findIDs(t, ts.store)
	tests := []struct {
		name   string
		method string
		path   string
		header http.Header
	}{
		{"simple get", "GET", "/api/runs?limit=1", http.Header{"Origin": {"https://evil.test"}}},
		{"get with credentials", "GET", "/api/deployments", http.Header{"Origin": {"https://evil.test"}, "Cookie": {"a=b"}}},
		{"null origin", "GET", "/api/dashboard", http.Header{"Origin": {"null"}}},
		{"error response", "GET", "/api/runs/nope", http.Header{"Origin": {"https://evil.test"}}},
		{"preflight for a post", "OPTIONS", "/api/deployments/" + id.deployment + "/rollback", http.Header{
			"Origin": {"https://evil.test"}, "Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"content-type"}}},
		{"preflight for a run", "OPTIONS", "/api/runs", http.Header{"Origin": {"https://evil.test"}, "Access-Control-Request-Method": {"POST"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, ts.ts.URL+tt.path, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			resp, err := ts.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k := range resp.Header {
				if strings.HasPrefix(http.CanonicalHeaderKey(k), "Access-Control-") {
					t.Errorf("%s %s answered %s: %q; want no CORS header", tt.method, tt.path, k, resp.Header.Get(k))
				}
			}
		})
	}
}

// TestCrossSiteWritesAreRefused checks that a page on another site cannot
// change state through the user's browser (CSRF): a form post or a no-cors
// fetch to a deployment action or to POST /api/runs gets a JSON 403 and
// changes nothing, while same-origin pages and non-browser clients pass.
func TestCrossSiteWritesAreRefused(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: time.Hour, AllowedOrigins: []string{"https://*.trusted.test"}})
	id := findIDs(t, ts.store)
	host := strings.TrimPrefix(ts.ts.URL, "http://")
	action := "/api/deployments/" + id.deployment + "/simulate-incident"
	tests := []struct {
		name        string
		path        string
		contentType string
		body        string
		header      http.Header
		wantStatus  int
	}{
		{"cross-site form post", action, "application/x-www-form-urlencoded", "", http.Header{"Origin": {"https://evil.test"}, "Sec-Fetch-Site": {"cross-site"}}, 403},
		{"cross-site no-cors fetch", action, "", "", http.Header{"Origin": {"https://evil.test"}, "Sec-Fetch-Site": {"cross-site"}}, 403},
		{"same-site page on another port", action, "", "", http.Header{"Origin": {"http://127.0.0.1:1"}, "Sec-Fetch-Site": {"same-site"}}, 403},
		{"old browser, foreign origin", action, "", "", http.Header{"Origin": {"https://evil.test"}}, 403},
		{"opaque origin", action, "", "", http.Header{"Origin": {"null"}}, 403},
		{"cross-site run creation", "/api/runs", "text/plain", "{}", http.Header{"Origin": {"https://evil.test"}, "Sec-Fetch-Site": {"cross-site"}}, 403},
		{"cross-site without an origin", action, "", "", http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403},
		{"allowed origin pattern", action, "", "", http.Header{"Origin": {"https://app.trusted.test"}, "Sec-Fetch-Site": {"cross-site"}}, 0},
		{"same-origin page", action, "", "", http.Header{"Origin": {"http://" + host}, "Sec-Fetch-Site": {"same-origin"}}, 0},
		{"old browser, same origin", action, "", "", http.Header{"Origin": {"http://" + host}}, 0},
		{"typed into the address bar", action, "", "", http.Header{"Sec-Fetch-Site": {"none"}}, 0},
		{"curl", action, "", "", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := ts.store.Deployment(studio.DeploymentID(id.deployment))
			runsBefore, _ := ts.store.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
			req, _ := http.NewRequest(http.MethodPost, ts.ts.URL+tt.path, strings.NewReader(tt.body))
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := ts.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if tt.wantStatus == 403 {
				if resp.StatusCode != 403 {
					t.Fatalf("status = %d %s; want 403", resp.StatusCode, b)
				}
				if e := checkErrorShape(t, resp, b); e.Code != codeForbidden || !strings.Contains(e.Message, "cross-site") {
					t.Errorf("error = %+v; want forbidden, cross-site", e)
				}
				after, _ := ts.store.Deployment(studio.DeploymentID(id.deployment))
				runsAfter, _ := ts.store.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
				if len(after.History) != len(before.History) || runsAfter.Total != runsBefore.Total {
					t.Errorf("a refused request changed state: history %d -> %d, runs %d -> %d",
						len(before.History), len(after.History), runsBefore.Total, runsAfter.Total)
				}
				return
			}
			if resp.StatusCode == 403 {
				t.Errorf("status = 403 %s; want the request to reach its handler", b)
			}
		})
	}
	// Reads stay open to every origin: they are not CORS-readable anyway.
	req, _ := http.NewRequest(http.MethodGet, ts.ts.URL+"/api/deployments/"+id.deployment, nil)
	req.Header.Set("Origin", "https://evil.test")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := ts.ts.Client().Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("cross-site GET = %v, %v; want 200", resp.StatusCode, err)
	}
}

// FuzzDeploymentActionHandler posts fuzzed bodies with fuzzed content
// types to the three deployment actions: the answer is 200, 409 or a JSON
// 4xx, and a rejected request leaves the deployment unchanged. Its corpus
// is in testdata/fuzz/FuzzDeploymentActionHandler.
func FuzzDeploymentActionHandler(f *testing.F) {
	ts := fuzzServer(f)
	id := findIDs(f, ts.store)
	seeds := []struct {
		action uint8
		body   string
		ct     string
	}{
		{0, "", ""}, {1, "{}", "application/json"}, {2, " \n\t", ""}, {0, `{"force":true}`, "application/json"},
		{1, "{", "application/json"}, {2, "null", "application/json"}, {0, "[]", "application/json"},
		{1, "force=1", "application/x-www-form-urlencoded"}, {2, "{}", "text/plain"}, {0, "{} {}", "application/json"},
		{1, `{"":{}}`, "application/json; charset=utf-8"}, {2, "\xef\xbb\xbf{}", "application/json"},
	}
	for _, s := range seeds {
		f.Add(s.action, []byte(s.body), s.ct)
	}
	actions := []string{"advance", "rollback", "simulate-incident"}
	f.Fuzz(func(t *testing.T, action uint8, body []byte, contentType string) {
		before, _ := ts.store.Deployment(studio.DeploymentID(id.deployment))
		req := httptest.NewRequest(http.MethodPost, "/api/deployments/"+id.deployment+"/"+actions[int(action)%len(actions)], bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := ts.serve(req)
		checkFuzzResponse(t, "POST action", rec, 200, 400, 409, 413, 415)
		if rec.Code != http.StatusOK {
			after, _ := ts.store.Deployment(studio.DeploymentID(id.deployment))
			if len(after.History) != len(before.History) {
				t.Fatalf("a %d answer changed the deployment's history from %d to %d entries", rec.Code, len(before.History), len(after.History))
			}
		}
	})
}

// FuzzStreamHandshake opens /ws/runs/{id} over TCP with fuzzed ?since=,
// Origin, Sec-WebSocket-Version and Sec-WebSocket-Key: the answer is a 101
// or a JSON 4xx (or 503), or net/http's own 400 for a request it cannot
// parse, never anything else. Its corpus is in
// testdata/fuzz/FuzzStreamHandshake.
func FuzzStreamHandshake(f *testing.F) {
	src := newFakeSource(1, 0, 64, "run-a")
	_, ts := newStreamServerTB(f, src, Options{TickInterval: time.Hour})
	host := strings.TrimPrefix(ts.URL, "http://")
	key := "dGhlIHNhbXBsZSBub25jZQ=="
	for _, seed := range []struct{ since, origin, version, key string }{
		{"", "", "13", key}, {"0", "http://" + host, "13", key}, {"-1", "", "13", key}, {"99999999999999999999", "", "13", key},
		{"1.5", "", "13", key}, {"%zz", "", "13", key}, {"0", "https://evil.test", "13", key}, {"0", "null", "13", key},
		{"", "", "8", key}, {"", "", "13", "short"}, {"", "", "13", ""}, {"3&since=4", "", "13", key},
	} {
		f.Add(seed.since, seed.origin, seed.version, seed.key)
	}
	f.Fuzz(func(t *testing.T, since, origin, version, key string) {
		for _, v := range []string{since, origin, version, key} {
			if strings.ContainsAny(v, "\r\n\x00") || len(v) > 1000 {
				return // not expressible as one header or request line
			}
		}
		uri := "/ws/runs/run-a"
		if since != "" {
			if strings.ContainsAny(since, " #\t") {
				return
			}
			uri += "?since=" + since
		}
		var b strings.Builder
		fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n", uri, host)
		for k, v := range map[string]string{"Origin": origin, "Sec-WebSocket-Version": version, "Sec-WebSocket-Key": key} {
			if v != "" {
				fmt.Fprintf(&b, "%s: %s\r\n", k, v)
			}
		}
		b.WriteString("\r\n")
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(conn, b.String())
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("GET %q: %v", uri, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusSwitchingProtocols {
			return
		}
		body, _ := io.ReadAll(resp.Body)
		switch resp.StatusCode {
		case 400, 403, 426, 503:
		default:
			t.Fatalf("GET %q (origin %q, version %q, key %q) = %d %s", uri, origin, version, key, resp.StatusCode, body)
		}
		if resp.StatusCode != 400 || resp.Header.Get("Content-Type") == "application/json" {
			errorShape(t, resp, body)
		} else if !strings.Contains(string(body), "Bad Request") {
			t.Fatalf("GET %q = 400 %q; want a JSON error or net/http's own 400 for a malformed request", uri, body)
		}
	})
}

// newStreamServerTB is newStreamServer for fuzz targets and benchmarks.
func newStreamServerTB(tb testing.TB, src runSource, opts Options) (*Server, *httptest.Server) {
	tb.Helper()
	s := newServer(nil, src, opts)
	ts := httptest.NewServer(s.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
		ts.Close()
	})
	return s, ts
}
