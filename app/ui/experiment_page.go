package ui

import (
	"net/url"
	"slices"
	"strings"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ExperimentPage shows one experiment: its runs (status filter, sort by
// any summary metric, selection) and a compare view overlaying a metric of
// the selected runs. Selection and metric live in the URL:
// ?compare=run-0001,run-0007&metric=val_loss.
type ExperimentPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	id       studio.ExperimentID
	exp      query.Observer[studio.Experiment]
	runs     query.Observer[api.Page[studio.Run]]
	status   statusFilter
	selected []string
	metric   string
	counts   runCounts
	picked   pickedRuns
}

// pickedRuns caches the selected runs looked up in one runs slice.
type pickedRuns struct {
	of   *studio.Run
	key  string
	runs []studio.Run
}

func (c *pickedRuns) get(all []studio.Run, ids []string) []studio.Run {
	var of *studio.Run
	if len(all) > 0 {
		of = &all[0]
	}
	key := strings.Join(ids, ",")
	if c.runs != nil && c.of == of && c.key == key {
		return c.runs
	}
	byID := make(map[string]studio.Run, len(ids))
	for _, r := range all {
		if slices.Contains(ids, string(r.ID)) {
			byID[string(r.ID)] = r
		}
	}
	runs := make([]studio.Run, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			runs = append(runs, r)
		}
	}
	c.of, c.key, c.runs = of, key, runs
	return runs
}

// OnNav reads the id and view state and loads the data.
func (p *ExperimentPage) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	p.id = studio.ExperimentID(pathID(u.Path))
	q := u.Query()
	p.status = parseStatusFilter(q)
	p.selected = parseIDList(q.Get("compare"), maxCompare)
	p.metric = q.Get("metric")
	if !slices.Contains(studio.MetricNames, p.metric) {
		p.metric = studio.MetricValLoss
	}
	p.setTitle(ctx)
	if app.IsServer {
		return
	}
	p.exp.Changed = p.setTitle
	p.exp.Observe(ctx, p.Client, apiExperiment(p.id))
	p.runs.Observe(ctx, p.Client, apiExperimentRuns(p.id))
}

func (p *ExperimentPage) setTitle(ctx app.Context) {
	if query.IsNotFound(p.exp.Err) && !p.exp.HasData {
		setTitle(ctx, "Experiment not found")
		return
	}
	if p.exp.HasData {
		setTitle(ctx, p.exp.Data.Name)
		return
	}
	setTitle(ctx, string(p.id))
}

// parseIDList reads a comma-separated id list, dropping blanks and
// repeats, keeping at most n.
func parseIDList(s string, n int) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) && len(ids) < n {
			ids = append(ids, id)
		}
	}
	return ids
}

// OnDismount ends the subscriptions.
func (p *ExperimentPage) OnDismount() {
	p.exp.Close()
	p.runs.Close()
}

func (p *ExperimentPage) retry(ctx app.Context, e app.Event) {
	p.exp.Refetch()
	p.runs.Refetch()
}

func (p *ExperimentPage) writeURL(ctx app.Context) {
	u := *ctx.Page().URL()
	q := u.Query()
	p.status.encode(q)
	if len(p.selected) > 0 {
		q.Set("compare", strings.Join(p.selected, ","))
	} else {
		q.Del("compare")
	}
	if p.metric != studio.MetricValLoss {
		q.Set("metric", p.metric)
	} else {
		q.Del("metric")
	}
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(&u)
}

func (p *ExperimentPage) toggleStatus(ctx app.Context, e app.Event) {
	st, ok := readStatusChip(ctx)
	if !ok {
		return
	}
	if st == "" {
		p.status = nil
	} else {
		p.status = p.status.toggle(st)
	}
	p.writeURL(ctx)
}

func (p *ExperimentPage) onSelect(ctx app.Context, keys []string) {
	if len(keys) > maxCompare {
		keys = keys[len(keys)-maxCompare:]
	}
	p.selected = keys
	p.writeURL(ctx)
}

func (p *ExperimentPage) onMetric(ctx app.Context, m string) {
	p.metric = m
	p.writeURL(ctx)
}

