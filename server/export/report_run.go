package export

import (
	"image/color"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/logpattern"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// maxEventRows caps the events listed under a report's lanes strip.
const maxEventRows = 60

// HandleRunReport serves GET /api/runs/{id}/report.pdf?from=&to=&pins=:
// an A4 landscape PDF of a timeline window of the run (see ReportQuery):
// the run's header and config, one chart per metric over the window with
// the pins marked, the lanes strip with its events, and for each pin the
// metric deltas and log pattern shifts around it (and between
// consecutive pins).
func (e *Exporter) HandleRunReport(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := api.ValidateID("run", id); err != nil {
		e.writeError(w, r, err)
		return
	}
	q, err := ParseReportQuery(r.URL.Query())
	if err != nil {
		e.writeError(w, r, err)
		return
	}
	run, err := e.st.Run(studio.RunID(id))
	if err != nil {
		e.writeError(w, r, err)
		return
	}
	out := &file{format: FormatPDF, name: string(run.ID) + "-report.pdf"}
	e.renderAndSend(w, r, out, func() error { return e.renderRunReport(out, run, q) })
}

// renderRunReport writes the run report of q into out.
func (e *Exporter) renderRunReport(out *file, run studio.Run, q ReportQuery) error {
	rep, info, err := e.runReport(run, q)
	if err != nil {
		return err
	}
	return writePDF(&out.body, rep.fs, rep.pages, info)
}

// runReport lays out the run report of q.
func (e *Exporter) runReport(run studio.Run, q ReportQuery) (*report, pdfInfo, error) {
	fs, err := sharedFonts()
	if err != nil {
		return nil, pdfInfo{}, err
	}
	ep, err := e.st.RunEvents(run.ID, api.EventQuery{})
	if err != nil {
		return nil, pdfInfo{}, err
	}
	subject := "run " + string(run.ID)
	win, err := resolveWindow(subject, ep.From, ep.To, q)
	if err != nil {
		return nil, pdfInfo{}, err
	}
	events := sortedEvents(ep.Events)
	pins, err := resolvePins(q.Pins, subject, events)
	if err != nil {
		return nil, pdfInfo{}, err
	}
	names := q.Names
	if len(names) == 0 {
		for _, m := range run.Metrics {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		names = studio.MetricNames
	}
	span := compareSpan(win, q.Span)
	series, err := e.timeSeries(run, names, win.From, win.To)
	if err != nil {
		return nil, pdfInfo{}, err
	}

	rep := newReport(fs, "AI Infra Studio · run report · "+run.Name+" ("+string(run.ID)+")")
	runHeader(rep, run, win, span, pins, events)
	metricCharts(rep, "Metrics", singleCharts(series), win, pins)
	lanesSection(rep, events, win, pins, true)
	plans := planComparisons(pins, span)
	perWindow := 0
	if len(plans) > 0 {
		perWindow = min(MaxLogLinesPerWindow, MaxLogLinesPerReport/(2*len(plans)))
	}
	for _, p := range plans {
		if rep.full {
			break
		}
		c, err := e.runComparison(run, names, p, span, perWindow)
		if err != nil {
			return nil, pdfInfo{}, err
		}
		comparisonSection(rep, c, span)
	}
	rep.finish()
	info := pdfInfo{title: "Run report: " + run.Name, subject: string(run.ID) + " · " + fmtTime(win.From) + " – " + fmtTime(win.To)}
	return rep, info, nil
}

// timeSeries reads names over the run's steps between from and to, keeping
// the points with from <= Time <= to.
func (e *Exporter) timeSeries(run studio.Run, names []string, from, to time.Time) ([]studio.Series, error) {
	a, b, ok := stepRange(run, from, to)
	if !ok {
		out := make([]studio.Series, len(names))
		for i, n := range names {
			out[i] = studio.Series{Name: n, Unit: studio.MetricUnits[n], Points: []studio.Point{}}
		}
		return out, nil
	}
	series, err := e.fetchSeries(run.ID, names, a, b)
	if err != nil {
		return nil, err
	}
	for i := range series {
		series[i].Points = pointsIn(series[i].Points, from, to)
	}
	return series, nil
}

// stepRange returns the inclusive step range whose points may fall in
// [from, to], with a step of slack each side; ok is false when the run has
// no points there.
func stepRange(run studio.Run, from, to time.Time) (a, b int, ok bool) {
	if run.StartedAt == nil || run.Steps == 0 {
		return 0, 0, false
	}
	last := run.Steps - 1
	if !(run.StepSeconds > 0) {
		return 0, last, true
	}
	at := func(t time.Time) float64 { return t.Sub(*run.StartedAt).Seconds() / run.StepSeconds }
	fa, fb := at(from), at(to)
	if fb < -1 || fa > float64(last)+1 {
		return 0, 0, false
	}
	a = int(max(0, min(float64(last), math.Floor(fa)-1)))
	b = int(max(0, min(float64(last), math.Ceil(fb)+1)))
	return a, b, true
}

// runComparison computes one comparison of a run report: metric deltas
// over full-resolution points of the compared spans, and log pattern
// shifts over up to perWindow lines of each span.
func (e *Exporter) runComparison(run studio.Run, names []string, p comparePlan, d time.Duration, perWindow int) (comparison, error) {
	var series []studio.Series
	for _, sp := range p.spans {
		part, err := e.timeSeries(run, names, sp.From, sp.To)
		if err != nil {
			return comparison{}, err
		}
		if series == nil {
			series = part
			continue
		}
		for i := range series {
			series[i].Points = append(series[i].Points, part[i].Points...)
		}
	}
	c := comparison{title: p.title, cmp: p.compare(series, d), hasLogs: true, logLimit: perWindow}
	before, err := e.logLines(run.ID, c.cmp.Before, perWindow)
	if err != nil {
		return c, err
	}
	after, err := e.logLines(run.ID, c.cmp.After, perWindow)
	if err != nil {
		return c, err
	}
	c.nBefore, c.nAfter = len(before), len(after)
	c.shifts = logpattern.ShiftLines(before, after, -1)
	return c, nil
}

// logLines returns up to limit log lines of run id with Time in s, read
// in pages of api.MaxLogLimit from the first line at or after s.From.
func (e *Exporter) logLines(id studio.RunID, s timeline.Span, limit int) ([]studio.LogLine, error) {
	var lines []studio.LogLine
	if limit <= 0 || !s.From.Before(s.To) {
		return lines, nil
	}
	q := api.LogQuery{FromSeq: -1, FromTime: s.From.UTC().Format(time.RFC3339Nano)}
	for len(lines) < limit {
		q.Limit = min(api.MaxLogLimit, limit-len(lines))
		p, err := e.st.Logs(id, q)
		if err != nil {
			return nil, err
		}
		in := timeline.LinesIn(p.Lines, s)
		lines = append(lines, in...)
		if len(in) < len(p.Lines) || p.Next == "" {
			break // past the span, or the end of the log
		}
		q = api.LogQuery{FromSeq: -1, Cursor: p.Next}
	}
	return lines, nil
}

// runHeader writes the first page: the run, its config, the window, the
// latest metric values and the pins.
func runHeader(rep *report, run studio.Run, win timeline.Window, span time.Duration, pins []pin, events []studio.Event) {
	pal := rep.pal
	rep.block(64, func(s *sheet, b rect) {
		s.text(b.X, b.Y+11, "RUN REPORT", withColor(docKickerText, pal.muted), canvas.Left)
		s.text(b.X, b.Y+38, s.fit(run.Name, docTitleText, b.W-160), withColor(docTitleText, pal.text), canvas.Left)
		statusPill(s, b.right(), b.Y+22, string(run.Status), runStatusColor(run.Status, pal))
		sub := string(run.ID) + " · experiment " + string(run.ExperimentID) + " · owner " + run.Owner
		s.text(b.X, b.Y+58, s.fit(sub, bodyText, b.W), withColor(bodyText, pal.muted), canvas.Left)
	})
	rep.gap(10)

	hw := run.Hardware
	duration := "—"
	if run.StartedAt != nil {
		end := win.Max
		if run.EndedAt != nil {
			end = *run.EndedAt
		}
		duration = fmtDuration(end.Sub(*run.StartedAt))
	}
	left := kvTable(
		[2]string{"id", string(run.ID)},
		[2]string{"status", string(run.Status) + errorSuffix(run.Error)},
		[2]string{"experiment", string(run.ExperimentID)},
		[2]string{"commit", run.Commit + " on " + run.Branch},
		[2]string{"hardware", strconv.Itoa(hw.GPUCount) + "× " + hw.GPUType + " · " + plural(hw.Nodes, "node") + " · " + hw.Cluster},
		[2]string{"created", fmtTime(run.CreatedAt)},
		[2]string{"started", fmtTimePtr(run.StartedAt)},
		[2]string{"ended", fmtTimePtr(run.EndedAt)},
		[2]string{"duration", duration},
		[2]string{"steps", groupInt(int64(run.Steps)) + " of " + groupInt(int64(run.TotalSteps)) + " · " + strconv.FormatFloat(run.StepSeconds, 'g', 4, 64) + " s/step"},
		[2]string{"log lines", groupInt(run.LogCount)},
		[2]string{"tags", strings.Join(run.Tags, ", ")},
	)
	c := run.Config
	right := kvTable(
		[2]string{"model", c.Model},
		[2]string{"dataset", c.Dataset},
		[2]string{"optimizer", c.Optimizer},
		[2]string{"learning rate", fmtValue(c.LearningRate, "")},
		[2]string{"batch size", groupInt(int64(c.BatchSize))},
		[2]string{"epochs", strconv.Itoa(c.Epochs)},
		[2]string{"gpus", strconv.Itoa(c.GPUs)},
		[2]string{"warmup steps", groupInt(int64(c.WarmupSteps))},
		[2]string{"weight decay", fmtValue(c.WeightDecay, "")},
		[2]string{"seed", strconv.FormatInt(c.Seed, 10)},
		[2]string{"precision", c.Precision},
	)
	twoColumns(rep, "Run", left, "Config", right)

	inWin := 0
	for _, ev := range events {
		if win.Contains(ev.Time) {
			inWin++
		}
	}
	window := kvTable(
		[2]string{"from", fmtTime(win.From)},
		[2]string{"to", fmtTime(win.To)},
		[2]string{"width", fmtDuration(win.Width())},
		[2]string{"compare span", fmtDuration(span) + " each side of a pin"},
		[2]string{"events", groupInt(int64(inWin)) + " in the window, " + groupInt(int64(len(events))) + " in the run"},
	)
	latest := &table{header: true, cols: []column{{title: "metric", width: 0.5}, {title: "latest", width: 0.5, align: canvas.Right}}}
	for _, m := range studio.MetricNames {
		if v, ok := run.Summary[m]; ok {
			latest.rows = append(latest.rows, []cell{{text: m}, {text: fmtValue(v, studio.MetricUnits[m])}})
		}
	}
	twoColumns(rep, "Window", window, "Latest values", latest)
	pinsTable(rep, pins, win)
}

// pinsTable lists the pins, or says how to add some.
func pinsTable(rep *report, pins []pin, win timeline.Window) {
	rep.subheading("Pins", rowH*2)
	if len(pins) == 0 {
		rep.note("No pins: pass ?pins=<event id>,<event id> to mark events and compare the metrics and logs around them.")
		return
	}
	t := &table{header: true, cols: []column{
		{title: "pin", width: 0.06}, {title: "time", width: 0.2}, {title: "lane", width: 0.1},
		{title: "severity", width: 0.1}, {title: "event", width: 0.54},
	}}
	for _, p := range pins {
		label := cell{text: p.label, bold: true, color: rep.pal.pin}
		at := fmtTime(p.ev.Time)
		if !win.Contains(p.ev.Time) {
			at += " (outside window)"
		}
		t.rows = append(t.rows, []cell{label, {text: at}, {text: string(p.ev.Lane)},
			{text: string(p.ev.Severity), color: rep.pal.severityColor(p.ev.Severity)}, {text: p.ev.Title}})
	}
	rep.table(t)
}

// twoColumns writes two titled tables side by side.
func twoColumns(rep *report, lt string, left *table, rt string, right *table) {
	h := 22 + max(tableHeight(left), tableHeight(right)) + 12
	rep.block(h, func(s *sheet, b rect) {
		colW := (b.W - 24) / 2
		st := withColor(subheadingText, rep.pal.text)
		s.text(b.X, b.Y+14, lt, st, canvas.Left)
		s.text(b.X+colW+24, b.Y+14, rt, st, canvas.Left)
		drawTable(s, b.X, b.Y+22, colW, left, left.rows)
		drawTable(s, b.X+colW+24, b.Y+22, colW, right, right.rows)
	})
}

// chartGroup is one report chart: series sharing an axis.
type chartGroup struct {
	title  string
	unit   string
	series []studio.Series
}

// singleCharts returns one chartGroup per series.
func singleCharts(series []studio.Series) []chartGroup {
	groups := make([]chartGroup, len(series))
	for i, s := range series {
		groups[i] = chartGroup{title: s.Name, unit: s.Unit, series: []studio.Series{s}}
	}
	return groups
}

// metricCharts writes one chart per group over the window, two per page,
// with the pins marked.
func metricCharts(rep *report, title string, groups []chartGroup, win timeline.Window, pins []pin) {
	if !rep.pageBreak() {
		return
	}
	rep.heading(title+" · "+fmtTime(win.From)+" – "+fmtTime(win.To), 0)
	chartH := math.Floor((rep.bottom() - pageMargin - 28) / 2)
	var marks []plotMark
	for _, p := range pins {
		if win.Contains(p.ev.Time) {
			marks = append(marks, plotMark{x: chart.Seconds(p.ev.Time), label: p.label})
		}
	}
	color := 0
	for _, g := range groups {
		spec := &plotSpec{
			title:    withUnit(g.title, g.unit),
			x:        XTime,
			yLabel:   withUnit(g.title, g.unit),
			fixedX:   true,
			xFrom:    chart.Seconds(win.From),
			xTo:      chart.Seconds(win.To),
			marks:    marks,
			noLegend: len(g.series) == 1,
		}
		for _, s := range g.series {
			spec.lines = append(spec.lines, plotLine{name: s.Name, unit: s.Unit, color: rep.pal.seriesColor(color), line: s.Points})
			color++
		}
		if len(g.series) == 1 {
			spec.subtitle = seriesSummary(g.series[0])
		}
		rep.block(chartH, func(sh *sheet, b rect) {
			if l, err := layoutPlot(sh, b, spec); err == nil { // only a log scale fails
				drawPlot(sh, l, spec)
			}
		})
	}
}

// seriesSummary describes a series in a window: its point count and
// range.
func seriesSummary(s studio.Series) string {
	st := timeline.Measure(s.Points, timeline.Span{From: time.Time{}, To: time.Unix(1<<62, 0)})
	if st.Count == 0 {
		return "no points in the window"
	}
	return groupInt(int64(st.Count)) + " points · min " + fmtValue(st.Min, s.Unit) + " · mean " + fmtValue(st.Mean, s.Unit) +
		" · max " + fmtValue(st.Max, s.Unit) + " · last " + fmtValue(st.Last, s.Unit)
}

// lanesSection writes the lanes strip of the window and lists its events,
// on a new page when newPage is set.
func lanesSection(rep *report, events []studio.Event, win timeline.Window, pins []pin, newPage bool) {
	if newPage && !rep.pageBreak() {
		return
	}
	rep.gap(8)
	lanes := timeline.Group(events)
	var in []studio.Event
	for _, ev := range events {
		if win.Contains(ev.Time) {
			in = append(in, ev)
		}
	}
	rep.heading("Timeline · "+plural(len(in), "event")+" in the window", lanesHeight(len(lanes)))
	rep.block(lanesHeight(len(lanes)), func(s *sheet, b rect) { drawLanes(s, b, lanes, win, pins) })
	rep.gap(12)
	if len(in) == 0 {
		return
	}
	rep.subheading("Events in the window", rowH*3)
	t := &table{header: true, cols: []column{
		{title: "time", width: 0.18}, {title: "lane", width: 0.1}, {title: "severity", width: 0.09},
		{title: "step", width: 0.08, align: canvas.Right}, {title: "event", width: 0.55},
	}}
	for _, ev := range in[:min(len(in), maxEventRows)] {
		step := ""
		if ev.Step > 0 {
			step = groupInt(int64(ev.Step))
		}
		t.rows = append(t.rows, []cell{{text: fmtTime(ev.Time)}, {text: string(ev.Lane)},
			{text: string(ev.Severity), color: rep.pal.severityColor(ev.Severity)}, {text: step, muted: true}, {text: ev.Title}})
	}
	rep.table(t)
	if len(in) > maxEventRows {
		rep.note("… and " + plural(len(in)-maxEventRows, "more event") + " in the window: narrow it to list them.")
	}
}

// comparisonSection writes one comparison on its own page.
func comparisonSection(rep *report, c comparison, span time.Duration) {
	if !rep.pageBreak() {
		return
	}
	rep.heading(c.title, rowH*4)
	rep.note("before " + fmtSpan(c.cmp.Before) + "  ·  after " + fmtSpan(c.cmp.After) + "  ·  span " + fmtDuration(span))
	rep.gap(4)
	rep.subheading("Metric deltas", rowH*3)
	rep.table(deltaTable(c.cmp, rep.pal))
	if !c.hasLogs {
		return
	}
	rep.subheading("Log pattern shifts", rowH*3)
	note := groupInt(int64(c.nBefore)) + " lines before, " + groupInt(int64(c.nAfter)) + " after"
	if c.nBefore >= c.logLimit || c.nAfter >= c.logLimit {
		note += " (each side mined up to its first " + groupInt(int64(c.logLimit)) + " lines)"
	}
	if len(c.shifts) > maxShiftRows {
		note += " · top " + strconv.Itoa(maxShiftRows) + " of " + plural(len(c.shifts), "pattern")
	}
	rep.note(note)
	if len(c.shifts) == 0 {
		rep.note("No log lines in either span.")
		return
	}
	rep.table(shiftTable(c.shifts, rep.pal))
}

func fmtSpan(s timeline.Span) string {
	return "[" + fmtTime(s.From) + ", " + fmtTime(s.To) + ")"
}

func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return fmtTime(*t)
}

func errorSuffix(msg string) string {
	if msg == "" {
		return ""
	}
	return ": " + msg
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return groupInt(int64(n)) + " " + noun + "s"
}

// statusPill draws a status label in a rounded pill whose right edge is x
// and vertical centre y.
func statusPill(s *sheet, x, y float64, status string, col color.RGBA) {
	st := withColor(textStyle{size: 11, bold: true}, s.pal.background)
	w := s.textWidth(status, st) + 20
	s.roundRect(x-w, y-10, w, 20, 10, col)
	s.text(x-w/2, y+s.capHeight(st)/2, status, st, canvas.Center)
}

func runStatusColor(st studio.RunStatus, pal palette) color.RGBA {
	switch st {
	case studio.RunSucceeded:
		return pal.good
	case studio.RunFailed:
		return pal.bad
	case studio.RunRunning:
		return pal.info
	}
	return pal.muted
}
