package timeline

import (
	"slices"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

func TestGroup(t *testing.T) {
	events := []studio.Event{
		ev("c2", studio.LaneCommit, 50),
		ev("a1", studio.LaneAlert, 30),
		ev("d2", studio.LaneDeploy, 20),
		ev("x1", "custom", 5),
		ev("d1", studio.LaneDeploy, 10),
		ev("c1", studio.LaneCommit, 50), // same time as c2: ID breaks the tie
		ev("b1", "another", 7),
	}
	original := slices.Clone(events)
	got := Group(events)
	want := []struct {
		lane studio.Lane
		ids  []string
	}{
		{studio.LaneDeploy, []string{"d1", "d2"}},
		{studio.LaneCheckpoint, []string{}},
		{studio.LaneAlert, []string{"a1"}},
		{studio.LaneLogSpike, []string{}},
		{studio.LaneCommit, []string{"c1", "c2"}},
		{"another", []string{"b1"}},
		{"custom", []string{"x1"}},
	}
	if len(got) != len(want) {
		t.Fatalf("Group returned %d lanes; want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Lane != w.lane || !slices.Equal(ids(got[i].Events), w.ids) {
			t.Errorf("lane %d = %s %v; want %s %v", i, got[i].Lane, ids(got[i].Events), w.lane, w.ids)
		}
		if got[i].Events == nil {
			t.Errorf("lane %s has nil events; want an empty slice (JSON [])", got[i].Lane)
		}
	}
	if !slices.EqualFunc(events, original, func(a, b studio.Event) bool { return a.ID == b.ID }) {
		t.Error("Group modified its input")
	}
	// Appending to one lane must not overwrite the next one.
	_ = append(got[0].Events, ev("zz", studio.LaneDeploy, 99))
	if got[2].Events[0].ID != "a1" {
		t.Error("appending to a lane overwrote another lane")
	}
}

func TestDeploymentEvents(t *testing.T) {
	closed := at(500)
	d := studio.Deployment{
		ID:   "dep-code-assist-prod",
		Name: "code-assist-prod",
		History: []studio.HistoryEntry{
			{Seq: 1, Time: at(0), Action: "start", From: studio.DeployHealthy, To: studio.DeployProgressing, Percent: 5, Actor: "system"},
			{Seq: 2, Time: at(100), Action: studio.ActionAdvance, From: studio.DeployProgressing, To: studio.DeployProgressing, Percent: 25, Actor: "priya.n"},
			{Seq: 3, Time: at(300), Action: studio.ActionSimulateIncident, From: studio.DeployProgressing, To: studio.DeployDegraded, Percent: 25, Actor: "sam.k", Note: "latency spike"},
			{Seq: 4, Time: at(400), Action: studio.ActionRollback, From: studio.DeployDegraded, To: studio.DeployRolledBack, Percent: 0, Actor: "sam.k"},
		},
		Incidents: []studio.Incident{{ID: "inc-7", Title: "p99 latency above SLO", Severity: studio.SeverityCritical, OpenedAt: at(300), ClosedAt: &closed}},
	}
	got := DeploymentEvents(d)
	wantIDs := []string{
		"ev-dep-code-assist-prod-h1", "ev-dep-code-assist-prod-h2",
		"ev-dep-code-assist-prod-h3", "ev-dep-code-assist-prod-inc-7", // same time: deploy lane first
		"ev-dep-code-assist-prod-h4", "ev-dep-code-assist-prod-inc-7-closed",
	}
	if !slices.Equal(ids(got), wantIDs) {
		t.Fatalf("DeploymentEvents IDs = %v; want %v", ids(got), wantIDs)
	}
	tests := []struct {
		i        int
		lane     studio.Lane
		title    string
		severity studio.Severity
	}{
		{0, studio.LaneDeploy, "Rollout started at 5%", studio.SeverityInfo},
		{1, studio.LaneDeploy, "Canary advanced to 25%", studio.SeverityInfo},
		{2, studio.LaneDeploy, "Incident simulated", studio.SeverityCritical},
		{3, studio.LaneAlert, "p99 latency above SLO", studio.SeverityCritical},
		{4, studio.LaneDeploy, "Rolled back", studio.SeverityWarning},
		{5, studio.LaneAlert, "Resolved: p99 latency above SLO", studio.SeverityInfo},
	}
	for _, tt := range tests {
		e := got[tt.i]
		if e.Lane != tt.lane || e.Title != tt.title || e.Severity != tt.severity || e.Subject != "dep-code-assist-prod" {
			t.Errorf("event %d = %s %q %s %s; want %s %q %s", tt.i, e.Lane, e.Title, e.Severity, e.Subject, tt.lane, tt.title, tt.severity)
		}
	}
	if got[2].Detail != "progressing → degraded by sam.k: latency spike" {
		t.Errorf("detail = %q", got[2].Detail)
	}
	if len(got[0].Links) != 1 || got[0].Links[0].Href != "/deployments/dep-code-assist-prod" {
		t.Errorf("links = %+v; want one link to the deployment", got[0].Links)
	}
}
