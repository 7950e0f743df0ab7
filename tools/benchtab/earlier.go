package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// benchTarget is a target an earlier issue set for a Go benchmark: the
// median time per op of Name (without its -GOMAXPROCS suffix) in Pkg,
// natively, must stay under Limit.
type benchTarget struct {
	Issue     int
	What      string
	Pkg, Name string
	Limit     time.Duration
}

// benchTargets are the Go-benchmark targets of the earlier issues.
var benchTargets = []benchTarget{
	{2, "default dataset generated (`store.New`)", "shared/store", "BenchmarkNew", 100 * time.Millisecond},
	{2, "500-line log page at line 500,000 (store)", "shared/store", "BenchmarkLogsPage/from=500000", 2 * time.Millisecond},
	{2, "500-line log page at line 999,500 (store)", "shared/store", "BenchmarkLogsPage/from=999500", 2 * time.Millisecond},
	{2, "`max_points=1000` over 100,000 steps, first call on a new store (one metric)", "shared/store", "BenchmarkMetricsFirstCall/loss", 5 * time.Millisecond},
	{2, "`max_points=1000` over 100,000 steps, series cached (one metric)", "shared/store", "BenchmarkMetricsDecimate", 5 * time.Millisecond},
	{5, "nearest event at 100,000 events", "shared/timeline", "BenchmarkIndexNearest", time.Microsecond},
	{5, "pattern mining of 100,000 lines", "shared/logpattern", "BenchmarkMiner", 500 * time.Millisecond},
	{6, "chart of 100,000 points, SVG", "server/export", "BenchmarkChartRender100k/svg", 30 * time.Millisecond},
	{6, "chart of 100,000 points, PNG 1200×600", "server/export", "BenchmarkChartRender100k/png", 100 * time.Millisecond},
	{6, "chart of 100,000 points, PDF", "server/export", "BenchmarkChartRender100k/pdf", 50 * time.Millisecond},
	{6, "run report PDF, 4-metric window", "server/export", "BenchmarkRunReport/window-2-pins", 300 * time.Millisecond},
}

// procSuffix is the -GOMAXPROCS suffix go test appends to benchmark names.
var procSuffix = regexp.MustCompile(`-\d+$`)

// find returns the native result of benchmark name in pkg.
func find(results []Result, pkg, name string) (Result, bool) {
	i := slices.IndexFunc(results, func(r Result) bool {
		return r.Platform != "js/wasm" && shortPkg(r.Pkg) == pkg && procSuffix.ReplaceAllString(r.Name, "") == name
	})
	if i < 0 {
		return Result{}, false
	}
	return results[i], true
}

// measure mirrors e2e's perfMeasure: a browser figure and its target.
type measure struct {
	Issue int     `json:"issue"`
	What  string  `json:"what"`
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"`
}

// readMeasures reads every measures-*.json of dir, in name order.
func readMeasures(dir string) ([]measure, error) {
	files, err := filepath.Glob(filepath.Join(dir, "measures-*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var out []measure
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var ms []measure
		if err := json.Unmarshal(b, &ms); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, ms...)
	}
	return out, nil
}

// earlierRow is one line of the earlier issues' targets table.
type earlierRow struct {
	issue          int
	what           string
	goal, measured string
	source         string
	known, met     bool
}

// earlierTargets evaluates the earlier issues' targets against the Go
// benchmarks and the browser measures.
func earlierTargets(results []Result, ms []measure) []earlierRow {
	var rows []earlierRow
	for _, t := range benchTargets {
		r, ok := find(results, t.Pkg, t.Name)
		row := earlierRow{issue: t.Issue, what: t.What, goal: "< " + t.Limit.String(), source: "`" + t.Name + "`", known: ok}
		if ok {
			row.measured = duration(r.NsPerOp)
			row.met = r.NsPerOp < float64(t.Limit.Nanoseconds())
		}
		rows = append(rows, row)
	}
	for _, m := range ms {
		rows = append(rows, earlierRow{issue: m.Issue, what: m.What, goal: fmt.Sprintf("< %g %s", m.Limit, m.Unit),
			measured: fmt.Sprintf("%.1f %s", m.Value, m.Unit), source: "browser", known: true, met: m.Value < m.Limit})
	}
	slices.SortStableFunc(rows, func(a, b earlierRow) int { return a.issue - b.issue })
	return rows
}

// writeEarlier prints the earlier issues' targets as a Markdown table.
func writeEarlier(w io.Writer, rows []earlierRow) {
	fmt.Fprintln(w, "| issue | target | goal | measured | from | |")
	fmt.Fprintln(w, "|---:|---|---|---:|---|---|")
	for _, r := range rows {
		verdict, measured := "missed", r.measured
		switch {
		case !r.known:
			verdict, measured = "not measured", "–"
		case r.met:
			verdict = "met"
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", r.issue, strings.TrimSpace(r.what), r.goal, measured, r.source, verdict)
	}
}
