package synth

import (
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// deploymentIn returns a deployment in status st with stable v3, canary
// canary (0: none) at step index step.
func deploymentIn(st studio.DeploymentStatus, canary, step int) studio.Deployment {
	d := studio.Deployment{ID: "dep-test-prod", ModelID: "mdl-test", Environment: "production", Stable: 3, Canary: canary,
		Status: st, Steps: []int{5, 25, 50, 100}, StepIndex: step, Incidents: []studio.Incident{}}
	if step >= 0 && canary > 0 {
		d.CanaryPercent = d.Steps[step]
	}
	if st == studio.DeployDegraded {
		d.Incidents = []studio.Incident{{ID: "inc-test-prod-1", Title: "p99 latency above SLO", OpenedAt: DefaultEpoch}}
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
	at := DefaultEpoch.Add(time.Hour)
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
			ev := DeploymentEvent(&d, h)
			wantLane := studio.LaneDeploy
			if tt.action == inc {
				wantLane = studio.LaneAlert
			}
			if ev.Lane != wantLane || ev.Title == "" || !ev.Time.Equal(at) || ev.Subject != string(d.ID) {
				t.Errorf("DeploymentEvent = %+v; want lane %s", ev, wantLane)
			}
		})
	}
}

func TestApplyRejectsUnknownAction(t *testing.T) {
	d := deploymentIn(studio.DeployProgressing, 4, 1)
	for _, a := range []studio.DeploymentAction{"", "pause", "start", "promote"} {
		if _, err := Apply(&d, a, DefaultEpoch, "x"); studio.ErrorCode(err) != studio.CodeInvalid {
			t.Errorf("Apply(%q) error = %v; want CodeInvalid", a, err)
		}
	}
	if len(d.History) != 0 {
		t.Errorf("rejected actions added history %v", d.History)
	}
}

func TestApplyDoesNotShareHistory(t *testing.T) {
	d := deploymentIn(studio.DeployProgressing, 4, 0)
	if _, err := Apply(&d, studio.ActionAdvance, DefaultEpoch, "x"); err != nil {
		t.Fatal(err)
	}
	snapshot := d
	if _, err := Apply(&d, studio.ActionSimulateIncident, DefaultEpoch, "x"); err != nil {
		t.Fatal(err)
	}
	if len(snapshot.History) != 1 || len(snapshot.Incidents) != 0 {
		t.Errorf("Apply modified an earlier copy: %d entries, %d incidents", len(snapshot.History), len(snapshot.Incidents))
	}
}

func TestHealthFollowsState(t *testing.T) {
	ds := dataset(t, 42, 1)
	for _, dp := range ds.Deployments {
		d := deploymentIn(studio.DeployProgressing, 4, 0)
		at := DefaultEpoch
		low := dp.Health(&d, at, 1)
		d.CanaryPercent = 100
		high := dp.Health(&d, at, 1)
		if dp.canary > 1.02 && high.LatencyP50 <= low.LatencyP50 {
			t.Errorf("%s: canary factor %v but p50 %v at 100%% <= %v at 5%%", dp.Deployment.ID, dp.canary, high.LatencyP50, low.LatencyP50)
		}
		d.Incidents = []studio.Incident{{ID: "x"}}
		bad := dp.Health(&d, at, 1)
		if bad.LatencyP99 <= high.LatencyP99 || bad.ErrorRate <= high.ErrorRate+0.03 {
			t.Errorf("%s: incident health %+v not worse than %+v", dp.Deployment.ID, bad, high)
		}
	}
}

func TestAssignStages(t *testing.T) {
	versions := make([]studio.ModelVersion, 5)
	for i := range versions {
		versions[i].Version = i + 1
	}
	prod := deploymentIn(studio.DeployProgressing, 5, 1)
	staging := deploymentIn(studio.DeployHealthy, 0, -1)
	staging.Environment, staging.ID, staging.Stable = "staging", "dep-test-staging", 4
	got := AssignStages(versions, []*studio.Deployment{&prod, &staging})
	if got != 3 {
		t.Errorf("AssignStages production version = %d; want 3", got)
	}
	want := []studio.Stage{studio.StageArchived, studio.StageArchived, studio.StageProduction, studio.StageStaging, studio.StageStaging}
	for i, v := range versions {
		if v.Stage != want[i] {
			t.Errorf("v%d stage = %s; want %s", v.Version, v.Stage, want[i])
		}
	}
	if a := versions[2].Aliases; len(a) != 1 || a[0] != "champion" {
		t.Errorf("v3 aliases = %v; want [champion]", a)
	}
	if a := versions[4].Aliases; len(a) != 2 || a[0] != "challenger" || a[1] != "latest" {
		t.Errorf("v5 aliases = %v; want [challenger latest]", a)
	}
	if d := versions[4].Deployments; len(d) != 1 || d[0] != prod.ID {
		t.Errorf("v5 deployments = %v; want [%s]", d, prod.ID)
	}
}
