package synth

import (
	"math"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// sameBits reports whether a and b are the same float64 bit for bit.
func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// TestMetricSeriesEqualsMetric checks MetricSeries against Metric, bit for
// bit, for every metric at every planned step of every run of two
// datasets and of a created run (natively and under js/wasm).
func TestMetricSeriesEqualsMetric(t *testing.T) {
	plans := dataset(t, 42, 1).Runs
	if !testing.Short() {
		plans = append(plans, dataset(t, 7, 1).Runs...)
	}
	created := New(42, 1).CreatedRun(500, "exp-0001", "created", nil,
		studio.RunConfig{Model: "llama-3-8b", Dataset: "code-instruct-v4", Optimizer: "adamw", LearningRate: 3e-4, BatchSize: 1, Epochs: 1000, GPUs: 1, WarmupSteps: 200},
		DefaultEpoch.Add(time.Hour))
	plans = append(plans, created)
	var buf []float64
	for pi := range plans {
		p := &plans[pi]
		n := max(p.Run.TotalSteps, p.FinalSteps) + 3 // past the end too
		if testing.Short() && n > 20_000 {
			n = 20_000
		}
		buf = append(buf[:0], make([]float64, n)...)
		for m := -1; m <= len(studio.MetricNames); m++ {
			p.MetricSeries(m, 0, buf)
			for step, got := range buf {
				if want := p.Metric(m, step); !sameBits(got, want) {
					t.Fatalf("%s: MetricSeries(%d, 0, ...)[%d] = %v; Metric = %v", p.Run.ID, m, step, got, want)
				}
			}
		}
	}
}

// TestMetricSeriesRanges checks slices of the long run that start and end
// inside, before and after incident windows.
func TestMetricSeriesRanges(t *testing.T) {
	p := &dataset(t, 42, 1).Runs[longMetricIndex]
	inc := p.IncidentSteps()
	if len(inc) < 2 {
		t.Fatalf("%s has %d incidents; the test needs 2", p.Run.ID, len(inc))
	}
	w := int(6 * p.spikeW)
	tests := []struct {
		name     string
		from, to int // [from, to)
	}{
		{"empty", 500, 500},
		{"one step", 7, 8},
		{"from zero", 0, 4096},
		{"starts inside an incident window", inc[0] + w/2, inc[0] + w + 50},
		{"ends inside an incident window", inc[0] - 100, inc[0] + 3},
		{"starts at an incident", inc[0], inc[0] + 1},
		{"last step of a window", inc[0] + w, inc[0] + w + 2},
		{"across two incidents", inc[0] - 10, inc[1] + 2*w},
		{"between incidents", inc[0] + w + 2, inc[1] - 1},
		{"the tail and past the end", LongMetricSteps - 1000, LongMetricSteps + 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]float64, tt.to-tt.from)
			for m := range studio.MetricNames {
				p.MetricSeries(m, tt.from, buf)
				for i, got := range buf {
					if want := p.Metric(m, tt.from+i); !sameBits(got, want) {
						t.Fatalf("MetricSeries(%d, %d, ...)[%d] = %v; Metric(%d, %d) = %v", m, tt.from, i, got, m, tt.from+i, want)
					}
				}
			}
		})
	}
}

// TestSpikeWindows checks that the windows cover every step where an
// incident counts, and that spike is exactly zero everywhere else.
func TestSpikeWindows(t *testing.T) {
	for _, idx := range []int{longMetricIndex, bigLogIndex} {
		p := &dataset(t, 42, 1).Runs[idx]
		n := p.FinalSteps
		ws := p.spikeWindows(0, n)
		if len(ws) == 0 {
			t.Fatalf("%s: no windows", p.Run.ID)
		}
		for i := 1; i < len(ws); i++ {
			if ws[i].lo <= ws[i-1].hi+1 {
				t.Errorf("%s: windows %v and %v overlap or touch", p.Run.ID, ws[i-1], ws[i])
			}
		}
		for step := range n {
			inside := false
			for _, w := range ws {
				inside = inside || (w.lo <= step && step <= w.hi)
			}
			if spike, dip := p.spike(step); !inside && (spike != 0 || dip != 0) {
				t.Fatalf("%s: step %d is outside every window but spike(%d) = %v, %v", p.Run.ID, step, step, spike, dip)
			}
		}
	}
}

// BenchmarkMetricSeries computes the 100,000-step loss series (compare
// with 100,000 × BenchmarkMetric).
func BenchmarkMetricSeries(b *testing.B) {
	p := &dataset(b, 42, 1).Runs[longMetricIndex]
	buf := make([]float64, LongMetricSteps)
	for _, m := range []int{0, 3, 5} {
		b.Run(studio.MetricNames[m], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.MetricSeries(m, 0, buf)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/LongMetricSteps, "ns/value")
		})
	}
}

// TestMetricSeriesDecayMargin measures how far the carried exponentials of
// MetricSeries move the scaled, unrounded values from Metric's, over every
// step of the longest runs: the largest move must stay far below
// decayGuard, the distance from a rounding boundary at which MetricSeries
// falls back to Metric.
func TestMetricSeriesDecayMargin(t *testing.T) {
	ds := dataset(t, 42, 1)
	worst := 0.0
	for _, idx := range []int{longMetricIndex, bigLogIndex} {
		p := &ds.Runs[idx]
		for m := range studio.MetricNames {
			scale, ok := p.decayScale(m)
			if !ok {
				continue
			}
			q := math.Exp(-1 / scale)
			var e float64
			for step := range p.Run.TotalSteps {
				if step%decayBlock == 0 {
					e = math.Exp(-float64(step) / scale)
				} else {
					e *= q
				}
				exact := math.Exp(-float64(step) / scale)
				spike, dip := p.spike(step)
				ckpt := step > 0 && step%p.ckptEvery == 0
				r1 := newRNG(p.seed, domMetric, uint64(p.Index), uint64(step)<<3|uint64(m))
				r2 := r1
				x1, _ := p.metricScaled(m, step, &r1, spike, dip, e, ckpt)
				x2, _ := p.metricScaled(m, step, &r2, spike, dip, exact, ckpt)
				worst = max(worst, math.Abs(x1-x2))
			}
		}
	}
	t.Logf("largest move of a scaled value: %.3g (decayGuard %.3g)", worst, decayGuard)
	if worst > decayGuard/50 {
		t.Errorf("carried exponentials move a scaled value by up to %.3g; want under %.3g (decayGuard/50)", worst, decayGuard/50)
	}
}
