package export

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

// HandleChart serves GET /api/runs/{id}/metrics/chart.{svg,png,pdf}: a
// chart of one or more of the run's metrics (see ChartQuery), drawn with
// the browser's scales, ticks, number formats and decimation.
func (e *Exporter) HandleChart(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	f := Format(vars["format"])
	if !slices.Contains(Formats, f) {
		e.writeError(w, r, studio.Errorf(studio.CodeNotFound, "unknown chart format %s: want svg, png or pdf", quote(vars["format"])))
		return
	}
	id := vars["id"]
	if err := api.ValidateID("run", id); err != nil {
		e.writeError(w, r, err)
		return
	}
	q, err := ParseChartQuery(r.URL.Query())
	if err != nil {
		e.writeError(w, r, err)
		return
	}
	run, err := e.st.Run(studio.RunID(id))
	if err != nil {
		e.writeError(w, r, err)
		return
	}
	out := &file{format: f, name: fmt.Sprintf("%s-%s.%s", run.ID, strings.Join(q.Names, "+"), f)}
	e.renderAndSend(w, r, out, func() error { return e.renderChart(out, run, q) })
}

// renderChart draws the chart of q for run into out.
func (e *Exporter) renderChart(out *file, run studio.Run, q ChartQuery) error {
	fs, err := sharedFonts()
	if err != nil {
		return err
	}
	spec, err := e.chartSpec(run, q)
	if err != nil {
		return err
	}
	return drawChart(out, fs, spec, q)
}

// drawChart lays out, draws and encodes the chart of spec.
func drawChart(out *file, fs *fontSet, spec *plotSpec, q ChartQuery) error {
	w, h := float64(q.Width), float64(q.Height)
	s := newSheet(w, h, fs, palettes[q.Theme])
	s.raster = out.format == FormatPNG
	s.fillRect(0, 0, w, h, s.pal.background)
	l, err := layoutPlot(s, rect{W: w, H: h}, spec)
	if err != nil {
		return err
	}
	drawPlot(s, l, spec)
	switch out.format {
	case FormatSVG:
		return writeSVG(&out.body, s)
	case FormatPNG:
		return writePNG(&out.body, s)
	default:
		return writePDF(&out.body, fs, []*sheet{s}, pdfInfo{title: spec.title, subject: spec.subtitle})
	}
}

// chartSpec loads the series of q and describes the chart.
func (e *Exporter) chartSpec(run studio.Run, q ChartQuery) (*plotSpec, error) {
	if run.Steps == 0 {
		return nil, invalidf("run %s has no metric points yet (status %s)", run.ID, run.Status)
	}
	last := run.Steps - 1
	to := q.To
	if to < 0 || to > last {
		to = last
	}
	if q.From > to {
		return nil, invalidf("no points in range: from step %d is past the run's last step %d", q.From, last)
	}
	series, err := e.fetchSeries(run.ID, q.Names, q.From, to)
	if err != nil {
		return nil, err
	}
	pal := palettes[q.Theme]
	spec := &plotSpec{x: q.X, log: q.Log, yLabel: yLabel(series)}
	total := 0
	for i, s := range series {
		total += len(s.Points)
		ln := plotLine{name: s.Name, unit: s.Unit, color: pal.seriesColor(i), line: s.Points}
		if q.Smooth > 0 {
			ln.raw = s.Points
			ln.line = chart.SmoothPoints(s.Points, q.Smooth)
		}
		spec.lines = append(spec.lines, ln)
	}
	if total == 0 {
		return nil, invalidf("no points in steps %d to %d", q.From, to)
	}
	if run.StartedAt != nil {
		spec.origin = *run.StartedAt
	} else {
		for _, s := range series {
			if len(s.Points) > 0 {
				spec.origin = s.Points[0].Time
				break
			}
		}
	}
	spec.title = run.Name + " · " + strings.Join(q.Names, ", ")
	sub := []string{string(run.ID), "steps " + groupInt(int64(q.From)) + "–" + groupInt(int64(to))}
	if q.Smooth > 0 {
		sub = append(sub, "EMA smoothing "+chart.NumberFormat{}.Format(q.Smooth))
	}
	if q.Log {
		sub = append(sub, "log scale")
	}
	spec.subtitle = strings.Join(sub, " · ")
	return spec, nil
}

// fetchSeries reads names over the inclusive step range [from, to] of a
// run. Ranges longer than MaxRawPoints over all series are read
// pre-decimated by the store (min/max-preserving), so memory stays
// bounded whatever the run's length.
func (e *Exporter) fetchSeries(id studio.RunID, names []string, from, to int) ([]studio.Series, error) {
	q := api.MetricQuery{Names: names, From: from, To: to}
	if (to-from+1)*max(len(names), 1) > MaxRawPoints {
		q.MaxPoints = api.MaxMetricPoints
	}
	res, err := e.st.Metrics(id, q)
	if err != nil {
		return nil, err
	}
	return res.Series, nil
}

// yLabel names the y axis: the metric and its unit for one series, else
// "value" with the units of all of them.
func yLabel(series []studio.Series) string {
	if len(series) == 1 {
		return withUnit(series[0].Name, series[0].Unit)
	}
	var units []string
	for _, s := range series {
		if s.Unit != "" && !slices.Contains(units, s.Unit) {
			units = append(units, s.Unit)
		}
	}
	return withUnit("value", strings.Join(units, ", "))
}

func withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}
