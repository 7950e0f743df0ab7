package store

import (
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

func eventQuery() api.EventQuery { return api.EventQuery{} }

func TestRunEvents(t *testing.T) {
	s := readStore(t)
	page, err := s.RunEvents(synth.BigLogRun, eventQuery())
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Run(synth.BigLogRun)
	if page.Total != len(page.Events) || page.Total < 10 {
		t.Fatalf("%d events (total %d)", len(page.Events), page.Total)
	}
	if page.From.After(*r.StartedAt) || page.To.Before(*r.EndedAt) {
		t.Errorf("span [%v, %v] does not cover the run [%v, %v]", page.From, page.To, r.StartedAt, r.EndedAt)
	}
	lanes := map[studio.Lane]int{}
	for i, e := range page.Events {
		lanes[e.Lane]++
		if i > 0 && e.Time.Before(page.Events[i-1].Time) {
			t.Errorf("event %d out of order", i)
		}
		if e.Time.Before(page.From) || e.Time.After(page.To) {
			t.Errorf("event %s at %v outside [%v, %v]", e.ID, e.Time, page.From, page.To)
		}
	}
	for _, l := range []studio.Lane{studio.LaneCheckpoint, studio.LaneAlert, studio.LaneLogSpike, studio.LaneCommit} {
		if lanes[l] == 0 {
			t.Errorf("no %s event", l)
		}
	}
	mid := page.Events[len(page.Events)/2].Time
	tests := []struct {
		name  string
		q     api.EventQuery
		check func(studio.Event) bool
	}{
		{"lane", api.EventQuery{Lanes: []studio.Lane{studio.LaneAlert}}, func(e studio.Event) bool { return e.Lane == studio.LaneAlert }},
		{"two lanes", api.EventQuery{Lanes: []studio.Lane{studio.LaneAlert, studio.LaneCommit}},
			func(e studio.Event) bool { return e.Lane == studio.LaneAlert || e.Lane == studio.LaneCommit }},
		{"from", api.EventQuery{From: mid.Format(time.RFC3339Nano)}, func(e studio.Event) bool { return !e.Time.Before(mid) }},
		{"to", api.EventQuery{To: mid.Format(time.RFC3339Nano)}, func(e studio.Event) bool { return !e.Time.After(mid) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.RunEvents(synth.BigLogRun, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, e := range page.Events {
				if tt.check(e) {
					want++
				}
			}
			if p.Total != want || want == 0 || !p.From.Equal(page.From) || !p.To.Equal(page.To) {
				t.Errorf("total %d; want %d (> 0), span unchanged", p.Total, want)
			}
		})
	}
	bad := []struct {
		name string
		q    api.EventQuery
		msg  string
	}{
		{"lane", api.EventQuery{Lanes: []studio.Lane{"gpu"}}, `unknown lane "gpu"`},
		{"from", api.EventQuery{From: "noon"}, "from must be an RFC 3339 time"},
		{"to", api.EventQuery{To: "2026-13-01"}, "to must be an RFC 3339 time"},
		{"to before from", api.EventQuery{From: "2026-11-20T00:00:00Z", To: "2026-11-19T00:00:00Z"}, "to must not be before from"},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.name, func(t *testing.T) {
			_, err := s.RunEvents(synth.BigLogRun, tt.q)
			wantCode(t, err, studio.CodeInvalid, tt.msg)
			_, err = s.DeploymentEvents("dep-code-assist-prod", tt.q)
			wantCode(t, err, studio.CodeInvalid, tt.msg)
		})
	}
}

func TestDeployEventsOnSourceRuns(t *testing.T) {
	s := readStore(t)
	vs, _ := s.ModelVersions("mdl-chat-general")
	found := 0
	for _, v := range vs.Items {
		if len(v.Deployments) == 0 {
			continue
		}
		p, err := s.RunEvents(v.SourceRun, api.EventQuery{Lanes: []studio.Lane{studio.LaneDeploy}})
		if err != nil {
			t.Fatal(err)
		}
		found += p.Total
	}
	if found == 0 {
		t.Error("no deploy event on the source runs of deployed versions")
	}
}

func TestRunningRunEventsGrow(t *testing.T) {
	s, _ := newTestStore(t)
	id := s.Live()[0]
	before, _ := s.RunEvents(id, eventQuery())
	r, _ := s.Run(id)
	for _, e := range before.Events {
		if e.Step >= r.Steps {
			t.Errorf("event %s at step %d >= current step %d", e.ID, e.Step, r.Steps)
		}
	}
	if before.To.After(r.StartedAt.Add(time.Duration(r.Steps) * time.Duration(r.StepSeconds*float64(time.Second)))) {
		t.Errorf("span ends %v, after the last step", before.To)
	}
}

func TestDeploymentEvents(t *testing.T) {
	s := readStore(t)
	for _, id := range []studio.DeploymentID{"dep-speech-asr-prod", "dep-embed-search-prod"} {
		p, err := s.DeploymentEvents(id, eventQuery())
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.Deployment(id)
		if p.Total != len(d.History) {
			t.Errorf("%s: %d events for %d history entries", id, p.Total, len(d.History))
		}
		alerts, _ := s.DeploymentEvents(id, api.EventQuery{Lanes: []studio.Lane{studio.LaneAlert}})
		if alerts.Total != 1 {
			t.Errorf("%s: %d alert events; want 1 (the incident)", id, alerts.Total)
		}
		if !p.To.Equal(s.now()) || p.From.After(d.HealthHistory[0].Time) {
			t.Errorf("%s: span [%v, %v]", id, p.From, p.To)
		}
	}
}
