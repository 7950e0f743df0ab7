package synth

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Base counts at scale 1; Generator.Scale multiplies them.
const (
	baseExperiments = 10
	baseRuns        = 160
	baseRunning     = 7
	baseQueued      = 3
	baseTraces      = 60
)

var (
	normalSteps = []int{1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000}
	longSteps   = []int{12000, 15000, 20000, 24000, 30000}
	linesPer    = []int{2, 3, 4, 4, 6, 8, 12}
	niceEvery   = []int{25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000}
	runningAgo  = []float64{13.5, 11, 8.5, 6, 4, 2.2, 0.8} // hours before Epoch
)

// Counts returns the number of experiments, runs and traces at g.Scale.
func (g Generator) Counts() (experiments, runs, traces int) {
	s := max(g.Scale, 1)
	return baseExperiments * s, baseRuns * s, baseTraces * s
}

// ExperimentID returns the id of experiment e (0-based): "exp-01"...
func ExperimentID(e int) studio.ExperimentID {
	return studio.ExperimentID(fmt.Sprintf("exp-%02d", e+1))
}

func (g Generator) experiments() []studio.Experiment {
	n, _, _ := g.Counts()
	out := make([]studio.Experiment, n)
	for e := range out {
		f := &families[e%len(families)]
		r := newRNG(g.Seed, domExperiment, uint64(e), 0)
		name := f.exp
		if k := e / len(families); k > 0 {
			name = fmt.Sprintf("%s-r%d", f.exp, k+1)
		}
		out[e] = studio.Experiment{
			ID: ExperimentID(e), Name: name, Description: f.desc, Owner: f.owner, Team: f.team,
			Tags:      append([]string(nil), f.tags...),
			CreatedAt: g.Epoch.Add(-time.Duration(32*24*60+r.intn(20*24*60)) * time.Minute),
		}
	}
	return out
}

