package ui

import (
	"strconv"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/viz"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// DashboardPage shows platform health: cards with sparklines, runs that
// need attention and recent activity.
type DashboardPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	dash query.Observer[api.Dashboard]
}

// OnNav loads the dashboard (in the browser only: the server prerenders
// the skeleton).
func (p *DashboardPage) OnNav(ctx app.Context) {
	setTitle(ctx, "Dashboard")
	if app.IsServer {
		return
	}
	p.dash.Observe(ctx, p.Client, apiDashboard)
}

// OnDismount ends the subscription.
func (p *DashboardPage) OnDismount() { p.dash.Close() }

func (p *DashboardPage) retry(ctx app.Context, e app.Event) { p.dash.Refetch() }

// Render draws the page.
func (p *DashboardPage) Render() app.UI {
	r := p.dash.Result
	var sub app.UI = app.Text("Platform health at a glance")
	if r.HasData {
		sub = app.Span().Body(
			app.Text("Platform health · "+format.Int(r.Data.TotalRuns)+" runs · updated "),
			app.Time().DateTime(r.Data.Now.UTC().Format("2006-01-02T15:04:05Z")).Text(format.Time(r.Data.Now)+" UTC"),
		)
	}
	return pageRoot("dashboard").Body(
		pageHead(nil, app.Text("Dashboard"), sub,
			app.A().Class("btn").Href("/experiments").Text("Experiments"),
			app.A().Class("btn btn-primary").Href("/runs/new").Text("New run"),
		),
		p.body(),
	)
}

func (p *DashboardPage) body() app.UI {
	r := p.dash.Result
	switch {
	case r.HasData:
		return p.content(r.Data)
	case r.Failed():
		return errorState("the dashboard", r.Err, p.retry)
	}
	return app.Div().Body(skeleton("cards", 5), skeleton("block", 2))
}

func (p *DashboardPage) content(d api.Dashboard) app.UI {
	now := d.Now
	deps := 0
	for _, n := range d.DeploymentsByStatus {
		deps += n
	}
	incTone := "ok"
	if d.OpenIncidents > 0 {
		incTone = "bad"
	}
	return app.Div().Class("dash").Body(
		app.Section().Class("cards").Aria("label", "Platform health").Body(
			healthCard("Active runs", format.Int(d.ActiveRuns), "/runs?status=running",
				format.Int(d.QueuedRuns)+" queued · "+format.Int(d.GPUsInUse)+" GPUs in use",
				d.RunsStartedHourly, "Runs started per hour, last 24 hours", "accent"),
			healthCard("Success rate", format.Percent(d.SuccessRate), "/runs?status=failed",
				"of finished runs · "+format.Int(d.TotalRuns)+" total",
				d.SuccessRateHourly, "Success rate per hour, last 24 hours", "ok"),
			healthCard("GPU utilisation", format.Pct(d.GPUUtil), "/runs?status=running",
				"mean over running runs",
				d.GPUUtilHourly, "GPU utilisation per hour, last 24 hours", "accent"),
			deploymentsCard(d.DeploymentsByStatus, deps, d.ErrorRateHourly),
			healthCard("Open incidents", format.Int(d.OpenIncidents), "/deployments?status=degraded",
				incidentsNote(d.OpenIncidents),
				d.ErrorRateHourly, "Serving error rate per hour, last 24 hours", incTone),
		),
		app.Div().Class("dash-cols").Body(
			app.Section().Class("panel").Aria("labelledby", "attention-title").Body(
				app.Div().Class("panel-head").Body(
					app.H2().ID("attention-title").Text("Runs needing attention"),
					app.A().Class("panel-link").Href("/runs?status=failed").Text("All failed runs →"),
				),
				attentionList(d.Attention, now),
			),
			app.Section().Class("panel").Aria("labelledby", "activity-title").Body(
				app.Div().Class("panel-head").Body(
					app.H2().ID("activity-title").Text("Recent activity"),
				),
				activityList(d.Activity, now),
			),
		),
	)
}

func incidentsNote(n int) string {
	if n == 0 {
		return "all deployments healthy"
	}
	return "on degraded deployments"
}

// healthCard renders one health card linking to its detail.
func healthCard(title, value, href, note string, series []float64, seriesLabel, tone string) app.UI {
	return app.A().Class("card card-link", "tone-"+tone).Href(href).Body(
		app.Div().Class("card-title").Text(title),
		app.Div().Class("card-value num").Text(value),
		app.Div().Class("card-note").Text(note),
		&viz.Sparkline{Values: series, Label: seriesLabel, Tone: tone, Fill: true},
	)
}

