package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// serveGET serves GET path with h in process and returns the status and
// body.
func serveGET(t *testing.T, h http.Handler, path string) (int, []byte) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Code, w.Body.Bytes()
}

// metricsWant is the body a metrics query must get: encoding/json's
// encoding of a fresh store's response.
func metricsWant(t *testing.T, st *store.Store, id studio.RunID, q api.MetricQuery) []byte {
	t.Helper()
	res, err := st.Metrics(id, q)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(res); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func freshStore() *store.Store {
	return store.New(synth.New(42, 1), store.Options{Now: func() time.Time { return synth.DefaultEpoch }})
}

// TestMetricsCache checks that a repeated metrics query is answered from
// the cache of encoded responses with exactly the body an uncached server
// sends, and that responses above metricsCacheMaxEntry are not cached.
func TestMetricsCache(t *testing.T) {
	run := synth.LongMetricRun
	tests := []struct {
		name   string
		query  string
		q      api.MetricQuery
		cached bool
	}{
		{"every metric at 1000 points", "max_points=1000", api.MetricQuery{To: -1, MaxPoints: 1000}, true},
		{"two metrics over a range", "name=loss,accuracy&from=10&to=5000&max_points=200",
			api.MetricQuery{Names: []string{"loss", "accuracy"}, From: 10, To: 5000, MaxPoints: 200}, true},
		{"a range at full resolution", "name=grad_norm&from=0&to=99", api.MetricQuery{Names: []string{"grad_norm"}, To: 99}, true},
		{"100,000 points: too large to cache", "name=loss", api.MetricQuery{Names: []string{"loss"}, To: -1}, false},
	}
	fresh := freshStore()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, Options{})
			path := "/api/runs/" + string(run) + "/metrics?" + tt.query
			want := metricsWant(t, fresh, run, tt.q)
			for i := range 2 {
				code, body := serveGET(t, ts.Handler(), path)
				if code != http.StatusOK || !bytes.Equal(body, want) {
					t.Fatalf("GET %s (request %d) = %d, %d bytes; want 200 and the %d bytes of encoding/json", path, i+1, code, len(body), len(want))
				}
			}
			steps, _ := ts.store.MetricSteps(run)
			if _, ok := ts.metrics.get(newMetricsKey(run, tt.q), steps); ok != tt.cached {
				t.Errorf("cached: %v; want %v", ok, tt.cached)
			}
		})
	}
}

// TestMetricsCacheIsUsed replaces a cached body and checks that the next
// request gets it: the handler does not compute a cached response again.
func TestMetricsCacheIsUsed(t *testing.T) {
	ts := newTestServer(t, Options{})
	run := synth.LongMetricRun
	path := "/api/runs/" + string(run) + "/metrics?max_points=100"
	if code, _ := serveGET(t, ts.Handler(), path); code != http.StatusOK {
		t.Fatalf("GET %s = %d", path, code)
	}
	steps, _ := ts.store.MetricSteps(run)
	ts.metrics.put(newMetricsKey(run, api.MetricQuery{To: -1, MaxPoints: 100}), steps, []byte("cached\n"))
	if code, body := serveGET(t, ts.Handler(), path); code != http.StatusOK || string(body) != "cached\n" {
		t.Errorf("GET %s = %d %q; want the cached body", path, code, body)
	}
}

