package synth

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/rollout"
	"github.com/aiinfra/studio/shared/studio"
)

// Dataset is the base dataset of a Generator: everything the platform
// holds at Epoch. Per-run metrics, log lines and trace spans are not in
// it: RunPlan and TracePlan produce them on demand.
type Dataset struct {
	// Experiments, by id. RunCount and the other aggregates are zero: the
	// store computes them from the runs as they change.
	Experiments []studio.Experiment
	// Runs, by index: Runs[i].Run.ID == RunID(i).
	Runs []RunPlan
	// Models, by id.
	Models []studio.Model
	// Versions[i] are the versions of Models[i] in ascending order, with
	// Stage, Aliases and Deployments set.
	Versions [][]studio.ModelVersion
	// Deployments with their history, health history and events.
	Deployments []DeploymentPlan
	// Traces, newest first: summaries plus what is needed to generate
	// their spans.
	Traces []TracePlan
}

// Generate builds the base dataset. It is a pure function of g: the same
// generator always yields identical data.
func (g Generator) Generate() *Dataset {
	if g.Scale < 1 {
		g.Scale = 1
	}
	ds := &Dataset{Experiments: g.experiments()}
	ds.Runs = g.runPlans(ds.Experiments)
	g.registry(ds)
	ds.Traces = g.traces(ds)
	return ds
}

// deploymentKind is the state a base deployment is generated in.
type deploymentKind int

const (
	kindHealthy deploymentKind = iota
	kindProgressing
	kindPaused
	kindDegraded
	kindRolledBack
	kindPending
	numDeploymentKinds
)

type rolloutOp struct {
	ago    time.Duration
	action studio.DeploymentAction
	actor  string
}

var deploymentShapes = [numDeploymentKinds]struct {
	env         string
	steps       []int
	stableStart time.Duration
	canaryBy    time.Duration // the canary version exists this long before Epoch
	ops         []rolloutOp
}{
	kindHealthy: {env: "production", steps: []int{1, 5, 25, 50, 100}, stableStart: 26 * time.Hour},
	kindProgressing: {env: "production", steps: []int{5, 25, 50, 100}, stableStart: 4 * 24 * time.Hour, canaryBy: 3 * time.Hour,
		ops: []rolloutOp{{3 * time.Hour, rollout.ActionStart, "deploy-bot"}, {130 * time.Minute, studio.ActionAdvance, "@owner"}}},
	kindPaused: {env: "staging", steps: []int{5, 25, 50, 100}, stableStart: 6 * 24 * time.Hour, canaryBy: 7 * time.Hour,
		ops: []rolloutOp{{7 * time.Hour, rollout.ActionStart, "deploy-bot"}, {6 * time.Hour, studio.ActionAdvance, "deploy-bot"},
			{5 * time.Hour, studio.ActionAdvance, "@owner"}, {270 * time.Minute, rollout.ActionPause, "oncall:ines.m"}}},
	kindDegraded: {env: "production", steps: []int{5, 25, 50, 100}, stableStart: 3 * 24 * time.Hour, canaryBy: 2 * time.Hour,
		ops: []rolloutOp{{2 * time.Hour, rollout.ActionStart, "deploy-bot"}, {80 * time.Minute, studio.ActionAdvance, "deploy-bot"},
			{35 * time.Minute, rollout.ActionIncident, "slo-monitor"}}},
	kindRolledBack: {env: "production", steps: []int{5, 25, 50, 100}, stableStart: 5 * 24 * time.Hour, canaryBy: 10 * time.Hour,
		ops: []rolloutOp{{10 * time.Hour, rollout.ActionStart, "deploy-bot"}, {9 * time.Hour, studio.ActionAdvance, "deploy-bot"},
			{510 * time.Minute, rollout.ActionIncident, "slo-monitor"}, {8 * time.Hour, studio.ActionRollback, "oncall:dev.o"}}},
	kindPending: {env: "staging", steps: []int{10, 50, 100}, stableStart: 2 * 24 * time.Hour, canaryBy: 5 * time.Hour},
}

var taskMetric = map[string]string{
	"code-completion": "pass@1", "chat": "win_rate", "image-classification": "top1", "speech-recognition": "wer",
	"embeddings": "recall@10", "summarization": "rouge_l", "moderation": "f1",
}

