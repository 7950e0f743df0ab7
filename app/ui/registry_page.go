package ui

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RegistryPage lists the registered models.
type RegistryPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	list listPage[studio.Model]
}

// OnNav loads the models.
func (p *RegistryPage) OnNav(ctx app.Context) { p.list.nav(ctx, p.Client, p.spec()) }

// OnDismount ends the subscription.
func (p *RegistryPage) OnDismount() { p.list.close() }

// Render draws the page.
func (p *RegistryPage) Render() app.UI { return p.list.render(p.spec()) }

func (p *RegistryPage) spec() listSpec[studio.Model] {
	return listSpec[studio.Model]{
		page: "registry", title: "Model registry", key: apiModels,
		about: "Trained models, their versions and where they serve",
		summary: func(items []studio.Model) string {
			versions, prod := 0, 0
			for _, m := range items {
				versions += m.VersionCount
				if m.ProductionVersion > 0 {
					prod++
				}
			}
			return format.Count(len(items), "model") + " · " + format.Count(versions, "version") + " · " + format.Int(prod) + " in production"
		},
		what: "the registry", skeletonRows: 6,
		table: &table.Table[studio.Model]{
			ID:          "models",
			Label:       "Models",
			Noun:        "models",
			Columns:     modelColumns(p.Clock.Now()),
			RowKey:      func(m studio.Model) string { return string(m.ID) },
			RowHref:     func(m studio.Model) string { return hrefModel(m.ID) },
			DefaultSort: "updated",
			DefaultDesc: true,
			RowHeight:   48,
			Empty:       "No models registered yet.",
		},
	}
}

func modelColumns(now time.Time) []table.Column[studio.Model] {
	return []table.Column[studio.Model]{
		{
			ID: "name", Header: "Name", Width: "minmax(220px,2fr)", Required: true,
			Text: func(m studio.Model) string { return m.Name + " " + m.Description },
			Cell: func(m studio.Model) app.UI {
				return app.Div().Class("cell-stack").Body(
					app.A().Class("cell-link").Href(hrefModel(m.ID)).Text(m.Name),
					app.Span().Class("cell-sub").Text(m.Description),
				)
			},
			Compare: func(a, b studio.Model) int { return strings.Compare(a.Name, b.Name) },
		},
		{
			ID: "task", Header: "Task", Width: "140px",
			Text:    func(m studio.Model) string { return m.Task },
			Compare: func(a, b studio.Model) int { return strings.Compare(a.Task, b.Task) },
		},
		{
			ID: "owner", Header: "Owner", Width: "110px",
			Text:    func(m studio.Model) string { return m.Owner },
			Compare: func(a, b studio.Model) int { return strings.Compare(a.Owner, b.Owner) },
		},
		{
			ID: "versions", Header: "Versions", Width: "84px", Align: table.AlignEnd,
			Cell:    func(m studio.Model) app.UI { return app.Text(format.Int(m.VersionCount)) },
			Compare: func(a, b studio.Model) int { return cmp.Compare(a.VersionCount, b.VersionCount) },
		},
		{
			ID: "latest", Header: "Latest", Width: "72px", Align: table.AlignEnd,
			Cell:    func(m studio.Model) app.UI { return app.Text("v" + strconv.Itoa(m.LatestVersion)) },
			Compare: func(a, b studio.Model) int { return cmp.Compare(a.LatestVersion, b.LatestVersion) },
		},
		{
			ID: "production", Header: "Production", Width: "100px",
			Cell: func(m studio.Model) app.UI {
				if m.ProductionVersion == 0 {
					return app.Span().Class("muted").Text("—")
				}
				return app.Span().Class("pill pill-production pill-ver").Text("v" + strconv.Itoa(m.ProductionVersion))
			},
			Compare: func(a, b studio.Model) int { return cmp.Compare(a.ProductionVersion, b.ProductionVersion) },
		},
		{
			ID: "updated", Header: "Updated", Width: "112px", Align: table.AlignEnd,
			Cell: func(m studio.Model) app.UI {
				return app.Span().Title(format.TimeSec(m.UpdatedAt)).Text(format.Ago(m.UpdatedAt, now))
			},
			Compare: func(a, b studio.Model) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
		},
		{
			ID: "tags", Header: "Tags", Width: "minmax(140px,1fr)",
			Text: func(m studio.Model) string { return strings.Join(m.Tags, " ") },
			Cell: func(m studio.Model) app.UI { return tagList(m.Tags) },
		},
	}
}