// deploymentsCard renders the deployments-by-status card with a stacked
// bar.
func deploymentsCard(by map[studio.DeploymentStatus]int, total int, errSeries []float64) app.UI {
	segs := make([]app.UI, 0, len(studio.DeploymentStatuses))
	legend := make([]app.UI, 0, len(studio.DeploymentStatuses))
	for _, st := range studio.DeploymentStatuses {
		n := by[st]
		if n == 0 {
			continue
		}
		pct := 100 * float64(n) / float64(max(total, 1))
		segs = append(segs, app.Span().
			Class("stack-seg", "bg-"+string(st)).
			Style("width", strconv.FormatFloat(pct, 'f', 2, 64)+"%").
			Title(strconv.Itoa(n)+" "+string(st)))
		legend = append(legend, app.Span().Class("legend-item").Body(
			app.Span().Class("swatch", "bg-"+string(st)).Aria("hidden", true),
			app.Text(strconv.Itoa(n)+" "+statusLabel(string(st))),
		))
	}
	return app.A().Class("card card-link tone-accent").Href("/deployments").Body(
		app.Div().Class("card-title").Text("Deployments"),
		app.Div().Class("card-value num").Text(format.Int(total)),
		app.Div().Class("stack").Attr("role", "img").Aria("label", deploymentsSummary(by)).Body(segs...),
		app.Div().Class("card-legend").Body(legend...),
	)
}

func deploymentsSummary(by map[studio.DeploymentStatus]int) string {
	s := ""
	for _, st := range studio.DeploymentStatuses {
		if by[st] > 0 {
			if s != "" {
				s += ", "
			}
			s += strconv.Itoa(by[st]) + " " + statusLabel(string(st))
		}
	}
	return s
}

// statusLabel returns a status as words ("rolled back").
func statusLabel(s string) string {
	if s == string(studio.DeployRolledBack) {
		return "rolled back"
	}
	return s
}

func attentionList(items []api.AttentionItem, now time.Time) app.UI {
	if len(items) == 0 {
		return emptyState("Nothing needs attention", "No failed or alerting runs right now.", nil)
	}
	return app.Ul().Class("list").Body(app.Range(items).Slice(func(i int) app.UI {
		it := items[i]
		r := it.Run
		return app.Li().Class("list-item").Body(
			app.Div().Class("list-main").Body(
				app.A().Class("list-title").Href(hrefRun(r.ID)).Text(r.Name),
				app.Div().Class("list-sub").Body(
					mono(string(r.ID)), app.Text(" · "),
					app.A().Href(hrefExperiment(r.ExperimentID)).Text(string(r.ExperimentID)),
					app.Text(" · "+it.Reason),
				),
			),
			app.Div().Class("list-side").Body(
				pill(string(r.Status)),
				app.Span().Class("muted small").Text(format.Ago(attentionTime(r), now)),
			),
		)
	}))
}

func attentionTime(r studio.Run) time.Time {
	switch {
	case r.EndedAt != nil:
		return *r.EndedAt
	case r.StartedAt != nil:
		return *r.StartedAt
	}
	return r.CreatedAt
}

func activityList(events []studio.Event, now time.Time) app.UI {
	if len(events) == 0 {
		return emptyState("No recent activity", "", nil)
	}
	return app.Ul().Class("list activity").Body(app.Range(events).Slice(func(i int) app.UI {
		ev := events[i]
		var title app.UI = app.Text(ev.Title)
		if len(ev.Links) > 0 {
			title = app.A().Href(ev.Links[0].Href).Text(ev.Title)
		}
		return app.Li().Class("list-item").Body(
			app.Span().Class("lane-dot", "lane-"+string(ev.Lane), "sev-"+string(ev.Severity)).Title(string(ev.Lane)).Aria("hidden", true),
			app.Div().Class("list-main").Body(
				app.Div().Class("list-title").Body(title),
				app.Div().Class("list-sub").Body(
					app.Span().Class("tag").Text(laneLabel(ev.Lane)),
					app.Range(ev.Links).Slice(func(j int) app.UI {
						l := ev.Links[j]
						return app.Span().Body(app.Text(" · "), app.A().Href(l.Href).Text(l.Label))
					}),
				),
			),
			app.Span().Class("muted small list-time").Text(format.Ago(ev.Time, now)),
		)
	}))
}

// laneLabel names a timeline lane for people.
func laneLabel(l studio.Lane) string {
	switch l {
	case studio.LaneDeploy:
		return "deploy"
	case studio.LaneCheckpoint:
		return "checkpoint"
	case studio.LaneAlert:
		return "alert"
	case studio.LaneLogSpike:
		return "log spike"
	case studio.LaneCommit:
		return "commit"
	}
	return string(l)
}
