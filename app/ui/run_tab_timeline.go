package ui

import (
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// runTimelineTracks are the metric tracks of a run's timeline.
var runTimelineTracks = []string{studio.MetricLoss, studio.MetricValLoss, studio.MetricAccuracy, studio.MetricGradNorm}

// RunTimelineTab is the timeline tab of the run page: the Time Warp
// Timeline over the run's events with its loss, val_loss, accuracy and
// grad_norm as tracks. It reads the run's client state (REST merged with
// the live stream), so streamed events and points appear in place.
type RunTimelineTab struct {
	app.Compo
	Run    studio.Run
	Client *query.Client
	// Data is the run's client state. When nil the tab fills a state of
	// its own over REST (no live updates).
	Data *rundata.State

	data    *rundata.State
	detach  func()
	unsub   func()
	evVer   uint64
	serVer  []uint64
	version uint64
	events  []studio.Event
	tracks  []studio.Series
	span    timeline.Span
	loaded  bool
	src     *runSource
}

// OnMount subscribes to the run's state.
func (t *RunTimelineTab) OnMount(ctx app.Context) { t.attach(ctx) }

// OnUpdate follows a new run or state.
func (t *RunTimelineTab) OnUpdate(ctx app.Context) {
	if t.data == nil || (t.Data != nil && t.Data != t.data) || t.data.ID() != t.Run.ID {
		t.attach(ctx)
	}
}

// OnDismount ends the subscriptions.
func (t *RunTimelineTab) OnDismount() { t.detachAll() }

func (t *RunTimelineTab) detachAll() {
	if t.unsub != nil {
		t.unsub()
		t.unsub = nil
	}
	if t.detach != nil {
		t.detach()
		t.detach = nil
	}
}

func (t *RunTimelineTab) attach(ctx app.Context) {
	if app.IsServer {
		return
	}
	t.detachAll()
	t.data = t.Data
	if t.data == nil {
		t.data = rundata.New(t.Run.ID, rundata.Options{})
		t.detach = t.data.Attach(t.Client, rundata.AttachOptions{TailLines: -1})
	}
	t.src = &runSource{Client: t.Client, Run: t.Run.ID}
	t.evVer, t.serVer, t.loaded = 0, nil, false
	data := t.data
	t.unsub = data.Subscribe(func() {
		ctx.Dispatch(func(ctx app.Context) {
			if data != t.data || !t.refresh() {
				ctx.PreventUpdate()
			}
		})
	})
	t.refresh()
}

// refresh copies what changed in the state; it reports whether anything
// did. The events are copied only when their version moved, so the
// timeline's props keep their identity (cheap comparisons) otherwise.
func (t *RunTimelineTab) refresh() bool {
	d := t.data
	if d == nil {
		return false
	}
	changed := false
	if v := d.EventsVersion(); v != t.evVer || !t.loaded {
		t.evVer = v
		t.events = d.Events()
		changed = true
	}
	if len(t.serVer) != len(runTimelineTracks) {
		t.serVer = make([]uint64, len(runTimelineTracks))
		t.tracks = make([]studio.Series, len(runTimelineTracks))
	}
	for i, name := range runTimelineTracks {
		sd, _ := d.SeriesData(name)
		if sd.Version != t.serVer[i] || t.tracks[i].Name == "" {
			t.serVer[i] = sd.Version
			t.tracks[i] = studio.Series{Name: name, Unit: sd.Unit, Points: sd.Points, Total: sd.Total, Decimated: sd.Decimated}
			changed = true
		}
	}
	if sp := d.Span(); sp != t.span {
		t.span = sp
		changed = true
	}
	if loaded := d.HasEvents(); loaded != t.loaded {
		t.loaded = loaded
		changed = true
	}
	if changed {
		t.version++
	}
	return changed
}

// Render draws the timeline once the events are loaded.
func (t *RunTimelineTab) Render() app.UI {
	body := app.UI(skeleton("block", 2))
	if t.loaded {
		r := t.Run
		if d := t.data; d != nil {
			if live, ok := d.Run(); ok {
				r = live
			}
		}
		tl := &Timeline{
			ID:      string(t.Run.ID),
			Label:   "Timeline of " + t.Run.Name,
			Events:  t.events,
			Tracks:  t.tracks,
			Version: t.version,
			Span:    t.span,
			Live:    !r.Status.Terminal(),
			Report:  apiRun(t.Run.ID) + "/report.pdf",
		}
		if t.src != nil {
			tl.Source = t.src
		}
		body = tl
	}
	return app.Section().Class("panel tl-panel").DataSet("testid", "run-timeline").Aria("labelledby", "timeline-title").Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("timeline-title").Text("Time Warp Timeline"),
			app.Span().Class("muted small").Text("Lanes of events over the run, with metric tracks; pin moments to compare them."),
		),
		body,
	)
}