// TestMetricsCacheFollowsRun checks that a running run's response follows
// its new steps.
func TestMetricsCacheFollowsRun(t *testing.T) {
	ts := newTestServer(t, Options{})
	fresh := freshStore()
	id := ts.store.Live()[0]
	path := "/api/runs/" + string(id) + "/metrics?max_points=50"
	q := api.MetricQuery{To: -1, MaxPoints: 50}
	var before api.MetricsResponse
	ts.getJSON(t, path, &before)
	for _, st := range []*store.Store{ts.store, fresh} {
		for range 2 {
			if _, err := st.Tick(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, body := serveGET(t, ts.Handler(), path)
	if want := metricsWant(t, fresh, id, q); code != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("GET %s after 2 steps = %d, %d bytes; want the %d bytes of a fresh store", path, code, len(body), len(want))
	}
	var after api.MetricsResponse
	if err := json.Unmarshal(body, &after); err != nil {
		t.Fatal(err)
	}
	if got, want := after.Series[0].Total, before.Series[0].Total+2; got != want {
		t.Errorf("total after 2 steps = %d; want %d", got, want)
	}
}

// TestMetricsCacheKeepsErrors checks that bad requests still fail once
// a valid query of the same run is cached.
func TestMetricsCacheKeepsErrors(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, p := range []string{"/api/runs/run-0017/metrics?name=loss,accuracy", "/api/runs/run-0017/metrics?name=loss"} {
		if code, _ := serveGET(t, ts.Handler(), p); code != http.StatusOK {
			t.Fatalf("GET %s = %d", p, code)
		}
	}
	tests := []struct {
		name string
		path string
		code int
		msg  string
	}{
		{"unknown run", "/api/runs/run-9999/metrics?name=loss,accuracy", http.StatusNotFound, "not found"},
		{"unknown metric", "/api/runs/run-0017/metrics?name=loss,perplexity", http.StatusBadRequest, "unknown metric"},
		{"bad range", "/api/runs/run-0017/metrics?name=loss&from=9&to=3", http.StatusBadRequest, "from (9)"},
		{"bad max_points", "/api/runs/run-0017/metrics?name=loss&max_points=1", http.StatusBadRequest, "max_points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := serveGET(t, ts.Handler(), tt.path)
			if code != tt.code || !strings.Contains(string(body), tt.msg) {
				t.Errorf("GET %s = %d %s; want %d with %q", tt.path, code, body, tt.code, tt.msg)
			}
		})
	}
}

func TestMetricsJSONBudget(t *testing.T) {
	key := func(i int) metricsKey { return metricsKey{run: "run-0001", max: i} }
	big := metricsCacheMaxEntry
	tests := []struct {
		name      string
		sizes     []int // body sizes of keys 0, 1, ... put in order
		steps     []int // step counts of the puts (0 when nil)
		wantKept  []int
		wantBytes int
	}{
		{"fits", []int{10, 20}, nil, []int{0, 1}, 30},
		{"oldest evicted", []int{big, big, big, big, 1}, nil, []int{1, 2, 3, 4}, 3*big + 1},
		{"too large", []int{big + 1, 3}, nil, []int{1}, 3},
		{"entries at their own step counts", []int{10, 20}, []int{4, 5}, []int{0, 1}, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c metricsJSON
			stepsOf := func(i int) int {
				if tt.steps == nil {
					return 0
				}
				return tt.steps[i]
			}
			for i, n := range tt.sizes {
				c.put(key(i), stepsOf(i), make([]byte, n))
			}
			var kept []int
			for i := range tt.sizes {
				if _, ok := c.get(key(i), stepsOf(i)); ok {
					kept = append(kept, i)
				}
			}
			if len(kept) != len(tt.wantKept) || c.bytes != tt.wantBytes {
				t.Fatalf("kept %v holding %d bytes; want %v holding %d", kept, c.bytes, tt.wantKept, tt.wantBytes)
			}
			for i := range kept {
				if kept[i] != tt.wantKept[i] {
					t.Fatalf("kept %v; want %v", kept, tt.wantKept)
				}
			}
		})
	}
	var c metricsJSON
	c.put(key(0), 7, []byte("seven"))
	c.put(key(0), 8, []byte("eight!"))
	if _, ok := c.get(key(0), 7); ok || c.bytes != 6 || c.order.Len() != 1 {
		t.Errorf("after a put at step 8: step 7 cached %v, %d bytes in %d entries; want gone, 6 bytes in 1", ok, c.bytes, c.order.Len())
	}
}
