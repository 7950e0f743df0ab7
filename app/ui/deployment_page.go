package ui

import (
	"strconv"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/viz"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/rollout"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"time"
)

// deploymentActions are the operator actions in button order.
var deploymentActions = []studio.DeploymentAction{studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident}

// predictAction returns the deployment d becomes after action a at now,
// using the server's own state machine (rollout.Apply), or the conflict
// that the server would answer. d is not modified.
func predictAction(d studio.Deployment, a studio.DeploymentAction, now time.Time) (studio.Deployment, error) {
	next := d
	_, err := rollout.Apply(&next, a, now, "you")
	if err != nil {
		return d, err
	}
	return next, nil
}

// actionLabel is the button text of an action for d.
func actionLabel(d studio.Deployment, a studio.DeploymentAction) string {
	switch a {
	case studio.ActionAdvance:
		switch {
		case d.Canary == 0:
			return "Advance"
		case d.Status == studio.DeployPaused:
			return "Resume rollout"
		case d.StepIndex < 0:
			return "Start rollout"
		case d.StepIndex+1 >= len(d.Steps)-1:
			return "Promote to 100%"
		}
		return "Advance to " + strconv.Itoa(d.Steps[d.StepIndex+1]) + "%"
	case studio.ActionRollback:
		return "Roll back"
	case studio.ActionSimulateIncident:
		return "Simulate incident"
	}
	return string(a)
}

// actionQuestion is the confirmation prompt of an action.
func actionQuestion(d studio.Deployment, a studio.DeploymentAction, next studio.Deployment) string {
	switch a {
	case studio.ActionAdvance:
		if next.Canary == 0 {
			return "Promote canary v" + strconv.Itoa(d.Canary) + " to stable and send it all traffic?"
		}
		return "Send " + strconv.Itoa(next.CanaryPercent) + "% of traffic to canary v" + strconv.Itoa(next.Canary) + "?"
	case studio.ActionRollback:
		return "Move all traffic back to stable v" + strconv.Itoa(d.Stable) + " and close open incidents?"
	case studio.ActionSimulateIncident:
		return "Open a simulated incident on " + d.Name + "? The deployment becomes degraded."
	}
	return "Run " + string(a) + "?"
}

// DeploymentPage shows a deployment: incident banner, canary steps,
// traffic split, health with sparklines, the operator actions (with a
// confirmation step and optimistic feedback) and the history.
type DeploymentPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	id      studio.DeploymentID
	dep     query.Observer[studio.Deployment]
	confirm studio.DeploymentAction // action awaiting confirmation
	pending studio.DeploymentAction // action in flight
	notice  string                  // outcome of the last action
	failed  bool                    // notice is an error
	// ctx is the page's own context (from OnNav). Results of actions are
	// dispatched through it: the confirm button that started an action
	// is gone by the time the server answers, and go-app drops a
	// dispatch whose source element is unmounted.
	ctx app.Context
}

// OnNav reads the id and loads the deployment.
func (p *DeploymentPage) OnNav(ctx app.Context) {
	id := studio.DeploymentID(pathID(ctx.Page().URL().Path))
	if id != p.id {
		p.confirm, p.pending, p.notice, p.failed = "", "", "", false
	}
	p.id = id
	p.ctx = ctx
	p.title(ctx)
	if app.IsServer {
		return
	}
	p.dep.Changed = p.title
	p.dep.Observe(ctx, p.Client, apiDeployment(p.id))
}

func (p *DeploymentPage) title(ctx app.Context) {
	if query.IsNotFound(p.dep.Err) && !p.dep.HasData {
		setTitle(ctx, "Deployment not found")
		return
	}
	if p.dep.HasData {
		setTitle(ctx, p.dep.Data.Name)
		return
	}
	setTitle(ctx, string(p.id))
}

// OnDismount ends the subscription.
func (p *DeploymentPage) OnDismount() { p.dep.Close() }

func (p *DeploymentPage) retry(ctx app.Context, e app.Event) { p.dep.Refetch() }

// ask shows the confirmation of the clicked action (data-action).
func (p *DeploymentPage) ask(ctx app.Context, e app.Event) {
	a := studio.DeploymentAction(ctx.JSSrc().Get("dataset").Get("action").String())
	p.confirm = a
	p.notice = ""
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID("confirm-action"); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *DeploymentPage) cancel(ctx app.Context, e app.Event) { p.confirm = "" }

