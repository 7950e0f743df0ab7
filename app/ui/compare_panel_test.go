package ui

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/logpattern"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// testRunPoints is a run's metric at one step per second: value = step.
func testRunPoints(n int) []studio.Point {
	pts := make([]studio.Point, n)
	for i := range pts {
		pts[i] = studio.Point{Step: i, Time: tlAt(float64(i)), Value: float64(i)}
	}
	return pts
}

func TestStepRanges(t *testing.T) {
	// Overview points every 10 steps (10 s).
	var ref []studio.Point
	for i := 0; i <= 1000; i += 10 {
		ref = append(ref, studio.Point{Step: i, Time: tlAt(float64(i))})
	}
	tests := []struct {
		name  string
		spans []timeline.Span
		want  []stepRange
	}{
		{"inside", []timeline.Span{tlSpan(105, 195)}, []stepRange{{100, 200}}},
		{"adjacent spans merge", []timeline.Span{tlSpan(100, 160), tlSpan(160, 220)}, []stepRange{{100, 160}, {160, 220}}[:0:0]},
		{"apart stay apart", []timeline.Span{tlSpan(700, 760), tlSpan(100, 160)}, []stepRange{{100, 160}, {700, 760}}},
		{"before the first point", []timeline.Span{tlSpan(-50, 15)}, []stepRange{{0, 20}}},
		{"past the last point runs to the end", []timeline.Span{tlSpan(990, 1100)}, []stepRange{{990, -1}}},
	}
	tests[1].want = []stepRange{{100, 220}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stepRanges(ref, tt.spans); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stepRanges(%v) = %v; want %v", tt.spans, got, tt.want)
			}
		})
	}
}

func TestMergeSeries(t *testing.T) {
	a := studio.Series{Name: "loss", Points: testRunPoints(10)[5:10], Total: 5}
	b := studio.Series{Name: "loss", Points: testRunPoints(10)[0:6], Total: 6, Decimated: true}
	c := studio.Series{Name: "accuracy", Unit: "%", Points: testRunPoints(3)}
	got := mergeSeries([]studio.Series{a, c, b})
	if len(got) != 2 || got[0].Name != "loss" || got[1].Name != "accuracy" {
		t.Fatalf("mergeSeries names = %+v", got)
	}
	if !reflect.DeepEqual(got[0].Points, testRunPoints(10)) || !got[0].Decimated {
		t.Errorf("merged loss = %v (decimated %v); want steps 0..9 once each, decimated", got[0].Points, got[0].Decimated)
	}
}

// fakeRunAPI serves a run's metrics and logs the way the server does.
func fakeRunAPI(t *testing.T, n int) (*query.Client, *[]string) {
	pts := testRunPoints(n)
	var lines []studio.LogLine
	for i := range n * 2 {
		msg := "step " + strconv.Itoa(i) + " loss=" + strconv.Itoa(i%17)
		if i >= n { // the second half of the log gets a new pattern
			msg = "allreduce bucket " + strconv.Itoa(i) + " took " + strconv.Itoa(i%9) + "ms"
		}
		lines = append(lines, studio.LogLine{Seq: int64(i), Time: tlAt(float64(i) / 2), Message: msg})
	}
	var seen []string
	tr := query.TransportFunc(func(ctx context.Context, req query.Request) (query.Response, error) {
		seen = append(seen, req.URL)
		u, err := url.Parse(req.URL)
		if err != nil {
			return query.Response{}, err
		}
		q := u.Query()
		var body any
		switch {
		case strings.HasSuffix(u.Path, "/metrics"):
			mq, err := api.ParseMetricQuery(q)
			if err != nil {
				return query.Response{Status: 400, Body: []byte(`{"error":{"code":"invalid","message":"` + err.Error() + `"}}`)}, nil
			}
			to := mq.To
			if to < 0 || to >= n {
				to = n - 1
			}
			var series []studio.Series
			for _, name := range mq.Names {
				series = append(series, studio.Series{Name: name, Points: pts[mq.From : to+1], Total: to + 1 - mq.From})
			}
			body = api.MetricsResponse{Series: series}
		case strings.HasSuffix(u.Path, "/logs"):
			from, err := time.Parse(time.RFC3339Nano, q.Get("from_time"))
			if err != nil {
				t.Errorf("bad from_time in %s", req.URL)
			}
			limit, _ := strconv.Atoi(q.Get("limit"))
			i := 0
			for i < len(lines) && lines[i].Time.Before(from) {
				i++
			}
			var page []studio.LogLine
			if q.Get("dir") == "backward" {
				page = lines[max(0, i-limit):i]
			} else {
				page = lines[i:min(len(lines), i+limit)]
			}
			body = api.LogPage{Lines: page, Total: int64(len(lines))}
		default:
			return query.Response{Status: 404, Body: []byte(`{"error":{"code":"not_found","message":"no"}}`)}, nil
		}
		b, _ := json.Marshal(body)
		return query.Response{Status: 200, Body: b}, nil
	})
	return query.New(tr, query.Options{}), &seen
}

