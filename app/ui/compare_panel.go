package ui

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/shared/logpattern"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// CompareSource loads what a comparison (and a zoomed timeline) needs
// beyond the overview tracks: finer metric points and log lines for given
// spans. The run page implements it over the REST API; a timeline without
// one compares its tracks as they are.
type CompareSource interface {
	// Series returns the points of every track in tracks (by name) over
	// spans, at most maxPoints per span and metric, each series sorted by
	// time, with the URLs it read. tracks hold the overview points, which
	// say where the spans fall.
	Series(ctx context.Context, tracks []studio.Series, spans []timeline.Span, maxPoints int) (series []studio.Series, urls []string, err error)
	// Logs returns a bounded sample of the log lines in span, sorted by
	// seq: the first and the last lines of the span.
	Logs(ctx context.Context, span timeline.Span) ([]studio.LogLine, error)
	// LogHref returns the app path that opens the log viewer at line seq.
	LogHref(seq int64) string
}

// cmpMaxPoints bounds the points per metric and span a comparison
// fetches; wider spans come min/max-decimated (the panel says so).
const cmpMaxPoints = 1000

// compareResult is what the compare panel shows.
type compareResult struct {
	Before, After timeline.Span
	Deltas        []timeline.Delta
	// URLs are the metric requests the deltas come from.
	URLs []string
	// Decimated is true when some series came decimated.
	Decimated  bool
	MetricsErr error

	// HasLogs is false when the source has no log.
	HasLogs      bool
	LogsDone     bool
	Shifts       []logpattern.PatternShift
	LinesBefore  int
	LinesAfter   int
	LogsErr      error
	MineDuration time.Duration
}

// compareMetrics computes the metric deltas between before and after from
// src (or from tracks alone when src is nil).
func compareMetrics(ctx context.Context, src CompareSource, tracks []studio.Series, before, after timeline.Span) (deltas []timeline.Delta, urls []string, decimated bool, err error) {
	series := tracks
	if src != nil {
		series, urls, err = src.Series(ctx, tracks, []timeline.Span{before, after}, cmpMaxPoints)
		if err != nil {
			return nil, urls, false, err
		}
	}
	for _, s := range series {
		decimated = decimated || s.Decimated
	}
	c := timeline.CompareSpans(series, before, after)
	return c.Deltas, urls, decimated, nil
}

// maxShiftLines bounds the log lines mined per window: mining and, above
// all, decoding JSON are slow in the browser's single-threaded wasm.
const maxShiftLines = 2000

// compareLogs mines the log patterns of both spans and compares them.
func compareLogs(ctx context.Context, src CompareSource, before, after timeline.Span) (shifts []logpattern.PatternShift, nb, na int, err error) {
	bl, err := src.Logs(ctx, before)
	if err != nil {
		return nil, 0, 0, err
	}
	al, err := src.Logs(ctx, after)
	if err != nil {
		return nil, 0, 0, err
	}
	bl = boundLines(timeline.LinesIn(bl, before), maxShiftLines)
	al = boundLines(timeline.LinesIn(al, after), maxShiftLines)
	// Let the page paint between the fetches and the mining.
	yield()
	return logpattern.ShiftLines(bl, al, 3), len(bl), len(al), nil
}

// boundLines keeps at most n lines: the first and last n/2.
func boundLines(lines []studio.LogLine, n int) []studio.LogLine {
	if len(lines) <= n {
		return lines
	}
	out := make([]studio.LogLine, 0, n)
	out = append(out, lines[:n/2]...)
	return append(out, lines[len(lines)-(n-n/2):]...)
}

// yield gives the browser's event loop a turn: in wasm a goroutine that
// sleeps lets JavaScript run (input, paint) before it continues.
func yield() {
	if app.IsClient {
		time.Sleep(time.Millisecond)
	}
}

// ComparePanel shows the comparison of the compared pins: for one pin the
// window before it against the window after it, for two pins what followed
// the first against what followed the second. It lists the metric deltas
// (mean and last value, absolute and percent change) and the log pattern
// shifts, with links that open the log viewer at the lines behind each
// pattern. The work runs off the UI goroutine (ctx.Async) on bounded
// input, and the metrics show before the log patterns are mined.
type ComparePanel struct {
	app.Compo

	// Pins are the compared events (one or two) in time order, Letters
	// their pin letters.
	Pins    []studio.Event
	Letters []string
	Dur     time.Duration
	// Tracks are the timeline's tracks at overview resolution.
	Tracks []studio.Series
	// Version changes with the tracks; without a Source the comparison is
	// recomputed when it does.
	Version uint64
	Source  CompareSource

	key     string
	res     compareResult
	loading bool
	cancel  context.CancelFunc
}