// runPlans plans every run of the base dataset.
func (g Generator) runPlans(exps []studio.Experiment) []RunPlan {
	s := max(g.Scale, 1)
	nExp, n, _ := g.Counts()
	nQueued, nRunning := baseQueued*s, baseRunning*s
	nTerminal := n - nQueued - nRunning

	// Running runs start between 14h and 30min before Epoch, oldest first.
	runningStarts := make([]time.Duration, nRunning)
	for k := range runningStarts {
		r := newRNG(g.Seed, domRun, uint64(nTerminal+k), 1)
		h := runningAgo[k%len(runningAgo)] * r.rangef(0.9, 1.05)
		runningStarts[k] = time.Duration(h * float64(time.Hour)).Truncate(time.Second)
	}
	slices.SortFunc(runningStarts, func(a, b time.Duration) int { return int(b - a) })

	t0 := g.Epoch.Add(-30 * 24 * time.Hour)
	span := 30*24*time.Hour - 16*time.Hour
	gap := span / time.Duration(max(nTerminal, 1))
	plans := make([]RunPlan, n)
	for i := range plans {
		r := newRNG(g.Seed, domRun, uint64(i), 0)
		e := i % nExp
		switch i {
		case bigLogIndex:
			e = 0
		case longMetricIndex:
			e = 1
		}
		fi := e % len(families)
		f := &families[fi]
		p := &plans[i]
		p.Index, p.seed, p.fam = i, g.Seed, fi
		p.LinesPerStep = pick(&r, linesPer)
		p.StepMS = int64(r.between(f.stepMS[0], f.stepMS[1])) / 10 * 10
		total := pick(&r, normalSteps)
		if i%23 == 5 {
			total = pick(&r, longSteps)
			p.StepMS = min(p.StepMS, 1500)
		}
		run := &p.Run
		run.ID = RunID(i)
		run.ExperimentID = exps[e].ID
		run.Owner = f.owner
		if r.chance(0.4) {
			run.Owner = pick(&r, owners)
		}
		variant := pick(&r, f.variants)
		c := &run.Config
		c.Model, c.Dataset = pick(&r, f.models), pick(&r, f.datasets)
		c.Optimizer = pick(&r, f.optimizers)
		c.LearningRate = pick(&r, f.lrs)
		c.BatchSize = pick(&r, f.batches)
		c.Precision = "bf16"
		if x := r.intn(10); x == 0 {
			c.Precision = "fp32"
		} else if x < 3 {
			c.Precision = "fp16"
		}
		c.WeightDecay = pick(&r, []float64{0, 0.01, 0.05, 0.1})
		c.Seed = int64(r.intn(10000))
		gpuType := pick(&r, f.gpuTypes)
		c.GPUs = pick(&r, f.gpus)
		run.Hardware = studio.Hardware{GPUType: gpuType, GPUCount: c.GPUs, Nodes: (c.GPUs + 7) / 8, Cluster: pick(&r, clusters[gpuType])}
		run.Commit = fmt.Sprintf("%012x", r.u64()>>16)
		run.Branch = pick(&r, branches)
		run.Tags = []string{pick(&r, f.tags)}
		if r.chance(0.6) {
			if t := pick(&r, runTags); t != run.Tags[0] {
				run.Tags = append(run.Tags, t)
			}
		}
		switch i {
		case bigLogIndex:
			total, p.LinesPerStep, p.StepMS, variant = 12_500, 80, 2400, "full-ft-12k"
			c.Model, c.GPUs, gpuType = "llama-3-8b", 64, "H100-80GB"
			run.Hardware = studio.Hardware{GPUType: gpuType, GPUCount: 64, Nodes: 8, Cluster: "us-east-h100-1"}
			run.Tags = []string{"sft", "long-run"}
		case longMetricIndex:
			total, p.LinesPerStep, p.StepMS, variant = 100_000, 2, 350, "ema-100k"
			c.Model = "vit-s-16"
			run.Tags = []string{"distill", "long-run"}
		}
		run.Name = fmt.Sprintf("%s-%s-%02d", f.short, variant, i/nExp+1)
		run.TotalSteps = total
		c.Epochs = r.between(1, 5)
		c.WarmupSteps = min(pick(&r, []int{100, 200, 500, 1000, 2000}), total/5)
		run.StepSeconds = float64(p.StepMS) / 1000
		p.FinalSteps, p.FinalStatus = total, studio.RunSucceeded

		switch {
		case i >= nTerminal+nRunning: // queued
			k := i - nTerminal - nRunning
			ago := time.Duration(30-k*25/max(nQueued, 1))*time.Minute + time.Duration(r.intn(60))*time.Second
			run.CreatedAt = g.Epoch.Add(-ago)
			run.Status = studio.RunQueued
			p.StepMS = min(p.StepMS, 2500)
			run.StepSeconds = float64(p.StepMS) / 1000
		case i >= nTerminal: // running
			p.StepMS = min(p.StepMS, 2500)
			run.StepSeconds = float64(p.StepMS) / 1000
			start := g.Epoch.Add(-runningStarts[i-nTerminal])
			run.CreatedAt = start.Add(-time.Duration(r.between(2, 20)) * time.Minute)
			run.Status = studio.RunRunning
			p.setStart(start)
			steps := int(g.Epoch.Sub(start).Milliseconds() / p.StepMS)
			total = max(int(float64(steps)/r.rangef(0.25, 0.8))/100*100, steps+200)
			run.TotalSteps, p.FinalSteps = total, total
			c.WarmupSteps = min(c.WarmupSteps, total/5)
			if (i-nTerminal)%baseRunning == 4 { // fails a few minutes into the session
				p.FinalSteps, p.FinalStatus = steps+r.between(60, 200), studio.RunFailed
			}
			run.Steps = steps
		default: // terminal
			run.CreatedAt = t0.Add(gap*time.Duration(i) + time.Duration(r.int63n(int64(gap/2)))).Truncate(time.Second)
			start := run.CreatedAt.Add(time.Duration(r.between(60, 2400)) * time.Second)
			latest := g.Epoch.Add(-20 * time.Minute)
			if maxSteps := int(latest.Sub(start).Milliseconds() / p.StepMS); total > maxSteps {
				total = max(maxSteps/100*100, 200)
				run.TotalSteps, p.FinalSteps = total, total
				c.WarmupSteps = min(c.WarmupSteps, total/5)
			}
			p.setStart(start)
			if i != bigLogIndex && i != longMetricIndex {
				switch x := r.intn(100); {
				case x < 10:
					p.FinalStatus = studio.RunFailed
					p.FinalSteps = max(int(float64(total)*r.rangef(0.05, 0.9)), 50)
				case x < 15:
					p.FinalStatus = studio.RunCancelled
					p.FinalSteps = max(int(float64(total)*r.rangef(0.02, 0.6)), 20)
				}
			}
			run.Status = p.FinalStatus
			run.Steps = p.FinalSteps
		}
		if p.FinalStatus == studio.RunFailed {
			fr := pick(&r, failReasons)
			p.failKind, run.Error = fr.kind, fr.text
		}
		p.finish()
	}
	return plans
}

