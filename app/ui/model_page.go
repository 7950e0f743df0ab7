package ui

import (
	"slices"
	"sort"
	"strconv"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ModelPage shows a model and its versions: stage and aliases, metrics,
// creation time, the run that produced each version and the deployments
// serving it.
type ModelPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	id       studio.ModelID
	model    query.Observer[studio.Model]
	versions query.Observer[api.Page[studio.ModelVersion]]
	deps     query.Observer[api.Page[studio.Deployment]]
}

// OnNav reads the model id (/registry/{id} or /registry/models/{id}) and
// loads the model, its versions and the deployments.
func (p *ModelPage) OnNav(ctx app.Context) {
	p.id = studio.ModelID(pathID(ctx.Page().URL().Path))
	p.title(ctx)
	if app.IsServer {
		return
	}
	p.model.Changed = p.title
	p.model.Observe(ctx, p.Client, apiModel(p.id))
	p.versions.Observe(ctx, p.Client, apiModelVersions(p.id))
	p.deps.Observe(ctx, p.Client, apiDeployments)
}

func (p *ModelPage) title(ctx app.Context) {
	if query.IsNotFound(p.model.Err) && !p.model.HasData {
		setTitle(ctx, "Model not found")
		return
	}
	if p.model.HasData {
		setTitle(ctx, p.model.Data.Name)
		return
	}
	setTitle(ctx, string(p.id))
}

// OnDismount ends the subscriptions.
func (p *ModelPage) OnDismount() {
	p.model.Close()
	p.versions.Close()
	p.deps.Close()
}

func (p *ModelPage) retry(ctx app.Context, e app.Event) {
	p.model.Refetch()
	p.versions.Refetch()
	p.deps.Refetch()
}

// Render draws the page.
func (p *ModelPage) Render() app.UI {
	m := p.model.Result
	if query.IsNotFound(m.Err) && !m.HasData {
		return notFound("model", string(p.id), "/registry", "Model registry")
	}
	crumbs := []crumb{{"Registry", "/registry"}, {string(p.id), ""}}
	title := app.UI(app.Text(string(p.id)))
	var sub app.UI
	if m.HasData {
		crumbs[1].label = m.Data.Name
		title = app.Span().Body(app.Text(m.Data.Name+" "), app.Span().Class("title-id").Body(mono(string(m.Data.ID))))
		sub = app.Span().Body(app.Text(m.Data.Description+" · "+m.Data.Task+" · "+m.Data.Owner+" "), tagList(m.Data.Tags))
	}
	return pageRoot("model").Body(
		pageHead(crumbs, title, sub),
		p.body(),
	)
}

func (p *ModelPage) body() app.UI {
	m, v := p.model.Result, p.versions.Result
	switch {
	case m.HasData && v.HasData:
		return p.content(m.Data, v.Data.Items)
	case m.Failed():
		return errorState("this model", m.Err, p.retry)
	case v.Failed():
		return errorState("the versions", v.Err, p.retry)
	}
	return app.Div().Body(skeleton("stats", 4), skeleton("rows", 5))
}

