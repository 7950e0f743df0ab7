package export

import (
	"image/color"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// maxHistoryRows caps the rollout history a deployment report lists.
const maxHistoryRows = 200

// Health track names and units.
const (
	trackP50       = "latency_p50"
	trackP99       = "latency_p99"
	trackErrorRate = "error_rate"
	trackRPS       = "rps"
)

// HandleDeploymentReport serves GET /api/deployments/{id}/report.pdf: an
// A4 landscape PDF of a rollout over a window of its health history (see
// ReportQuery): the deployment, its canary steps and traffic split, the
// health tracks (latency p50/p99, error rate, requests per second) with
// the pins marked, the lanes strip, the rollout history and incidents,
// and the health deltas around each pin.
func (e *Exporter) HandleDeploymentReport(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := api.ValidateID("deployment", id); err != nil {
		e.writeError(w, r, err)
		return
	}
	q, err := ParseReportQuery(r.URL.Query())
	if err != nil {
		e.writeError(w, r, err)
		return
	}
	if len(q.Names) > 0 {
		e.writeError(w, r, invalidf("name applies to run reports only: a deployment report shows every health track"))
		return
	}
	d, err := e.st.Deployment(studio.DeploymentID(id))
	if err != nil {
		e.writeError(w, r, err)
		return
	}
	out := &file{format: FormatPDF, name: string(d.ID) + "-report.pdf"}
	e.renderAndSend(w, r, out, func() error { return e.renderDeploymentReport(out, d, q) })
}

// renderDeploymentReport writes the deployment report of q into out.
func (e *Exporter) renderDeploymentReport(out *file, d studio.Deployment, q ReportQuery) error {
	rep, info, err := e.deploymentReport(d, q)
	if err != nil {
		return err
	}
	return writePDF(&out.body, rep.fs, rep.pages, info)
}

// deploymentReport lays out the deployment report of q.
func (e *Exporter) deploymentReport(d studio.Deployment, q ReportQuery) (*report, pdfInfo, error) {
	fs, err := sharedFonts()
	if err != nil {
		return nil, pdfInfo{}, err
	}
	ep, err := e.st.DeploymentEvents(d.ID, api.EventQuery{})
	if err != nil {
		return nil, pdfInfo{}, err
	}
	subject := "deployment " + string(d.ID)
	if q.From.IsZero() && len(d.HealthHistory) > 0 {
		// By default the window is the health history, what the tracks
		// show; the span (and an explicit from) reaches back to the first
		// rollout event.
		first := d.HealthHistory[0].Time
		for _, h := range d.HealthHistory {
			first = minTime(first, h.Time)
		}
		if first.After(ep.From) && first.Before(ep.To) && (q.To.IsZero() || first.Before(q.To)) {
			q.From = first
		}
	}
	win, err := resolveWindow(subject, ep.From, ep.To, q)
	if err != nil {
		return nil, pdfInfo{}, err
	}
	events := timeline.DeploymentEvents(d)
	// Pins may come from either event list: the lanes' (timeline) or the
	// API's /events (store) ids.
	pins, err := resolvePins(q.Pins, subject, events, sortedEvents(ep.Events))
	if err != nil {
		return nil, pdfInfo{}, err
	}
	span := compareSpan(win, q.Span)
	health := healthSeries(d.HealthHistory)
	in := make([]studio.Series, len(health))
	for i, s := range health {
		in[i] = s
		in[i].Points = pointsIn(s.Points, win.From, win.To)
	}

	rep := newReport(fs, "AI Infra Studio · deployment report · "+d.Name+" ("+string(d.ID)+")")
	deploymentHeader(rep, d, win, span, pins)
	metricCharts(rep, "Health", []chartGroup{
		{title: "latency", unit: "ms", series: in[0:2]},
		{title: trackErrorRate, unit: "%", series: in[2:3]},
		{title: trackRPS, unit: "req/s", series: in[3:4]},
	}, win, pins)
	lanesSection(rep, events, win, pins, false)
	historySection(rep, d)
	for _, p := range planComparisons(pins, span) {
		if rep.full {
			break
		}
		comparisonSection(rep, comparison{title: p.title, cmp: p.compare(health, span)}, span)
	}
	rep.finish()
	info := pdfInfo{title: "Deployment report: " + d.Name, subject: string(d.ID) + " · " + fmtTime(win.From) + " – " + fmtTime(win.To)}
	return rep, info, nil
}

// healthSeries turns a health history into four series: latency p50 and
// p99 (ms), error rate (percent) and requests per second. Step is the
// sample's index.
func healthSeries(hist []studio.HealthSample) []studio.Series {
	out := []studio.Series{
		{Name: trackP50, Unit: "ms"}, {Name: trackP99, Unit: "ms"},
		{Name: trackErrorRate, Unit: "%"}, {Name: trackRPS, Unit: "req/s"},
	}
	for i := range out {
		out[i].Points = make([]studio.Point, 0, len(hist))
	}
	hist = slices.Clone(hist)
	slices.SortStableFunc(hist, func(a, b studio.HealthSample) int { return a.Time.Compare(b.Time) })
	for i, h := range hist {
		for j, v := range []float64{h.LatencyP50, h.LatencyP99, h.ErrorRate * 100, h.RPS} {
			out[j].Points = append(out[j].Points, studio.Point{Step: i, Time: h.Time, Value: v})
			out[j].Total++
		}
	}
	return out
}

// pointsIn returns the points with from <= Time <= to; pts must be sorted
// by Time.
func pointsIn(pts []studio.Point, from, to time.Time) []studio.Point {
	lo, _ := slices.BinarySearchFunc(pts, from, func(p studio.Point, t time.Time) int { return p.Time.Compare(t) })
	hi, found := slices.BinarySearchFunc(pts, to, func(p studio.Point, t time.Time) int { return p.Time.Compare(t) })
	if found {
		hi++
	}
	return pts[lo:max(lo, hi)]
}

// deploymentHeader writes the first page: the deployment, its rollout
// steps and traffic split, its current health and the pins.
func deploymentHeader(rep *report, d studio.Deployment, win timeline.Window, span time.Duration, pins []pin) {
	pal := rep.pal
	rep.block(64, func(s *sheet, b rect) {
		s.text(b.X, b.Y+11, "DEPLOYMENT REPORT", withColor(docKickerText, pal.muted), canvas.Left)
		s.text(b.X, b.Y+38, s.fit(d.Name, docTitleText, b.W-160), withColor(docTitleText, pal.text), canvas.Left)
		statusPill(s, b.right(), b.Y+22, string(d.Status), deployStatusColor(d.Status, pal))
		sub := string(d.ID) + " · " + d.Environment + " · " + d.Region + " · model " + string(d.ModelID)
		s.text(b.X, b.Y+58, s.fit(sub, bodyText, b.W), withColor(bodyText, pal.muted), canvas.Left)
	})
	rep.gap(10)
	rep.subheading("Rollout", 70)
	rep.block(74, func(s *sheet, b rect) { drawRollout(s, b, d) })
	rep.gap(8)

	canary := "none"
	if d.Canary > 0 {
		canary = "v" + strconv.Itoa(d.Canary)
	}
	step := "no canary running"
	if d.StepIndex >= 0 && d.StepIndex < len(d.Steps) {
		step = strconv.Itoa(d.StepIndex+1) + " of " + strconv.Itoa(len(d.Steps)) + " (" + strconv.Itoa(d.Steps[d.StepIndex]) + "%)"
	}
	open := 0
	for _, inc := range d.Incidents {
		if inc.ClosedAt == nil {
			open++
		}
	}
	left := kvTable(
		[2]string{"id", string(d.ID)},
		[2]string{"model", string(d.ModelID)},
		[2]string{"environment", d.Environment + " · " + d.Region},
		[2]string{"stable version", "v" + strconv.Itoa(d.Stable)},
		[2]string{"canary version", canary},
		[2]string{"canary step", step},
		[2]string{"canary traffic", strconv.Itoa(d.CanaryPercent) + "%"},
		[2]string{"updated", fmtTime(d.UpdatedAt)},
	)
	h := d.Health
	right := kvTable(
		[2]string{"latency p50", fmtValue(h.LatencyP50, "ms")},
		[2]string{"latency p99", fmtValue(h.LatencyP99, "ms")},
		[2]string{"error rate", fmtValue(h.ErrorRate*100, "%")},
		[2]string{"requests", fmtValue(h.RPS, "req/s")},
		[2]string{"incidents", strconv.Itoa(open) + " open, " + strconv.Itoa(len(d.Incidents)) + " total"},
		[2]string{"window", fmtTime(win.From) + " – " + fmtTime(win.To)},
		[2]string{"compare span", fmtDuration(span) + " each side of a pin"},
	)
	twoColumns(rep, "Deployment", left, "Current health", right)
	pinsTable(rep, pins, win)
}

// drawRollout draws the canary steps as boxes (done, current, pending) and
// the traffic split between stable and canary as a bar.
func drawRollout(s *sheet, b rect, d studio.Deployment) {
	pal := s.pal
	n := max(len(d.Steps), 1)
	gap := 8.0
	w := min(120, (b.W-gap*float64(n-1))/float64(n))
	st := textStyle{size: 12, bold: true}
	half := s.capHeight(st) / 2
	for i, pct := range d.Steps {
		x := b.X + float64(i)*(w+gap)
		fill, text := pal.panel, pal.muted
		switch {
		case d.StepIndex >= 0 && i < d.StepIndex:
			fill, text = withAlpha(pal.good, 0.85), pal.background
		case i == d.StepIndex:
			fill, text = pal.info, pal.background
		}
		s.roundRect(x, b.Y, w, 26, 4, fill)
		s.text(x+w/2, b.Y+13+half, strconv.Itoa(pct)+"%", withColor(st, text), canvas.Center)
	}
	// Traffic bar.
	y := b.Y + 38
	canary := float64(max(0, min(100, d.CanaryPercent))) / 100
	s.roundRect(b.X, y, b.W, 16, 3, pal.seriesColor(0))
	if canary > 0 {
		s.fillRect(b.X+b.W*(1-canary), y, b.W*canary, 16, pal.seriesColor(1))
	}
	label := withColor(textStyle{size: 10.5}, pal.text)
	s.text(b.X, y+30, "stable v"+strconv.Itoa(d.Stable)+" · "+strconv.Itoa(100-d.CanaryPercent)+"% of traffic", label, canvas.Left)
	if d.Canary > 0 {
		s.text(b.right(), y+30, "canary v"+strconv.Itoa(d.Canary)+" · "+strconv.Itoa(d.CanaryPercent)+"% of traffic", label, canvas.Right)
	}
}

// historySection lists the rollout history and the incidents.
func historySection(rep *report, d studio.Deployment) {
	if !rep.pageBreak() {
		return
	}
	rep.heading("Rollout history · "+plural(len(d.History), "change"), rowH*3)
	t := &table{header: true, cols: []column{
		{title: "#", width: 0.04, align: canvas.Right}, {title: "time", width: 0.17}, {title: "action", width: 0.11},
		{title: "status", width: 0.17}, {title: "traffic", width: 0.07, align: canvas.Right},
		{title: "actor", width: 0.1}, {title: "note", width: 0.34},
	}}
	hist := d.History
	if len(hist) > maxHistoryRows {
		hist = hist[len(hist)-maxHistoryRows:]
	}
	for _, h := range hist {
		t.rows = append(t.rows, []cell{
			{text: strconv.Itoa(h.Seq), muted: true}, {text: fmtTime(h.Time)}, {text: string(h.Action), bold: true},
			{text: string(h.From) + " → " + string(h.To), color: deployStatusColor(h.To, rep.pal)},
			{text: strconv.Itoa(h.Percent) + "%"}, {text: h.Actor, muted: true}, {text: h.Note},
		})
	}
	rep.table(t)
	if len(d.History) > maxHistoryRows {
		rep.note("Showing the latest " + strconv.Itoa(maxHistoryRows) + " of " + plural(len(d.History), "change") + ".")
	}
	rep.gap(6)
	rep.subheading("Incidents · "+plural(len(d.Incidents), "incident"), rowH*2)
	if len(d.Incidents) == 0 {
		rep.note("No incidents.")
		return
	}
	it := &table{header: true, cols: []column{
		{title: "id", width: 0.17}, {title: "severity", width: 0.09}, {title: "title", width: 0.38},
		{title: "opened", width: 0.17}, {title: "closed", width: 0.19},
	}}
	for _, inc := range d.Incidents {
		closed := cell{text: "open", bold: true, color: rep.pal.critical}
		if inc.ClosedAt != nil {
			closed = cell{text: fmtTime(*inc.ClosedAt) + " (" + fmtDuration(inc.ClosedAt.Sub(inc.OpenedAt)) + ")"}
		}
		it.rows = append(it.rows, []cell{{text: inc.ID, muted: true},
			{text: string(inc.Severity), color: rep.pal.severityColor(inc.Severity)},
			{text: inc.Title}, {text: fmtTime(inc.OpenedAt)}, closed})
	}
	rep.table(it)
}

func deployStatusColor(st studio.DeploymentStatus, pal palette) color.RGBA {
	switch st {
	case studio.DeployHealthy:
		return pal.good
	case studio.DeployProgressing:
		return pal.info
	case studio.DeployPaused, studio.DeployRolledBack:
		return pal.warning
	case studio.DeployDegraded:
		return pal.bad
	}
	return pal.muted
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
