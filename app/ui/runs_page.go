package ui

import (
	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunsPage lists every run of the platform with a status filter; the
// table sorts by any column, including every summary metric.
type RunsPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	runs   query.Observer[api.Page[studio.Run]]
	status statusFilter
	counts runCounts
}

// runCounts caches the status counts of one runs slice.
type runCounts struct {
	of     *studio.Run
	n      int
	counts map[studio.RunStatus]int
}

// get returns the counts of runs, recounting only when the slice changed.
func (c *runCounts) get(runs []studio.Run) map[studio.RunStatus]int {
	var of *studio.Run
	if len(runs) > 0 {
		of = &runs[0]
	}
	if c.counts == nil || c.of != of || c.n != len(runs) {
		c.of, c.n, c.counts = of, len(runs), statusCounts(runs)
	}
	return c.counts
}

// OnNav reads the status filter and loads the runs.
func (p *RunsPage) OnNav(ctx app.Context) {
	setTitle(ctx, "Runs")
	p.status = parseStatusFilter(ctx.Page().URL().Query())
	if app.IsServer {
		return
	}
	p.runs.Observe(ctx, p.Client, apiAllRuns)
}

// OnDismount ends the subscription.
func (p *RunsPage) OnDismount() { p.runs.Close() }

func (p *RunsPage) retry(ctx app.Context, e app.Event) { p.runs.Refetch() }

func (p *RunsPage) toggleStatus(ctx app.Context, e app.Event) {
	st, ok := readStatusChip(ctx)
	if !ok {
		return
	}
	if st == "" {
		p.status = nil
	} else {
		p.status = p.status.toggle(st)
	}
	u := *ctx.Page().URL()
	q := u.Query()
	p.status.encode(q)
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(&u)
}

// Render draws the page.
func (p *RunsPage) Render() app.UI {
	r := p.runs.Result
	var sub app.UI = app.Text("Every training and evaluation run")
	if r.HasData {
		sub = app.Text(format.Count(r.Data.Total, "run") + " across all experiments")
	}
	return pageRoot("runs").Body(
		pageHead([]crumb{{"Experiments", "/experiments"}, {"All runs", ""}}, app.Text("All runs"), sub,
			app.A().Class("btn btn-primary").Href("/runs/new").Text("New run"),
		),
		p.body(),
	)
}

func (p *RunsPage) body() app.UI {
	r := p.runs.Result
	switch {
	case r.HasData:
		runs := r.Data.Items
		return app.Div().Class("stack-v").Body(
			statusChips(p.status, p.counts.get(runs), len(runs), p.toggleStatus),
			&table.Table[studio.Run]{
				ID:          "runs",
				Label:       "All runs",
				Noun:        "runs",
				Columns:     runColumns(p.Clock.Now(), true),
				Rows:        runs,
				Where:       p.status.where(),
				WhereKey:    p.status.key(),
				RowKey:      func(r studio.Run) string { return string(r.ID) },
				RowHref:     func(r studio.Run) string { return hrefRun(r.ID) },
				DefaultSort: "created",
				DefaultDesc: true,
				Height:      640,
				Empty:       "No runs yet. Start one with “New run”.",
			},
		)
	case r.Failed():
		return errorState("runs", r.Err, p.retry)
	}
	return skeleton("rows", 10)
}
