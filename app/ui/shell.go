package ui

import (
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Shell is the root component of every route: skip link, top bar,
// banners, the current page and the keyboard shortcuts. Navigation keeps
// the same Shell mounted and only swaps the page, so the query cache, the
// clock and the global listeners live here.
type Shell struct {
	app.Compo

	// Page is the page to show; each route's factory sets it.
	Page pageKind

	client  *query.Client
	clock   *Clock
	mounted bool
	clockOK bool
}

// OnInit creates the data plane. On the server it is never used: pages
// skip their fetches there.
func (s *Shell) OnInit() {
	s.client = query.New(query.NewFetchTransport(), query.Options{})
	s.clock = &Clock{}
}

// OnMount marks the client as ready (#app-ready) and syncs the platform
// clock from the dashboard.
func (s *Shell) OnMount(ctx app.Context) {
	s.mounted = true
	s.syncClock(ctx)
}

// OnNav retries the clock sync if the first attempt failed.
func (s *Shell) OnNav(ctx app.Context) {
	if app.IsClient && s.mounted && !s.clockOK {
		s.syncClock(ctx)
	}
}

func (s *Shell) syncClock(ctx app.Context) {
	client, clock := s.client, s.clock
	ctx.Async(func() {
		d, err := query.Fetch[api.Dashboard](ctx, client, apiDashboard)
		if err != nil {
			return
		}
		clock.Sync(d.Now)
		ctx.Dispatch(func(app.Context) { s.clockOK = true })
	})
}

// Render lays out the app. Conditional parts sit in containers that are
// always present, so showing a banner never shifts (and remounts) the
// page.
func (s *Shell) Render() app.UI {
	return app.Div().Class("shell").Body(
		app.A().Class("skip-link").Href("#main").Text("Skip to content"),
		&TopBar{Section: sectionOf(s.Page)},
		app.Div().Class("banners").Body(
			&ConnectivityBanner{Client: s.client},
			&UpdateBanner{},
		),
		app.Main().ID("main").Class("main").TabIndex(-1).Body(s.page()),
		&Shortcuts{},
		app.If(s.mounted, func() app.UI {
			return app.Div().ID("app-ready").Hidden(true)
		}),
	)
}

// page returns the component of the current page.
func (s *Shell) page() app.UI {
	c, k := s.client, s.clock
	switch s.Page {
	case pageDashboard:
		return &DashboardPage{Client: c, Clock: k}
	case pageExperiments:
		return &ExperimentsPage{Client: c, Clock: k}
	case pageExperiment:
		return &ExperimentPage{Client: c, Clock: k}
	case pageRuns:
		return &RunsPage{Client: c, Clock: k}
	case pageRunNew:
		return &NewRunPage{Client: c}
	case pageRun:
		return &RunPage{Client: c, Clock: k}
	case pageRegistry:
		return &RegistryPage{Client: c, Clock: k}
	case pageModel:
		return &ModelPage{Client: c, Clock: k}
	case pageDeployments:
		return &DeploymentsPage{Client: c, Clock: k}
	case pageDeployment:
		return &DeploymentPage{Client: c, Clock: k}
	case pageTraces:
		return &TracesPage{Client: c, Clock: k}
	case pageTrace:
		return &TracePage{Client: c}
	}
	return &NotFoundPage{}
}

// section is the top-level area a page belongs to, for the navigation.
type section string

// Navigation sections.
const (
	sectionNone        section = ""
	sectionDashboard   section = "dashboard"
	sectionExperiments section = "experiments"
	sectionRegistry    section = "registry"
	sectionDeployments section = "deployments"
	sectionTraces      section = "traces"
)

func sectionOf(p pageKind) section {
	switch p {
	case pageDashboard:
		return sectionDashboard
	case pageExperiments, pageExperiment, pageRuns, pageRun, pageRunNew:
		return sectionExperiments
	case pageRegistry, pageModel:
		return sectionRegistry
	case pageDeployments, pageDeployment:
		return sectionDeployments
	case pageTraces, pageTrace:
		return sectionTraces
	}
	return sectionNone
}
