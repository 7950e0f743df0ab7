package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// DeploymentsPage lists the deployments with a status filter
// (?status=degraded,progressing).
type DeploymentsPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	deps   query.Observer[api.Page[studio.Deployment]]
	status []string
}

// deploymentStatusStrings lists the deployment statuses as strings.
func deploymentStatusStrings() []string {
	out := make([]string, len(studio.DeploymentStatuses))
	for i, s := range studio.DeploymentStatuses {
		out[i] = string(s)
	}
	return out
}

// OnNav reads the filter and loads the deployments.
func (p *DeploymentsPage) OnNav(ctx app.Context) {
	setTitle(ctx, "Deployments")
	valid := deploymentStatusStrings()
	p.status = nil
	for _, s := range parseIDList(ctx.Page().URL().Query().Get("status"), len(valid)) {
		if slices.Contains(valid, s) {
			p.status = append(p.status, s)
		}
	}
	if app.IsServer {
		return
	}
	p.deps.Observe(ctx, p.Client, apiDeployments)
}

// OnDismount ends the subscription.
func (p *DeploymentsPage) OnDismount() { p.deps.Close() }

func (p *DeploymentsPage) retry(ctx app.Context, e app.Event) { p.deps.Refetch() }

func (p *DeploymentsPage) toggleStatus(ctx app.Context, e app.Event) {
	st := ctx.JSSrc().Get("dataset").Get("status").String()
	switch i := slices.Index(p.status, st); {
	case st == "":
		p.status = nil
	case i >= 0:
		p.status = slices.Delete(slices.Clone(p.status), i, i+1)
	default:
		p.status = append(slices.Clone(p.status), st)
	}
	u := *ctx.Page().URL()
	q := u.Query()
	if len(p.status) == 0 {
		q.Del("status")
	} else {
		q.Set("status", strings.Join(p.status, ","))
	}
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(&u)
}

// Render draws the page.
func (p *DeploymentsPage) Render() app.UI {
	r := p.deps.Result
	var sub app.UI = app.Text("Models serving traffic, with progressive rollouts")
	if r.HasData {
		open := 0
		for _, d := range r.Data.Items {
			open += len(openIncidents(d))
		}
		sub = app.Text(format.Count(len(r.Data.Items), "deployment") + " · " + format.Count(open, "open incident"))
	}
	return pageRoot("deployments").Body(
		pageHead(nil, app.Text("Deployments"), sub),
		p.body(),
	)
}

func (p *DeploymentsPage) body() app.UI {
	r := p.deps.Result
	switch {
	case r.HasData:
		deps := r.Data.Items
		counts := map[string]int{}
		for _, d := range deps {
			counts[string(d.Status)]++
		}
		var where func(studio.Deployment) bool
		if len(p.status) > 0 {
			sel := p.status
			where = func(d studio.Deployment) bool { return slices.Contains(sel, string(d.Status)) }
		}
		return app.Div().Class("stack-v").Body(
			filterChips(deploymentStatusStrings(), p.status, counts, len(deps), p.toggleStatus),
			&table.Table[studio.Deployment]{
				ID:          "deployments",
				Label:       "Deployments",
				Noun:        "deployments",
				Columns:     deploymentColumns(p.Clock.Now()),
				Rows:        deps,
				Where:       where,
				WhereKey:    strings.Join(p.status, ","),
				RowKey:      func(d studio.Deployment) string { return string(d.ID) },
				RowHref:     func(d studio.Deployment) string { return hrefDeployment(d.ID) },
				RowClass:    func(d studio.Deployment) string { return "row-" + string(d.Status) },
				DefaultSort: "status",
				RowHeight:   52,
				Empty:       "No deployments.",
			},
		)
	case r.Failed():
		return errorState("deployments", r.Err, p.retry)
	}
	return skeleton("rows", 5)
}

// deploymentRank orders statuses by urgency: degraded first.
func deploymentRank(s studio.DeploymentStatus) int {
	switch s {
	case studio.DeployDegraded:
		return 0
	case studio.DeployProgressing:
		return 1
	case studio.DeployPaused:
		return 2
	case studio.DeployRolledBack:
		return 3
	}
	return 4
}