func (p *ModelPage) content(m studio.Model, versions []studio.ModelVersion) app.UI {
	now := p.Clock.Now()
	byID := map[studio.DeploymentID]studio.Deployment{}
	var serving []studio.Deployment
	if p.deps.HasData {
		for _, d := range p.deps.Data.Items {
			byID[d.ID] = d
			if d.ModelID == m.ID {
				serving = append(serving, d)
			}
		}
	}
	vs := slices.Clone(versions)
	sort.Slice(vs, func(i, j int) bool { return vs[i].Version > vs[j].Version })
	metricSet := map[string]bool{}
	for _, v := range vs {
		for k := range v.Metrics {
			metricSet[k] = true
		}
	}
	metrics := make([]string, 0, len(metricSet))
	for k := range metricSet {
		metrics = append(metrics, k)
	}
	sort.Strings(metrics)

	prod := "—"
	if m.ProductionVersion > 0 {
		prod = "v" + strconv.Itoa(m.ProductionVersion)
	}
	return app.Div().Class("stack-v").Body(
		app.Div().Class("stats").Body(
			stat("Versions", format.Int(m.VersionCount), ""),
			stat("Latest", "v"+strconv.Itoa(m.LatestVersion), ""),
			stat("In production", prod, ""),
			stat("Deployments", format.Int(len(serving)), ""),
			stat("Updated", format.Ago(m.UpdatedAt, now), ""),
		),
		app.Section().Class("panel").Aria("labelledby", "versions-title").Body(
			app.Div().Class("panel-head").Body(app.H2().ID("versions-title").Text("Versions")),
			app.Div().Class("table-scroll").Body(
				app.Table().Class("simple versions").DataSet("testid", "versions").Body(
					app.THead().Body(app.Tr().Body(
						app.Th().Scope("col").Text("Version"),
						app.Th().Scope("col").Text("Stage"),
						app.Th().Scope("col").Text("Aliases"),
						app.Range(metrics).Slice(func(i int) app.UI {
							return app.Th().Scope("col").Class("num").Text(metrics[i])
						}),
						app.Th().Scope("col").Text("Source run"),
						app.Th().Scope("col").Class("num").Text("Size"),
						app.Th().Scope("col").Text("Created"),
						app.Th().Scope("col").Text("Deployed to"),
					)),
					app.TBody().Body(app.Range(vs).Slice(func(i int) app.UI {
						v := vs[i]
						return app.Tr().DataSet("version", v.Version).Body(
							app.Th().Scope("row").Class("num").Text("v"+strconv.Itoa(v.Version)),
							app.Td().Body(pill(string(v.Stage))),
							app.Td().Body(tagList(v.Aliases)),
							app.Range(metrics).Slice(func(j int) app.UI {
								x, ok := v.Metrics[metrics[j]]
								if !ok {
									return app.Td().Class("num muted").Text("—")
								}
								return app.Td().Class("num").Text(format.Metric(x))
							}),
							app.Td().Body(app.A().Class("mono").Href(hrefRun(v.SourceRun)).Text(string(v.SourceRun))),
							app.Td().Class("num").Text(format.Bytes(v.SizeBytes)),
							app.Td().Body(app.Span().Title(format.TimeSec(v.CreatedAt)).Text(format.Ago(v.CreatedAt, now))),
							app.Td().Body(deploymentLinks(v.Deployments, byID)),
						)
					})),
				),
			),
		),
		app.Section().Class("panel").Aria("labelledby", "serving-title").Body(
			app.Div().Class("panel-head").Body(app.H2().ID("serving-title").Text("Deployments")),
			app.If(len(serving) == 0, func() app.UI {
				return emptyState("Not deployed", "No deployment serves this model.", nil)
			}).Else(func() app.UI {
				return app.Ul().Class("list").Body(app.Range(serving).Slice(func(i int) app.UI {
					d := serving[i]
					return app.Li().Class("list-item").Body(
						app.Div().Class("list-main").Body(
							app.A().Class("list-title").Href(hrefDeployment(d.ID)).Text(d.Name),
							app.Div().Class("list-sub").Text(d.Environment+" · "+d.Region+" · stable v"+strconv.Itoa(d.Stable)+canaryText(d)),
						),
						app.Div().Class("list-side").Body(pill(string(d.Status))),
					)
				}))
			}),
		),
	)
}

func canaryText(d studio.Deployment) string {
	if d.Canary == 0 {
		return ""
	}
	return " · canary v" + strconv.Itoa(d.Canary) + " at " + strconv.Itoa(d.CanaryPercent) + "%"
}

// deploymentLinks links deployment ids, with their status when known.
func deploymentLinks(ids []studio.DeploymentID, byID map[studio.DeploymentID]studio.Deployment) app.UI {
	if len(ids) == 0 {
		return app.Span().Class("muted").Text("—")
	}
	return app.Span().Class("links").Body(app.Range(ids).Slice(func(i int) app.UI {
		id := ids[i]
		d, ok := byID[id]
		label := string(id)
		if ok {
			label = d.Name
		}
		return app.A().Class("link-chip").Href(hrefDeployment(id)).Title(string(id)).Text(label)
	}))
}