// int63n returns a value in [0, n); n must be > 0.
func (r *rng) int63n(n int64) int64 { return int64(r.p.Uint64() % uint64(n)) }

// finish derives the metric shape, incidents, checkpoints and events of a
// plan whose identity, config, timing and final state are set.
func (p *RunPlan) finish() {
	r := newRNG(p.seed, domIncident, uint64(p.Index), 0)
	f := &families[p.fam]
	total := p.Run.TotalSteps
	l := int64(p.LinesPerStep)
	p.ckptEvery = niceEvery[len(niceEvery)-1]
	for _, v := range niceEvery {
		if v*20 >= total {
			p.ckptEvery = v
			break
		}
	}
	p.evalEvery = p.ckptEvery
	if p.ckptEvery >= 50 {
		p.evalEvery = p.ckptEvery / 2
	}
	p.loss0 = r.rangef(f.loss0[0], f.loss0[1])
	p.floor = r.rangef(f.floor[0], f.floor[1])
	p.tau = float64(total) * r.rangef(0.12, 0.3)
	p.sigma = (p.loss0-p.floor)*r.rangef(0.008, 0.02) + 0.004
	if r.chance(0.3) {
		p.overfit = (p.loss0 - p.floor) * r.rangef(0.1, 0.4)
	}
	p.accMax = r.rangef(f.accMax[0], f.accMax[1])
	p.acc0 = p.accMax * r.rangef(0.02, 0.15)
	p.gpuBase = r.rangef(86, 97)
	p.thrBase = float64(p.Run.Config.BatchSize) * 1000 / float64(p.StepMS)
	p.spikeW = math.Max(3, float64(total)/400)

	switch p.FinalStatus {
	case studio.RunFailed:
		p.tailLen = min(int64(failTailLines), 2*l)
	case studio.RunCancelled:
		p.tailLen = 1
	}
	available := int64(p.FinalSteps)*l - p.tailLen
	p.incidents = nil
	if p.FinalSteps >= 100 {
		n := 1 + r.intn(3) + p.FinalSteps/25000
		seg := float64(p.FinalSteps) * 0.84 / float64(n)
		for i := range n {
			in := incident{
				step: int(float64(p.FinalSteps)*0.08 + seg*(float64(i)+r.rangef(0.1, 0.9))),
				kind: incidentKind(r.intn(int(numIncidentKinds))),
				rank: r.intn(8),
			}
			switch in.kind {
			case incLossSpike:
				in.amp = r.rangef(0.8, 2.0)
			case incGradOverflow:
				in.amp = r.rangef(0.4, 0.7)
			case incECC:
				in.amp = r.rangef(0.4, 0.6)
			case incNCCL:
				in.amp = r.rangef(0.3, 0.5)
			default:
				in.amp = r.rangef(0.25, 0.4)
			}
			in.burstFrom = int64(in.step) * l
			if l > 1 {
				in.burstFrom++
			}
			in.burstLen = min(int64(r.between(30, 90)), available-in.burstFrom)
			if in.burstLen > 0 {
				p.incidents = append(p.incidents, in)
			}
		}
	}
	if p.Started() {
		p.events = p.planEvents()
	}
	p.Run.LogCount = int64(p.Run.Steps) * l
	p.Run.Metrics = p.MetricInfos(p.Run.Steps)
	p.Run.Summary = p.Summary(p.Run.Steps)
	if p.Run.Status.Terminal() {
		end := p.EndTime()
		p.Run.EndedAt = &end
	}
}
