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

// TracesPage lists the distributed traces.
type TracesPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	list listPage[studio.TraceSummary]
}

// OnNav loads the traces.
func (p *TracesPage) OnNav(ctx app.Context) { p.list.nav(ctx, p.Client, p.spec()) }

// OnDismount ends the subscription.
func (p *TracesPage) OnDismount() { p.list.close() }

// Render draws the page.
func (p *TracesPage) Render() app.UI { return p.list.render(p.spec()) }

func (p *TracesPage) spec() listSpec[studio.TraceSummary] {
	return listSpec[studio.TraceSummary]{
		page: "traces", title: "Traces", key: apiTraces,
		about: "Distributed traces of the serving stack",
		summary: func(items []studio.TraceSummary) string {
			spans, errs := 0, 0
			for _, t := range items {
				spans += t.SpanCount
				if t.ErrorCount > 0 {
					errs++
				}
			}
			return format.Count(len(items), "trace") + " · " + format.Count(spans, "span") + " · " + format.Int(errs) + " with errors"
		},
		what: "traces", skeletonRows: 8,
		table: &table.Table[studio.TraceSummary]{
			ID:          "traces",
			Label:       "Traces",
			Noun:        "traces",
			Columns:     traceColumns(p.Clock.Now()),
			RowKey:      func(t studio.TraceSummary) string { return string(t.ID) },
			RowHref:     func(t studio.TraceSummary) string { return hrefTrace(t.ID) },
			DefaultSort: "start",
			DefaultDesc: true,
			Height:      640,
			Empty:       "No traces recorded.",
		},
	}
}

func traceColumns(now time.Time) []table.Column[studio.TraceSummary] {
	return []table.Column[studio.TraceSummary]{
		{
			ID: "root", Header: "Root operation", Width: "minmax(220px,2fr)", Required: true,
			Text: func(t studio.TraceSummary) string { return t.Root },
			Cell: func(t studio.TraceSummary) app.UI {
				return app.A().Class("cell-link").Href(hrefTrace(t.ID)).Text(t.Root)
			},
			Compare: func(a, b studio.TraceSummary) int { return strings.Compare(a.Root, b.Root) },
		},
		{
			ID: "id", Header: "Trace", Width: "110px", Class: "mono",
			Text:    func(t studio.TraceSummary) string { return string(t.ID) },
			Compare: func(a, b studio.TraceSummary) int { return strings.Compare(string(a.ID), string(b.ID)) },
		},
		{
			ID: "service", Header: "Service", Width: "140px",
			Text:    func(t studio.TraceSummary) string { return t.Service },
			Compare: func(a, b studio.TraceSummary) int { return strings.Compare(a.Service, b.Service) },
		},
		{
			ID: "duration", Header: "Duration", Width: "96px", Align: table.AlignEnd,
			Cell:    func(t studio.TraceSummary) app.UI { return app.Text(format.Micros(t.DurationUS)) },
			Compare: func(a, b studio.TraceSummary) int { return cmp.Compare(a.DurationUS, b.DurationUS) },
		},
		{
			ID: "spans", Header: "Spans", Width: "84px", Align: table.AlignEnd,
			Cell:    func(t studio.TraceSummary) app.UI { return app.Text(format.Int(t.SpanCount)) },
			Compare: func(a, b studio.TraceSummary) int { return cmp.Compare(a.SpanCount, b.SpanCount) },
		},
		{
			ID: "errors", Header: "Errors", Width: "76px", Align: table.AlignEnd,
			Cell: func(t studio.TraceSummary) app.UI {
				if t.ErrorCount == 0 {
					return app.Span().Class("muted").Text("0")
				}
				return app.Span().Class("text-failed").Text(format.Int(t.ErrorCount))
			},
			Compare: func(a, b studio.TraceSummary) int { return cmp.Compare(a.ErrorCount, b.ErrorCount) },
		},
		{
			ID: "services", Header: "Services", Width: "minmax(160px,1fr)",
			Text: func(t studio.TraceSummary) string { return strings.Join(t.Services, " ") },
			Cell: func(t studio.TraceSummary) app.UI { return tagList(t.Services) },
			Compare: func(a, b studio.TraceSummary) int {
				return cmp.Compare(len(a.Services), len(b.Services))
			},
		},
		{
			ID: "deployment", Header: "Deployment", Width: "150px", Hidden: true, Class: "mono",
			Text: func(t studio.TraceSummary) string { return string(t.Deployment) },
		},
		{
			ID: "start", Header: "Started", Width: "112px", Align: table.AlignEnd,
			Cell: func(t studio.TraceSummary) app.UI {
				return app.Span().Title(format.TimeSec(t.Start)).Text(format.Ago(t.Start, now))
			},
			Compare: func(a, b studio.TraceSummary) int { return a.Start.Compare(b.Start) },
		},
	}
}
