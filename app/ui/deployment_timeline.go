package ui

import (
	"net/url"
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Health track names on a deployment's timeline.
const (
	trackLatencyP50 = "latency_p50"
	trackLatencyP99 = "latency_p99"
	trackErrorRate  = "error_rate"
	trackRPS        = "rps"
)

// healthTracks turns a deployment's health history into timeline tracks:
// latency p50 and p99 (ms), error rate (%) and requests per second. The
// samples are sorted by time.
func healthTracks(h []studio.HealthSample) []studio.Series {
	mk := func(name, unit string) studio.Series {
		return studio.Series{Name: name, Unit: unit, Points: make([]studio.Point, 0, len(h)), Total: len(h)}
	}
	p50, p99, errs, rps := mk(trackLatencyP50, "ms"), mk(trackLatencyP99, "ms"), mk(trackErrorRate, "%"), mk(trackRPS, "req/s")
	for i, s := range h {
		p50.Points = append(p50.Points, studio.Point{Step: i, Time: s.Time, Value: s.LatencyP50})
		p99.Points = append(p99.Points, studio.Point{Step: i, Time: s.Time, Value: s.LatencyP99})
		errs.Points = append(errs.Points, studio.Point{Step: i, Time: s.Time, Value: s.ErrorRate * 100})
		rps.Points = append(rps.Points, studio.Point{Step: i, Time: s.Time, Value: s.RPS})
	}
	return []studio.Series{p50, p99, errs, rps}
}

// deploymentSpan is the span of a deployment's timeline: the events
// response's span widened to the health history.
func deploymentSpan(p api.EventPage, h []studio.HealthSample) timeline.Span {
	s := timeline.Span{From: p.From, To: p.To}
	for _, x := range h {
		if s.From.IsZero() || x.Time.Before(s.From) {
			s.From = x.Time
		}
		if x.Time.After(s.To) {
			s.To = x.Time
		}
	}
	for _, e := range p.Events {
		if s.From.IsZero() || e.Time.Before(s.From) {
			s.From = e.Time
		}
		if e.Time.After(s.To) {
			s.To = e.Time
		}
	}
	return s
}

// deploymentWindow is the window a deployment's timeline opens on: the
// health history (where the tracks have data), widened to the start of the
// latest rollout, within span. The zero Span when there is no history.
func deploymentWindow(d studio.Deployment, span timeline.Span) timeline.Span {
	h := d.HealthHistory
	if len(h) == 0 {
		return timeline.Span{}
	}
	w := timeline.Span{From: h[0].Time, To: span.To}
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Action == "start" {
			if t := d.History[i].Time.Add(-30 * time.Minute); t.Before(w.From) {
				w.From = t
			}
			break
		}
	}
	if w.From.Before(span.From) {
		w.From = span.From
	}
	return w
}

// apiDeploymentEvents is the deployment's timeline events: rollout steps,
// operator actions, incidents and alerts.
func apiDeploymentEvents(id studio.DeploymentID) string {
	return "/api/deployments/" + url.PathEscape(string(id)) + "/events"
}

// DeploymentTimeline is the Time Warp Timeline of a deployment: the
// rollout's steps and operator actions as deploy markers, incidents as
// alerts, and the health metrics (latency p50/p99, error rate, RPS) as
// tracks. Actions on the page invalidate the deployment's queries, so new
// events appear in place.
type DeploymentTimeline struct {
	app.Compo
	Deployment studio.Deployment
	Client     *query.Client

	events  query.Observer[api.EventPage]
	version uint64
	seenAt  string // what derive last saw
	tracks  []studio.Series
	span    timeline.Span
	window  timeline.Span // the default window
}

// OnMount loads the events.
func (t *DeploymentTimeline) OnMount(ctx app.Context) { t.observe(ctx) }

// OnUpdate follows another deployment or a newer snapshot of it.
func (t *DeploymentTimeline) OnUpdate(ctx app.Context) { t.observe(ctx) }

// OnDismount ends the subscription.
func (t *DeploymentTimeline) OnDismount() { t.events.Close() }

func (t *DeploymentTimeline) observe(ctx app.Context) {
	if app.IsServer || t.Client == nil {
		return
	}
	t.events.Changed = func(app.Context) { t.derive() }
	t.events.Observe(ctx, t.Client, apiDeploymentEvents(t.Deployment.ID))
	t.derive()
}

// derive recomputes the tracks and span when the deployment or its events
// changed, and bumps the version the timeline watches.
func (t *DeploymentTimeline) derive() {
	key := t.Deployment.UpdatedAt.String() + "|" + string(t.Deployment.ID) + "|" + t.events.UpdatedAt.String()
	if key == t.seenAt {
		return
	}
	t.seenAt = key
	t.tracks = healthTracks(t.Deployment.HealthHistory)
	t.span = deploymentSpan(t.events.Data, t.Deployment.HealthHistory)
	t.window = deploymentWindow(t.Deployment, t.span)
	t.version++
}

// Render draws the timeline once the events are loaded.
func (t *DeploymentTimeline) Render() app.UI {
	r := t.events.Result
	var body app.UI
	switch {
	case r.HasData:
		d := t.Deployment
		body = &Timeline{
			ID:      string(d.ID),
			Label:   "Timeline of " + d.Name,
			Events:  r.Data.Events,
			Tracks:  t.tracks,
			Version: t.version,
			Span:    t.span,
			Default: t.window,
			Report:  apiDeployment(d.ID) + "/report.pdf",
		}
	case r.Failed():
		body = errorState("the deployment's events", r.Err, func(ctx app.Context, e app.Event) { t.events.Refetch() })
	default:
		body = skeleton("block", 2)
	}
	return app.Section().Class("panel tl-panel").DataSet("testid", "deployment-timeline").Aria("labelledby", "dep-timeline-title").Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("dep-timeline-title").Text("Timeline"),
			app.Span().Class("muted small").Text("Rollout steps, actions and incidents over the health metrics; pin moments to compare them."),
		),
		body,
	)
}
