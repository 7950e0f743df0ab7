package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Base deployments by status (seed 42, scale 1).
var baseDeployments = map[string]studio.DeploymentID{
	"healthy":         "dep-code-assist-prod",
	"healthy-pending": "dep-news-summarizer-staging",
	"progressing":     "dep-chat-general-prod",
	"paused":          "dep-vision-classifier-staging",
	"degraded":        "dep-speech-asr-prod",
	"rolled_back":     "dep-embed-search-prod",
}

func TestBaseDeployments(t *testing.T) {
	s := readStore(t)
	for state, id := range baseDeployments {
		d, err := s.Deployment(id)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSuffix(state, "-pending"); string(d.Status) != want {
			t.Errorf("%s is %s; want %s", id, d.Status, want)
		}
		if pending := d.Canary > 0 && d.StepIndex < 0; pending != (state == "healthy-pending" || state == "rolled_back") {
			t.Errorf("%s: canary v%d at step %d", id, d.Canary, d.StepIndex)
		}
	}
}

func TestAct(t *testing.T) {
	adv, rb, inc := studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident
	tests := []struct {
		state      string
		actions    []studio.DeploymentAction // all but the last must be accepted
		wantStatus studio.DeploymentStatus   // "" for a conflict
		wantStep   int
		wantErr    string
	}{
		{"healthy", []studio.DeploymentAction{adv}, "", 0, "cannot advance: no canary version to roll out"},
		{"healthy", []studio.DeploymentAction{rb}, "", 0, "cannot rollback: nothing to roll back"},
		{"healthy", []studio.DeploymentAction{inc}, studio.DeployDegraded, -1, ""},
		{"healthy", []studio.DeploymentAction{inc, rb}, studio.DeployRolledBack, -1, ""},
		{"healthy-pending", []studio.DeploymentAction{adv}, studio.DeployProgressing, 0, ""},
		{"healthy-pending", []studio.DeploymentAction{rb}, "", 0, "has not started"},
		{"healthy-pending", []studio.DeploymentAction{adv, adv, adv}, studio.DeployHealthy, -1, ""},
		{"progressing", []studio.DeploymentAction{adv}, studio.DeployProgressing, 2, ""},
		{"progressing", []studio.DeploymentAction{adv, adv}, studio.DeployHealthy, -1, ""},
		{"progressing", []studio.DeploymentAction{adv, adv, adv}, "", 0, "no canary version"},
		{"progressing", []studio.DeploymentAction{rb}, studio.DeployRolledBack, -1, ""},
		{"progressing", []studio.DeploymentAction{inc}, studio.DeployDegraded, 1, ""},
		{"paused", []studio.DeploymentAction{adv}, studio.DeployProgressing, 2, ""},
		{"paused", []studio.DeploymentAction{rb}, studio.DeployRolledBack, -1, ""},
		{"paused", []studio.DeploymentAction{inc}, studio.DeployDegraded, 2, ""},
		{"degraded", []studio.DeploymentAction{adv}, "", 0, "cannot advance: rollout is degraded (incident open)"},
		{"degraded", []studio.DeploymentAction{inc}, "", 0, "incident already open"},
		{"degraded", []studio.DeploymentAction{rb}, studio.DeployRolledBack, -1, ""},
		{"degraded", []studio.DeploymentAction{rb, adv}, studio.DeployProgressing, 0, ""},
		{"rolled_back", []studio.DeploymentAction{adv}, studio.DeployProgressing, 0, ""},
		{"rolled_back", []studio.DeploymentAction{rb}, "", 0, "already rolled_back"},
		{"rolled_back", []studio.DeploymentAction{inc}, "", 0, "deployment is rolled_back"},
		{"progressing", []studio.DeploymentAction{"promote"}, "", 0, "unknown action"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %v", tt.state, tt.actions), func(t *testing.T) {
			s, clk := newTestStore(t)
			id := baseDeployments[tt.state]
			for i, a := range tt.actions {
				clk.Advance(time.Minute)
				before, _ := s.Deployment(id)
				evBefore, _ := s.DeploymentEvents(id, eventQuery())
				d, err := s.Act(id, a)
				last := i == len(tt.actions)-1
				after, _ := s.Deployment(id)
				evAfter, _ := s.DeploymentEvents(id, eventQuery())
				if !last || tt.wantStatus != "" {
					if err != nil {
						t.Fatalf("Act(%s) #%d = %v", a, i, err)
					}
					if len(after.History) != len(before.History)+1 || evAfter.Total != evBefore.Total+1 || len(after.HealthHistory) != len(before.HealthHistory)+1 {
						t.Errorf("Act(%s) added %d history entries, %d events, %d health samples; want 1 each",
							a, len(after.History)-len(before.History), evAfter.Total-evBefore.Total, len(after.HealthHistory)-len(before.HealthHistory))
					}
					h := after.History[len(after.History)-1]
					if h.Action != a || h.From != before.Status || h.To != after.Status || !h.Time.Equal(clk.Now()) || h.Actor != Actor || h.Seq != len(after.History) {
						t.Errorf("history entry %+v", h)
					}
					ev := evAfter.Events[len(evAfter.Events)-1]
					wantLane := studio.LaneDeploy
					if a == inc {
						wantLane = studio.LaneAlert
					}
					if ev.Lane != wantLane || !ev.Time.Equal(clk.Now()) {
						t.Errorf("event %+v; want lane %s at now", ev, wantLane)
					}
					if d.Status != after.Status || d.Health != after.Health || after.Health != after.HealthHistory[len(after.HealthHistory)-1].Health {
						t.Errorf("returned deployment or health differs from stored")
					}
					continue
				}
				code := studio.CodeConflict
				if strings.Contains(tt.wantErr, "unknown action") {
					code = studio.CodeInvalid
				}
				wantCode(t, err, code, tt.wantErr)
				if len(after.History) != len(before.History) || evAfter.Total != evBefore.Total || len(after.HealthHistory) != len(before.HealthHistory) || after.Status != before.Status {
					t.Errorf("rejected action changed the deployment")
				}
				return
			}
			d, _ := s.Deployment(id)
			if d.Status != tt.wantStatus || d.StepIndex != tt.wantStep {
				t.Errorf("after %v: %s at step %d; want %s at step %d", tt.actions, d.Status, d.StepIndex, tt.wantStatus, tt.wantStep)
			}
		})
	}
}