// run performs the confirmed action: the expected state shows at once
// (optimistic update of the deployment and of the list) and is rolled
// back, with the server's message, if the server refuses.
func (p *DeploymentPage) run(ctx app.Context, e app.Event) {
	a := p.confirm
	if a == "" || p.pending != "" || !p.dep.HasData {
		return
	}
	d := p.dep.Data
	p.confirm, p.pending, p.notice, p.failed = "", a, "", false
	now := p.Clock.Now()
	id := p.id
	client := p.Client
	predict := func(d studio.Deployment) studio.Deployment {
		next, err := predictAction(d, a, now)
		if err != nil {
			return d
		}
		return next
	}
	label := actionLabel(d, a)
	ctx = p.ctx
	ctx.Async(func() {
		got, err := query.Mutate[studio.Deployment](ctx, client, query.Mutation{
			URL: apiDeploymentAction(id, a),
			Optimistic: []query.Update{
				query.Optimistic(apiDeployment(id), predict),
				query.Optimistic(apiDeployments, func(pg api.Page[studio.Deployment]) api.Page[studio.Deployment] {
					items := make([]studio.Deployment, len(pg.Items))
					for i, x := range pg.Items {
						if x.ID == id {
							x = predict(x)
						}
						items[i] = x
					}
					pg.Items = items
					return pg
				}),
			},
			Invalidate: []string{keyDeployments, apiDashboard, keyRegistry},
		})
		ctx.Dispatch(func(ctx app.Context) {
			p.pending = ""
			if err != nil {
				p.failed = true
				p.notice = label + " failed: " + studio.ErrorMessage(err)
				if query.IsNetwork(err) {
					p.notice = label + " failed: the server could not be reached."
				}
				return
			}
			p.notice = label + " done: deployment is " + statusLabel(string(got.Status)) + "."
		})
	})
}

// Render draws the page.
func (p *DeploymentPage) Render() app.UI {
	r := p.dep.Result
	if query.IsNotFound(r.Err) && !r.HasData {
		return notFound("deployment", string(p.id), "/deployments", "All deployments")
	}
	crumbs := []crumb{{"Deployments", "/deployments"}, {string(p.id), ""}}
	title := app.UI(app.Text(string(p.id)))
	var sub app.UI
	if r.HasData {
		d := r.Data
		crumbs[1].label = d.Name
		title = app.Span().Body(app.Text(d.Name+" "), app.Span().Class("title-id").Body(mono(string(d.ID))))
		sub = app.Span().Class("run-sub").Body(
			pill(string(d.Status)),
			app.Text(" "+d.Environment+" · "+d.Region+" · model "),
			app.A().Href(hrefModel(d.ModelID)).Text(string(d.ModelID)),
			app.Text(" · updated "+format.Ago(d.UpdatedAt, p.Clock.Now())),
		)
	}
	root := pageRoot("deployment")
	if r.HasData {
		root = root.DataSet("status", string(r.Data.Status))
	}
	return root.Body(
		pageHead(crumbs, title, sub),
		p.body(),
	)
}

func (p *DeploymentPage) body() app.UI {
	r := p.dep.Result
	switch {
	case r.HasData:
		return p.content(r.Data)
	case r.Failed():
		return errorState("this deployment", r.Err, p.retry)
	}
	return app.Div().Body(skeleton("stats", 4), skeleton("block", 2))
}

func (p *DeploymentPage) content(d studio.Deployment) app.UI {
	now := p.Clock.Now()
	open := openIncidents(d)
	return app.Div().Class("stack-v").Body(
		app.Div().Class("incident-slot").Body(app.If(len(open) > 0, func() app.UI {
			return incidentBanner(open, now)
		})),
		app.Div().Class("two-col two-col-wide").Body(
			app.Section().Class("panel").Aria("labelledby", "rollout-title").Body(
				app.Div().Class("panel-head").Body(app.H2().ID("rollout-title").Text("Rollout")),
				canarySteps(d),
				trafficSplit(d),
				p.actions(d, now),
			),
			app.Section().Class("panel").Aria("labelledby", "health-title").Body(
				app.Div().Class("panel-head").Body(app.H2().ID("health-title").Text("Health")),
				healthGrid(d),
			),
		),
		&DeploymentTimeline{Deployment: d, Client: p.Client},
		app.Section().Class("panel").Aria("labelledby", "history-title").Body(
			app.Div().Class("panel-head").Body(app.H2().ID("history-title").Text("History")),
			historyTable(d.History, now),
		),
	)
}

