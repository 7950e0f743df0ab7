package ui

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func testRun(id string, st studio.RunStatus) studio.Run {
	start := now.Add(-2 * time.Hour)
	return studio.Run{
		ID: studio.RunID(id), ExperimentID: "exp-01", Name: "name-" + id, Status: st, Owner: "priya.n",
		Tags: []string{"sweep"}, Commit: "0123456789abcdef", Branch: "main",
		Config:    studio.RunConfig{Model: "llama-3-8b", Dataset: "code", Optimizer: "adamw", LearningRate: 3e-4, BatchSize: 64, Epochs: 1, GPUs: 8, Precision: "bf16"},
		Hardware:  studio.Hardware{GPUType: "H100-80GB", GPUCount: 8, Nodes: 1, Cluster: "c1"},
		CreatedAt: start, StartedAt: &start, Steps: 500, TotalSteps: 1000, StepSeconds: 1.5,
		Summary: map[string]float64{"loss": 0.41, "accuracy": 71.25},
		Metrics: []studio.MetricInfo{{Name: "loss", Points: 500}, {Name: "accuracy", Points: 500}},
	}
}

// notFoundErr is what the data plane returns for an API 404.
var notFoundErr = &query.StatusError{Status: 404, Err: &studio.Error{Code: studio.CodeNotFound, Message: `run "x" not found`}}

func contains(t *testing.T, html string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %s\n%.1500s", w, html)
		}
	}
}

func TestDashboardStates(t *testing.T) {
	p := &DashboardPage{}
	contains(t, app.HTMLString(p), `data-page="dashboard"`, `class="skeleton skeleton-cards"`)

	p.dash.Result = query.Result[api.Dashboard]{Err: errors.New("boom")}
	contains(t, app.HTMLString(p), `data-testid="error-state"`, `data-action="retry"`, "boom")

	p.dash.Result = query.Result[api.Dashboard]{Err: &query.NetworkError{URL: apiDashboard, Err: errors.New("refused")}}
	contains(t, app.HTMLString(p), "reach the server")

	d := api.Dashboard{
		ActiveRuns: 7, SuccessRate: 0.875, GPUUtil: 91.26, OpenIncidents: 2, TotalRuns: 160,
		DeploymentsByStatus: map[studio.DeploymentStatus]int{studio.DeployHealthy: 3, studio.DeployDegraded: 2},
		GPUUtilHourly:       []float64{1, 2, 3},
		Attention:           []api.AttentionItem{{Run: testRun("run-0042", studio.RunFailed), Reason: "failed: OOM"}},
		Activity:            []studio.Event{{ID: "ev-1", Lane: studio.LaneAlert, Time: now.Add(-3 * time.Minute), Title: "NCCL timeout", Severity: studio.SeverityCritical, Links: []studio.Link{{Kind: "run", Label: "run-0042", Href: "/runs/run-0042"}}}},
		Now:                 now,
	}
	p.dash.Result = query.Result[api.Dashboard]{Data: d, HasData: true}
	contains(t, app.HTMLString(p),
		"87.5%", "91.3%", ">7<", `href="/runs/run-0042"`, "failed: OOM", "NCCL timeout", "3 min ago",
		"3 healthy", "2 degraded", `class="spark-line"`, `href="/deployments"`)
}

func TestRunPageTabsAndNotFound(t *testing.T) {
	p := &RunPage{id: "run-0042"}
	p.run.Result = query.Result[studio.Run]{Data: testRun("run-0042", studio.RunRunning), HasData: true}
	for i, tab := range runTabs {
		p.tab = i
		html := app.HTMLString(p)
		contains(t, html, `data-page="run"`, `data-tab="`+tab.id+`"`, `data-testid="run-tab-`+tab.id+`"`, `role="tablist"`, "0123456789", "H100-80GB")
		if !strings.Contains(html, `href="/runs/run-0042?tab=`+tab.id+`"`) {
			t.Errorf("tab %s has no link with ?tab=", tab.id)
		}
	}
	p.tab = tabIndex("config")
	contains(t, app.HTMLString(p), `data-testid="config-table"`, "learning_rate", "0.0003")
	if tabIndex("nope") != 0 {
		t.Error("unknown tab does not fall back to overview")
	}

	p.run.Result = query.Result[studio.Run]{Err: notFoundErr}
	contains(t, app.HTMLString(p), `data-page="not-found"`, "run-0042")
}

