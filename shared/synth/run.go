package synth

import (
	"cmp"
	"fmt"
	"math"
	"slices"
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
	ms := int64(d / time.Millisecond) // ceil: times are whole ms
	if d%time.Millisecond != 0 {
		ms++ // not d+999999 first: d saturates at centuries away and would wrap
	}
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
// MetricSeries computes a run of consecutive steps faster.
func (p *RunPlan) Metric(m, step int) float64 {
	if m == metricLearningRate {
		return p.learningRate(step)
	}
	r := newRNG(p.seed, domMetric, uint64(p.Index), uint64(step)<<3|uint64(m))
	spike, dip := p.spike(step)
	var e float64
	if scale, ok := p.decayScale(m); ok {
		e = math.Exp(-float64(step) / scale)
	}
	ckpt := step > 0 && p.ckptEvery > 0 && step%p.ckptEvery == 0
	x, inv := p.metricScaled(m, step, &r, spike, dip, e, ckpt)
	return math.Round(x) / inv
}

// metricLearningRate is the index of "learning_rate", the one metric
// without noise or incidents.
const metricLearningRate = 3

// decayScale returns the scale of metric m's exponential term
// exp(-step/scale), or false if m has none.
func (p *RunPlan) decayScale(m int) (float64, bool) {
	switch m {
	case 0: // loss
		return p.tau, true
	case 1: // val_loss
		return p.tau * 1.1, true
	case 2: // accuracy
		return p.tau * 1.3, true
	case 4: // grad_norm
		return p.tau * 0.4, true
	}
	return 0, false
}

// metricScaled is the one definition of every noisy metric's value: given
// the metric's random stream r, the incident sums of p.spike, e, the
// metric's exp(-step/scale) term (see decayScale; unused by metrics
// without one), and whether step is a checkpoint step (a positive multiple
// of ckptEvery), the value is math.Round(x)/inv. Metrics outside
// studio.MetricNames, and learning_rate, give (0, 1). The built-in min and
// max give math.Min's and math.Max's results for every operand that is not
// NaN, without their calls.
func (p *RunPlan) metricScaled(m, step int, r *rng, spike, dip, e float64, ckpt bool) (x, inv float64) {
	s := float64(step)
	switch m {
	case 0: // loss
		v := p.floor + (p.loss0-p.floor)*e + p.sigma*r.norm()*(0.3+0.7*e)
		return max(v*(1+spike), 0.001) * 1e6, 1e6
	case 1: // val_loss
		over := max(0, s/float64(p.Run.TotalSteps)-0.55)
		v := p.floor*1.04 + (p.loss0-p.floor)*e + p.overfit*over*over + 0.25*p.sigma*r.norm()
		return max(v*(1+spike/2), 0.001) * 1e6, 1e6
	case 2: // accuracy
		v := p.acc0 + (p.accMax-p.acc0)*(1-e) + 0.6*r.norm() - 12*spike
		return min(max(v, 0), 100) * 100, 100
	case 4: // grad_norm
		v := 0.25 + 1.8*e + 0.08*math.Abs(r.norm()) + 4*spike
		return v * 1e6, 1e6
	case 5: // gpu_util
		v := p.gpuBase + 1.5*r.norm()
		if ckpt {
			v *= 0.45
		}
		v *= 1 - dip
		return min(max(v, 0), 100) * 10, 10
	case 6: // throughput
		v := p.thrBase * (1 + 0.03*r.norm())
		if ckpt {
			v *= 0.5
		}
		v *= 1 - dip
		return max(v, 0) * 10, 10
	}
	return 0, 1
}

// MetricSeries sets dst[i] to Metric(m, from+i) for every i, bit for bit,
// at a fraction of the cost per value. Three things are done once per
// series instead of once per value: the part of the random streams'
// seeding shared by the series, the incident sums (evaluated only near an
// incident; everywhere else they are exactly zero), and most of the
// exponentials: exp(-step/scale) is carried from step to step by one
// multiplication, restarting from math.Exp every decayBlock steps. A
// carried exponential differs from math.Exp's by at most a few hundred
// units in the last place, far below the rounding of the value to 1e-6
// (or 1e-2); a value whose scaled, unrounded form lies within
// decayGuard of a rounding boundary, where that difference could change
// the rounding, is recomputed with Metric.
func (p *RunPlan) MetricSeries(m, from int, dst []float64) {
	if m == metricLearningRate || m < 0 || m >= len(studio.MetricNames) {
		for i := range dst {
			dst[i] = p.Metric(m, from+i)
		}
		return
	}
	sd := newSeeder(p.seed, domMetric, uint64(p.Index))
	near := p.spikeWindows(from, from+len(dst))
	scale, decays := p.decayScale(m)
	var e, q float64
	if decays {
		q = math.Exp(-1 / scale)
	}
	every := p.ckptEvery
	if every <= 0 {
		every = math.MaxInt // no checkpoints
	}
	sinceCkpt := from % every // step % every, carried
	for i := range dst {
		step := from + i
		var spike, dip float64
		for len(near) > 0 && near[0].hi < step {
			near = near[1:]
		}
		if len(near) > 0 && near[0].lo <= step {
			spike, dip = p.spike(step)
		}
		if decays {
			if i%decayBlock == 0 {
				e = math.Exp(-float64(step) / scale)
			} else {
				e *= q
			}
		}
		ckpt := sinceCkpt == 0 && step > 0
		if sinceCkpt++; sinceCkpt == every {
			sinceCkpt = 0
		}
		r := sd.at(uint64(step)<<3 | uint64(m))
		x, inv := p.metricScaled(m, step, &r, spike, dip, e, ckpt)
		v := math.Round(x)
		if decays && !(math.Abs(x-v) <= 0.5-decayGuard) {
			dst[i] = p.Metric(m, step) // near a rounding boundary, or NaN
			continue
		}
		dst[i] = v / inv
	}
}

// decayBlock is how many steps MetricSeries carries an exponential by
// multiplication before computing it again with math.Exp; decayGuard is
// the distance from a rounding boundary (in units of the rounded value's
// last kept digit) within which it falls back to Metric. The carried
// value's relative error is below 3·decayBlock·2⁻⁵³ (under 1e-13), which
// moves a scaled value (at most about 1e8) by under 1e-5: decayGuard
// leaves a margin of about 100.
const (
	decayBlock = 256
	decayGuard = 1.0 / 1024
)

// stepRange is an inclusive range of steps.
type stepRange struct{ lo, hi int }

// spikeWindows returns, in order and merged, ranges of steps that cover
// every step in [from, to) where an incident contributes to p.spike: at
// every other step of [from, to) spike returns exactly (0, 0). The ranges
// may be wider than needed, never narrower.
func (p *RunPlan) spikeWindows(from, to int) []stepRange {
	// spike counts incident in at step when 0 <= step-in.step <= 6*spikeW.
	reach := int(6*p.spikeW) + 1
	var out []stepRange
	for _, in := range p.incidents {
		w := stepRange{in.step, in.step + reach}
		if w.hi < from || w.lo >= to {
			continue
		}
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b stepRange) int { return cmp.Compare(a.lo, b.lo) })
	merged := out[:0]
	for _, w := range out {
		if n := len(merged); n > 0 && w.lo <= merged[n-1].hi+1 {
			merged[n-1].hi = max(merged[n-1].hi, w.hi)
			continue
		}
		merged = append(merged, w)
	}
	return merged
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