func incidentBanner(open []studio.Incident, now time.Time) app.UI {
	return app.Div().Class("banner banner-incident").Attr("role", "alert").DataSet("testid", "incident-banner").Body(
		app.Span().Class("banner-dot").Aria("hidden", true),
		app.Div().Body(app.Range(open).Slice(func(i int) app.UI {
			in := open[i]
			return app.Div().Class("incident").Body(
				app.Strong().Text("Incident "+string(in.Severity)+": "),
				app.Text(in.Title),
				app.Span().Class("muted").Text(" · opened "+format.Ago(in.OpenedAt, now)+" · "),
				mono(in.ID),
			)
		})),
	)
}

// canarySteps renders the rollout steps, the current one highlighted.
func canarySteps(d studio.Deployment) app.UI {
	return app.Ol().Class("steps").Aria("label", "Canary steps").DataSet("testid", "canary-steps").Body(
		app.Range(d.Steps).Slice(func(i int) app.UI {
			cls := "step"
			state := "upcoming"
			switch {
			case d.StepIndex >= 0 && i < d.StepIndex:
				cls, state = "step step-done", "done"
			case i == d.StepIndex:
				cls, state = "step step-current", "current"
			}
			li := app.Li().Class(cls).DataSet("state", state).Body(
				app.Span().Class("step-dot").Aria("hidden", true),
				app.Span().Class("step-pct num").Text(strconv.Itoa(d.Steps[i])+"%"),
			)
			if state == "current" {
				li = li.Aria("current", "step")
			}
			return li
		}),
	)
}

// trafficSplit renders the stable/canary traffic bar.
func trafficSplit(d studio.Deployment) app.UI {
	pct := d.CanaryPercent
	if d.Canary == 0 {
		pct = 0
	}
	return app.Div().Class("traffic").DataSet("testid", "traffic-split").Body(
		app.Div().Class("split").Attr("role", "img").
			Aria("label", "Traffic: stable v"+strconv.Itoa(d.Stable)+" "+strconv.Itoa(100-pct)+"%, canary "+strconv.Itoa(pct)+"%").
			Body(
				app.Span().Class("split-stable").Style("width", strconv.Itoa(100-pct)+"%"),
				app.Span().Class("split-canary").Style("width", strconv.Itoa(pct)+"%"),
			),
		app.Div().Class("split-legend").Body(
			app.Span().Class("legend-item").Body(
				app.Span().Class("swatch split-stable").Aria("hidden", true),
				app.Text("stable v"+strconv.Itoa(d.Stable)+" · "),
				app.Strong().Class("num").Text(strconv.Itoa(100-pct)+"%"),
			),
			app.Span().Class("legend-item").Body(
				app.Span().Class("swatch split-canary").Aria("hidden", true),
				app.Text(canaryName(d)+" · "),
				app.Strong().Class("num").Text(strconv.Itoa(pct)+"%"),
			),
		),
	)
}

func canaryName(d studio.Deployment) string {
	if d.Canary == 0 {
		return "no canary"
	}
	return "canary v" + strconv.Itoa(d.Canary)
}

// actions renders the operator buttons, or the confirmation of one.
func (p *DeploymentPage) actions(d studio.Deployment, now time.Time) app.UI {
	var body app.UI
	if p.confirm != "" {
		next, err := predictAction(d, p.confirm, now)
		question := actionQuestion(d, p.confirm, next)
		if err != nil {
			question = studio.ErrorMessage(err) + ". Send it anyway?"
		}
		body = app.Div().Class("confirm").Attr("role", "alertdialog").Aria("labelledby", "confirm-q").DataSet("testid", "confirm-dialog").Body(
			app.P().ID("confirm-q").Text(question),
			app.Div().Class("btn-row").Body(
				app.Button().ID("confirm-action").Type("button").
					Class("btn", confirmClass(p.confirm)).
					DataSet("testid", "confirm").
					DataSet("confirm", string(p.confirm)).
					OnClick(p.run).
					Text("Confirm: "+actionLabel(d, p.confirm)),
				app.Button().Type("button").Class("btn btn-ghost").OnClick(p.cancel).Text("Cancel"),
			),
		)
	} else {
		buttons := make([]app.UI, 0, len(deploymentActions))
		for _, a := range deploymentActions {
			_, err := predictAction(d, a, now)
			b := app.Button().Type("button").
				Class("btn", actionClass(a)).
				DataSet("action", string(a)).
				OnClick(p.ask, app.EventScope(string(a)))
			switch {
			case p.pending == a:
				b = b.Aria("busy", true).Disabled(true).Body(app.Span().Class("spinner").Aria("hidden", true), app.Text(pendingLabel(a)))
			case p.pending != "":
				b = b.Disabled(true).Text(actionLabel(d, a))
			case err != nil:
				b = b.Disabled(true).Title(studio.ErrorMessage(err)).Text(actionLabel(d, a))
			default:
				b = b.Text(actionLabel(d, a))
			}
			buttons = append(buttons, b)
		}
		body = app.Div().Class("btn-row").Body(buttons...)
	}
	return app.Div().Class("actions").DataSet("testid", "deployment-actions").Body(
		body,
		app.Div().Class("action-notice-slot").Attr("aria-live", "polite").Body(app.If(p.notice != "", func() app.UI {
			cls := "note note-ok"
			if p.failed {
				cls = "note note-error"
			}
			return app.Div().Class(cls).DataSet("testid", "action-notice").Text(p.notice)
		})),
	)
}