// OnMount starts the comparison.
func (p *ComparePanel) OnMount(ctx app.Context) { p.load(ctx) }

// OnUpdate recomputes when the pins, the length or the data changed.
func (p *ComparePanel) OnUpdate(ctx app.Context) { p.load(ctx) }

// OnDismount abandons a comparison in flight.
func (p *ComparePanel) OnDismount() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// hasPoints reports whether any of tracks has points.
func hasPoints(tracks []studio.Series) bool {
	for _, t := range tracks {
		if len(t.Points) > 0 {
			return true
		}
	}
	return false
}

// compareKey identifies a comparison.
func compareKey(pins []studio.Event, d time.Duration, version uint64, live bool) string {
	var b strings.Builder
	for _, e := range pins {
		b.WriteString(string(e.ID))
		b.WriteByte('|')
	}
	b.WriteString(d.String())
	if live {
		b.WriteString("|" + strconv.FormatUint(version, 10))
	}
	return b.String()
}

func (p *ComparePanel) load(ctx app.Context) {
	if app.IsServer {
		return
	}
	before, after, ok := compareSpans(p.Pins, p.Dur)
	if !ok {
		return
	}
	if p.Source != nil && !hasPoints(p.Tracks) {
		// The overview points map the windows to steps: wait for them
		// (OnUpdate runs again when they arrive).
		p.loading = true
		return
	}
	key := compareKey(p.Pins, p.Dur, p.Version, p.Source == nil)
	if key == p.key {
		return
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.key = key
	p.res = compareResult{Before: before, After: after, HasLogs: p.Source != nil}
	p.loading = true
	cctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	src, tracks := p.Source, p.Tracks
	ctx.Async(func() {
		deltas, urls, dec, err := compareMetrics(cctx, src, tracks, before, after)
		if cctx.Err() != nil {
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			if p.key != key {
				return
			}
			p.res.Deltas, p.res.URLs, p.res.Decimated, p.res.MetricsErr = deltas, urls, dec, err
			p.loading = false
		})
		if src == nil {
			return
		}
		yield()
		start := time.Now()
		shifts, nb, na, err := compareLogs(cctx, src, before, after)
		took := time.Since(start)
		if cctx.Err() != nil {
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			if p.key != key {
				return
			}
			p.res.Shifts, p.res.LinesBefore, p.res.LinesAfter, p.res.LogsErr = shifts, nb, na, err
			p.res.LogsDone = true
			p.res.MineDuration = took
		})
	})
}

// retry recomputes the comparison.
func (p *ComparePanel) retry(ctx app.Context, e app.Event) {
	p.key = ""
	p.load(ctx)
}

// Render draws the deltas table and the pattern shifts.
func (p *ComparePanel) Render() app.UI {
	r := p.res
	root := app.Div().Class("tl-cmp").DataSet("testid", "compare").
		DataSet("before-from", r.Before.From.UTC().Format(time.RFC3339Nano)).
		DataSet("before-to", r.Before.To.UTC().Format(time.RFC3339Nano)).
		DataSet("after-from", r.After.From.UTC().Format(time.RFC3339Nano)).
		DataSet("after-to", r.After.To.UTC().Format(time.RFC3339Nano)).
		DataSet("series-urls", strings.Join(r.URLs, " "))
	state := "ready"
	if p.loading {
		state = "loading"
	}
	root = root.DataSet("state", state)
	if r.HasLogs {
		logs := "loading"
		if r.LogsDone {
			logs = "ready"
		}
		root = root.DataSet("logs", logs)
	}
	return root.Body(
		app.Div().Class("tl-cmp-spans").Body(
			p.spanTag("before", r.Before),
			p.spanTag("after", r.After),
		),
		p.renderDeltas(),
		app.If(r.HasLogs, p.renderShifts),
	)
}

