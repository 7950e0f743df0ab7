package ui

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// compareLogPage is the size of each log page a comparison reads: two per
// window (its first and its last lines). Decoding a page of log JSON in
// the browser's wasm takes about 25–50 ms per 1,000 lines, so pages stay
// small and the page stays responsive between them.
const compareLogPage = 1000

// runSource is the CompareSource of a run: metric ranges and log pages
// from the REST API, through the query cache.
type runSource struct {
	Client *query.Client
	Run    studio.RunID
}

// stepRange is an inclusive range of training steps; To is -1 for "to the
// end".
type stepRange struct{ From, To int }

// stepRanges returns the step ranges that cover spans, given points that
// map steps to times (sorted by time), merged where they overlap or touch.
// A span before the first point starts at step 0; one past the last point
// runs to the end.
func stepRanges(points []studio.Point, spans []timeline.Span) []stepRange {
	var rs []stepRange
	for _, s := range spans {
		r := stepRange{From: 0, To: -1}
		i := sort.Search(len(points), func(i int) bool { return points[i].Time.After(s.From) })
		if i > 0 {
			r.From = points[i-1].Step
		}
		j := sort.Search(len(points), func(j int) bool { return !points[j].Time.Before(s.To) })
		if j < len(points) {
			r.To = points[j].Step
		}
		rs = append(rs, r)
	}
	// sort.Slice runs the same pdqsort as slices.SortFunc without another
	// instantiation in the wasm client (as below).
	sort.Slice(rs, func(i, j int) bool { return rs[i].From < rs[j].From })
	var out []stepRange
	for _, r := range rs {
		if n := len(out); n > 0 && (out[n-1].To < 0 || r.From <= out[n-1].To+1) {
			if out[n-1].To >= 0 && (r.To < 0 || r.To > out[n-1].To) {
				out[n-1].To = r.To
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// metricRangeURL is the request for one metric over steps r.
func metricRangeURL(id studio.RunID, name string, r stepRange, maxPoints int) string {
	u := "/api/runs/" + url.PathEscape(string(id)) + "/metrics?name=" + url.QueryEscape(name) +
		"&from=" + strconv.Itoa(r.From)
	if r.To >= 0 {
		u += "&to=" + strconv.Itoa(r.To)
	}
	return u + "&max_points=" + strconv.Itoa(maxPoints)
}

// Series fetches every track over the step ranges that cover spans, one
// request per metric and range (small responses decode quickly).
func (s *runSource) Series(ctx context.Context, tracks []studio.Series, spans []timeline.Span, maxPoints int) ([]studio.Series, []string, error) {
	var ref []studio.Point
	for _, t := range tracks {
		if len(t.Points) > len(ref) {
			ref = t.Points
		}
	}
	ranges := stepRanges(ref, spans)
	maxPoints = max(2, min(maxPoints, api.MaxMetricPoints))
	var parts []studio.Series
	var urls []string
	for _, t := range tracks {
		for _, r := range ranges {
			u := metricRangeURL(s.Run, t.Name, r, maxPoints)
			urls = append(urls, u)
			resp, err := query.Fetch[api.MetricsResponse](ctx, s.Client, u)
			if err != nil {
				return nil, urls, err
			}
			parts = append(parts, resp.Series...)
		}
	}
	return mergeSeries(parts), urls, nil
}

// logsURL is the page of compareLogPage lines starting at t, or ending
// just before it when backward.
func logsURL(id studio.RunID, t time.Time, backward bool) string {
	u := "/api/runs/" + url.PathEscape(string(id)) + "/logs?from_time=" + url.QueryEscape(t.UTC().Format(time.RFC3339Nano)) +
		"&limit=" + strconv.Itoa(compareLogPage)
	if backward {
		u += "&dir=backward"
	}
	return u
}

// Logs reads the first page of the span and the page that ends at its
// end: at most 2×compareLogPage lines, sorted by seq, one per seq.
func (s *runSource) Logs(ctx context.Context, span timeline.Span) ([]studio.LogLine, error) {
	var lines []studio.LogLine
	for _, back := range []bool{false, true} {
		t := span.From
		if back {
			t = span.To
		}
		page, err := query.Fetch[api.LogPage](ctx, s.Client, logsURL(s.Run, t, back))
		if err != nil {
			return nil, err
		}
		lines = append(lines, page.Lines...)
		if !back && len(page.Lines) < compareLogPage {
			break // the whole rest of the log fit in one page
		}
		if !back && len(page.Lines) > 0 && !page.Lines[len(page.Lines)-1].Time.Before(span.To) {
			break // the first page already covers the span
		}
		yield()
	}
	// sort.Slice runs the same pdqsort as slices.SortFunc (the same order)
	// without a ~20 KB instantiation over studio.LogLine.
	sort.Slice(lines, func(i, j int) bool { return lines[i].Seq < lines[j].Seq })
	return slices.CompactFunc(lines, func(a, b studio.LogLine) bool { return a.Seq == b.Seq }), nil
}

// LogHref opens the run's log viewer at line seq.
func (s *runSource) LogHref(seq int64) string {
	return hrefRun(s.Run) + "?tab=logs&line=" + strconv.FormatInt(seq, 10)
}