func TestActMovesHealthAndRegistry(t *testing.T) {
	s, clk := newTestStore(t)
	id := baseDeployments["progressing"]
	before, _ := s.Deployment(id)
	clk.Advance(time.Minute)
	inc, err := s.Act(id, studio.ActionSimulateIncident)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Health.LatencyP99 < 2*before.Health.LatencyP99 || inc.Health.ErrorRate < before.Health.ErrorRate+0.03 {
		t.Errorf("incident health %+v not worse than %+v", inc.Health, before.Health)
	}
	if d := s.Dashboard(); d.OpenIncidents != 2 || d.DeploymentsByStatus[studio.DeployDegraded] != 2 {
		t.Errorf("dashboard: %d open incidents, %d degraded; want 2, 2", d.OpenIncidents, d.DeploymentsByStatus[studio.DeployDegraded])
	}
	clk.Advance(time.Minute)
	rb, err := s.Act(id, studio.ActionRollback)
	if err != nil {
		t.Fatal(err)
	}
	if rb.Health.LatencyP99 >= inc.Health.LatencyP99 || rb.Incidents[len(rb.Incidents)-1].ClosedAt == nil {
		t.Errorf("rollback did not restore health (%v -> %v) or close the incident", inc.Health.LatencyP99, rb.Health.LatencyP99)
	}
	// Roll out again to 100%: the canary becomes stable and production.
	for range 4 {
		clk.Advance(time.Minute)
		if _, err := s.Act(id, studio.ActionAdvance); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := s.Deployment(id)
	m, _ := s.Model(d.ModelID)
	vs, _ := s.ModelVersions(d.ModelID)
	if d.Status != studio.DeployHealthy || d.Stable != before.Canary || m.ProductionVersion != before.Canary {
		t.Fatalf("after rollout: %s stable v%d, model production v%d; want healthy v%d", d.Status, d.Stable, m.ProductionVersion, before.Canary)
	}
	for _, v := range vs.Items {
		switch v.Version {
		case before.Canary:
			if v.Stage != studio.StageProduction || len(v.Deployments) != 1 {
				t.Errorf("v%d: %s %v; want production on %s", v.Version, v.Stage, v.Deployments, id)
			}
		case before.Stable:
			if v.Stage != studio.StageArchived || len(v.Deployments) != 0 {
				t.Errorf("old stable v%d: %s %v; want archived", v.Version, v.Stage, v.Deployments)
			}
		}
	}
}

func TestActConcurrently(t *testing.T) {
	s, _ := newTestStore(t)
	ids := []studio.DeploymentID{baseDeployments["progressing"], baseDeployments["paused"], baseDeployments["healthy"]}
	start := map[studio.DeploymentID]int{}
	for _, id := range ids {
		d, _ := s.Deployment(id)
		start[id] = len(d.History)
	}
	actions := []studio.DeploymentAction{studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident}
	var mu sync.Mutex
	accepted := map[studio.DeploymentID]int{}
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := ids[i%len(ids)]
			_, err := s.Act(id, actions[(i/3)%len(actions)])
			if err == nil {
				mu.Lock()
				accepted[id]++
				mu.Unlock()
			} else if c := studio.ErrorCode(err); c != studio.CodeConflict {
				t.Errorf("Act error %v; want nil or conflict", err)
			}
			if i%10 == 0 {
				s.Deployments(api.ListQuery{})
				s.Dashboard()
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		d, _ := s.Deployment(id)
		ev, _ := s.DeploymentEvents(id, eventQuery())
		n := len(d.History) - start[id]
		if n != accepted[id] || n == 0 {
			t.Errorf("%s: %d new history entries for %d accepted actions", id, n, accepted[id])
		}
		if ev.Total != len(d.History) {
			t.Errorf("%s: %d events for %d history entries", id, ev.Total, len(d.History))
		}
		for i, h := range d.History {
			if h.Seq != i+1 {
				t.Fatalf("%s: history %d has seq %d", id, i, h.Seq)
			}
			if i > 0 && h.From != d.History[i-1].To {
				t.Fatalf("%s: history %d goes from %s but the previous entry ended in %s", id, i, h.From, d.History[i-1].To)
			}
		}
	}
}