// registry builds models, versions and deployments from the runs.
func (g Generator) registry(ds *Dataset) {
	s := max(g.Scale, 1)
	nModels := len(modelSpecs) * s
	for m := range nModels {
		spec := &modelSpecs[m%len(modelSpecs)]
		k := m / len(modelSpecs)
		r := newRNG(g.Seed, domModel, uint64(m), 0)
		suffix := ""
		if k > 0 {
			suffix = fmt.Sprintf("-%d", k+1)
		}
		mid := studio.ModelID(spec.id + suffix)
		exp := ExperimentID(spec.exp + baseExperiments*k)
		var cands []*RunPlan
		for i := range ds.Runs {
			p := &ds.Runs[i]
			if p.Run.ExperimentID == exp && p.Run.Status == studio.RunSucceeded {
				cands = append(cands, p)
			}
		}
		slices.SortStableFunc(cands, func(a, b *RunPlan) int { return a.EndTime().Compare(b.EndTime()) })
		kind := deploymentKind(m % len(modelSpecs))
		deployed := kind < numDeploymentKinds
		jit := r.rangef(0.9, 1.1)
		at := func(ago time.Duration) time.Time {
			return g.Epoch.Add(-time.Duration(float64(ago) * jit)).Truncate(time.Second)
		}
		// latestBefore returns the last candidate ending at least an hour
		// before t and before limit (exclusive index).
		latestBefore := func(t time.Time, limit int) int {
			for i := min(limit, len(cands)) - 1; i >= 0; i-- {
				if !cands[i].EndTime().After(t.Add(-time.Hour)) {
					return i
				}
			}
			return -1
		}
		var chosen []int // candidate indexes, ascending
		stableIdx, canaryIdx := -1, -1
		if deployed {
			shape := &deploymentShapes[kind]
			limit := len(cands)
			if shape.canaryBy > 0 {
				canaryIdx = latestBefore(at(shape.canaryBy), limit)
				if canaryIdx >= 0 {
					limit = canaryIdx
				}
			}
			stableIdx = latestBefore(at(shape.stableStart), limit)
			if stableIdx < 0 {
				deployed = false // too few runs: list the model without a deployment
			}
		}
		if !deployed {
			stableIdx = latestBefore(g.Epoch, len(cands))
			canaryIdx = -1
		}
		if stableIdx < 0 {
			continue // an experiment without a finished run has no model
		}
		nOld := min(r.between(1, 4), stableIdx)
		for i := range nOld {
			chosen = append(chosen, stableIdx*(i+1)/(nOld+1))
		}
		chosen = slices.Compact(append(chosen, stableIdx))
		if canaryIdx > stableIdx {
			chosen = append(chosen, canaryIdx)
		}
		versions := make([]studio.ModelVersion, len(chosen))
		for v, ci := range chosen {
			p := cands[ci]
			sum := p.Summary(p.FinalSteps)
			acc := sum[studio.MetricAccuracy]
			metrics := map[string]float64{
				studio.MetricLoss: sum[studio.MetricLoss], studio.MetricValLoss: sum[studio.MetricValLoss],
				studio.MetricAccuracy: acc,
			}
			if spec.task == "speech-recognition" {
				metrics[taskMetric[spec.task]] = roundTo((100-acc)/100, 1e4)
			} else {
				metrics[taskMetric[spec.task]] = roundTo(acc*0.9/100, 1e4)
			}
			versions[v] = studio.ModelVersion{
				ModelID: mid, Version: v + 1, Stage: studio.StageArchived, Aliases: []string{}, SourceRun: p.Run.ID,
				Metrics: metrics, CreatedAt: p.EndTime().Add(time.Duration(r.between(15, 45)) * time.Minute).Truncate(time.Second),
				SizeBytes: spec.sizeBytes + int64(r.intn(4_000_000)), Deployments: []studio.DeploymentID{},
			}
		}
		model := studio.Model{
			ID: mid, Name: spec.name + suffix, Description: spec.desc, Task: spec.task,
			Owner: families[spec.exp%len(families)].owner, Tags: append([]string(nil), spec.tags...),
			CreatedAt:     versions[0].CreatedAt.Add(-time.Duration(r.between(24, 96)) * time.Hour),
			UpdatedAt:     versions[len(versions)-1].CreatedAt,
			LatestVersion: len(versions), VersionCount: len(versions),
		}
		var deps []*studio.Deployment
		if deployed {
			sv := slices.Index(chosen, stableIdx) + 1
			cv := 0
			if canaryIdx > stableIdx {
				cv = len(chosen)
			}
			dp := g.deployment(ds, len(ds.Deployments), kind, spec, suffix, mid, sv, cv, versions, jit, at)
			ds.Deployments = append(ds.Deployments, dp)
			deps = append(deps, &ds.Deployments[len(ds.Deployments)-1].Deployment)
			if t := ds.Deployments[len(ds.Deployments)-1].Deployment.UpdatedAt; t.After(model.UpdatedAt) {
				model.UpdatedAt = t
			}
		} else {
			n := len(versions)
			versions[max(n-2, 0)].Stage, versions[max(n-2, 0)].Aliases = studio.StageProduction, []string{"champion"}
			if n >= 2 {
				versions[n-1].Stage = studio.StageStaging
			}
			versions[n-1].Aliases = append(versions[n-1].Aliases, "latest")
		}
		model.ProductionVersion = AssignStages(versions, deps)
		ds.Models = append(ds.Models, model)
		ds.Versions = append(ds.Versions, versions)
	}
	for i := range ds.Runs {
		SortEvents(ds.Runs[i].deployEvts)
		for j := range ds.Runs[i].deployEvts {
			ds.Runs[i].deployEvts[j].ID = studio.EventID(fmt.Sprintf("ev-%s-d%02d", ds.Runs[i].Run.ID, j+1))
		}
	}
	slices.SortStableFunc(ds.Deployments, func(a, b DeploymentPlan) int {
		return cmp.Compare(a.Deployment.ID, b.Deployment.ID)
	})
}

