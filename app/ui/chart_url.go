package ui

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// URL query keys of the metrics tab's per-chart view state, beside ?smooth=
// and ?x= (shared by every chart): the charts on a log y axis, and the
// zoomed step range of each zoomed chart. Steps, not x positions, so a
// zoom survives a change of x axis.
const (
	qLog  = "log"  // metric names, comma-separated: "loss,grad_norm"
	qZoom = "zoom" // metric:from-to step ranges, comma-separated: "loss:20000-30000"
)

// maxChartStates bounds the entries read from ?log= and ?zoom=: there is
// one chart per metric.
const maxChartStates = 32

// chartStates splits a ?log= or ?zoom= value into its entries, dropping
// empty ones and keeping at most maxChartStates.
func chartStates(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" && len(out) < maxChartStates {
			out = append(out, part)
		}
	}
	return out
}

// chartLogFromURL reports whether q puts metric's chart on a log y axis.
func chartLogFromURL(q url.Values, metric string) bool {
	for _, m := range chartStates(q.Get(qLog)) {
		if m == metric {
			return true
		}
	}
	return false
}

// chartZoomFromURL returns metric's zoomed step range from q (a
// stepRange with 0 <= From < To); ok is false when q has none, or a
// malformed one.
func chartZoomFromURL(q url.Values, metric string) (r stepRange, ok bool) {
	for _, e := range chartStates(q.Get(qZoom)) {
		name, span, found := strings.Cut(e, ":")
		if !found || name != metric {
			continue
		}
		a, b, found := strings.Cut(span, "-")
		from, err1 := strconv.Atoi(a)
		to, err2 := strconv.Atoi(b)
		if !found || err1 != nil || err2 != nil || from < 0 || to <= from || to > math.MaxInt32 {
			return stepRange{}, false
		}
		return stepRange{from, to}, true
	}
	return stepRange{}, false
}

// setChartLog puts metric in q's ?log= list, or takes it out; an empty
// list removes the parameter. The other entries keep their order.
func setChartLog(q url.Values, metric string, on bool) {
	var out []string
	for _, m := range chartStates(q.Get(qLog)) {
		if m != metric {
			out = append(out, m)
		}
	}
	if on {
		out = append(out, metric)
	}
	setList(q, qLog, out)
}

// setChartZoom sets metric's entry of q's ?zoom= list to r, or removes it
// when ok is false.
func setChartZoom(q url.Values, metric string, r stepRange, ok bool) {
	var out []string
	for _, e := range chartStates(q.Get(qZoom)) {
		if name, _, _ := strings.Cut(e, ":"); name != metric {
			out = append(out, e)
		}
	}
	if ok {
		out = append(out, metric+":"+strconv.Itoa(r.From)+"-"+strconv.Itoa(r.To))
	}
	setList(q, qZoom, out)
}

func setList(q url.Values, key string, vals []string) {
	if len(vals) == 0 {
		q.Del(key)
		return
	}
	q.Set(key, strings.Join(vals, ","))
}

// stepsToX returns the x domain range (Unix seconds on the time axes)
// that shows steps r of pts, which must be sorted by step; ok is false
// when pts is empty or r covers no distinct times.
func stepsToX(pts []studio.Point, r stepRange, x chartX) (lo, hi float64, ok bool) {
	if x == xStep || x == "" {
		return float64(r.From), float64(r.To), true
	}
	i, ok1 := chart.NearestStep(pts, r.From)
	j, ok2 := chart.NearestStep(pts, r.To)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	lo, hi = chart.ByTime(pts[i]), chart.ByTime(pts[j])
	return lo, hi, hi > lo
}

// xToSteps returns the steps of the points of pts (sorted by step) at the
// edges of x domain range [lo, hi]; ok is false when they are not two
// distinct steps.
func xToSteps(pts []studio.Point, lo, hi float64, x chartX) (stepRange, bool) {
	if x == xStep || x == "" {
		r := stepRange{max(int(math.Floor(lo)), 0), max(int(math.Ceil(hi)), 0)}
		return r, r.To > r.From
	}
	i, ok1 := chart.NearestTime(pts, chart.FromSeconds(lo))
	j, ok2 := chart.NearestTime(pts, chart.FromSeconds(hi))
	if !ok1 || !ok2 {
		return stepRange{}, false
	}
	r := stepRange{pts[i].Step, pts[j].Step}
	return r, r.To > r.From
}

// The MetricChart's side of the URL state: with InURL set, the chart
// reads its log scale and zoom from the URL when it mounts, follows a run
// or a navigation, and writes them back when the user changes them.

// loadURLState applies the URL's log scale and zoom for this chart.
func (c *MetricChart) loadURLState(ctx app.Context) {
	if !c.InURL || app.IsServer {
		return
	}
	q := ctx.Page().URL().Query()
	c.logY = chartLogFromURL(q, c.Metric)
	r, ok := chartZoomFromURL(q, c.Metric)
	if cur, zoomed := c.zoomSteps(); zoomed == ok && cur == r {
		return
	}
	c.unzoom()
	if ok {
		c.pendingZoom, c.hasPending = r, true
		c.applyPendingZoom(ctx)
	}
}

// applyPendingZoom zooms to the pending step range once the x positions of
// its steps are known (on a time axis, once the series has points).
func (c *MetricChart) applyPendingZoom(ctx app.Context) {
	if !c.hasPending {
		return
	}
	x := c.axis()
	lo, hi, ok := stepsToX(seriesOf(c.Data, c.Metric), c.pendingZoom, x)
	if !ok {
		return
	}
	c.hasPending = false
	c.zoomed, c.zoomLo, c.zoomHi, c.zoomX = true, lo, hi, x
	c.fetchDetail(ctx)
}

// zoomSteps returns the chart's zoom as steps: the pending range, or the
// steps at the edges of the zoomed x range.
func (c *MetricChart) zoomSteps() (stepRange, bool) {
	if c.hasPending {
		return c.pendingZoom, true
	}
	if !c.zoomed {
		return stepRange{}, false
	}
	_, pts, _ := c.series()
	return xToSteps(pts, c.zoomLo, c.zoomHi, c.zoomX)
}

// saveURLState writes the chart's log scale and zoom into the URL without
// navigating.
func (c *MetricChart) saveURLState(ctx app.Context) {
	if !c.InURL || app.IsServer {
		return
	}
	u := ctx.Page().URL()
	q := u.Query()
	setChartLog(q, c.Metric, c.logY)
	r, ok := c.zoomSteps()
	setChartZoom(q, c.Metric, r, ok)
	if enc := q.Encode(); enc != u.RawQuery {
		u.RawQuery = enc
		ctx.Page().ReplaceURL(u)
	}
}

// axis is the chart's x axis mode.
func (c *MetricChart) axis() chartX {
	if c.View.X == "" {
		return xStep
	}
	return c.View.X
}

// seriesOf returns the points the run state holds for metric, nil without
// a state.
func seriesOf(data *rundata.State, metric string) []studio.Point {
	if data == nil {
		return nil
	}
	sd, _ := data.SeriesData(metric)
	return sd.Points
}