func (p *ComparePanel) spanTag(kind string, s timeline.Span) app.UI {
	label := "Before"
	if kind == "after" {
		label = "After"
	}
	if len(p.Pins) == 2 && len(p.Letters) == 2 {
		label = "After " + p.Letters[0]
		if kind == "after" {
			label = "After " + p.Letters[1]
		}
	}
	return app.Span().Class("tl-cmp-span tl-cmp-"+kind).Body(
		app.Strong().Text(label),
		app.Text(" "+s.From.UTC().Format("15:04:05")+" – "+s.To.UTC().Format("15:04:05")+" · "+format.Duration(s.To.Sub(s.From))),
	)
}

// lowerIsBetter lists the metrics where a drop is an improvement.
var lowerIsBetter = map[string]bool{
	studio.MetricLoss: true, studio.MetricValLoss: true, studio.MetricGradNorm: true,
	"latency_p50": true, "latency_p99": true, "error_rate": true,
}

// higherIsBetter lists the metrics where a rise is an improvement.
var higherIsBetter = map[string]bool{
	studio.MetricAccuracy: true, studio.MetricThroughput: true, "rps": true,
}

// changeTone says whether a change of metric is good, bad or neutral.
func changeTone(metric string, c timeline.Change) string {
	if !c.Defined || c.Abs == 0 {
		return "flat"
	}
	up := c.Abs > 0
	switch {
	case lowerIsBetter[metric]:
		if up {
			return "bad"
		}
		return "good"
	case higherIsBetter[metric]:
		if up {
			return "good"
		}
		return "bad"
	}
	return "flat"
}

// fmtValue formats a statistic, "—" when the side has no points.
func fmtValue(v float64, unit string, defined bool) string {
	if !defined {
		return "—"
	}
	return fmtMetric(v, unit, 4)
}

// fmtAbs formats an absolute change with its sign, "n/a" when undefined.
func fmtAbs(c timeline.Change, unit string) string {
	if !c.Defined {
		return "n/a"
	}
	s := fmtMetric(c.Abs, unit, 3)
	if c.Abs > 0 {
		s = "+" + s
	}
	return s
}

// fmtPct formats a percent change, "n/a" when it is undefined (no data, or
// a change from zero).
func fmtPct(c timeline.Change) string {
	if !c.PctDefined {
		return "n/a"
	}
	v := math.Round(c.Pct*10) / 10
	s := strconv.FormatFloat(v, 'f', 1, 64) + "%"
	if v > 0 {
		s = "+" + s
	}
	if v == 0 {
		s = "0.0%"
	}
	return s
}

// rawNum writes a number for a data attribute, exactly.
func rawNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (p *ComparePanel) renderDeltas() app.UI {
	r := p.res
	switch {
	case p.loading:
		return skeleton("rows", 3)
	case r.MetricsErr != nil:
		return errorState("the metrics of these windows", r.MetricsErr, p.retry)
	case len(r.Deltas) == 0:
		return emptyState("No metrics to compare", "", nil)
	}
	rows := make([]app.UI, len(r.Deltas))
	for i, d := range r.Deltas {
		rows[i] = app.Tr().
			DataSet("metric", d.Metric).
			DataSet("before-mean", rawNum(d.Before.Mean)).
			DataSet("after-mean", rawNum(d.After.Mean)).
			DataSet("before-last", rawNum(d.Before.Last)).
			DataSet("after-last", rawNum(d.After.Last)).
			DataSet("before-count", d.Before.Count).
			DataSet("after-count", d.After.Count).
			Body(
				app.Th().Scope("row").Body(app.Span().Class("tl-sw tl-c"+strconv.Itoa(i)).Aria("hidden", true), app.Text(d.Metric)),
				app.Td().Class("num").Text(fmtValue(d.Before.Mean, d.Unit, d.Before.Count > 0)),
				app.Td().Class("num").Text(fmtValue(d.After.Mean, d.Unit, d.After.Count > 0)),
				app.Td().Class("num tl-delta tone-"+changeTone(d.Metric, d.Mean)).Text(fmtAbs(d.Mean, d.Unit)),
				app.Td().Class("num tl-delta tone-"+changeTone(d.Metric, d.Mean)).DataSet("testid", "pct").Text(fmtPct(d.Mean)),
				app.Td().Class("num").Text(fmtValue(d.Before.Last, d.Unit, d.Before.Count > 0)),
				app.Td().Class("num").Text(fmtValue(d.After.Last, d.Unit, d.After.Count > 0)),
				app.Td().Class("num tl-delta tone-"+changeTone(d.Metric, d.Last)).Text(fmtAbs(d.Last, d.Unit)),
				app.Td().Class("num tl-delta tone-"+changeTone(d.Metric, d.Last)).Text(fmtPct(d.Last)),
				app.Td().Class("num muted").Text(format.Int(d.Before.Count)+" / "+format.Int(d.After.Count)),
			)
	}
	return app.Div().Class("tl-cmp-block").Body(
		app.H4().Text("Metric deltas"),
		app.Div().Class("table-scroll").Body(
			app.Table().Class("simple tl-deltas").DataSet("testid", "compare-deltas").Body(
				app.THead().Body(
					app.Tr().Body(
						app.Th().Scope("col").Rowspan(2).Text("Metric"),
						app.Th().Scope("colgroup").ColSpan(4).Class("tl-th-group").Text("Mean"),
						app.Th().Scope("colgroup").ColSpan(4).Class("tl-th-group").Text("Last value"),
						app.Th().Scope("col").Rowspan(2).Class("num").Text("Points"),
					),
					app.Tr().Body(
						app.Th().Scope("col").Class("num").Text("before"),
						app.Th().Scope("col").Class("num").Text("after"),
						app.Th().Scope("col").Class("num").Text("Δ"),
						app.Th().Scope("col").Class("num").Text("Δ %"),
						app.Th().Scope("col").Class("num").Text("before"),
						app.Th().Scope("col").Class("num").Text("after"),
						app.Th().Scope("col").Class("num").Text("Δ"),
						app.Th().Scope("col").Class("num").Text("Δ %"),
					),
				),
				app.TBody().Body(rows...),
			),
		),
		app.If(r.Decimated, func() app.UI {
			return app.P().Class("tl-cmp-note muted").Text("Long windows are compared on min/max-decimated points (" +
				strconv.Itoa(cmpMaxPoints) + " per metric and window), so means are approximate.")
		}),
	)
}

