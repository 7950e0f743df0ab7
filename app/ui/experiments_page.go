package ui

import (
	"cmp"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ExperimentsPage lists the experiments.
type ExperimentsPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	list listPage[studio.Experiment]
}

// OnNav loads the experiments.
func (p *ExperimentsPage) OnNav(ctx app.Context) { p.list.nav(ctx, p.Client, p.spec()) }

// OnDismount ends the subscription.
func (p *ExperimentsPage) OnDismount() { p.list.close() }

// Render draws the page.
func (p *ExperimentsPage) Render() app.UI { return p.list.render(p.spec()) }

func (p *ExperimentsPage) spec() listSpec[studio.Experiment] {
	return listSpec[studio.Experiment]{
		page: "experiments", title: "Experiments", key: apiExperiments,
		about: "Groups of runs that explore one question",
		summary: func(items []studio.Experiment) string {
			runs := 0
			for _, e := range items {
				runs += e.RunCount
			}
			return format.Count(len(items), "experiment") + " · " + format.Count(runs, "run")
		},
		actions: []app.UI{
			app.A().Class("btn").Href("/runs").Text("All runs"),
			app.A().Class("btn btn-primary").Href("/runs/new").Text("New run"),
		},
		what: "experiments", skeletonRows: 8,
		table: &table.Table[studio.Experiment]{
			ID:          "experiments",
			Label:       "Experiments",
			Noun:        "experiments",
			Columns:     experimentColumns(p.Clock.Now()),
			RowKey:      func(e studio.Experiment) string { return string(e.ID) },
			RowHref:     func(e studio.Experiment) string { return hrefExperiment(e.ID) },
			DefaultSort: "activity",
			DefaultDesc: true,
			RowHeight:   48,
			Empty:       "No experiments yet.",
		},
	}
}

func experimentColumns(now time.Time) []table.Column[studio.Experiment] {
	return []table.Column[studio.Experiment]{
		{
			ID: "name", Header: "Name", Width: "minmax(220px,2fr)", Required: true,
			Text: func(e studio.Experiment) string { return e.Name + " " + e.Description },
			Cell: func(e studio.Experiment) app.UI {
				return app.Div().Class("cell-stack").Body(
					app.A().Class("cell-link").Href(hrefExperiment(e.ID)).Text(e.Name),
					app.Span().Class("cell-sub").Text(e.Description),
				)
			},
			Compare: func(a, b studio.Experiment) int { return strings.Compare(a.Name, b.Name) },
		},
		{
			ID: "id", Header: "ID", Width: "90px", Class: "mono",
			Text:    func(e studio.Experiment) string { return string(e.ID) },
			Compare: func(a, b studio.Experiment) int { return strings.Compare(string(a.ID), string(b.ID)) },
		},
		{
			ID: "owner", Header: "Owner", Width: "110px",
			Text:    func(e studio.Experiment) string { return e.Owner },
			Compare: func(a, b studio.Experiment) int { return strings.Compare(a.Owner, b.Owner) },
		},
		{
			ID: "team", Header: "Team", Width: "110px",
			Text:    func(e studio.Experiment) string { return e.Team },
			Compare: func(a, b studio.Experiment) int { return strings.Compare(a.Team, b.Team) },
		},
		{
			ID: "runs", Header: "Runs", Width: "70px", Align: table.AlignEnd,
			Cell:    func(e studio.Experiment) app.UI { return app.Text(format.Int(e.RunCount)) },
			Compare: func(a, b studio.Experiment) int { return cmp.Compare(a.RunCount, b.RunCount) },
		},
		{
			ID: "running", Header: "Running", Width: "84px", Align: table.AlignEnd,
			Cell: func(e studio.Experiment) app.UI {
				if e.RunningCount == 0 {
					return app.Span().Class("muted").Text("0")
				}
				return app.Span().Class("text-running").Text(format.Int(e.RunningCount))
			},
			Compare: func(a, b studio.Experiment) int { return cmp.Compare(a.RunningCount, b.RunningCount) },
		},
		{
			ID: "failed", Header: "Failed", Width: "76px", Align: table.AlignEnd,
			Cell: func(e studio.Experiment) app.UI {
				if e.FailedCount == 0 {
					return app.Span().Class("muted").Text("0")
				}
				return app.Span().Class("text-failed").Text(format.Int(e.FailedCount))
			},
			Compare: func(a, b studio.Experiment) int { return cmp.Compare(a.FailedCount, b.FailedCount) },
		},
		{
			ID: "best", Header: "Best val loss", Width: "124px", Align: table.AlignEnd,
			Cell: func(e studio.Experiment) app.UI {
				if e.BestValLoss == 0 {
					return app.Span().Class("muted").Text("—")
				}
				return app.Text(format.Metric(e.BestValLoss))
			},
			Compare: func(a, b studio.Experiment) int { return cmp.Compare(a.BestValLoss, b.BestValLoss) },
		},
		{
			ID: "activity", Header: "Last activity", Width: "112px", Align: table.AlignEnd,
			Cell: func(e studio.Experiment) app.UI {
				return app.Span().Title(format.TimeSec(e.LastActivity)).Text(format.Ago(e.LastActivity, now))
			},
			Compare: func(a, b studio.Experiment) int { return a.LastActivity.Compare(b.LastActivity) },
		},
		{
			ID: "tags", Header: "Tags", Width: "minmax(140px,1fr)", Hidden: true,
			Text: func(e studio.Experiment) string { return strings.Join(e.Tags, " ") },
			Cell: func(e studio.Experiment) app.UI { return tagList(e.Tags) },
		},
	}
}
