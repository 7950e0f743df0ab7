package ui

import (
	"net/url"
	"strconv"
	"time"

	"github.com/aiinfra/studio/app/live"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunTabProps is what every run page tab receives.
type RunTabProps struct {
	Run    studio.Run
	Client *query.Client
	Clock  *Clock
	// Data is the run's client state: REST data merged with the live
	// stream. Tabs read it and subscribe to its changes; nil on the server.
	Data *rundata.State
	// Stream is the run's live connection, nil when the run is finished or
	// on the server.
	Stream *live.Stream
	// Sync shares the chart crosshair between every chart of the run.
	Sync *ChartSync
	// Line is the log line the URL points at (?line=N), -1 for none.
	Line int64
}

// runTab is one tab of the run page. To add a tab, append an entry here
// and give its component a file of its own (run_tab_<id>.go).
type runTab struct {
	id     string
	label  string
	render func(p RunTabProps) app.UI
}

// runTabs lists the run page tabs in display order; the first is the
// default. The metrics, logs and timeline components are the ones later
// work replaces.
var runTabs = []runTab{
	{"overview", "Overview", func(p RunTabProps) app.UI {
		return &RunOverviewTab{Run: p.Run, Clock: p.Clock, Client: p.Client, Data: p.Data, Sync: p.Sync}
	}},
	{"metrics", "Metrics", func(p RunTabProps) app.UI {
		return &RunMetricsTab{Run: p.Run, Client: p.Client, Data: p.Data, Sync: p.Sync}
	}},
	{"logs", "Logs", func(p RunTabProps) app.UI {
		return &RunLogsTab{Run: p.Run, Client: p.Client, Data: p.Data, Line: p.Line}
	}},
	{"timeline", "Timeline", func(p RunTabProps) app.UI {
		return &RunTimelineTab{Run: p.Run, Client: p.Client, Data: p.Data}
	}},
	{"config", "Config", func(p RunTabProps) app.UI { return &RunConfigTab{Run: p.Run} }},
}

// tabIndex returns the index of tab id, 0 for unknown ids.
func tabIndex(id string) int {
	for i, t := range runTabs {
		if t.id == id {
			return i
		}
	}
	return 0
}

// RunPage shows one run: a header and tabs (overview, metrics, logs,
// timeline, config), the tab in the URL as ?tab=.
type RunPage struct {
	app.Compo
	Client *query.Client
	Clock  *Clock

	id   studio.RunID
	tab  int
	line int64
	// urlQuery is the URL's query at the last navigation: the tab links
	// start from it (see withRunTabLink).
	urlQuery url.Values
	run      query.Observer[studio.Run]

	// The run's client state and live stream (client only): created for
	// each run id, kept while only the tab changes.
	data       *rundata.State
	stream     *live.Stream
	sync       *ChartSync
	teardown   []func()
	runVersion uint64
	// snap is the run the header and tabs show: the client state's run,
	// refreshed at most every runRefresh while only counters change, so
	// a streaming run does not re-render every tab on every point.
	snap       studio.Run
	hasSnap    bool
	snapQueued bool
}

// runRefresh is how often a streaming run's header and tabs refresh when
// only its counters and latest values change.
const runRefresh = 500 * time.Millisecond

// OnNav reads the run id, tab and line, loads the run and, for a run that
// is queued or running, opens its live stream.
func (p *RunPage) OnNav(ctx app.Context) {
	u := ctx.Page().URL()
	p.id = studio.RunID(pathID(u.Path))
	p.urlQuery = u.Query()
	p.tab = tabIndex(p.urlQuery.Get("tab"))
	p.line = -1
	if n, err := strconv.ParseInt(u.Query().Get("line"), 10, 64); err == nil && n >= 0 {
		p.line = n
	}
	p.title(ctx)
	if app.IsServer {
		return
	}
	p.run.Changed = p.runChanged
	p.run.Observe(ctx, p.Client, apiRun(p.id))
	if p.data == nil || p.data.ID() != p.id {
		p.open(ctx)
	}
}

// open creates the client state of run p.id, fills it over REST and
// starts the live stream when the run is not finished. The stream resumes
// after the StreamSeq of a run snapshot, and the series, events and log
// tail are fetched after that snapshot, so together they miss nothing;
// what they have in common is deduplicated by rundata.
func (p *RunPage) open(ctx app.Context) {
	p.close()
	id, client := p.id, p.Client
	data := rundata.New(id, rundata.Options{})
	p.data, p.sync, p.runVersion, p.hasSnap, p.snapQueued = data, NewChartSync(), 0, false, false
	unsub := data.Subscribe(func() {
		ctx.Dispatch(func(ctx app.Context) {
			// Re-render the page (header, tabs) only when the run changed;
			// charts and logs subscribe on their own.
			if p.data != data || data.RunVersion() == p.runVersion {
				ctx.PreventUpdate()
				return
			}
			r, _ := data.Run()
			if !p.hasSnap || r.Status != p.snap.Status {
				p.takeSnap(ctx)
				return
			}
			ctx.PreventUpdate()
			if !p.snapQueued {
				p.snapQueued = true
				ctx.After(runRefresh, func(ctx app.Context) {
					p.snapQueued = false
					if p.data != data {
						ctx.PreventUpdate()
						return
					}
					p.takeSnap(ctx)
				})
			}
		})
	})
	var detach func()
	stopped := false
	p.teardown = append(p.teardown, unsub, func() {
		stopped = true
		if detach != nil {
			detach()
		}
	})
	ctx.Async(func() {
		run, err := query.Fetch[studio.Run](ctx, client, rundata.RunKey(id))
		isLive := err == nil && !run.Status.Terminal()
		if isLive {
			// Whatever is cached for the run's series, events and logs may
			// predate this snapshot: refetch it.
			client.Invalidate(rundata.RunKey(id) + "/")
		}
		ctx.Dispatch(func(ctx app.Context) {
			if stopped || p.data != data {
				return
			}
			detach = data.Attach(client, rundata.AttachOptions{})
			if isLive {
				p.startStream(ctx, run.StreamSeq)
			}
		})
	})
}

// startStream opens the live stream of the current run after seq since.
func (p *RunPage) startStream(ctx app.Context, since int64) {
	id, client := p.id, p.Client
	s := live.NewStream(live.Options{
		URL:    live.RunURL(id),
		Since:  since,
		Dialer: live.BrowserDialer(),
		Sink:   p.data,
		Env:    live.BrowserEnv{},
		OnGap:  func() { client.Invalidate(rundata.Prefix(id)) },
		OnError: func(err error) {
			app.Log("live stream:", err)
		},
	})
	p.stream = s
	p.teardown = append(p.teardown, s.Stop)
	s.Start()
}

// close stops the stream and the subscriptions of the previous run.
func (p *RunPage) close() {
	for _, f := range p.teardown {
		f()
	}
	p.teardown, p.data, p.stream, p.sync, p.hasSnap = nil, nil, nil, nil, false
}

// takeSnap shows the client state's current run.
func (p *RunPage) takeSnap(ctx app.Context) {
	if r, ok := p.data.Run(); ok {
		p.snap, p.hasSnap = r, true
		p.runVersion = p.data.RunVersion()
		p.title(ctx)
	}
}

// runChanged runs when the REST run changes.
func (p *RunPage) runChanged(ctx app.Context) { p.title(ctx) }

// liveRun returns the run to show: the client state's (advanced by the
// stream) once loaded, else the REST result.
func (p *RunPage) liveRun() (studio.Run, bool) {
	if p.hasSnap {
		return p.snap, true
	}
	return p.run.Data, p.run.HasData
}

func (p *RunPage) title(ctx app.Context) {
	if query.IsNotFound(p.run.Err) && !p.run.HasData {
		setTitle(ctx, "Run not found")
		return
	}
	name := string(p.id)
	if r, ok := p.liveRun(); ok {
		name = r.Name
	}
	setTitle(ctx, name+" · "+runTabs[p.tab].label)
}

// OnDismount ends the subscriptions and the live stream.
func (p *RunPage) OnDismount() {
	p.run.Close()
	p.close()
}

func (p *RunPage) retry(ctx app.Context, e app.Event) { p.run.Refetch() }

// Render draws the header, the tab list and the current tab.
func (p *RunPage) Render() app.UI {
	r := p.run.Result
	if query.IsNotFound(r.Err) && !r.HasData {
		return notFound("run", string(p.id), "/runs", "All runs")
	}
	run, loaded := p.liveRun()
	return pageRoot("run").DataSet("tab", runTabs[p.tab].id).Body(
		&RunHeader{ID: p.id, Run: run, Loaded: loaded, Clock: p.Clock},
		app.Div().Class("run-tabs-row").Body(
			p.tabs(),
			&WSStatus{Stream: p.stream, Status: run.Status, Loaded: loaded},
		),
		app.Div().
			ID("run-panel").
			Class("tab-panel").
			Attr("role", "tabpanel").
			Aria("labelledby", "run-tab-"+runTabs[p.tab].id).
			DataSet("testid", "run-tab-"+runTabs[p.tab].id).
			Body(p.panel()),
	)
}

func (p *RunPage) tabs() app.UI {
	return app.Div().Class("tabs").Attr("role", "tablist").Aria("label", "Run sections").OnKeyDown(p.onTabKey).Body(
		app.Range(runTabs).Slice(func(i int) app.UI {
			t := runTabs[i]
			a := withRunTabLink(app.A().
				ID("run-tab-"+t.id).
				Class("tab").
				Href(runTabHref(p.id, t.id, p.urlQuery)).
				Attr("role", "tab").
				Aria("controls", "run-panel").
				DataSet("tab", t.id).
				Text(t.label))
			if i == p.tab {
				return a.Aria("selected", true).TabIndex(0)
			}
			return a.Aria("selected", false).TabIndex(-1)
		}),
	)
}

// tabKey returns the tab a key press on a tab list of n tabs moves to
// from tab cur, as the ARIA tabs pattern expects: the arrows move to the
// next or previous tab (wrapping), Home and End to the first or last. ok
// is false for any other key.
func tabKey(key string, cur, n int) (next int, ok bool) {
	switch key {
	case "ArrowRight":
		return (cur + 1) % n, true
	case "ArrowLeft":
		return (cur + n - 1) % n, true
	case "Home":
		return 0, true
	case "End":
		return n - 1, true
	}
	return cur, false
}

// onTabKey moves between tabs with the keys of tabKey.
func (p *RunPage) onTabKey(ctx app.Context, e app.Event) {
	next, ok := tabKey(e.Get("key").String(), p.tab, len(runTabs))
	if !ok {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	ctx.Navigate(runTabHref(p.id, runTabs[next].id, ctx.Page().URL().Query()))
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID("run-tab-" + runTabs[next].id); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *RunPage) panel() app.UI {
	r := p.run.Result
	switch {
	case r.HasData:
		run, _ := p.liveRun()
		return runTabs[p.tab].render(RunTabProps{
			Run: run, Client: p.Client, Clock: p.Clock,
			Data: p.data, Stream: p.stream, Sync: p.sync, Line: p.line,
		})
	case r.Failed():
		return errorState("this run", r.Err, p.retry)
	}
	return skeleton("block", 3)
}
