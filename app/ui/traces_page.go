package ui

import (
	"cmp"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// TracesPage lists the distributed traces.
type TracesPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	traces query.Observer[api.Page[studio.TraceSummary]]
}

// OnNav loads the traces.
func (p *TracesPage) OnNav(ctx app.Context) {
	setTitle(ctx, "Traces")
	if app.IsServer {
		return
	}
	p.traces.Observe(ctx, p.Client, apiTraces)
}

// OnDismount ends the subscription.
func (p *TracesPage) OnDismount() { p.traces.Close() }

func (p *TracesPage) retry(ctx app.Context, e app.Event) { p.traces.Refetch() }

// Render draws the page.
func (p *TracesPage) Render() app.UI {
	r := p.traces.Result
	var sub app.UI = app.Text("Distributed traces of the serving stack")
	if r.HasData {
		spans, errs := 0, 0
		for _, t := range r.Data.Items {
			spans += t.SpanCount
			if t.ErrorCount > 0 {
				errs++
			}
		}
		sub = app.Text(format.Count(len(r.Data.Items), "trace") + " · " + format.Count(spans, "span") + " · " + format.Int(errs) + " with errors")
	}
	return pageRoot("traces").Body(
		pageHead(nil, app.Text("Traces"), sub),
		p.body(),
	)
}

func (p *TracesPage) body() app.UI {
	r := p.traces.Result
	switch {
	case r.HasData:
		return &table.Table[studio.TraceSummary]{
			ID:          "traces",
			Label:       "Traces",
			Noun:        "traces",
			Columns:     traceColumns(p.Clock.Now()),
			Rows:        r.Data.Items,
			RowKey:      func(t studio.TraceSummary) string { return string(t.ID) },
			RowHref:     func(t studio.TraceSummary) string { return hrefTrace(t.ID) },
			DefaultSort: "start",
			DefaultDesc: true,
			Height:      640,
			Empty:       "No traces recorded.",
		}
	case r.Failed():
		return errorState("traces", r.Err, p.retry)
	}
	return skeleton("rows", 8)
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