// shiftRows picks the pattern shifts worth showing: every appeared and
// vanished pattern and the changed ones whose share moved by at least a
// tenth of a percent, at most limit in all; it returns how many it left
// out.
func shiftRows(shifts []logpattern.PatternShift, limit int) (rows []logpattern.PatternShift, rest int) {
	for _, s := range shifts {
		if len(rows) < limit && (s.Kind != logpattern.Changed || math.Abs(s.Delta) >= 0.001) {
			rows = append(rows, s)
			continue
		}
		rest++
	}
	return rows, rest
}

func (p *ComparePanel) renderShifts() app.UI {
	r := p.res
	head := app.H4().Text("Log pattern shifts")
	switch {
	case !r.LogsDone:
		return app.Div().Class("tl-cmp-block").Aria("busy", true).Body(head,
			app.P().Class("muted tl-mining").Body(app.Span().Class("spinner").Aria("hidden", true), app.Text(" Reading and mining the log lines of both windows…")))
	case r.LogsErr != nil:
		return app.Div().Class("tl-cmp-block").Body(head, errorState("the log lines of these windows", r.LogsErr, p.retry))
	}
	rows, rest := shiftRows(r.Shifts, 14)
	src := p.Source
	body := make([]app.UI, len(rows))
	for i, s := range rows {
		share := func(n int, f float64) string {
			return format.Int(n) + " · " + strconv.FormatFloat(math.Round(f*1000)/10, 'f', 1, 64) + "%"
		}
		delta := strconv.FormatFloat(math.Round(s.Delta*1000)/10, 'f', 1, 64) + " pts"
		if s.Delta > 0 {
			delta = "+" + delta
		}
		links := make([]app.UI, 0, 4)
		add := func(label string, seqs []int64) {
			for k, seq := range seqs {
				if k == 2 {
					break
				}
				links = append(links, app.A().Class("link-chip tl-seq").DataSet("testid", "pattern-link").DataSet("seq", seq).
					Href(src.LogHref(seq)).Title("Open the log at line "+strconv.FormatInt(seq, 10)).
					Text(label+" #"+strconv.FormatInt(seq, 10)))
			}
		}
		add("after", s.AfterSeqs)
		add("before", s.BeforeSeqs)
		body[i] = app.Tr().DataSet("kind", string(s.Kind)).DataSet("testid", "pattern").Body(
			app.Td().Body(app.Span().Class("tag tl-kind tl-kind-"+string(s.Kind)).Text(string(s.Kind))),
			app.Td().Class("tl-pattern").Body(app.Code().Class("mono").Text(s.Pattern)),
			app.Td().Class("num").Text(share(s.Before, s.BeforeShare)),
			app.Td().Class("num").Text(share(s.After, s.AfterShare)),
			app.Td().Class("num").Text(delta),
			app.Td().Body(app.Span().Class("links").Body(links...)),
		)
	}
	note := "Sampled " + format.Int(r.LinesBefore) + " lines before and " + format.Int(r.LinesAfter) +
		" after (the first and last lines of each window), read and mined in " + format.Duration(r.MineDuration) + "."
	if rest > 0 {
		note += " " + format.Count(rest, "other pattern") + " barely changed."
	}
	if len(rows) == 0 {
		return app.Div().Class("tl-cmp-block").Body(head, emptyState("No log lines in these windows", note, nil))
	}
	return app.Div().Class("tl-cmp-block").DataSet("testid", "compare-logs").Body(
		head,
		app.Div().Class("table-scroll").Body(
			app.Table().Class("simple tl-shifts").Body(
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text("Change"),
					app.Th().Scope("col").Text("Pattern"),
					app.Th().Scope("col").Class("num").Text("Before"),
					app.Th().Scope("col").Class("num").Text("After"),
					app.Th().Scope("col").Class("num").Text("Share Δ"),
					app.Th().Scope("col").Text("Lines"),
				)),
				app.TBody().Body(body...),
			),
		),
		app.P().Class("tl-cmp-note muted").Text(note),
	)
}