func (p *ExperimentPage) clearSelection(ctx app.Context, e app.Event) {
	p.selected = nil
	p.writeURL(ctx)
}

// Render draws the page.
func (p *ExperimentPage) Render() app.UI {
	if query.IsNotFound(p.exp.Err) && !p.exp.HasData {
		return notFound("experiment", string(p.id), "/experiments", "All experiments")
	}
	e := p.exp.Result
	title := app.UI(app.Text(string(p.id)))
	var sub app.UI
	crumbs := []crumb{{"Experiments", "/experiments"}, {string(p.id), ""}}
	if e.HasData {
		title = app.Span().Body(app.Text(e.Data.Name+" "), app.Span().Class("title-id").Body(mono(string(e.Data.ID))))
		sub = app.Span().Body(
			app.Text(e.Data.Description+" · "),
			app.Text(e.Data.Owner+" · "+e.Data.Team),
		)
		crumbs[1].label = e.Data.Name
	}
	return pageRoot("experiment").Body(
		pageHead(crumbs, title, sub,
			app.A().Class("btn btn-primary").Href("/runs/new?experiment="+url.QueryEscape(string(p.id))).Text("New run"),
		),
		p.stats(),
		p.body(),
	)
}

func (p *ExperimentPage) stats() app.UI {
	e := p.exp.Result
	if !e.HasData {
		if e.Failed() {
			return nil
		}
		return skeleton("stats", 4)
	}
	x := e.Data
	best := "—"
	if x.BestValLoss != 0 {
		best = format.Metric(x.BestValLoss)
	}
	return app.Div().Class("stats").Body(
		stat("Runs", format.Int(x.RunCount), ""),
		stat("Running", format.Int(x.RunningCount), "running"),
		stat("Failed", format.Int(x.FailedCount), "failed"),
		stat("Best val loss", best, ""),
		stat("Last activity", format.Ago(x.LastActivity, p.Clock.Now()), ""),
		app.Div().Class("stat stat-tags").Body(tagList(x.Tags)),
	)
}

// stat renders one labelled number.
func stat(label, value, tone string) app.UI {
	return app.Div().Class("stat").Body(
		app.Div().Class("stat-label").Text(label),
		app.Div().Class("stat-value num", "text-"+tone).Text(value),
	)
}

func (p *ExperimentPage) body() app.UI {
	r := p.runs.Result
	switch {
	case r.HasData:
		runs := r.Data.Items
		picked := p.picked.get(runs, p.selected)
		return app.Div().Class("stack-v").Body(
			app.If(len(picked) > 0, func() app.UI {
				return app.Div().Body(
					&CompareView{Client: p.Client, Runs: picked, Metric: p.metric, OnMetric: p.onMetric},
				)
			}).Else(func() app.UI {
				return app.Div().Class("hint").Body(
					app.Text("Tick runs in the table (or press Space on a row) to overlay their metrics."),
				)
			}),
			app.Div().Class("toolbar-row").Body(
				statusChips(p.status, p.counts.get(runs), len(runs), p.toggleStatus),
				app.If(len(p.selected) > 0, func() app.UI {
					return app.Button().Type("button").Class("btn btn-ghost btn-sm").OnClick(p.clearSelection).
						Text("Clear selection (" + format.Int(len(p.selected)) + ")")
				}),
			),
			&table.Table[studio.Run]{
				ID:          "exp-runs",
				Label:       "Runs of " + string(p.id),
				Noun:        "runs",
				Columns:     runColumns(p.Clock.Now(), false),
				Rows:        runs,
				Where:       p.status.where(),
				WhereKey:    p.status.key(),
				RowKey:      func(r studio.Run) string { return string(r.ID) },
				RowHref:     func(r studio.Run) string { return hrefRun(r.ID) },
				DefaultSort: "created",
				DefaultDesc: true,
				Selectable:  true,
				Selected:    p.selected,
				OnSelect:    p.onSelect,
				Height:      600,
				Empty:       "This experiment has no runs yet.",
			},
		)
	case r.Failed():
		if query.IsNotFound(r.Err) {
			return nil
		}
		return errorState("runs", r.Err, p.retry)
	}
	return skeleton("rows", 8)
}
