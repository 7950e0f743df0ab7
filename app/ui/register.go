// Package ui holds the go-app components of AI Infra Studio: the shell
// (navigation, banners, shortcuts, theme), one component per page and
// their parts. Register installs the routes; the browser entry (wasm/)
// and the server (which prerenders pages) both call it.
//
// Every route renders the same root component, Shell, so navigating keeps
// it mounted (its listeners, banners and query cache survive) and only
// the page inside changes. Pages read their ids from the URL in OnNav.
package ui

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// pageKind selects the page Shell renders.
type pageKind int

// Pages, one per route.
const (
	pageNotFound pageKind = iota
	pageDashboard
	pageExperiments
	pageExperiment
	pageRuns
	pageRunNew
	pageRun
	pageRegistry
	pageModel
	pageDeployments
	pageDeployment
	pageTraces
	pageTrace
)

// route maps a path (exact) or pattern (regexp) to a page.
type route struct {
	path    string
	pattern string
	page    pageKind
}

// routes lists every page route. go-app tries exact paths first, then
// patterns in this order.
var routes = []route{
	{path: "/", page: pageDashboard},
	{path: "/experiments", page: pageExperiments},
	{path: "/runs", page: pageRuns},
	{path: "/runs/new", page: pageRunNew},
	{path: "/registry", page: pageRegistry},
	{path: "/deployments", page: pageDeployments},
	{path: "/traces", page: pageTraces},
	{pattern: `^/experiments/[^/]+$`, page: pageExperiment},
	{pattern: `^/runs/[^/]+$`, page: pageRun},
	{pattern: `^/registry/(models/)?[^/]+$`, page: pageModel},
	{pattern: `^/deployments/[^/]+$`, page: pageDeployment},
	{pattern: `^/traces/[^/]+$`, page: pageTrace},
}

// catchAll routes every other path to the not-found page, so unknown URLs
// get the app (with its navigation) rather than a bare 404 text.
const catchAll = `^/.*$`

var compiledRoutes = func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(routes))
	for i, r := range routes {
		if r.pattern != "" {
			res[i] = regexp.MustCompile(r.pattern)
		}
	}
	return res
}()

// Register installs every route on go-app's router. Call it once, before
// app.RunWhenOnBrowser in the browser and before serving pages on the
// server.
func Register() {
	for _, r := range routes {
		page := r.page
		factory := func() app.Composer { return &Shell{Page: page} }
		if r.path != "" {
			app.Route(r.path, factory)
		} else {
			app.RouteWithRegexp(r.pattern, factory)
		}
	}
	app.RouteWithRegexp(catchAll, func() app.Composer { return &Shell{Page: pageNotFound} })
}

// KnownPage reports whether path is a page of the app rather than the
// not-found page. The server answers unknown paths with the app and a 404
// status.
func KnownPage(path string) bool { return pageOf(path) != pageNotFound }

// pageOf returns the page that path shows.
func pageOf(path string) pageKind {
	for _, r := range routes {
		if r.path != "" && r.path == path {
			return r.page
		}
	}
	for i, r := range routes {
		if re := compiledRoutes[i]; re != nil && re.MatchString(path) {
			return r.page
		}
	}
	return pageNotFound
}

// pathID returns the unescaped last segment of path, the id of the
// resource a detail page shows.
func pathID(path string) string {
	seg := path[strings.LastIndex(path, "/")+1:]
	if id, err := url.PathUnescape(seg); err == nil {
		return id
	}
	return seg
}