// renderCompare draws the compare section of the timeline: what is
// compared, the window length, and the ComparePanel.
func (c *Timeline) renderCompare() app.UI {
	pins := c.comparedEvents()
	d := c.compareDuration()
	letters := make([]string, len(pins))
	for i, e := range pins {
		letters[i] = c.m.pinLetter(e.ID)
	}
	var what app.UI
	switch len(pins) {
	case 0:
		what = app.P().Class("muted").Text("Pin an event to compare the metrics and logs before and after it; pin two to compare what followed each.")
	case 1:
		what = app.P().Class("tl-cmp-what").Body(
			app.Text("Before and after "), app.Span().Class("tl-pin-chip").Text(letters[0]),
			app.Text(" "+pins[0].Title),
		)
	default:
		what = app.P().Class("tl-cmp-what").Body(
			app.Text("After "), app.Span().Class("tl-pin-chip").Text(letters[0]), app.Text(" "+pins[0].Title+" vs after "),
			app.Span().Class("tl-pin-chip").Text(letters[1]), app.Text(" "+pins[1].Title),
		)
	}
	choices := durationChoices(c.m.win.Span(), d)
	return app.Section().Class("tl-compare").Aria("labelledby", c.id("cmp-title")).Body(
		app.Div().Class("tl-cmp-head").Body(
			app.Div().Body(
				app.H3().ID(c.id("cmp-title")).Text("Compare"),
				what,
			),
			app.If(len(pins) > 0, func() app.UI {
				return app.Label().Class("inline-field").Body(
					app.Text("Window"),
					app.Select().Class("input input-sm").DataSet("testid", "compare-duration").OnChange(c.setDuration).Body(
						app.Range(choices).Slice(func(i int) app.UI {
							return option(choices[i].String(), format.Duration(choices[i]), choices[i] == d)
						}),
					),
				)
			}),
		),
		app.If(len(pins) > 0, func() app.UI {
			return &ComparePanel{Pins: pins, Letters: letters, Dur: d, Tracks: c.Tracks, Version: c.Version, Source: c.Source}
		}),
	)
}

// mergeSeries joins the parts of each series fetched for several spans:
// points sorted by step, one per step.
func mergeSeries(parts []studio.Series) []studio.Series {
	var out []studio.Series
	idx := map[string]int{}
	for _, s := range parts {
		i, ok := idx[s.Name]
		if !ok {
			idx[s.Name] = len(out)
			out = append(out, studio.Series{Name: s.Name, Unit: s.Unit, Decimated: s.Decimated})
			i = len(out) - 1
		}
		out[i].Points = append(out[i].Points, s.Points...)
		out[i].Total += s.Total
		out[i].Decimated = out[i].Decimated || s.Decimated
	}
	for i := range out {
		pts := out[i].Points
		sort.SliceStable(pts, func(a, b int) bool { return pts[a].Step < pts[b].Step })
		out[i].Points = slices.CompactFunc(pts, func(a, b studio.Point) bool { return a.Step == b.Step })
	}
	return out
}