// deployment generates deployment number idx of the given kind: stable
// version sv (rolled out before), canary cv (0 for none) and its history.
func (g Generator) deployment(ds *Dataset, idx int, kind deploymentKind, spec *modelSpec, suffix string, mid studio.ModelID,
	sv, cv int, versions []studio.ModelVersion, jit float64, at func(time.Duration) time.Time) DeploymentPlan {
	shape := &deploymentShapes[kind]
	r := newRNG(g.Seed, domDeployment, uint64(idx), 0)
	envShort := map[string]string{"production": "prod", "staging": "staging"}[shape.env]
	id := studio.DeploymentID("dep-" + spec.name + suffix + "-" + envShort)
	dp := DeploymentPlan{seed: g.Seed, index: idx}
	dp.base = studio.Health{
		LatencyP50: spec.p50 * r.rangef(0.9, 1.1), LatencyP99: spec.p99 * r.rangef(0.9, 1.1),
		ErrorRate: r.rangef(0.002, 0.006), RPS: spec.rps * r.rangef(0.8, 1.2),
	}
	dp.canary = r.rangef(0.93, 1.08)
	switch kind {
	case kindDegraded, kindRolledBack:
		dp.canary = r.rangef(1.1, 1.2)
	case kindProgressing:
		dp.canary = r.rangef(0.9, 0.96)
	}
	d := studio.Deployment{
		ID: id, Name: spec.name + suffix + "-" + envShort, Environment: shape.env, Region: pick(&r, regions),
		ModelID: mid, Stable: max(sv-1, 1), Status: studio.DeployHealthy, Steps: append([]int(nil), shape.steps...),
		StepIndex: -1, Incidents: []studio.Incident{}, History: []studio.HistoryEntry{},
	}
	owner := families[spec.exp%len(families)].owner
	type snap struct {
		t time.Time
		d studio.Deployment
	}
	var snaps []snap
	do := func(t time.Time, a studio.DeploymentAction, actor string) {
		if actor == "@owner" {
			actor = owner
		}
		d.Health = dp.Health(&d, t, uint64(t.UnixMilli()))
		h, err := rollout.Transition(&d, a, t, actor)
		if err != nil {
			panic(fmt.Sprintf("synth: generated history of %s: %v", id, err)) // a bug in deploymentShapes
		}
		snaps = append(snaps, snap{t, d})
		dp.Events = append(dp.Events, DeploymentEvent(&d, h))
		g.deployRunEvent(ds, &d, h, versions)
	}
	if sv > 1 { // the rollout that made sv stable
		d.Canary = sv
		t := at(shape.stableStart)
		if vt := versions[sv-1].CreatedAt.Add(30 * time.Minute); t.Before(vt) {
			t = vt
		}
		do(t, rollout.ActionStart, "deploy-bot")
		for d.StepIndex+1 < len(d.Steps)-1 {
			t = t.Add(40 * time.Minute)
			do(t, studio.ActionAdvance, "deploy-bot")
		}
		do(t.Add(40*time.Minute), rollout.ActionComplete, "deploy-bot")
	} else {
		d.Stable = sv
	}
	d.Canary = cv
	if cv > 0 {
		for _, op := range shape.ops {
			do(at(op.ago), op.action, op.actor)
		}
	}
	// Health history: every 30 minutes over the last day, plus one sample
	// at each change in that window.
	initial := d
	initial.Stable, initial.Canary, initial.Status, initial.StepIndex, initial.CanaryPercent = max(sv-1, 1), 0, studio.DeployHealthy, -1, 0
	initial.Incidents, initial.History = nil, nil
	stateAt := func(t time.Time) *studio.Deployment {
		for i := len(snaps) - 1; i >= 0; i-- {
			if !snaps[i].t.After(t) {
				return &snaps[i].d
			}
		}
		return &initial
	}
	var times []time.Time
	from := g.Epoch.Add(-24 * time.Hour)
	for i := 1; i <= 48; i++ {
		times = append(times, from.Add(time.Duration(i)*30*time.Minute))
	}
	for _, s := range snaps {
		if s.t.After(from) {
			times = append(times, s.t)
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	times = slices.Compact(times)
	for _, t := range times {
		d.HealthHistory = append(d.HealthHistory, studio.HealthSample{Time: t, Health: dp.Health(stateAt(t), t, uint64(t.UnixMilli()))})
	}
	d.Health = d.HealthHistory[len(d.HealthHistory)-1].Health
	if len(d.History) > 0 {
		d.UpdatedAt = d.History[len(d.History)-1].Time
	} else {
		d.UpdatedAt = at(shape.stableStart)
	}
	SortEvents(dp.Events)
	dp.Deployment = d
	return dp
}

// deployRunEvent adds a deploy event to the source run of the version a
// history entry concerns.
func (g Generator) deployRunEvent(ds *Dataset, d *studio.Deployment, h studio.HistoryEntry, versions []studio.ModelVersion) {
	var v int
	var title string
	switch h.Action {
	case rollout.ActionStart:
		v, title = d.Canary, fmt.Sprintf("v%d canary started on %s (%d%%)", d.Canary, d.ID, h.Percent)
	case rollout.ActionComplete:
		v, title = d.Stable, fmt.Sprintf("v%d promoted to stable on %s", d.Stable, d.ID)
	case studio.ActionRollback:
		v, title = d.Canary, fmt.Sprintf("v%d rolled back on %s", d.Canary, d.ID)
	default:
		return
	}
	if v < 1 || v > len(versions) {
		return
	}
	n, ok := RunIndex(versions[v-1].SourceRun)
	if !ok || n >= len(ds.Runs) {
		return
	}
	p := &ds.Runs[n]
	sev := studio.SeverityInfo
	if h.Action == studio.ActionRollback {
		sev = studio.SeverityWarning
	}
	p.deployEvts = append(p.deployEvts, studio.Event{
		Lane: studio.LaneDeploy, Time: h.Time, Title: title, Detail: h.Note + " (" + h.Actor + ")", Severity: sev,
		Subject: string(p.Run.ID), Step: p.FinalSteps - 1,
		Links: []studio.Link{
			{Kind: "deployment", Label: string(d.ID), Href: "/deployments/" + string(d.ID)},
			{Kind: "model", Label: fmt.Sprintf("%s v%d", d.ModelID, v), Href: "/registry/" + string(d.ModelID)},
		},
	})
}

// AssignStages sets Stage, Aliases and Deployments of a model's versions
// (ascending) from the deployments serving it, and returns the production
// version (0 if none). A version is production when it is the stable
// version of a production deployment, staging when it is stable elsewhere
// or a canary, archived when older than the newest stable version and none
// otherwise. "champion" marks production, "challenger" canaries and
// "latest" the newest version. With no deployments, stages are left as
// they are and the production version is returned.
func AssignStages(versions []studio.ModelVersion, deps []*studio.Deployment) int {
	if len(deps) == 0 {
		for _, v := range versions {
			if v.Stage == studio.StageProduction {
				return v.Version
			}
		}
		return 0
	}
	prod, newest := 0, 0
	for _, d := range deps {
		if d.Environment == "production" && d.Stable > prod {
			prod = d.Stable
		}
		newest = max(newest, d.Stable)
	}
	for i := range versions {
		v := &versions[i]
		v.Deployments, v.Aliases = []studio.DeploymentID{}, []string{}
		stage := studio.StageNone
		if v.Version < newest {
			stage = studio.StageArchived
		}
		for _, d := range deps {
			switch {
			case d.Stable == v.Version:
				v.Deployments = append(v.Deployments, d.ID)
				if d.Environment == "production" {
					stage = studio.StageProduction
				} else if stage != studio.StageProduction {
					stage = studio.StageStaging
				}
			case d.Canary == v.Version:
				if d.CanaryPercent > 0 {
					v.Deployments = append(v.Deployments, d.ID)
				}
				if stage != studio.StageProduction && d.Status != studio.DeployRolledBack {
					stage = studio.StageStaging
				}
				if d.Status != studio.DeployRolledBack && !slices.Contains(v.Aliases, "challenger") {
					v.Aliases = append(v.Aliases, "challenger")
				}
			}
		}
		if stage == studio.StageProduction {
			v.Aliases = append([]string{"champion"}, v.Aliases...)
		}
		if i == len(versions)-1 {
			v.Aliases = append(v.Aliases, "latest")
		}
		v.Stage = stage
	}
	return prod
}
