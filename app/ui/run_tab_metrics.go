package ui

import (
	"strconv"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunMetricsTab is the metrics tab of the run page: every metric of the
// run as a grid of live charts with a shared crosshair, and the settings
// they share (smoothing, x axis), kept in the URL as ?smooth= and ?x=.
// Each chart keeps its own log scale and zoom there too (?log=, ?zoom=).
type RunMetricsTab struct {
	app.Compo
	Run    studio.Run
	Client *query.Client
	Data   *rundata.State
	Sync   *ChartSync

	view ChartView
}

// OnNav reads the chart settings from the URL.
func (t *RunMetricsTab) OnNav(ctx app.Context) { t.view = chartViewFromURL(ctx) }

// OnMount reads the chart settings from the URL (OnNav does not run for a
// tab mounted by a tab switch within the page).
func (t *RunMetricsTab) OnMount(ctx app.Context) { t.view = chartViewFromURL(ctx) }

// chartViewFromURL reads ?smooth= and ?x=.
func chartViewFromURL(ctx app.Context) ChartView {
	q := ctx.Page().URL().Query()
	v := ChartView{Smooth: DefaultSmoothing, X: parseChartX(q.Get("x"))}
	if f, err := strconv.ParseFloat(q.Get("smooth"), 64); err == nil && f >= 0 && f <= 0.99 {
		v.Smooth = f
	}
	return v
}

// saveView writes the chart settings into the URL without navigating.
func (t *RunMetricsTab) saveView(ctx app.Context) {
	u := ctx.Page().URL()
	q := u.Query()
	q.Set("smooth", strconv.FormatFloat(t.view.Smooth, 'f', -1, 64))
	q.Set("x", string(t.view.X))
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(u)
}

// metricNames lists the run's metrics in display order.
func (t *RunMetricsTab) metricNames() []string {
	if t.Data != nil {
		if names := t.Data.SeriesNames(); len(names) > 0 {
			return names
		}
	}
	names := make([]string, 0, len(t.Run.Metrics))
	for _, m := range t.Run.Metrics {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		names = studio.MetricNames
	}
	return names
}

// Render draws the toolbar and the chart grid.
func (t *RunMetricsTab) Render() app.UI {
	names := t.metricNames()
	view := t.view
	if view.X == "" {
		view = ChartView{Smooth: DefaultSmoothing, X: xStep}
	}
	return app.Section().Class("panel metrics-tab").DataSet("testid", "run-metrics").Aria("labelledby", "metrics-title").Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("metrics-title").Text("Metrics"),
			chartToolbar(view, t.onSmooth, t.onX),
		),
		app.Div().Class("chart-grid").Body(app.Range(names).Slice(func(i int) app.UI {
			return &MetricChart{Data: t.Data, Client: t.Client, Sync: t.Sync, Metric: names[i], View: view, InURL: true}
		})),
		app.P().Class("muted chart-hint").Text("Drag across a chart to zoom, double-click to reset. The crosshair follows the same step on every chart."),
	)
}

func (t *RunMetricsTab) onSmooth(ctx app.Context, e app.Event) {
	f, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		ctx.PreventUpdate()
		return
	}
	t.view.Smooth = min(max(f, 0), 0.99)
	if t.view.X == "" {
		t.view.X = xStep
	}
	t.saveView(ctx)
}

func (t *RunMetricsTab) onX(ctx app.Context, e app.Event) {
	t.view.X = parseChartX(ctx.JSSrc().Get("value").String())
	if t.view.Smooth == 0 && ctx.Page().URL().Query().Get("smooth") == "" {
		t.view.Smooth = DefaultSmoothing
	}
	t.saveView(ctx)
}

// chartToolbar renders the smoothing slider and the x axis choice.
func chartToolbar(v ChartView, onSmooth, onX app.EventHandler) app.UI {
	axis := func(x chartX, label string) app.UI {
		return app.Button().Type("button").
			Class("seg-btn").
			Aria("pressed", v.X == x).
			Value(string(x)).
			DataSet("x", string(x)).
			OnClick(onX).
			Text(label)
	}
	return app.Div().Class("chart-toolbar").Body(
		app.Label().Class("smooth-ctl").Body(
			app.Span().Text("Smoothing"),
			app.Input().Type("range").
				Min(0).Max(0.99).Step(0.01).
				Value(strconv.FormatFloat(v.Smooth, 'f', 2, 64)).
				Aria("label", "Smoothing").
				DataSet("testid", "smoothing").
				OnInput(onSmooth),
			app.Span().Class("num smooth-val").Text(strconv.FormatFloat(v.Smooth, 'f', 2, 64)),
		),
		app.Div().Class("seg").Attr("role", "group").Aria("label", "X axis").Body(
			axis(xStep, "Step"),
			axis(xRelative, "Relative"),
			axis(xWall, "Wall time"),
		),
	)
}