func actionClass(a studio.DeploymentAction) string {
	switch a {
	case studio.ActionAdvance:
		return "btn-primary"
	case studio.ActionRollback:
		return "btn-warn"
	}
	return "btn-danger-ghost"
}

func confirmClass(a studio.DeploymentAction) string {
	if a == studio.ActionAdvance {
		return "btn-primary"
	}
	return "btn-danger"
}

func pendingLabel(a studio.DeploymentAction) string {
	switch a {
	case studio.ActionAdvance:
		return "Advancing…"
	case studio.ActionRollback:
		return "Rolling back…"
	}
	return "Opening incident…"
}

// healthGrid renders latency, error rate and RPS with sparklines of the
// health history.
func healthGrid(d studio.Deployment) app.UI {
	h := d.HealthHistory
	p50 := make([]float64, len(h))
	p99 := make([]float64, len(h))
	errs := make([]float64, len(h))
	rps := make([]float64, len(h))
	for i, s := range h {
		p50[i], p99[i], errs[i], rps[i] = s.LatencyP50, s.LatencyP99, s.ErrorRate*100, s.RPS
	}
	errTone := "ok"
	if d.Health.ErrorRate >= 0.02 {
		errTone = "bad"
	} else if d.Health.ErrorRate >= 0.01 {
		errTone = "warn"
	}
	return app.Div().Class("health-grid").DataSet("testid", "health").Body(
		healthStat("Latency p50", format.Float(d.Health.LatencyP50, 1)+" ms", p50, "accent"),
		healthStat("Latency p99", format.Float(d.Health.LatencyP99, 1)+" ms", p99, "accent"),
		healthStat("Error rate", format.Float(d.Health.ErrorRate*100, 2)+"%", errs, errTone),
		healthStat("Requests/s", format.Int(int(d.Health.RPS+0.5)), rps, "accent"),
	)
}

func healthStat(label, value string, series []float64, tone string) app.UI {
	return app.Div().Class("health-stat").Body(
		app.Div().Class("stat-label").Text(label),
		app.Div().Class("stat-value num").Text(value),
		&viz.Sparkline{Values: series, Label: label + " history", Tone: tone, Fill: true, Width: 160, Height: 36},
	)
}

// historyTable lists the deployment's history, newest first.
func historyTable(h []studio.HistoryEntry, now time.Time) app.UI {
	if len(h) == 0 {
		return emptyState("No history", "", nil)
	}
	rows := make([]app.UI, 0, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		e := h[i]
		pct := "—"
		if e.Step >= 0 {
			pct = strconv.Itoa(e.Percent) + "%"
		}
		rows = append(rows, app.Tr().DataSet("seq", e.Seq).Body(
			app.Td().Class("num muted").Text("#"+strconv.Itoa(e.Seq)),
			app.Td().Body(app.Span().Title(format.TimeSec(e.Time)).Text(format.Ago(e.Time, now))),
			app.Td().Body(app.Span().Class("tag").Text(string(e.Action))),
			app.Td().Body(pill(string(e.From)), app.Span().Class("arrow").Text(" → "), pill(string(e.To))),
			app.Td().Class("num").Text(pct),
			app.Td().Text(e.Actor),
			app.Td().Class("note-cell").Text(e.Note),
		))
	}
	return app.Div().Class("table-scroll").Body(
		app.Table().Class("simple history").DataSet("testid", "history").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("#"),
				app.Th().Scope("col").Text("When"),
				app.Th().Scope("col").Text("Action"),
				app.Th().Scope("col").Text("Status"),
				app.Th().Scope("col").Class("num").Text("Canary"),
				app.Th().Scope("col").Text("Actor"),
				app.Th().Scope("col").Text("Note"),
			)),
			app.TBody().Body(rows...),
		),
	)
}
