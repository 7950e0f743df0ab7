package synth

import (
	"fmt"
	"math"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// System actions that appear in generated deployment histories beside the
// operator actions (advance, rollback, simulate-incident). Act never
// accepts them.
const (
	ActionStart    studio.DeploymentAction = "start"    // deploy-bot starts a canary rollout at the first step
	ActionComplete studio.DeploymentAction = "complete" // deploy-bot promotes a canary that reached 100%
	ActionPause    studio.DeploymentAction = "pause"    // an operator halts a rollout
	ActionIncident studio.DeploymentAction = "incident" // the SLO monitor opens an incident
)

// Apply applies an operator action to d at time at and returns the
// HistoryEntry it appended to d.History. It is the deployment state
// machine; a rejected action leaves d unchanged and returns a CodeConflict
// *studio.Error saying why. Canary "pending" means Canary > 0 with
// StepIndex -1; "last" is len(Steps)-1.
//
//	status       canary      advance                    rollback              simulate-incident
//	healthy      none        409 no canary version      409 nothing to roll   degraded
//	healthy      pending     progressing, step 0        409 not started       degraded
//	progressing  step k      progressing, step k+1;     rolled_back           degraded
//	                         reaching last: canary
//	                         becomes stable, healthy
//	paused       step k      progressing, step k        rolled_back           degraded
//	degraded     any         409 incident open          rolled_back           409 already open
//	rolled_back  kept        progressing, step 0        409 already rolled    409 rolled back
//	rolled_back  none        409 no canary version      409 already rolled    409 rolled back
//
// simulate-incident opens an Incident; rollback closes every open one,
// moves all traffic to the stable version and keeps the canary version as
// a candidate, so a later advance retries the rollout from the first step.
func Apply(d *studio.Deployment, a studio.DeploymentAction, at time.Time, actor string) (studio.HistoryEntry, error) {
	switch a {
	case studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident:
		return apply(d, a, at, actor)
	}
	return studio.HistoryEntry{}, studio.Errorf(studio.CodeInvalid, "unknown action %q (want advance, rollback or simulate-incident)", a)
}

func conflict(a studio.DeploymentAction, format string, args ...any) error {
	verb := map[studio.DeploymentAction]string{
		studio.ActionAdvance: "advance", studio.ActionRollback: "rollback", studio.ActionSimulateIncident: "simulate incident",
	}[a]
	if verb == "" {
		verb = string(a)
	}
	return studio.Errorf(studio.CodeConflict, "cannot %s: %s", verb, fmt.Sprintf(format, args...))
}

// apply is Apply for every action, including the system ones.
func apply(d *studio.Deployment, a studio.DeploymentAction, at time.Time, actor string) (studio.HistoryEntry, error) {
	last := len(d.Steps) - 1
	from := d.Status
	next := *d
	var note string
	switch a {
	case studio.ActionAdvance, ActionStart:
		switch d.Status {
		case studio.DeployHealthy, studio.DeployRolledBack:
			if d.Canary == 0 {
				return studio.HistoryEntry{}, conflict(a, "no canary version to roll out (deployment is %s)", d.Status)
			}
			if d.StepIndex >= 0 {
				return studio.HistoryEntry{}, conflict(a, "rollout is %s", d.Status)
			}
			next.Status, next.StepIndex = studio.DeployProgressing, 0
			note = fmt.Sprintf("canary v%d started at %d%%", d.Canary, d.Steps[0])
		case studio.DeployProgressing:
			if d.StepIndex+1 >= last {
				return complete(d, a, at, actor)
			}
			next.StepIndex++
			note = fmt.Sprintf("canary v%d advanced to %d%%", d.Canary, d.Steps[next.StepIndex])
		case studio.DeployPaused:
			next.Status = studio.DeployProgressing
			note = fmt.Sprintf("rollout of v%d resumed at %d%%", d.Canary, d.Steps[d.StepIndex])
		case studio.DeployDegraded:
			return studio.HistoryEntry{}, conflict(a, "rollout is degraded (incident open); roll back first")
		default:
			return studio.HistoryEntry{}, conflict(a, "rollout is %s", d.Status)
		}
	case ActionComplete:
		if d.Status != studio.DeployProgressing {
			return studio.HistoryEntry{}, conflict(a, "rollout is %s", d.Status)
		}
		return complete(d, a, at, actor)
	case ActionPause:
		if d.Status != studio.DeployProgressing {
			return studio.HistoryEntry{}, conflict(a, "rollout is %s", d.Status)
		}
		next.Status = studio.DeployPaused
		note = fmt.Sprintf("rollout of v%d paused at %d%%", d.Canary, d.Steps[d.StepIndex])
	case studio.ActionRollback:
		switch d.Status {
		case studio.DeployProgressing, studio.DeployPaused, studio.DeployDegraded:
		case studio.DeployRolledBack:
			return studio.HistoryEntry{}, conflict(a, "rollout is already rolled_back")
		default:
			if d.Canary > 0 {
				return studio.HistoryEntry{}, conflict(a, "rollout of v%d has not started", d.Canary)
			}
			return studio.HistoryEntry{}, conflict(a, "nothing to roll back: rollout is healthy with no canary")
		}
		next.Status, next.StepIndex = studio.DeployRolledBack, -1
		next.Incidents = closeIncidents(d.Incidents, at)
		note = fmt.Sprintf("rolled back: all traffic on stable v%d", d.Stable)
		if d.Canary > 0 {
			note = fmt.Sprintf("rolled back canary v%d: all traffic on stable v%d", d.Canary, d.Stable)
		}
	case studio.ActionSimulateIncident, ActionIncident:
		switch d.Status {
		case studio.DeployHealthy, studio.DeployProgressing, studio.DeployPaused:
		case studio.DeployDegraded:
			return studio.HistoryEntry{}, conflict(a, "incident already open")
		default:
			return studio.HistoryEntry{}, conflict(a, "deployment is %s", d.Status)
		}
		next.Status = studio.DeployDegraded
		inc := studio.Incident{
			ID:    fmt.Sprintf("inc-%s-%d", trimDep(d.ID), len(d.Incidents)+1),
			Title: incidentTitle(d, len(d.Incidents)), Severity: studio.SeverityCritical, OpenedAt: at,
		}
		next.Incidents = append(append([]studio.Incident(nil), d.Incidents...), inc)
		note = "incident opened: " + inc.Title
	default:
		return studio.HistoryEntry{}, studio.Errorf(studio.CodeInvalid, "unknown action %q", a)
	}
	return commit(d, &next, a, from, at, actor, note), nil
}

func complete(d *studio.Deployment, a studio.DeploymentAction, at time.Time, actor string) (studio.HistoryEntry, error) {
	next := *d
	next.Status, next.StepIndex = studio.DeployHealthy, -1
	next.Stable, next.Canary = d.Canary, 0
	note := fmt.Sprintf("canary v%d reached 100%% and was promoted to stable (was v%d)", d.Canary, d.Stable)
	return commit(d, &next, a, d.Status, at, actor, note), nil
}

// commit finishes a transition: percent, time and history entry.
func commit(d, next *studio.Deployment, a studio.DeploymentAction, from studio.DeploymentStatus, at time.Time, actor, note string) studio.HistoryEntry {
	next.CanaryPercent = 0
	if next.StepIndex >= 0 && next.Canary > 0 {
		next.CanaryPercent = next.Steps[next.StepIndex]
	}
	next.UpdatedAt = at
	h := studio.HistoryEntry{
		Seq: len(d.History) + 1, Time: at, Action: a, From: from, To: next.Status,
		Step: next.StepIndex, Percent: next.CanaryPercent, Actor: actor, Note: note,
	}
	next.History = append(append(make([]studio.HistoryEntry, 0, len(d.History)+1), d.History...), h)
	*d = *next
	return h
}

func closeIncidents(in []studio.Incident, at time.Time) []studio.Incident {
	out := append([]studio.Incident(nil), in...)
	for i := range out {
		if out[i].ClosedAt == nil {
			t := at
			out[i].ClosedAt = &t
		}
	}
	return out
}

func trimDep(id studio.DeploymentID) string {
	s := string(id)
	if len(s) > 4 && s[:4] == "dep-" {
		return s[4:]
	}
	return s
}

var incidentTitles = []string{
	"p99 latency above SLO (%d ms > %d ms)",
	"error rate above 2%% on %d%% of traffic (budget %d%%)",
	"model-server pods crash-looping (%d restarts in %d min)",
	"kv-cache evictions saturating (%d%% hit rate, SLO %d%%)",
}

func incidentTitle(d *studio.Deployment, n int) string {
	t := incidentTitles[(len(d.ID)+n)%len(incidentTitles)]
	switch t {
	case incidentTitles[0]:
		return fmt.Sprintf(t, int(d.Health.LatencyP99*2.8), int(d.Health.LatencyP99*1.5))
	case incidentTitles[1]:
		return fmt.Sprintf(t, max(d.CanaryPercent, 100*boolInt(d.CanaryPercent == 0)), 1)
	case incidentTitles[2]:
		return fmt.Sprintf(t, 3+n*2, 10)
	}
	return fmt.Sprintf(t, 41+n*3, 85)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// OpenIncident returns the deployment's open incident, if any.
func OpenIncident(d *studio.Deployment) (studio.Incident, bool) {
	for _, in := range d.Incidents {
		if in.ClosedAt == nil {
			return in, true
		}
	}
	return studio.Incident{}, false
}

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
	case ActionStart:
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
	case ActionComplete:
		ev.Title = fmt.Sprintf("v%d promoted to stable", d.Stable)
	case ActionPause:
		ev.Title = fmt.Sprintf("rollout paused at %d%%", d.CanaryPercent)
		ev.Severity = studio.SeverityWarning
	case studio.ActionRollback:
		ev.Title = fmt.Sprintf("rolled back to v%d", d.Stable)
		ev.Severity = studio.SeverityWarning
	case studio.ActionSimulateIncident, ActionIncident:
		ev.Lane, ev.Severity = studio.LaneAlert, studio.SeverityCritical
		ev.Title = "incident opened"
		if in, ok := OpenIncident(d); ok {
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
	if _, open := OpenIncident(d); open {
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
