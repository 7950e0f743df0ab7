package rollout

import (
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// epoch is the reference time of these tests.
var epoch = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// deploymentIn returns a deployment in status st with stable v3, canary
// canary (0: none) at step index step.
func deploymentIn(st studio.DeploymentStatus, canary, step int) studio.Deployment {
	d := studio.Deployment{ID: "dep-test-prod", ModelID: "mdl-test", Environment: "production", Stable: 3, Canary: canary,
		Status: st, Steps: []int{5, 25, 50, 100}, StepIndex: step, Incidents: []studio.Incident{}}
	if step >= 0 && canary > 0 {
		d.CanaryPercent = d.Steps[step]
	}
	if st == studio.DeployDegraded {
		d.Incidents = []studio.Incident{{ID: "inc-test-prod-1", Title: "p99 latency above SLO", OpenedAt: epoch}}
	}
	if st == studio.DeployRolledBack {
		d.StepIndex, d.CanaryPercent = -1, 0
	}
	return d
}

func TestApply(t *testing.T) {
	type want struct {
		status  studio.DeploymentStatus
		stable  int
		canary  int
		step    int
		percent int
		err     string // substring of the CodeConflict message; "" when accepted
	}
	adv, rb, inc := studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident
	tests := []struct {
		name         string
		from         studio.Deployment
		action       studio.DeploymentAction
		want         want
		wantIncident bool // an incident is open afterwards
	}{
		{"healthy without canary cannot advance", deploymentIn(studio.DeployHealthy, 0, -1), adv, want{err: "cannot advance: no canary version to roll out"}, false},
		{"healthy without canary cannot roll back", deploymentIn(studio.DeployHealthy, 0, -1), rb, want{err: "cannot rollback: nothing to roll back"}, false},
		{"healthy without canary degrades", deploymentIn(studio.DeployHealthy, 0, -1), inc, want{studio.DeployDegraded, 3, 0, -1, 0, ""}, true},
		{"healthy with pending canary starts at 5%", deploymentIn(studio.DeployHealthy, 4, -1), adv, want{studio.DeployProgressing, 3, 4, 0, 5, ""}, false},
		{"healthy with pending canary cannot roll back", deploymentIn(studio.DeployHealthy, 4, -1), rb, want{err: "has not started"}, false},
		{"healthy with pending canary degrades", deploymentIn(studio.DeployHealthy, 4, -1), inc, want{studio.DeployDegraded, 3, 4, -1, 0, ""}, true},
		{"progressing advances a step", deploymentIn(studio.DeployProgressing, 4, 0), adv, want{studio.DeployProgressing, 3, 4, 1, 25, ""}, false},
		{"progressing at 25% advances to 50%", deploymentIn(studio.DeployProgressing, 4, 1), adv, want{studio.DeployProgressing, 3, 4, 2, 50, ""}, false},
		{"progressing reaching 100% completes", deploymentIn(studio.DeployProgressing, 4, 2), adv, want{studio.DeployHealthy, 4, 0, -1, 0, ""}, false},
		{"progressing at 100% completes", deploymentIn(studio.DeployProgressing, 4, 3), adv, want{studio.DeployHealthy, 4, 0, -1, 0, ""}, false},
		{"progressing rolls back", deploymentIn(studio.DeployProgressing, 4, 1), rb, want{studio.DeployRolledBack, 3, 4, -1, 0, ""}, false},
		{"progressing degrades", deploymentIn(studio.DeployProgressing, 4, 1), inc, want{studio.DeployDegraded, 3, 4, 1, 25, ""}, true},
		{"paused resumes at the same step", deploymentIn(studio.DeployPaused, 4, 2), adv, want{studio.DeployProgressing, 3, 4, 2, 50, ""}, false},
		{"paused rolls back", deploymentIn(studio.DeployPaused, 4, 2), rb, want{studio.DeployRolledBack, 3, 4, -1, 0, ""}, false},
		{"paused degrades", deploymentIn(studio.DeployPaused, 4, 2), inc, want{studio.DeployDegraded, 3, 4, 2, 50, ""}, true},
		{"degraded cannot advance", deploymentIn(studio.DeployDegraded, 4, 1), adv, want{err: "cannot advance: rollout is degraded"}, true},
		{"degraded rolls back and closes the incident", deploymentIn(studio.DeployDegraded, 4, 1), rb, want{studio.DeployRolledBack, 3, 4, -1, 0, ""}, false},
		{"degraded without canary rolls back", deploymentIn(studio.DeployDegraded, 0, -1), rb, want{studio.DeployRolledBack, 3, 0, -1, 0, ""}, false},
		{"degraded cannot open a second incident", deploymentIn(studio.DeployDegraded, 4, 1), inc, want{err: "incident already open"}, true},
		{"rolled back with canary retries from 5%", deploymentIn(studio.DeployRolledBack, 4, -1), adv, want{studio.DeployProgressing, 3, 4, 0, 5, ""}, false},
		{"rolled back without canary cannot advance", deploymentIn(studio.DeployRolledBack, 0, -1), adv, want{err: "no canary version"}, false},
		{"rolled back cannot roll back", deploymentIn(studio.DeployRolledBack, 4, -1), rb, want{err: "already rolled_back"}, false},
		{"rolled back cannot degrade", deploymentIn(studio.DeployRolledBack, 4, -1), inc, want{err: "cannot simulate incident: deployment is rolled_back"}, false},
	}
	at := epoch.Add(time.Hour)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.from
			before := d
			h, err := Apply(&d, tt.action, at, "tester")
			if tt.want.err != "" {
				if studio.ErrorCode(err) != studio.CodeConflict || !strings.Contains(studio.ErrorMessage(err), tt.want.err) {
					t.Fatalf("Apply(%s) error = %v; want conflict containing %q", tt.action, err, tt.want.err)
				}
				if d.Status != before.Status || len(d.History) != 0 || d.StepIndex != before.StepIndex || len(d.Incidents) != len(before.Incidents) {
					t.Errorf("rejected Apply changed the deployment: %+v", d)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply(%s) = %v", tt.action, err)
			}
			got := want{d.Status, d.Stable, d.Canary, d.StepIndex, d.CanaryPercent, ""}
			if got != tt.want {
				t.Errorf("Apply(%s) -> %+v; want %+v", tt.action, got, tt.want)
			}
			if len(d.History) != 1 || d.History[0] != h || h.Seq != 1 || h.From != tt.from.Status || h.To != d.Status ||
				h.Action != tt.action || h.Step != d.StepIndex || h.Percent != d.CanaryPercent || !h.Time.Equal(at) || h.Actor != "tester" || h.Note == "" {
				t.Errorf("history entry %+v, history %v", h, d.History)
			}
			if _, open := OpenIncident(&d); open != tt.wantIncident {
				t.Errorf("open incident = %v; want %v", open, tt.wantIncident)
			}
			if !d.UpdatedAt.Equal(at) {
				t.Errorf("UpdatedAt = %v; want %v", d.UpdatedAt, at)
			}
		})
	}
}

