package ui

import (
	"sync"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appName is the product name, used in titles.
const appName = "AI Infra Studio"

// Clock is the platform's simulated clock as seen from the browser: the
// server's time (learned from the dashboard's "now") plus the time
// elapsed since. Relative times ("3 min ago") are computed against it so
// they agree with the synthetic data. The zero Clock reads the browser's
// clock.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	known  bool
}

// Now returns the current platform time.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Sync records that the platform's time is now serverNow.
func (c *Clock) Sync(serverNow time.Time) {
	if c == nil || serverNow.IsZero() {
		return
	}
	c.mu.Lock()
	c.offset, c.known = time.Until(serverNow), true
	c.mu.Unlock()
}

// setTitle sets the document title to "title · AI Infra Studio".
func setTitle(ctx app.Context, title string) {
	if title == "" {
		ctx.Page().SetTitle(appName)
		return
	}
	ctx.Page().SetTitle(title + " · " + appName)
}

// pageRoot returns a page's root element with its data-page test hook.
func pageRoot(page string) app.HTMLDiv {
	return app.Div().Class("page", "page-"+page).DataSet("page", page)
}

// crumb is one breadcrumb; the last one is the current page (no href).
type crumb struct{ label, href string }

// pageHead renders the breadcrumbs, the title, a subtitle and actions.
func pageHead(crumbs []crumb, title app.UI, sub app.UI, actions ...app.UI) app.UI {
	return app.Div().Class("page-head").Body(
		app.If(len(crumbs) > 0, func() app.UI {
			return app.Nav().Class("crumbs").Aria("label", "Breadcrumb").Body(
				app.Ol().Body(app.Range(crumbs).Slice(func(i int) app.UI {
					c := crumbs[i]
					if c.href == "" {
						return app.Li().Aria("current", "page").Text(c.label)
					}
					return app.Li().Body(app.A().Href(c.href).Text(c.label))
				})),
			)
		}),
		app.Div().Class("page-title-row").Body(
			app.Div().Class("page-title").Body(
				app.H1().Body(title),
				app.If(sub != nil, func() app.UI { return app.Div().Class("page-sub").Body(sub) }),
			),
			app.If(len(actions) > 0, func() app.UI { return app.Div().Class("page-actions").Body(actions...) }),
		),
	)
}

// skeleton renders a loading placeholder: n grey bars of the given kind
// ("rows", "cards" or "block").
func skeleton(kind string, n int) app.UI {
	items := make([]app.UI, n)
	for i := range items {
		items[i] = app.Div().Class("sk sk-" + kind)
	}
	return app.Div().
		Class("skeleton", "skeleton-"+kind).
		Aria("busy", true).
		Aria("label", "Loading").
		Attr("role", "status").
		Body(items...)
}

// errorState renders a failed load with the server's message and a retry
// button bound to retry.
func errorState(what string, err error, retry app.EventHandler) app.UI {
	title := "Couldn't load " + what
	msg := studio.ErrorMessage(err)
	switch {
	case query.IsNetwork(err):
		title = "Can't reach the server"
		msg = "The page loads " + what + " again as soon as the server answers."
	case msg == "internal error" && err != nil:
		msg = err.Error()
	}
	return app.Div().Class("state state-error").Attr("role", "alert").DataSet("testid", "error-state").Body(
		app.Div().Class("state-icon").Aria("hidden", true).Text("!"),
		app.H2().Text(title),
		app.P().Class("state-msg").Text(msg),
		app.Button().Type("button").Class("btn btn-primary").DataSet("action", "retry").OnClick(retry).Text("Try again"),
	)
}

// emptyState renders a friendly "nothing here" block with an optional
// action.
func emptyState(title, hint string, action app.UI) app.UI {
	return app.Div().Class("state state-empty").DataSet("testid", "empty-state").Body(
		app.H2().Text(title),
		app.If(hint != "", func() app.UI { return app.P().Class("state-msg").Text(hint) }),
		app.If(action != nil, func() app.UI { return action }),
	)
}

// pill renders a status as a coloured pill ("running", "degraded"...).
func pill(status string) app.UI {
	label := status
	if status == string(studio.DeployRolledBack) {
		label = "rolled back"
	}
	return app.Span().Class("pill", "pill-"+status).Body(
		app.Span().Class("pill-dot").Aria("hidden", true),
		app.Text(label),
	)
}

// mono renders an identifier (id, commit, hash) in the monospace face.
func mono(s string) app.UI { return app.Code().Class("mono").Text(s) }

// link renders an in-app link.
func link(href, text string) app.UI { return app.A().Href(href).Text(text) }

// kv is one entry of a definition list.
type kv struct {
	key   string
	value app.UI
}

// kvList renders a definition list of key/value pairs.
func kvList(items ...kv) app.UI {
	return app.Dl().Class("kv").Body(app.Range(items).Slice(func(i int) app.UI {
		return app.Div().Class("kv-row").Body(
			app.Dt().Text(items[i].key),
			app.Dd().Body(items[i].value),
		)
	}))
}

// text is a shorthand for a text node.
func text(s string) app.UI { return app.Text(s) }

// runDuration returns how long a run has run: end minus start when it
// ended, steps × step time while running, zero while queued.
func runDuration(r studio.Run) time.Duration {
	switch {
	case r.StartedAt == nil:
		return 0
	case r.EndedAt != nil:
		return r.EndedAt.Sub(*r.StartedAt)
	}
	return time.Duration(float64(r.Steps) * r.StepSeconds * float64(time.Second))
}

// runDurationText formats runDuration, "—" while queued.
func runDurationText(r studio.Run) string {
	if r.StartedAt == nil {
		return "—"
	}
	return format.Duration(runDuration(r))
}

// runProgress returns the fraction of planned steps done, in [0,1].
func runProgress(r studio.Run) float64 {
	if r.TotalSteps <= 0 {
		return 0
	}
	return min(float64(r.Steps)/float64(r.TotalSteps), 1)
}

// option renders a select option; selected is set only when true, since
// the prerendered HTML treats any selected attribute as true.
func option(value, label string, selected bool) app.HTMLOption {
	o := app.Option().Value(value).Text(label)
	if selected {
		o = o.Selected(true)
	}
	return o
}
