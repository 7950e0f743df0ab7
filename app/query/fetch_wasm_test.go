//go:build js && wasm

package query

import (
	"context"
	"testing"
	"time"
)

// These tests run in a browser (wasmbrowsertest): the transport uses the
// page's fetch against the test server that serves the page.

func TestFetchTransportStatusAndBody(t *testing.T) {
	tr := NewFetchTransport()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The test server answers every path with its page.
	resp, err := tr.Do(ctx, Request{URL: "/"})
	if err != nil {
		t.Fatalf("Do = %v; want a response", err)
	}
	if resp.Status != 200 || len(resp.Body) == 0 {
		t.Errorf("status = %d with %d bytes; want 200 and a body", resp.Status, len(resp.Body))
	}
}

func TestFetchTransportNetworkError(t *testing.T) {
	tr := NewFetchTransport()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := tr.Do(ctx, Request{URL: "http://127.0.0.1:1/refused"}); err == nil {
		t.Fatal("Do to a closed port succeeded")
	}
	// Through the client the failure is a NetworkError and marks the
	// client offline.
	c := New(tr, Options{Retry: Retry{Attempts: -1}})
	_, err := Fetch[struct{}](ctx, c, "http://127.0.0.1:1/refused")
	if !IsNetwork(err) || c.Online() {
		t.Errorf("Fetch error = %v, online %v; want a network error and offline", err, c.Online())
	}
}

func TestFetchTransportCancel(t *testing.T) {
	tr := NewFetchTransport()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.Do(ctx, Request{URL: "/"}); err == nil {
		t.Error("Do with a cancelled context succeeded")
	}
}
