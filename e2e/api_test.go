//go:build !wasm

package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

var httpClient = &http.Client{Timeout: 10 * time.Second}

// apiGet fetches base+path, expects 200 and decodes the JSON body into T.
func apiGet[T any](t *testing.T, base, path string) T {
	t.Helper()
	var v T
	status, body := apiDo(t, http.MethodGet, base+path, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, status, body)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: decode %T: %v", path, v, err)
	}
	return v
}

// apiDo sends a request with an optional JSON body and returns the status
// and the body.
func apiDo(t *testing.T, method, url string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp.StatusCode, data
}

// eventually retries check until it returns nil or timeout passes, and fails
// the test with check's last error.
func eventually(t *testing.T, timeout time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %v", timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// listItems fetches a list endpoint and returns its items, whether the body
// is an api.Page ({"items": [...]}) or a bare JSON array.
func listItems[T any](t *testing.T, base, path string) []T {
	t.Helper()
	raw := apiGet[json.RawMessage](t, base, path)
	var items []T
	if err := json.Unmarshal(raw, &items); err == nil {
		return items
	}
	var page struct {
		Items []T `json:"items"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatalf("GET %s: decode list of %T: %v", path, *new(T), err)
	}
	return page.Items
}