func TestNotFoundPages(t *testing.T) {
	contains(t, app.HTMLString(&NotFoundPage{}), `data-page="not-found"`, "Page not found", `href="/"`)
	e := &ExperimentPage{id: "exp-x"}
	e.exp.Result = query.Result[studio.Experiment]{Err: notFoundErr}
	contains(t, app.HTMLString(e), `data-page="not-found"`, "exp-x")
	d := &DeploymentPage{id: "dep-x"}
	d.dep.Result = query.Result[studio.Deployment]{Err: notFoundErr}
	contains(t, app.HTMLString(d), `data-page="not-found"`)
	m := &ModelPage{id: "mdl-x"}
	m.model.Result = query.Result[studio.Model]{Err: notFoundErr}
	contains(t, app.HTMLString(m), `data-page="not-found"`)
	tr := &TracePage{id: "tr-x"}
	tr.trace.Result = query.Result[studio.Trace]{Err: notFoundErr}
	contains(t, app.HTMLString(tr), `data-page="not-found"`)
}

func TestEveryPageHasItsRoot(t *testing.T) {
	pages := map[string]app.Composer{
		"dashboard":   &DashboardPage{},
		"experiments": &ExperimentsPage{},
		"experiment":  &ExperimentPage{},
		"runs":        &RunsPage{},
		"run-new":     &NewRunPage{form: defaultRunForm()},
		"run":         &RunPage{},
		"registry":    &RegistryPage{},
		"model":       &ModelPage{},
		"deployments": &DeploymentsPage{},
		"deployment":  &DeploymentPage{},
		"traces":      &TracesPage{},
		"trace":       &TracePage{},
		"not-found":   &NotFoundPage{},
	}
	for name, p := range pages {
		if html := app.HTMLString(p); !strings.Contains(html, `data-page="`+name+`"`) {
			t.Errorf("page %s (loading) lacks data-page:\n%.300s", name, html)
		}
	}
}

func TestDeploymentPageActions(t *testing.T) {
	d := studio.Deployment{
		ID: "dep-a", Name: "a-prod", Environment: "production", Region: "us-east-1", ModelID: "mdl-a",
		Stable: 3, Canary: 4, Status: studio.DeployProgressing, Steps: []int{5, 25, 50, 100}, StepIndex: 1, CanaryPercent: 25,
		Health:        studio.Health{LatencyP50: 40, LatencyP99: 120, ErrorRate: 0.004, RPS: 900},
		HealthHistory: []studio.HealthSample{{Time: now, Health: studio.Health{LatencyP50: 40}}, {Time: now, Health: studio.Health{LatencyP50: 42}}},
		History:       []studio.HistoryEntry{{Seq: 1, Time: now, Action: "start", From: studio.DeployHealthy, To: studio.DeployProgressing, Step: 0, Percent: 5, Actor: "deploy-bot"}},
	}
	p := &DeploymentPage{id: d.ID, Clock: &Clock{}}
	p.dep.Result = query.Result[studio.Deployment]{Data: d, HasData: true}
	html := app.HTMLString(p)
	contains(t, html, `data-action="advance"`, `data-action="rollback"`, `data-action="simulate-incident"`,
		"Advance to 50%", `data-state="current"`, `aria-current="step"`, "stable v3", "canary v4", "75%", "25%",
		`data-testid="history"`, "deploy-bot", `data-testid="health"`)
	if strings.Contains(html, "incident-banner") {
		t.Error("incident banner without an open incident")
	}

	p.confirm = studio.ActionRollback
	contains(t, app.HTMLString(p), `role="alertdialog"`, `data-testid="confirm"`, `data-confirm="rollback"`, "stable v3")

	p.confirm = ""
	d.Status = studio.DeployDegraded
	d.Incidents = []studio.Incident{{ID: "inc-1", Title: "p99 above SLO", Severity: studio.SeverityCritical, OpenedAt: now}}
	p.dep.Result.Data = d
	html = app.HTMLString(p)
	contains(t, html, `data-testid="incident-banner"`, "p99 above SLO")
	// A degraded rollout cannot advance: the button says why.
	if !strings.Contains(html, "incident open") {
		t.Error("disabled advance does not explain the conflict")
	}
}