func TestRunSourceSeriesMatchesTheTracks(t *testing.T) {
	client, seen := fakeRunAPI(t, 4000)
	src := &runSource{Client: client, Run: "run-0007"}
	// Overview points every 100 steps.
	var ov []studio.Point
	for _, p := range testRunPoints(4000) {
		if p.Step%100 == 0 {
			ov = append(ov, p)
		}
	}
	tracks := []studio.Series{{Name: "loss", Points: ov}, {Name: "accuracy", Points: ov}}
	before, after := tlSpan(1000, 1250), tlSpan(3000, 3250)
	series, urls, err := src.Series(context.Background(), tracks, []timeline.Span{before, after}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) != 4 || len(*seen) != 4 {
		t.Errorf("Series made requests %v; want one per metric and range (4)", *seen)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, "/api/runs/run-0007/metrics?name=") || !strings.Contains(u, "max_points=1000") {
			t.Errorf("unexpected metrics URL %s", u)
		}
	}
	full := []studio.Series{{Name: "loss", Points: testRunPoints(4000)}, {Name: "accuracy", Points: testRunPoints(4000)}}
	want := timeline.CompareSpans(full, before, after)
	got := timeline.CompareSpans(series, before, after)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deltas from fetched ranges = %+v; want those of the full series %+v", got.Deltas, want.Deltas)
	}
	// compareMetrics is the same thing, and without a source it uses the
	// tracks as they are.
	deltas, _, _, err := compareMetrics(context.Background(), src, tracks, before, after)
	if err != nil || !reflect.DeepEqual(deltas, want.Deltas) {
		t.Errorf("compareMetrics = %+v, %v; want %+v", deltas, err, want.Deltas)
	}
	deltas, urls, _, _ = compareMetrics(context.Background(), nil, full, before, after)
	if !reflect.DeepEqual(deltas, want.Deltas) || urls != nil {
		t.Errorf("compareMetrics without a source = %+v, %v", deltas, urls)
	}
}

func TestRunSourceLogsAndShifts(t *testing.T) {
	client, seen := fakeRunAPI(t, 6000) // 12,000 lines, 2 per second
	src := &runSource{Client: client, Run: "run-0007"}
	span := tlSpan(2000, 4000) // 4,000 lines: more than two pages
	lines, err := src.Logs(context.Background(), span)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2*compareLogPage || len(*seen) != 2 {
		t.Errorf("Logs read %d lines in %d requests; want %d in 2", len(lines), len(*seen), 2*compareLogPage)
	}
	for i := 1; i < len(lines); i++ {
		if lines[i].Seq <= lines[i-1].Seq {
			t.Fatalf("lines not sorted by seq at %d", i)
		}
	}
	if first, last := lines[0], lines[len(lines)-1]; !first.Time.Equal(span.From) || !last.Time.Before(span.To) {
		t.Errorf("Logs covers [%v, %v]; want the first and last lines of the span", first.Time.Sub(tlT0), last.Time.Sub(tlT0))
	}
	if got := src.LogHref(42); got != "/runs/run-0007?tab=logs&line=42" {
		t.Errorf("LogHref(42) = %s", got)
	}

	// One pin at 3000 s, where the log switches patterns.
	before, after, _ := compareSpans([]studio.Event{{Time: tlAt(3000)}}, 10*time.Minute)
	shifts, nb, na, err := compareLogs(context.Background(), src, before, after)
	if err != nil {
		t.Fatal(err)
	}
	if nb == 0 || na == 0 || nb > maxShiftLines || na > maxShiftLines {
		t.Errorf("compared %d and %d lines; want some, at most %d each", nb, na, maxShiftLines)
	}
	if len(shifts) < 2 || shifts[0].Kind != logpattern.Appeared || !strings.HasPrefix(shifts[0].Pattern, "allreduce bucket") {
		t.Fatalf("shifts = %+v; want the allreduce pattern first as appeared", shifts)
	}
	if len(shifts[0].AfterSeqs) == 0 || shifts[0].AfterSeqs[0] != 6000 {
		t.Errorf("appeared pattern examples %v; want the first new line, seq 6000", shifts[0].AfterSeqs)
	}
}

