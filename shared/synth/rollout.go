package synth

import (
	"fmt"
	"math"
	"time"

	"github.com/aiinfra/studio/shared/rollout"
	"github.com/aiinfra/studio/shared/studio"
)

// DeploymentEvent returns the timeline event for history entry h of d
// (model is d's model, for the link): LaneAlert for incidents, LaneDeploy
// for everything else. Its id is "ev-" + d.ID + "-" + the entry's Seq.
func DeploymentEvent(d *studio.Deployment, h studio.HistoryEntry) studio.Event {
	id := string(d.ID)
	ev := studio.Event{
		ID: studio.EventID(fmt.Sprintf("ev-%s-%04d", id, h.Seq)), Lane: studio.LaneDeploy, Time: h.Time,
		Severity: studio.SeverityInfo, Subject: id, Detail: h.Note + " (" + h.Actor + ")",
		Links: []studio.Link{
			{Kind: "deployment", Label: id, Href: "/deployments/" + id},
			{Kind: "model", Label: string(d.ModelID), Href: "/registry/" + string(d.ModelID)},
		},
	}
	switch h.Action {
	case rollout.ActionStart:
		ev.Title = fmt.Sprintf("canary v%d started at %d%%", d.Canary, h.Percent)
	case studio.ActionAdvance:
		switch {
		case h.To == studio.DeployHealthy:
			ev.Title = fmt.Sprintf("v%d promoted to stable", d.Stable)
		case h.From == studio.DeployPaused:
			ev.Title = fmt.Sprintf("rollout resumed at %d%%", h.Percent)
		default:
			ev.Title = fmt.Sprintf("canary v%d at %d%%", d.Canary, h.Percent)
		}
	case rollout.ActionComplete:
		ev.Title = fmt.Sprintf("v%d promoted to stable", d.Stable)
	case rollout.ActionPause:
		ev.Title = fmt.Sprintf("rollout paused at %d%%", d.CanaryPercent)
		ev.Severity = studio.SeverityWarning
	case studio.ActionRollback:
		ev.Title = fmt.Sprintf("rolled back to v%d", d.Stable)
		ev.Severity = studio.SeverityWarning
	case studio.ActionSimulateIncident, rollout.ActionIncident:
		ev.Lane, ev.Severity = studio.LaneAlert, studio.SeverityCritical
		ev.Title = "incident opened"
		if in, ok := rollout.OpenIncident(d); ok {
			ev.Title = "incident: " + in.Title
		}
	default:
		ev.Title = string(h.Action)
	}
	return ev
}

// DeploymentPlan is a deployment of the base dataset with what the store
// needs to compute its health as it changes.
type DeploymentPlan struct {
	// Deployment is the deployment as of the generator's Epoch.
	Deployment studio.Deployment
	// Events are the timeline events of Deployment.History, by time.
	Events []studio.Event
	seed   uint64
	index  int
	base   studio.Health // stable version at 0% canary, mean RPS
	canary float64       // latency factor of the canary version
}

// Health returns the health of d at time t as this plan's deployment: the
// stable baseline blended with the canary by traffic share, worse while an
// incident is open, with diurnal RPS and a little noise drawn from
// (seed, deployment, salt).
func (p *DeploymentPlan) Health(d *studio.Deployment, t time.Time, salt uint64) studio.Health {
	r := newRNG(p.seed, domHealth, uint64(p.index), salt)
	pct := float64(d.CanaryPercent) / 100
	f := 1 + (p.canary-1)*pct
	h := studio.Health{
		LatencyP50: p.base.LatencyP50 * f * (1 + 0.03*r.norm()),
		LatencyP99: p.base.LatencyP99 * f * f * (1 + 0.05*r.norm()),
		ErrorRate:  p.base.ErrorRate * (1 + 3*(p.canary-1)*pct + 0.1*r.norm()),
	}
	hour := float64(t.Unix()%86400) / 3600
	h.RPS = p.base.RPS * (1 + 0.35*round6(math.Sin((hour-9)/24*2*math.Pi))) * (1 + 0.04*r.norm())
	if _, open := rollout.OpenIncident(d); open {
		h.LatencyP50 *= 1.6
		h.LatencyP99 *= 2.8
		h.ErrorRate += 0.045 + 0.01*math.Abs(r.norm())
	}
	h.LatencyP50 = roundTo(math.Max(h.LatencyP50, 1), 10)
	h.LatencyP99 = roundTo(math.Max(h.LatencyP99, h.LatencyP50), 10)
	h.ErrorRate = roundTo(math.Min(math.Max(h.ErrorRate, 0), 1), 1e5)
	h.RPS = roundTo(math.Max(h.RPS, 0), 10)
	return h
}
