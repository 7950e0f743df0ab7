package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEarlierTargets(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/aiinfra/studio/shared/store
BenchmarkNew-2   	      40	  31800000 ns/op
BenchmarkMetricsFirstCall/loss-2   	     300	   6100000 ns/op
BenchmarkMetricsFirstCall/loss-2   	     300	   4100000 ns/op
BenchmarkMetricsFirstCall/loss-2   	     300	   4200000 ns/op
goos: js
goarch: wasm
pkg: github.com/aiinfra/studio/shared/timeline
BenchmarkIndexNearest   	  100000	      2000 ns/op
`
	results, _, err := parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "measures-chart.json"),
		[]byte(`[{"issue":4,"what":"first render","value":61.5,"limit":50,"unit":"ms"},{"issue":4,"what":"hover","value":3,"limit":8,"unit":"ms"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	ms, err := readMeasures(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows := earlierTargets(results, ms)
	byWhat := map[string]earlierRow{}
	for _, r := range rows {
		byWhat[r.what] = r
	}
	tests := []struct {
		what         string
		known, met   bool
		wantMeasured string
	}{
		{"default dataset generated (`store.New`)", true, true, "31.8 ms"},
		{"`max_points=1000` over 100,000 steps, first call on a new store (one metric)", true, true, "4.2 ms"}, // the median of three
		{"nearest event at 100,000 events", false, false, ""},                                                  // js/wasm only: not the native target
		{"first render", true, false, "61.5 ms"},
		{"hover", true, true, "3.0 ms"},
	}
	for _, tt := range tests {
		r, ok := byWhat[tt.what]
		if !ok {
			t.Errorf("no row for %q", tt.what)
			continue
		}
		if r.known != tt.known || r.met != tt.met || r.measured != tt.wantMeasured {
			t.Errorf("%q: known=%v met=%v measured=%q; want %v %v %q", tt.what, r.known, r.met, r.measured, tt.known, tt.met, tt.wantMeasured)
		}
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].issue < rows[i-1].issue {
			t.Fatalf("rows not ordered by issue: %d after %d", rows[i].issue, rows[i-1].issue)
		}
	}
	var b strings.Builder
	writeEarlier(&b, rows)
	if !strings.Contains(b.String(), "| 4 | first render | < 50 ms | 61.5 ms | browser | missed |") {
		t.Errorf("table lacks the missed browser row:\n%s", b.String())
	}
}
