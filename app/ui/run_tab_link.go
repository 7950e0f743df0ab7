package ui

import (
	"net/url"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// runTabHref returns the link to tab of run id that keeps the view state
// q holds: every parameter of q but tab (the metrics tab's smoothing, x
// axis, log scales and zooms, the timeline's window and pins, the linked
// log line), so switching to another tab and back restores each tab's view.
func runTabHref(id studio.RunID, tab string, q url.Values) string {
	v := make(url.Values, len(q)+1)
	for k, vals := range q {
		if k != "tab" {
			v[k] = vals
		}
	}
	v.Set("tab", tab)
	return hrefRun(id) + "?" + v.Encode()
}

// withRunTabLink makes a link to a run tab (named by its data-tab) keep
// the page's current view state. The tabs keep their state in the URL
// with ReplaceURL, which renders nothing, so the href rendered earlier can
// be stale: the link is pointed at the current URL just before anything
// reads it (hover shows it, a press or a key follows it, a context menu
// copies it).
func withRunTabLink(a app.HTMLA) app.HTMLA {
	return a.
		On("pointerenter", refreshRunTabLink).
		On("pointerdown", refreshRunTabLink).
		On("focus", refreshRunTabLink).
		OnClick(refreshRunTabLink)
}

// refreshRunTabLink points the run tab link the event is on at the
// current URL's view state. It runs inside the browser's dispatch of the
// event, before go-app's window click handler reads the href to navigate.
func refreshRunTabLink(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	a := ctx.JSSrc()
	tab := a.Get("dataset").Get("tab").String()
	u := ctx.Page().URL()
	if tab == "" || u == nil {
		return
	}
	href := runTabHref(studio.RunID(pathID(u.Path)), tab, u.Query())
	if a.Call("getAttribute", "href").String() != href {
		a.Call("setAttribute", "href", href)
	}
}
