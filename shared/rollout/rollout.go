// Package rollout is the deployment state machine of AI Infra Studio: the
// transitions of a canary rollout under operator actions (advance,
// rollback, simulate-incident) and the system actions that appear in
// generated histories. The store applies it to live deployments, the
// generator to build their histories and the web client to predict the
// server's answer before it arrives, so all three agree by construction.
// It imports only the standard library and shared/studio.
package rollout

import (
	"fmt"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// System actions that appear in generated deployment histories beside the
// operator actions (advance, rollback, simulate-incident). Apply never
// accepts them; Transition does.
const (
	ActionStart    studio.DeploymentAction = "start"    // deploy-bot starts a canary rollout at the first step
	ActionComplete studio.DeploymentAction = "complete" // deploy-bot promotes a canary that reached 100%
	ActionPause    studio.DeploymentAction = "pause"    // an operator halts a rollout
	ActionIncident studio.DeploymentAction = "incident" // the SLO monitor opens an incident
)

// Apply applies an operator action to d at time at and returns the
// HistoryEntry it appended to d.History. A rejected action leaves d
// unchanged and returns a CodeConflict *studio.Error saying why; an action
// other than advance, rollback or simulate-incident is CodeInvalid.
// Canary "pending" means Canary > 0 with StepIndex -1; "last" is
// len(Steps)-1.
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
		return Transition(d, a, at, actor)
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

// Transition is Apply for every action, including the system ones:
// ActionStart behaves as advance, ActionIncident as simulate-incident,
// ActionComplete promotes a progressing canary to stable at once and
// ActionPause halts a progressing rollout at its current step. An unknown
// action is CodeInvalid.
func Transition(d *studio.Deployment, a studio.DeploymentAction, at time.Time, actor string) (studio.HistoryEntry, error) {
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
