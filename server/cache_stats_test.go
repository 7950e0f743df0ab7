package server

import (
	"net/http"
	"testing"
)

func TestCacheBytes(t *testing.T) {
	s := newTestServer(t, Options{})
	fetch := func(path string) {
		t.Helper()
		if resp := get(t, s.Handler(), path); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d; want 200", path, resp.StatusCode)
		}
	}
	if got := s.CacheBytes(); got != 0 {
		t.Fatalf("CacheBytes of a new server = %d; want 0", got)
	}
	fetch("/api/runs/run-0042/logs?from_seq=5000&limit=500")
	afterLogs := s.CacheBytes()
	if afterLogs <= 0 {
		t.Fatalf("CacheBytes after a log page = %d; want the cached block counted", afterLogs)
	}
	fetch("/api/runs/run-0017/metrics?name=loss&max_points=1000")
	if got := s.CacheBytes(); got <= afterLogs {
		t.Errorf("CacheBytes after a metrics query = %d; want more than %d", got, afterLogs)
	}
}
