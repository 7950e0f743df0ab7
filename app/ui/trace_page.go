package ui

import (
	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// TracePage shows one trace as a span waterfall.
type TracePage struct {
	app.Compo
	Client *query.Client

	id    studio.TraceID
	trace query.Observer[studio.Trace]
}

// OnNav reads the id and loads the trace.
func (p *TracePage) OnNav(ctx app.Context) {
	p.id = studio.TraceID(pathID(ctx.Page().URL().Path))
	p.title(ctx)
	if app.IsServer {
		return
	}
	p.trace.Changed = p.title
	p.trace.Observe(ctx, p.Client, apiTrace(p.id))
}

func (p *TracePage) title(ctx app.Context) {
	if query.IsNotFound(p.trace.Err) && !p.trace.HasData {
		setTitle(ctx, "Trace not found")
		return
	}
	if p.trace.HasData {
		setTitle(ctx, p.trace.Data.Root+" · "+string(p.id))
		return
	}
	setTitle(ctx, "Trace "+string(p.id))
}

// OnDismount ends the subscription.
func (p *TracePage) OnDismount() { p.trace.Close() }

func (p *TracePage) retry(ctx app.Context, e app.Event) { p.trace.Refetch() }

// Render draws the page.
func (p *TracePage) Render() app.UI {
	r := p.trace.Result
	if query.IsNotFound(r.Err) && !r.HasData {
		return notFound("trace", string(p.id), "/traces", "All traces")
	}
	crumbs := []crumb{{"Traces", "/traces"}, {string(p.id), ""}}
	title := app.UI(app.Text("Trace " + string(p.id)))
	var sub app.UI
	if r.HasData {
		t := r.Data
		title = app.Span().Body(app.Text(t.Root+" "), app.Span().Class("title-id").Body(mono(string(t.ID))))
		sub = app.Span().Body(
			app.Text(t.Service+" · "+format.Micros(t.DurationUS)+" · "+format.Count(t.SpanCount, "span")+" · "),
			app.If(t.ErrorCount > 0, func() app.UI {
				return app.Span().Class("text-failed").Text(format.Count(t.ErrorCount, "error"))
			}).Else(func() app.UI { return app.Text("no errors") }),
			app.If(t.Deployment != "", func() app.UI {
				return app.Span().Body(app.Text(" · "), app.A().Href(hrefDeployment(t.Deployment)).Text(string(t.Deployment)))
			}),
		)
	}
	return pageRoot("trace").Body(
		pageHead(crumbs, title, sub),
		p.body(),
	)
}

func (p *TracePage) body() app.UI {
	r := p.trace.Result
	switch {
	case r.HasData:
		return &Waterfall{Spans: r.Data.Spans}
	case r.Failed():
		return errorState("this trace", r.Err, p.retry)
	}
	return skeleton("rows", 12)
}
