package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// fuzzServer is a Server for fuzz targets, called through its Handler
// without a network. Created runs never tick (a one-hour cadence).
func fuzzServer(f *testing.F) *testServer {
	f.Helper()
	return newTestServer(f, Options{TickInterval: time.Hour})
}

// serve sends req through the full handler and returns the recorded response.
func (ts *testServer) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	ts.Handler().ServeHTTP(rec, req)
	return rec
}

// checkFuzzResponse fails if a response is a server error or, for an
// error status, not the JSON error shape.
func checkFuzzResponse(t *testing.T, what string, rec *httptest.ResponseRecorder, allowed ...int) {
	t.Helper()
	if !slices.Contains(allowed, rec.Code) {
		t.Fatalf("%s = %d %s; want one of %v", what, rec.Code, rec.Body, allowed)
	}
	if rec.Code >= 400 {
		checkErrorShape(t, rec.Result(), rec.Body.Bytes())
	}
}

func FuzzCreateRunHandler(f *testing.F) {
	ts := fuzzServer(f)
	id := findIDs(f, ts.store)
	valid := strings.Replace(validCreateBody, "%q", `"`+id.experiment+`"`, 1)
	seeds := []struct{ body, ct string }{
		{valid, "application/json"},
		{valid, "application/json; charset=utf-8"},
		{valid, "text/plain"},
		{valid, ""},
		{`{"experiment_id":"exp-01","name":"<script>alert(1)</script>","config":{"learning_rate":1e-4,"batch_size":1,"epochs":1,"gpus":1}}`, "application/json"},
		{`{"config":{"learning_rate":-1,"gpus":100000}}`, "application/json"},
		{`{"name":"a","name":"b"}`, "application/json"},
		{`{"tags":[` + strings.Repeat(`"t",`, 100) + `"t"]}`, "application/json"},
		{`[`, "application/json"},
		{"\x00\xff", "application/json"},
		{`{"experiment_id":"` + strings.Repeat("e", 300) + `"}`, "application/json"},
		{valid, "application/json; charset"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.ct)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/api/runs", bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := ts.serve(req)
		checkFuzzResponse(t, "POST /api/runs", rec, 201, 400, 413, 415, 422)
	})
}

func FuzzListHandlers(f *testing.F) {
	ts := fuzzServer(f)
	for _, tt := range []string{"limit=5&offset=2", "sort=name&order=desc", "q=%00", "status=running", "limit=-1", "sort=loss", "experiment=exp-01"} {
		f.Add(uint8(0), tt)
		f.Add(uint8(1), tt)
	}
	paths := []string{"/api/runs", "/api/experiments", "/api/registry/models", "/api/deployments", "/api/traces", "/api/dashboard", "/api/experiments/exp-01/runs"}
	f.Fuzz(func(t *testing.T, which uint8, rawQuery string) {
		p := paths[int(which)%len(paths)]
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL = &url.URL{Path: p, RawQuery: rawQuery}
		req.RequestURI = req.URL.RequestURI()
		checkFuzzResponse(t, "GET "+p+"?"+rawQuery, ts.serve(req), 200, 400, 404)
	})
}

func FuzzRunDataHandlers(f *testing.F) {
	ts := fuzzServer(f)
	id := findIDs(f, ts.store)
	for _, q := range []string{
		"cursor=c2s&dir=backward", "from_seq=999999&limit=2000", "tail=5", "level=error&q=nan", "from_time=2026-11-20T12:00:00Z",
		"cursor=zzzzzzzz", "cursor=c-1", "cursor=c" + strings.Repeat("z", 20), "from_seq=9223372036854775807",
		"name=loss&from=0&to=100&max_points=2", "from=2147483647", "lane=alert&from=2026-11-20T00:00:00Z", "q=step",
	} {
		for w := range uint8(4) {
			f.Add(w, q)
		}
	}
	suffixes := []string{"/logs", "/logs/search", "/metrics", "/events"}
	f.Fuzz(func(t *testing.T, which uint8, rawQuery string) {
		p := "/api/runs/" + id.run + suffixes[int(which)%len(suffixes)]
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL = &url.URL{Path: p, RawQuery: rawQuery}
		req.RequestURI = req.URL.RequestURI()
		checkFuzzResponse(t, "GET "+p+"?"+rawQuery, ts.serve(req), 200, 400)
	})
}

func FuzzAPIPaths(f *testing.F) {
	ts := fuzzServer(f)
	for _, p := range []string{"/api/runs/run-0001", "/api/runs/..", "/api/runs/%2e%2e/logs", "/api//runs", "/api/runs/a%2Fb",
		"/api/deployments/dep-x/advance", "/api/registry/models/\u00e9", "/ws/runs/run-0001", "/api/" + strings.Repeat("x/", 100)} {
		f.Add("GET", p)
		f.Add("POST", p)
	}
	f.Fuzz(func(t *testing.T, method, rawPath string) {
		u, err := url.Parse(rawPath)
		if err != nil || !strings.HasPrefix(u.Path, "/") || method == "" || strings.ContainsAny(method, " \t\r\n") {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Method, req.URL = method, u
		req.RequestURI = u.RequestURI()
		rec := ts.serve(req)
		if rec.Code >= 500 && !(strings.HasPrefix(u.Path, "/ws/") && rec.Code == 503) {
			t.Fatalf("%s %s = %d %s", method, rawPath, rec.Code, rec.Body)
		}
	})
}
