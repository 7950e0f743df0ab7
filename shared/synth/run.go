package synth

import (
	"fmt"
	"math"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Well-known runs of every dataset, whatever the seed and scale.
const (
	// BigLogRun is a succeeded run of experiment "llama-ft-code" with
	// exactly 1,000,000 log lines (12,500 steps of 80 lines).
	BigLogRun studio.RunID = "run-0042"
	// LongMetricRun is a succeeded run of experiment
	// "vit-distill-imagenet" with 100,000 metric steps.
	LongMetricRun studio.RunID = "run-0017"

	bigLogIndex     = 41
	longMetricIndex = 16

	// BigLogLines is the log line count of BigLogRun.
	BigLogLines = 1_000_000
	// LongMetricSteps is the step count of LongMetricRun.
	LongMetricSteps = 100_000
)

// RunID returns the id of the run with 0-based index n: RunID(41) is
// "run-0042".
func RunID(n int) studio.RunID { return studio.RunID(fmt.Sprintf("run-%04d", n+1)) }

// RunIndex returns the 0-based index of id, or false if id is not of the
// form "run-NNNN" with NNNN >= 1.
func RunIndex(id studio.RunID) (int, bool) {
	s := string(id)
	if len(s) < 8 || s[:4] != "run-" {
		return 0, false
	}
	n := 0
	for _, c := range s[4:] {
		if c < '0' || c > '9' || n > 1e8 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || string(RunID(n-1)) != s {
		return 0, false
	}
	return n - 1, true
}

// incidentKind is the kind of a planned problem in a run.
type incidentKind int

const (
	incNCCL incidentKind = iota
	incLossSpike
	incOOM
	incDataloader
	incECC
	incGradOverflow
	numIncidentKinds
)

// incident is a planned problem at a step: a loss spike there, a burst of
// warn and error log lines, an alert, and a checkpoint shortly after.
type incident struct {
	step      int
	kind      incidentKind
	rank      int
	amp       float64 // relative loss spike
	burstFrom int64   // first line of the burst
	burstLen  int64
}

// RunPlan is everything needed to produce a run's data on demand: its
// metric values, log lines and timeline events are pure functions of the
// plan and an index. A RunPlan is a value; copies are independent except
// for the shared, read-only event slice.
type RunPlan struct {
	// Index is the 0-based run index; Run.ID is RunID(Index).
	Index int
	// Run is the run as of the generator's Epoch (or as created). The
	// store updates its own copy as the run streams. Error is set from
	// the start for a run planned to fail (FinalStatus failed), even while
	// it is still running: callers show it only once the run has failed.
	Run studio.Run
	// LinesPerStep is the number of log lines per training step: line
	// seq belongs to step seq/LinesPerStep.
	LinesPerStep int
	// StepMS is the duration of one step in milliseconds.
	StepMS int64
	// FinalSteps is the step count at which the run ends: TotalSteps for
	// a run that succeeds, fewer for one that fails or is cancelled.
	FinalSteps int
	// FinalStatus is the status the run ends with: succeeded, failed or
	// cancelled.
	FinalStatus studio.RunStatus

	seed       uint64
	fam        int
	start      time.Time // zero until the run starts
	incidents  []incident
	ckptEvery  int
	evalEvery  int
	tailLen    int64 // lines at the end of a failed or cancelled run
	failKind   incidentKind
	loss0      float64
	floor      float64
	tau        float64
	sigma      float64
	overfit    float64
	acc0       float64
	accMax     float64
	gpuBase    float64
	thrBase    float64
	spikeW     float64
	events     []studio.Event // planned events through FinalSteps, by time
	deployEvts []studio.Event
}

// Started reports whether the run has a start time.
func (p *RunPlan) Started() bool { return !p.start.IsZero() }

// StartTime returns the run's start time (zero while queued).
func (p *RunPlan) StartTime() time.Time { return p.start }

// Start sets the start time of a queued run to t (truncated to the
// millisecond) and plans its events. Starting a started run does nothing.
func (p *RunPlan) Start(t time.Time) {
	if p.Started() {
		return
	}
	p.setStart(t)
	p.events = p.planEvents()
}

func (p *RunPlan) setStart(t time.Time) {
	p.start = t.Truncate(time.Millisecond)
	st := p.start
	p.Run.StartedAt = &st
}

// StepTime returns the time of step (the time of its first log line).
func (p *RunPlan) StepTime(step int) time.Time {
	return p.start.Add(time.Duration(int64(step)*p.StepMS) * time.Millisecond)
}

// LineTime returns the time of log line seq: start + seq*StepMS/LinesPerStep
// milliseconds, so time never decreases as seq grows.
func (p *RunPlan) LineTime(seq int64) time.Time {
	return p.start.Add(time.Duration(seq*p.StepMS/int64(p.LinesPerStep)) * time.Millisecond)
}

// SeqAt returns the first seq whose LineTime is at or after t, clamped to
// [0, count].
func (p *RunPlan) SeqAt(t time.Time, count int64) int64 {
	d := t.Sub(p.start)
	if d <= 0 {
		return 0
	}
	ms := int64((d + time.Millisecond - 1) / time.Millisecond) // ceil: times are whole ms
	if max := count*p.StepMS/int64(p.LinesPerStep) + 1; ms > max {
		return count
	}
	// smallest seq with seq*StepMS/L >= ms, i.e. seq >= ms*L/StepMS
	l := int64(p.LinesPerStep)
	seq := (ms*l + p.StepMS - 1) / p.StepMS
	return min(seq, count)
}

// EndTime returns the time the run ends (start + FinalSteps steps).
func (p *RunPlan) EndTime() time.Time { return p.StepTime(p.FinalSteps) }

// MetricIndex returns the index of name in studio.MetricNames.
func MetricIndex(name string) (int, bool) {
	for i, n := range studio.MetricNames {
		if n == name {
			return i, true
		}
	}
	return 0, false
}

// Metric returns the value of metric m (an index into studio.MetricNames)
// at step. It depends only on the plan, m and step: O(1), no allocation.
func (p *RunPlan) Metric(m, step int) float64 {
	r := newRNG(p.seed, domMetric, uint64(p.Index), uint64(step)<<3|uint64(m))
	s := float64(step)
	spike, dip := p.spike(step)
	switch m {
	case 0: // loss
		decay := math.Exp(-s / p.tau)
		v := p.floor + (p.loss0-p.floor)*decay + p.sigma*r.norm()*(0.3+0.7*decay)
		return round6(math.Max(v*(1+spike), 0.001))
	case 1: // val_loss
		decay := math.Exp(-s / (p.tau * 1.1))
		over := math.Max(0, s/float64(p.Run.TotalSteps)-0.55)
		v := p.floor*1.04 + (p.loss0-p.floor)*decay + p.overfit*over*over + 0.25*p.sigma*r.norm()
		return round6(math.Max(v*(1+spike/2), 0.001))
	case 2: // accuracy
		v := p.acc0 + (p.accMax-p.acc0)*(1-math.Exp(-s/(p.tau*1.3))) + 0.6*r.norm() - 12*spike
		return roundTo(math.Min(math.Max(v, 0), 100), 100)
	case 3: // learning_rate
		return p.learningRate(step)
	case 4: // grad_norm
		v := 0.25 + 1.8*math.Exp(-s/(p.tau*0.4)) + 0.08*math.Abs(r.norm()) + 4*spike
		return round6(v)
	case 5: // gpu_util
		v := p.gpuBase + 1.5*r.norm()
		if step > 0 && step%p.ckptEvery == 0 {
			v *= 0.45
		}
		v *= 1 - dip
		return roundTo(math.Min(math.Max(v, 0), 100), 10)
	case 6: // throughput
		v := p.thrBase * (1 + 0.03*r.norm())
		if step > 0 && step%p.ckptEvery == 0 {
			v *= 0.5
		}
		v *= 1 - dip
		return roundTo(math.Max(v, 0), 10)
	}
	return 0
}

// learningRate is linear warmup then cosine decay to 10% of the peak.
func (p *RunPlan) learningRate(step int) float64 {
	lr := p.Run.Config.LearningRate
	w := p.Run.Config.WarmupSteps
	var f float64
	if step < w {
		f = float64(step+1) / float64(w)
	} else {
		span := max(p.Run.TotalSteps-w, 1)
		prog := math.Min(float64(step-w)/float64(span), 1)
		f = round6(0.1 + 0.9*0.5*(1+math.Cos(math.Pi*prog)))
	}
	return math.Round(lr*f*1e12) / 1e12
}

// spike returns the relative loss spike at step and the throughput dip
// (0..1) caused by incidents.
func (p *RunPlan) spike(step int) (spike, dip float64) {
	for i := range p.incidents {
		in := &p.incidents[i]
		d := float64(step - in.step)
		if d < 0 || d > 6*p.spikeW {
			continue
		}
		spike += in.amp * math.Exp(-d/p.spikeW)
		if d < p.spikeW {
			switch in.kind {
			case incNCCL, incDataloader, incECC:
				dip = math.Max(dip, 0.6)
			default:
				dip = math.Max(dip, 0.2)
			}
		}
	}
	return spike, dip
}

// Summary returns the latest value of each metric after steps steps (an
// empty map when steps is 0).
func (p *RunPlan) Summary(steps int) map[string]float64 {
	m := make(map[string]float64, len(studio.MetricNames))
	if steps <= 0 {
		return m
	}
	for i, name := range studio.MetricNames {
		m[name] = p.Metric(i, steps-1)
	}
	return m
}

// MetricInfos describes the run's series after steps steps.
func (p *RunPlan) MetricInfos(steps int) []studio.MetricInfo {
	out := make([]studio.MetricInfo, len(studio.MetricNames))
	for i, name := range studio.MetricNames {
		out[i] = studio.MetricInfo{Name: name, Unit: studio.MetricUnits[name], Points: steps}
	}
	return out
}

// Snapshot returns the plan's Run with Steps, LogCount, Metrics and
// Summary for steps steps, and fresh copies of its slices and maps.
func (p *RunPlan) Snapshot(steps int) studio.Run {
	r := p.Run
	r.Tags = append([]string(nil), p.Run.Tags...)
	r.Steps = steps
	r.LogCount = int64(steps) * int64(p.LinesPerStep)
	r.Metrics = p.MetricInfos(steps)
	r.Summary = p.Summary(steps)
	return r
}

// Events returns the run's timeline events visible after steps steps,
// sorted by time: every planned event of a terminal run (including deploy
// events of model versions trained by it), else those with Step < steps.
// The result is a fresh slice.
func (p *RunPlan) Events(steps int, terminal bool) []studio.Event {
	var out []studio.Event
	for _, e := range p.events {
		if terminal || e.Step < steps {
			out = append(out, e)
		}
	}
	if terminal {
		out = append(out, p.deployEvts...)
	}
	return out
}

// EventsAtStep returns the planned events tied to step, in time order: the
// events a stream emits when the run produces that step.
func (p *RunPlan) EventsAtStep(step int) []studio.Event {
	var out []studio.Event
	for _, e := range p.events {
		if e.Step == step {
			out = append(out, e)
		}
	}
	return out
}

// IncidentSteps returns the steps of the run's planned incidents, in
// order: a loss spike, a log burst and an alert happen at each.
func (p *RunPlan) IncidentSteps() []int {
	out := make([]int, len(p.incidents))
	for i, in := range p.incidents {
		out[i] = in.step
	}
	return out
}