func TestPredictAction(t *testing.T) {
	base := studio.Deployment{ID: "dep-a", Stable: 3, Canary: 4, Status: studio.DeployProgressing, Steps: []int{5, 25, 50, 100}, StepIndex: 1, CanaryPercent: 25}
	tests := []struct {
		name      string
		mutate    func(*studio.Deployment)
		action    studio.DeploymentAction
		wantErr   bool
		wantState studio.DeploymentStatus
		wantPct   int
		wantLabel string
	}{
		{"advance a step", nil, studio.ActionAdvance, false, studio.DeployProgressing, 50, "Advance to 50%"},
		{"advance from the step before last promotes", func(d *studio.Deployment) { d.StepIndex, d.CanaryPercent = 2, 50 }, studio.ActionAdvance, false, studio.DeployHealthy, 0, "Promote to 100%"},
		{"rollback", nil, studio.ActionRollback, false, studio.DeployRolledBack, 0, "Roll back"},
		{"incident", nil, studio.ActionSimulateIncident, false, studio.DeployDegraded, 25, "Simulate incident"},
		{"paused resumes", func(d *studio.Deployment) { d.Status = studio.DeployPaused }, studio.ActionAdvance, false, studio.DeployProgressing, 25, "Resume rollout"},
		{"healthy without canary cannot advance", func(d *studio.Deployment) {
			d.Status, d.Canary, d.StepIndex, d.CanaryPercent = studio.DeployHealthy, 0, -1, 0
		}, studio.ActionAdvance, true, "", 0, "Advance"},
		{"rolled back cannot roll back", func(d *studio.Deployment) { d.Status, d.StepIndex, d.CanaryPercent = studio.DeployRolledBack, -1, 0 }, studio.ActionRollback, true, "", 0, "Roll back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base
			d.Steps = append([]int(nil), base.Steps...)
			if tt.mutate != nil {
				tt.mutate(&d)
			}
			before := d
			next, err := predictAction(d, tt.action, now)
			if (err != nil) != tt.wantErr {
				t.Fatalf("predictAction err = %v; want error %v", err, tt.wantErr)
			}
			if d.Status != before.Status || d.StepIndex != before.StepIndex || len(d.History) != len(before.History) {
				t.Error("predictAction modified its input")
			}
			if !tt.wantErr && (next.Status != tt.wantState || next.CanaryPercent != tt.wantPct) {
				t.Errorf("predicted %s at %d%%; want %s at %d%%", next.Status, next.CanaryPercent, tt.wantState, tt.wantPct)
			}
			if got := actionLabel(d, tt.action); got != tt.wantLabel {
				t.Errorf("actionLabel = %q; want %q", got, tt.wantLabel)
			}
		})
	}
}

func TestStatusFilter(t *testing.T) {
	f := parseStatusFilter(url.Values{"status": {"failed,running,bogus,failed"}})
	if f.key() != "running,failed" {
		t.Errorf("parsed filter = %q; want running,failed (lifecycle order, no repeats, no unknowns)", f.key())
	}
	f = f.toggle(studio.RunQueued).toggle(studio.RunRunning)
	if f.key() != "queued,failed" {
		t.Errorf("toggled filter = %q; want queued,failed", f.key())
	}
	keep := f.where()
	if !keep(studio.Run{Status: studio.RunFailed}) || keep(studio.Run{Status: studio.RunSucceeded}) {
		t.Error("where() does not follow the filter")
	}
	if statusFilter(nil).where() != nil {
		t.Error("empty filter has a predicate")
	}
	q := url.Values{"tab": {"x"}}
	f.encode(q)
	if q.Encode() != "status=queued%2Cfailed&tab=x" {
		t.Errorf("encode = %s", q.Encode())
	}
	statusFilter(nil).encode(q)
	if q.Has("status") {
		t.Error("empty filter left ?status=")
	}
}

func TestNewRunPageShowsServerErrors(t *testing.T) {
	p := &NewRunPage{form: validForm()}
	p.serverErr = map[string]string{"name": "a run with this name already exists"}
	p.failure = "validation failed"
	html := app.HTMLString(p)
	contains(t, html, `data-page="run-new"`, "a run with this name already exists", `data-testid="form-error"`,
		`name="learning_rate"`, `name="experiment_id"`, `aria-describedby="f-name-err f-name-hint"`, `data-testid="run-json"`)
	p.serverErr = nil
	p.form["config.gpus"] = "0"
	if html := app.HTMLString(p); strings.Contains(html, "must be between 1 and 512") {
		t.Error("an untouched field shows its error before submit")
	}
	p.submitted = true
	contains(t, app.HTMLString(p), "must be between 1 and 512", "Fix the highlighted fields")
}

func TestRunDuration(t *testing.T) {
	r := testRun("r", studio.RunRunning)
	if got := runDurationText(r); got != "12m 30s" {
		t.Errorf("running duration = %q; want 12m 30s (500 steps × 1.5 s)", got)
	}
	end := r.StartedAt.Add(90 * time.Minute)
	r.EndedAt = &end
	if got := runDurationText(r); got != "1h 30m" {
		t.Errorf("ended duration = %q; want 1h 30m", got)
	}
	r.StartedAt = nil
	if got := runDurationText(r); got != "—" {
		t.Errorf("queued duration = %q; want —", got)
	}
}
