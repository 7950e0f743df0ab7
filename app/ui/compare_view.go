package ui

import (
	"strings"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/viz"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// compareMaxPoints is the decimation asked of the server per series.
const compareMaxPoints = 400

// maxCompare bounds how many runs the compare view overlays.
const maxCompare = 8

// CompareView overlays one metric of several runs on a line chart,
// fetching /api/runs/{id}/metrics?name=…&max_points=400 for each run.
type CompareView struct {
	app.Compo
	Client *query.Client
	// Runs are the runs to overlay, in legend order.
	Runs []studio.Run
	// Metric is the metric shown; OnMetric is told when the user picks
	// another.
	Metric   string
	OnMetric func(ctx app.Context, metric string)

	obs    map[string]*query.Observer[api.MetricsResponse]
	series []viz.ChartSeries
	sig    string
	ctx    app.Context // own context from OnMount: updates re-render this view
}

// OnMount subscribes to the series.
func (c *CompareView) OnMount(ctx app.Context) {
	c.ctx = ctx
	c.sync(ctx)
}

// OnUpdate follows changes of runs or metric. It subscribes through the
// view's own context (OnUpdate's is the parent's).
func (c *CompareView) OnUpdate(ctx app.Context) {
	if c.ctx.Context != nil {
		ctx = c.ctx
	}
	c.sync(ctx)
}

// OnDismount ends the subscriptions.
func (c *CompareView) OnDismount() {
	for _, o := range c.obs {
		o.Close()
	}
	c.obs = nil
}

// sync observes exactly the series of Runs × Metric.
func (c *CompareView) sync(ctx app.Context) {
	if app.IsServer {
		return
	}
	want := make(map[string]bool, len(c.Runs))
	for _, r := range c.Runs {
		want[apiRunMetric(r.ID, c.Metric, compareMaxPoints)] = true
	}
	if c.obs == nil {
		c.obs = make(map[string]*query.Observer[api.MetricsResponse])
	}
	for k, o := range c.obs {
		if !want[k] {
			o.Close()
			delete(c.obs, k)
		}
	}
	for k := range want {
		if _, ok := c.obs[k]; !ok {
			o := &query.Observer[api.MetricsResponse]{}
			o.Observe(ctx, c.Client, k)
			c.obs[k] = o
		}
	}
}

// state summarises the observers: the chart series (rebuilt only when
// some data changed), how many are loading, and the errors.
func (c *CompareView) state() (series []viz.ChartSeries, loading int, errs []string) {
	var sig strings.Builder
	type entry struct {
		run studio.Run
		res query.Result[api.MetricsResponse]
	}
	entries := make([]entry, 0, len(c.Runs))
	for _, r := range c.Runs {
		o := c.obs[apiRunMetric(r.ID, c.Metric, compareMaxPoints)]
		if o == nil {
			loading++
			continue
		}
		res := o.Result
		switch {
		case res.HasData:
			entries = append(entries, entry{r, res})
			sig.WriteString(string(r.ID) + "@" + res.UpdatedAt.String() + ";")
		case res.Failed():
			errs = append(errs, string(r.ID)+": "+studio.ErrorMessage(res.Err))
		default:
			loading++
		}
	}
	if sig.String() == c.sig && c.series != nil {
		return c.series, loading, errs
	}
	series = make([]viz.ChartSeries, 0, len(entries))
	for _, e := range entries {
		s := viz.ChartSeries{Label: e.run.Name + " (" + string(e.run.ID) + ")"}
		for _, ser := range e.res.Data.Series {
			if ser.Name != c.Metric {
				continue
			}
			s.X = make([]float64, len(ser.Points))
			s.Y = make([]float64, len(ser.Points))
			for i, p := range ser.Points {
				s.X[i], s.Y[i] = float64(p.Step), p.Value
			}
		}
		series = append(series, s)
	}
	c.series, c.sig = series, sig.String()
	return series, loading, errs
}

// Render draws the metric picker and the chart.
func (c *CompareView) Render() app.UI {
	series, loading, errs := c.state()
	return app.Section().Class("panel compare").Aria("labelledby", "compare-title").DataSet("testid", "compare-view").Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("compare-title").Text("Compare "+format.Count(len(c.Runs), "run")),
			app.Label().Class("inline-field").Body(
				app.Span().Text("Metric"),
				app.Select().Class("input input-sm").DataSet("testid", "compare-metric").OnChange(c.pick).Body(
					app.Range(studio.MetricNames).Slice(func(i int) app.UI {
						m := studio.MetricNames[i]
						return option(m, metricLabel(m), m == c.Metric)
					}),
				),
			),
		),
		app.If(len(errs) > 0, func() app.UI {
			return app.Div().Class("note note-error").Attr("role", "alert").Text("Some series failed to load: " + strings.Join(errs, "; "))
		}),
		app.If(loading > 0 && len(series) == 0, func() app.UI {
			return skeleton("chart", 1)
		}).Else(func() app.UI {
			return app.Div().Class("compare-chart").Aria("busy", loading > 0).Body(
				&viz.LineChart{ID: "compare-chart", Metric: c.Metric, Series: series, XLabel: "step"},
			)
		}),
	)
}

func (c *CompareView) pick(ctx app.Context, e app.Event) {
	m := ctx.JSSrc().Get("value").String()
	if c.OnMetric != nil && m != c.Metric {
		c.OnMetric(ctx, m)
	}
}