func TestApplyRejectsUnknownAction(t *testing.T) {
	d := deploymentIn(studio.DeployProgressing, 4, 1)
	for _, a := range []studio.DeploymentAction{"", "pause", "start", "promote"} {
		if _, err := Apply(&d, a, epoch, "x"); studio.ErrorCode(err) != studio.CodeInvalid {
			t.Errorf("Apply(%q) error = %v; want CodeInvalid", a, err)
		}
	}
	if len(d.History) != 0 {
		t.Errorf("rejected actions added history %v", d.History)
	}
}

func TestApplyDoesNotShareHistory(t *testing.T) {
	d := deploymentIn(studio.DeployProgressing, 4, 0)
	if _, err := Apply(&d, studio.ActionAdvance, epoch, "x"); err != nil {
		t.Fatal(err)
	}
	snapshot := d
	if _, err := Apply(&d, studio.ActionSimulateIncident, epoch, "x"); err != nil {
		t.Fatal(err)
	}
	if len(snapshot.History) != 1 || len(snapshot.Incidents) != 0 {
		t.Errorf("Apply modified an earlier copy: %d entries, %d incidents", len(snapshot.History), len(snapshot.Incidents))
	}
}

func TestTransitionSystemActions(t *testing.T) {
	type want struct {
		status  studio.DeploymentStatus
		stable  int
		canary  int
		step    int
		percent int
		err     string // substring of the CodeConflict message; "" when accepted
	}
	tests := []struct {
		name   string
		from   studio.Deployment
		action studio.DeploymentAction
		want   want
	}{
		{"start begins a pending canary at 5%", deploymentIn(studio.DeployHealthy, 4, -1), ActionStart, want{studio.DeployProgressing, 3, 4, 0, 5, ""}},
		{"start needs a canary", deploymentIn(studio.DeployHealthy, 0, -1), ActionStart, want{err: "cannot start: no canary version"}},
		{"start on a progressing rollout advances", deploymentIn(studio.DeployProgressing, 4, 0), ActionStart, want{studio.DeployProgressing, 3, 4, 1, 25, ""}},
		{"complete promotes at once", deploymentIn(studio.DeployProgressing, 4, 0), ActionComplete, want{studio.DeployHealthy, 4, 0, -1, 0, ""}},
		{"complete needs a progressing rollout", deploymentIn(studio.DeployPaused, 4, 1), ActionComplete, want{err: "cannot complete: rollout is paused"}},
		{"pause halts at the current step", deploymentIn(studio.DeployProgressing, 4, 1), ActionPause, want{studio.DeployPaused, 3, 4, 1, 25, ""}},
		{"pause needs a progressing rollout", deploymentIn(studio.DeployHealthy, 4, -1), ActionPause, want{err: "cannot pause: rollout is healthy"}},
		{"incident degrades", deploymentIn(studio.DeployProgressing, 4, 2), ActionIncident, want{studio.DeployDegraded, 3, 4, 2, 50, ""}},
		{"incident needs no open one", deploymentIn(studio.DeployDegraded, 4, 2), ActionIncident, want{err: "cannot incident: incident already open"}},
		{"operator actions still work", deploymentIn(studio.DeployProgressing, 4, 1), studio.ActionRollback, want{studio.DeployRolledBack, 3, 4, -1, 0, ""}},
	}
	at := epoch.Add(time.Hour)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.from
			h, err := Transition(&d, tt.action, at, "deploy-bot")
			if tt.want.err != "" {
				if studio.ErrorCode(err) != studio.CodeConflict || !strings.Contains(studio.ErrorMessage(err), tt.want.err) {
					t.Fatalf("Transition(%s) error = %v; want conflict containing %q", tt.action, err, tt.want.err)
				}
				if len(d.History) != 0 {
					t.Errorf("rejected Transition added history %v", d.History)
				}
				return
			}
			if err != nil {
				t.Fatalf("Transition(%s) = %v", tt.action, err)
			}
			got := want{d.Status, d.Stable, d.Canary, d.StepIndex, d.CanaryPercent, ""}
			if got != tt.want {
				t.Errorf("Transition(%s) -> %+v; want %+v", tt.action, got, tt.want)
			}
			if len(d.History) != 1 || d.History[0] != h || h.Action != tt.action || h.Actor != "deploy-bot" || h.Note == "" {
				t.Errorf("history entry %+v, history %v", h, d.History)
			}
		})
	}
	d := deploymentIn(studio.DeployProgressing, 4, 1)
	if _, err := Transition(&d, "promote", epoch, "x"); studio.ErrorCode(err) != studio.CodeInvalid {
		t.Errorf("Transition(promote) error = %v; want CodeInvalid", err)
	}
}

func TestOpenIncident(t *testing.T) {
	closed := epoch
	tests := []struct {
		name      string
		incidents []studio.Incident
		wantID    string
		wantOpen  bool
	}{
		{"none", nil, "", false},
		{"all closed", []studio.Incident{{ID: "a", ClosedAt: &closed}}, "", false},
		{"first open wins", []studio.Incident{{ID: "a", ClosedAt: &closed}, {ID: "b"}, {ID: "c"}}, "b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, open := OpenIncident(&studio.Deployment{Incidents: tt.incidents})
			if in.ID != tt.wantID || open != tt.wantOpen {
				t.Errorf("OpenIncident = %q, %v; want %q, %v", in.ID, open, tt.wantID, tt.wantOpen)
			}
		})
	}
}
