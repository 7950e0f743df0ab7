package synth

import (
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/rollout"
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

func TestDeploymentEvent(t *testing.T) {
	tests := []struct {
		name         string
		from         studio.Deployment
		action       studio.DeploymentAction
		wantLane     studio.Lane
		wantSeverity studio.Severity
		wantTitle    string
	}{
		{"start", deploymentIn(studio.DeployHealthy, 4, -1), rollout.ActionStart, studio.LaneDeploy, studio.SeverityInfo, "canary v4 started at 5%"},
		{"advance", deploymentIn(studio.DeployProgressing, 4, 0), studio.ActionAdvance, studio.LaneDeploy, studio.SeverityInfo, "canary v4 at 25%"},
		{"advance to the last step promotes", deploymentIn(studio.DeployProgressing, 4, 2), studio.ActionAdvance, studio.LaneDeploy, studio.SeverityInfo, "v4 promoted to stable"},
		{"advance resumes a paused rollout", deploymentIn(studio.DeployPaused, 4, 1), studio.ActionAdvance, studio.LaneDeploy, studio.SeverityInfo, "rollout resumed at 25%"},
		{"complete", deploymentIn(studio.DeployProgressing, 4, 1), rollout.ActionComplete, studio.LaneDeploy, studio.SeverityInfo, "v4 promoted to stable"},
		{"pause", deploymentIn(studio.DeployProgressing, 4, 1), rollout.ActionPause, studio.LaneDeploy, studio.SeverityWarning, "rollout paused at 25%"},
		{"rollback", deploymentIn(studio.DeployProgressing, 4, 1), studio.ActionRollback, studio.LaneDeploy, studio.SeverityWarning, "rolled back to v3"},
		{"simulated incident", deploymentIn(studio.DeployProgressing, 4, 1), studio.ActionSimulateIncident, studio.LaneAlert, studio.SeverityCritical, "incident: "},
		{"monitor incident", deploymentIn(studio.DeployHealthy, 0, -1), rollout.ActionIncident, studio.LaneAlert, studio.SeverityCritical, "incident: "},
	}
	at := DefaultEpoch.Add(time.Hour)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.from
			h, err := rollout.Transition(&d, tt.action, at, "tester")
			if err != nil {
				t.Fatalf("Transition(%s) = %v", tt.action, err)
			}
			ev := DeploymentEvent(&d, h)
			if ev.Lane != tt.wantLane || ev.Severity != tt.wantSeverity || !strings.HasPrefix(ev.Title, tt.wantTitle) {
				t.Errorf("DeploymentEvent = lane %s, severity %s, title %q; want %s, %s, %q...", ev.Lane, ev.Severity, ev.Title, tt.wantLane, tt.wantSeverity, tt.wantTitle)
			}
			if ev.ID != "ev-dep-test-prod-0001" || !ev.Time.Equal(at) || ev.Subject != string(d.ID) || ev.Detail != h.Note+" (tester)" {
				t.Errorf("DeploymentEvent = %+v", ev)
			}
			if len(ev.Links) != 2 || ev.Links[0].Href != "/deployments/dep-test-prod" || ev.Links[1].Href != "/registry/mdl-test" {
				t.Errorf("DeploymentEvent links = %+v", ev.Links)
			}
		})
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
