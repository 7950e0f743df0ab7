package ui

import (
	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunOverviewTab shows a run's summary metrics, timing and series.
type RunOverviewTab struct {
	app.Compo
	Run    studio.Run
	Clock  *Clock
	Client *query.Client
	Data   *rundata.State
	Sync   *ChartSync
}

// Render draws the tab.
func (t *RunOverviewTab) Render() app.UI {
	r := t.Run
	now := t.Clock.Now()
	metrics := make([]app.UI, 0, len(studio.MetricNames))
	for _, m := range studio.MetricNames {
		v, ok := r.Summary[m]
		if !ok {
			continue
		}
		metrics = append(metrics, app.Div().Class("metric-card").DataSet("metric", m).Body(
			app.Div().Class("metric-name").Text(metricLabel(m)),
			app.Div().Class("metric-value num").Text(formatMetric(m, v)),
		))
	}
	started, ended := "—", "—"
	if r.StartedAt != nil {
		started = format.TimeSec(*r.StartedAt)
	}
	if r.EndedAt != nil {
		ended = format.TimeSec(*r.EndedAt)
	}
	keyCharts := []string{studio.MetricLoss, studio.MetricValLoss, studio.MetricAccuracy}
	view := ChartView{Smooth: DefaultSmoothing, X: xStep}
	return app.Div().Class("overview").Body(
		app.Section().Class("panel").Aria("labelledby", "ov-charts").Body(
			app.Div().Class("panel-head").Body(
				app.H2().ID("ov-charts").Text("Key metrics"),
				withRunTabLink(app.A().Class("panel-link").Href(hrefRun(r.ID)+"?tab=metrics").DataSet("tab", "metrics").Text("All metrics →")),
			),
			app.Div().Class("chart-grid chart-grid-3").Body(app.Range(keyCharts).Slice(func(i int) app.UI {
				return &MetricChart{Data: t.Data, Client: t.Client, Sync: t.Sync, Metric: keyCharts[i], View: view, Height: 200}
			})),
		),
		app.Section().Class("panel").Aria("labelledby", "ov-logs").Body(
			app.Div().Class("panel-head").Body(
				app.H2().ID("ov-logs").Text("Latest log lines"),
				withRunTabLink(app.A().Class("panel-link").Href(hrefRun(r.ID)+"?tab=logs").DataSet("tab", "logs").Text("Open logs →")),
			),
			&LogTail{Data: t.Data, Lines: 12},
		),
		app.Section().Class("panel").Aria("labelledby", "ov-summary").Body(
			app.Div().Class("panel-head").Body(app.H2().ID("ov-summary").Text("Summary metrics")),
			app.If(len(metrics) == 0, func() app.UI {
				return emptyState("No metrics yet", "The run has not reported any metric.", nil)
			}).Else(func() app.UI {
				return app.Div().Class("metric-grid").Body(metrics...)
			}),
		),
		app.Div().Class("two-col").Body(
			app.Section().Class("panel").Aria("labelledby", "ov-timing").Body(
				app.Div().Class("panel-head").Body(app.H2().ID("ov-timing").Text("Timing")),
				kvList(
					kv{"Status", pill(string(r.Status))},
					kv{"Created", app.Span().Title(format.TimeSec(r.CreatedAt)).Text(format.Ago(r.CreatedAt, now))},
					kv{"Started", app.Text(started)},
					kv{"Ended", app.Text(ended)},
					kv{"Duration", app.Text(runDurationText(r))},
					kv{"Steps", app.Text(format.Int(r.Steps) + " of " + format.Int(r.TotalSteps))},
					kv{"Step time", app.Text(format.Float(r.StepSeconds, 2) + " s")},
					kv{"Log lines", app.Text(format.Int64(r.LogCount))},
				),
			),
			app.Section().Class("panel").Aria("labelledby", "ov-series").Body(
				app.Div().Class("panel-head").Body(
					app.H2().ID("ov-series").Text("Series"),
					withRunTabLink(app.A().Class("panel-link").Href(hrefRun(r.ID)+"?tab=metrics").DataSet("tab", "metrics").Text("Open metrics →")),
				),
				app.Table().Class("simple").Body(
					app.THead().Body(app.Tr().Body(
						app.Th().Scope("col").Text("Metric"),
						app.Th().Scope("col").Class("num").Text("Latest"),
						app.Th().Scope("col").Class("num").Text("Points"),
					)),
					app.TBody().Body(app.Range(r.Metrics).Slice(func(i int) app.UI {
						m := r.Metrics[i]
						latest := "—"
						if v, ok := r.Summary[m.Name]; ok {
							latest = formatMetric(m.Name, v)
						}
						return app.Tr().Body(
							app.Td().Text(metricLabel(m.Name)),
							app.Td().Class("num").Text(latest),
							app.Td().Class("num").Text(format.Int(m.Points)),
						)
					})),
				),
			),
		),
	)
}