func TestBoundLines(t *testing.T) {
	var lines []studio.LogLine
	for i := range 10 {
		lines = append(lines, studio.LogLine{Seq: int64(i)})
	}
	got := boundLines(lines, 5)
	var seqs []int64
	for _, l := range got {
		seqs = append(seqs, l.Seq)
	}
	if want := []int64{0, 1, 7, 8, 9}; !reflect.DeepEqual(seqs, want) {
		t.Errorf("boundLines(10 lines, 5) = %v; want %v", seqs, want)
	}
	if got := boundLines(lines[:3], 5); len(got) != 3 {
		t.Errorf("boundLines kept %d of 3 lines", len(got))
	}
}

func TestChangeFormatting(t *testing.T) {
	tests := []struct {
		name         string
		c            timeline.Change
		unit         string
		abs, pct     string
		metric, tone string
	}{
		{"drop in loss is good", timeline.NewChange(2, 1.5), "", "-0.5", "-25.0%", studio.MetricLoss, "good"},
		{"rise in loss is bad", timeline.NewChange(1, 1.25), "", "+0.25", "+25.0%", studio.MetricValLoss, "bad"},
		{"rise in accuracy is good", timeline.NewChange(80, 82), "%", "+2%", "+2.5%", studio.MetricAccuracy, "good"},
		{"from zero has no percent", timeline.NewChange(0, 3), "ms", "+3 ms", "n/a", "latency_p99", "bad"},
		{"no data", timeline.Change{}, "", "n/a", "n/a", studio.MetricLoss, "flat"},
		{"neutral metric", timeline.NewChange(50, 60), "%", "+10%", "+20.0%", studio.MetricGPUUtil, "flat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmtAbs(tt.c, tt.unit); got != tt.abs {
				t.Errorf("fmtAbs = %q; want %q", got, tt.abs)
			}
			if got := fmtPct(tt.c); got != tt.pct {
				t.Errorf("fmtPct = %q; want %q", got, tt.pct)
			}
			if got := changeTone(tt.metric, tt.c); got != tt.tone {
				t.Errorf("changeTone = %q; want %q", got, tt.tone)
			}
		})
	}
	if got := fmtValue(1.23456, "", false); got != "—" {
		t.Errorf("fmtValue(undefined) = %q", got)
	}
}

func TestShiftRows(t *testing.T) {
	shifts := []logpattern.PatternShift{
		{ID: 1, Kind: logpattern.Appeared}, {ID: 2, Kind: logpattern.Vanished},
		{ID: 3, Kind: logpattern.Changed, Delta: 0.2}, {ID: 4, Kind: logpattern.Changed, Delta: -0.0001},
		{ID: 5, Kind: logpattern.Changed, Delta: 0.01},
	}
	rows, rest := shiftRows(shifts, 3)
	if len(rows) != 3 || rows[2].ID != 3 || rest != 2 {
		t.Errorf("shiftRows(limit 3) = %v, %d; want patterns 1-3 and 2 left out", rows, rest)
	}
	rows, rest = shiftRows(shifts, 10)
	if len(rows) != 4 || rest != 1 {
		t.Errorf("shiftRows(limit 10) kept %d, left %d; want the barely changed pattern 4 left out", len(rows), rest)
	}
}

func TestComparePanelRenders(t *testing.T) {
	p := &ComparePanel{Pins: []studio.Event{{ID: "a", Time: tlAt(100)}}, Letters: []string{"A"}, Dur: time.Minute}
	before, after, _ := compareSpans(p.Pins, p.Dur)
	series := []studio.Series{{Name: "loss", Points: testRunPoints(300)}, {Name: "accuracy", Unit: "%", Points: []studio.Point{{Time: tlAt(120), Value: 0}}}}
	c := timeline.CompareSpans(series, before, after)
	p.res = compareResult{Before: before, After: after, Deltas: c.Deltas, URLs: []string{"/u1", "/u2"}}
	html := app.HTMLString(p)
	for _, want := range []string{
		`data-testid="compare"`, `data-testid="compare-deltas"`, `data-metric="loss"`,
		`data-before-mean="69.5"`, `data-after-mean="129.5"`, `data-before-last="99"`, `data-after-last="159"`,
		`data-series-urls="/u1 /u2"`, `data-before-from="2026-11-20T01:00:40Z"`, `data-after-to="2026-11-20T01:02:40Z"`,
		">+86.3%<", // mean 69.5 -> 129.5
		">n/a<",    // accuracy has no points before: no percentage
	} {
		if !strings.Contains(html, want) {
			t.Errorf("compare panel lacks %s", want)
		}
	}
	if strings.Contains(html, `data-testid="compare-logs"`) {
		t.Error("a comparison without a log source shows log patterns")
	}
}
