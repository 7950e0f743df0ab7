package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(c config) bool
		wantErr string
	}{
		{"defaults", nil, func(c config) bool {
			return c.duration == 10*time.Minute && c.warmup == time.Minute && c.heapFactor == 1.5 && c.target == ""
		}, ""},
		{"short run warms up a fifth", []string{"-duration", "2m"}, func(c config) bool { return c.warmup == 24*time.Second }, ""},
		{"target", []string{"-target", "http://127.0.0.1:8080/"}, func(c config) bool { return c.target == "http://127.0.0.1:8080" }, ""},
		{"warm-up too long", []string{"-duration", "1m", "-warmup", "1m"}, nil, "want 0 <= -warmup < -duration"},
		{"no load", []string{"-rest", "0", "-ws", "0"}, nil, "want some"},
		{"heap factor below 1", []string{"-heap-factor", "0.9"}, nil, "invalid -heap-factor"},
		{"target without scheme", []string{"-target", "localhost:8080"}, nil, "invalid -target"},
		{"stray argument", []string{"now"}, nil, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseFlags(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFlags(%q) error = %v; want %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Errorf("parseFlags(%q) = %+v, %v", tt.args, c, err)
			}
		})
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for i := 1; i <= 100; i++ {
		h.add(time.Duration(i) * time.Millisecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := h.quantile(tt.q); got < tt.want || got > tt.want*11/10+time.Millisecond {
			t.Errorf("quantile(%g) = %v; want %v within a bucket (10%%)", tt.q, got, tt.want)
		}
	}
	if got := (histogram{}).quantile(0.5); got != 0 {
		t.Errorf("empty quantile = %v; want 0", got)
	}
}

// TestSoakShortRun runs the whole program for a few seconds with a small
// load against its in-process server: it must pass, having sent requests
// and streamed messages, and print the sample table and the verdicts.
// Four seconds are too few for a flat heap (the streams' resume buffers
// are still filling), so the heap limit is lifted; the real runs check it.
func TestSoakShortRun(t *testing.T) {
	cfg, err := parseFlags([]string{"-duration", "4s", "-warmup", "1s", "-sample", "1s", "-rest", "2", "-ws", "4", "-tick", "50ms",
		"-goroutine-slack", "20", "-heap-factor", "100"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep, err := run(context.Background(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	if !rep.ok() {
		t.Fatalf("the short soak failed")
	}
	c := rep.counters
	if c.requests < 10 || c.messages < 10 || c.connections < 4 {
		t.Errorf("only %d requests, %d stream messages, %d connections", c.requests, c.messages, c.connections)
	}
	for _, want := range []string{"goroutines", "heap MB", "warm-up over", "goroutines ", "PASS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestHeapPhasesLeaveCachesOut checks that a heap grown only by the
// server's bounded response caches passes, and that other growth fails.
func TestHeapPhasesLeaveCachesOut(t *testing.T) {
	const mib = 1 << 20
	cfg := config{duration: 100 * time.Second, warmup: 20 * time.Second, heapFactor: 1.5}
	row := func(sec int, heap, cache uint64) sampleRow {
		return sampleRow{elapsed: time.Duration(sec) * time.Second, heap: heap * mib, cache: cache * mib}
	}
	tests := []struct {
		name   string
		warm   sampleRow
		final  sampleRow
		passes bool
	}{
		{"the cache fills", row(20, 30, 10), row(100, 220, 192), true},
		{"other growth", row(20, 30, 10), row(100, 90, 10), false},
		{"cache larger than the heap read", row(20, 30, 40), row(100, 30, 40), false}, // reference 0: no verdict possible
	}
	for _, tt := range tests {
		r := &report{cfg: cfg, inProcess: true, warm: tt.warm, final: tt.final}
		var heapOK bool
		for _, v := range r.verdicts() {
			if strings.Contains(v.text, "heap under load") {
				heapOK = v.ok
			}
		}
		if heapOK != tt.passes {
			t.Errorf("%s: heap verdict %v; want %v", tt.name, heapOK, tt.passes)
		}
	}
}
