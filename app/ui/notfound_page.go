package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// NotFoundPage is shown for paths that match no page.
type NotFoundPage struct {
	app.Compo
}

// OnNav sets the title.
func (p *NotFoundPage) OnNav(ctx app.Context) { setTitle(ctx, "Page not found") }

// Render draws the page.
func (p *NotFoundPage) Render() app.UI {
	return notFound("page", "", "/", "Go to the dashboard")
}

// notFound renders the not-found page body for a missing resource (what
// and id) or an unknown path (id ""), with a link back.
func notFound(what, id, backHref, backLabel string) app.UI {
	title := "Page not found"
	msg := "Nothing lives at this address. It may have moved, or the link may be mistyped."
	if id != "" {
		title = "No " + what + " “" + id + "”"
		msg = "There is no " + what + " with this id. It may have been mistyped, or it belongs to another dataset seed."
	}
	return pageRoot("not-found").Body(
		app.Div().Class("state state-notfound").Body(
			app.Div().Class("state-code").Aria("hidden", true).Text("404"),
			app.H1().Text(title),
			app.P().Class("state-msg").Text(msg),
			app.Div().Class("state-actions").Body(
				app.A().Class("btn btn-primary").Href(backHref).Text(backLabel),
				app.A().Class("btn").Href("/").Text("Dashboard"),
			),
		),
	)
}