func deploymentColumns(now time.Time) []table.Column[studio.Deployment] {
	return []table.Column[studio.Deployment]{
		{
			ID: "name", Header: "Name", Width: "minmax(200px,2fr)", Required: true,
			Text: func(d studio.Deployment) string { return d.Name + " " + string(d.ID) },
			Cell: func(d studio.Deployment) app.UI {
				return app.Div().Class("cell-stack").Body(
					app.A().Class("cell-link").Href(hrefDeployment(d.ID)).Text(d.Name),
					app.Span().Class("cell-sub mono").Text(string(d.ID)),
				)
			},
			Compare: func(a, b studio.Deployment) int { return strings.Compare(a.Name, b.Name) },
		},
		{
			ID: "status", Header: "Status", Width: "136px",
			Text: func(d studio.Deployment) string { return string(d.Status) },
			Cell: func(d studio.Deployment) app.UI { return pill(string(d.Status)) },
			Compare: func(a, b studio.Deployment) int {
				return cmp.Compare(deploymentRank(a.Status), deploymentRank(b.Status))
			},
		},
		{
			ID: "env", Header: "Environment", Width: "176px",
			Text:    func(d studio.Deployment) string { return d.Environment + " · " + d.Region },
			Compare: func(a, b studio.Deployment) int { return strings.Compare(a.Environment, b.Environment) },
		},
		{
			ID: "model", Header: "Model", Width: "170px",
			Text: func(d studio.Deployment) string { return string(d.ModelID) },
			Cell: func(d studio.Deployment) app.UI {
				return app.A().Class("cell-link mono").Href(hrefModel(d.ModelID)).Text(string(d.ModelID))
			},
			Compare: func(a, b studio.Deployment) int { return strings.Compare(string(a.ModelID), string(b.ModelID)) },
		},
		{
			ID: "traffic", Header: "Traffic", Width: "170px",
			Cell: func(d studio.Deployment) app.UI { return trafficMini(d) },
			Compare: func(a, b studio.Deployment) int {
				return cmp.Compare(a.CanaryPercent, b.CanaryPercent)
			},
		},
		{
			ID: "p99", Header: "p99", Width: "92px", Align: table.AlignEnd,
			Cell:    func(d studio.Deployment) app.UI { return app.Text(format.Int(int(d.Health.LatencyP99+0.5)) + " ms") },
			Compare: func(a, b studio.Deployment) int { return cmp.Compare(a.Health.LatencyP99, b.Health.LatencyP99) },
		},
		{
			ID: "errors", Header: "Errors", Width: "80px", Align: table.AlignEnd,
			Cell: func(d studio.Deployment) app.UI {
				cls := ""
				if d.Health.ErrorRate >= 0.02 {
					cls = "text-failed"
				}
				return app.Span().Class(cls).Text(format.Float(d.Health.ErrorRate*100, 2) + "%")
			},
			Compare: func(a, b studio.Deployment) int { return cmp.Compare(a.Health.ErrorRate, b.Health.ErrorRate) },
		},
		{
			ID: "rps", Header: "RPS", Width: "80px", Align: table.AlignEnd,
			Cell:    func(d studio.Deployment) app.UI { return app.Text(format.Int(int(d.Health.RPS + 0.5))) },
			Compare: func(a, b studio.Deployment) int { return cmp.Compare(a.Health.RPS, b.Health.RPS) },
		},
		{
			ID: "updated", Header: "Updated", Width: "108px", Align: table.AlignEnd,
			Cell: func(d studio.Deployment) app.UI {
				return app.Span().Title(format.TimeSec(d.UpdatedAt)).Text(format.Ago(d.UpdatedAt, now))
			},
			Compare: func(a, b studio.Deployment) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
		},
	}
}

// trafficMini is a small stable/canary split bar with versions.
func trafficMini(d studio.Deployment) app.UI {
	pct := d.CanaryPercent
	label := "v" + strconv.Itoa(d.Stable) + " 100%"
	if d.Canary > 0 && pct > 0 {
		label = "v" + strconv.Itoa(d.Stable) + " " + strconv.Itoa(100-pct) + "% · v" + strconv.Itoa(d.Canary) + " " + strconv.Itoa(pct) + "%"
	}
	return app.Div().Class("traffic-mini").Title(label).Body(
		app.Div().Class("split split-sm").Body(
			app.Span().Class("split-stable").Style("width", strconv.Itoa(100-pct)+"%"),
			app.Span().Class("split-canary").Style("width", strconv.Itoa(pct)+"%"),
		),
		app.Span().Class("traffic-label").Text(label),
	)
}

// openIncidents returns d's incidents that are not closed.
func openIncidents(d studio.Deployment) []studio.Incident {
	var open []studio.Incident
	for _, in := range d.Incidents {
		if in.ClosedAt == nil {
			open = append(open, in)
		}
	}
	return open
}
