package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/rollout"
	"github.com/aiinfra/studio/shared/studio"
)

// datasetCache keeps generated datasets: tests only read them.
var datasetCache = map[[2]int]*Dataset{}

func dataset(tb testing.TB, seed uint64, scale int) *Dataset {
	tb.Helper()
	k := [2]int{int(seed), scale}
	if ds, ok := datasetCache[k]; ok {
		return ds
	}
	ds := New(seed, scale).Generate()
	datasetCache[k] = ds
	return ds
}

func TestNew(t *testing.T) {
	tests := []struct {
		name      string
		scale     int
		wantScale int
	}{
		{"scale 1", 1, 1},
		{"scale 3", 3, 3},
		{"zero scale is 1", 0, 1},
		{"negative scale is 1", -2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(7, tt.scale)
			if g.Seed != 7 || g.Scale != tt.wantScale || !g.Epoch.Equal(DefaultEpoch) {
				t.Errorf("New(7, %d) = %+v; want seed 7, scale %d, epoch %v", tt.scale, g, tt.wantScale, DefaultEpoch)
			}
		})
	}
	if got := DefaultEpoch.Format(time.RFC3339); got != "2026-11-20T12:00:00Z" {
		t.Errorf("DefaultEpoch = %s; want 2026-11-20T12:00:00Z", got)
	}
}

func TestCounts(t *testing.T) {
	tests := []struct {
		scale                                               int
		experiments, runs, minRunning, models, deps, traces int
	}{
		{1, 10, 160, 5, 7, 6, 60},
		{2, 20, 320, 10, 14, 12, 120},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("scale %d", tt.scale), func(t *testing.T) {
			ds := dataset(t, 42, tt.scale)
			if got := len(ds.Experiments); got != tt.experiments {
				t.Errorf("experiments = %d; want %d", got, tt.experiments)
			}
			if got := len(ds.Runs); got != tt.runs {
				t.Errorf("runs = %d; want %d", got, tt.runs)
			}
			byStatus := map[studio.RunStatus]int{}
			long := 0
			for i, p := range ds.Runs {
				byStatus[p.Run.Status]++
				if p.Run.Steps >= 10_000 {
					long++
				}
				if p.Run.ID != RunID(i) {
					t.Fatalf("Runs[%d].ID = %s; want %s", i, p.Run.ID, RunID(i))
				}
			}
			if byStatus[studio.RunRunning] < tt.minRunning {
				t.Errorf("running = %d; want >= %d", byStatus[studio.RunRunning], tt.minRunning)
			}
			for _, st := range studio.RunStatuses {
				if byStatus[st] == 0 {
					t.Errorf("no %s run", st)
				}
			}
			if long < 3 {
				t.Errorf("%d runs with 10,000+ steps; want >= 3", long)
			}
			if got := len(ds.Models); got != tt.models {
				t.Errorf("models = %d; want %d", got, tt.models)
			}
			if got := len(ds.Deployments); got != tt.deps {
				t.Errorf("deployments = %d; want %d", got, tt.deps)
			}
			seen := map[studio.DeploymentStatus]bool{}
			for _, d := range ds.Deployments {
				seen[d.Deployment.Status] = true
			}
			for _, st := range studio.DeploymentStatuses {
				if !seen[st] {
					t.Errorf("no deployment in status %s", st)
				}
			}
			if got := len(ds.Traces); got != tt.traces {
				t.Errorf("traces = %d; want %d", got, tt.traces)
			}
		})
	}
}

func TestWellKnownRuns(t *testing.T) {
	for _, seed := range []uint64{1, 42, 1 << 40} {
		ds := dataset(t, seed, 1)
		big, long := ds.Runs[bigLogIndex].Run, ds.Runs[longMetricIndex].Run
		if big.ID != BigLogRun || big.Status != studio.RunSucceeded || big.LogCount != BigLogLines {
			t.Errorf("seed %d: big log run = %s %s with %d lines; want %s succeeded with %d", seed, big.ID, big.Status, big.LogCount, BigLogRun, BigLogLines)
		}
		if long.ID != LongMetricRun || long.Status != studio.RunSucceeded || long.Steps != LongMetricSteps {
			t.Errorf("seed %d: long metric run = %s %s with %d steps; want %s succeeded with %d", seed, long.ID, long.Status, long.Steps, LongMetricRun, LongMetricSteps)
		}
		var bigTrace TracePlan
		for _, tr := range ds.Traces {
			if tr.Summary.ID == New(seed, 1).BigTrace() {
				bigTrace = tr
			}
		}
		if bigTrace.Summary.SpanCount < 10_000 {
			t.Errorf("seed %d: BigTrace has %d spans; want >= 10000", seed, bigTrace.Summary.SpanCount)
		}
		if len(ds.Deployments) < 6 || len(ds.Models) < 6 {
			t.Errorf("seed %d: %d deployments, %d models; want >= 6 each", seed, len(ds.Deployments), len(ds.Models))
		}
	}
}

// digest serialises the parts of a dataset that depend on the seed,
// including sampled per-run data and spans.
func digest(t *testing.T, ds *Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	must := func(v any) {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	must(ds.Experiments)
	must(ds.Models)
	must(ds.Versions)
	for _, p := range ds.Runs {
		must(p.Run)
		must(p.Events(p.Run.Steps, p.Run.Status.Terminal()))
		for _, seq := range []int64{0, 9, p.Run.LogCount / 2, p.Run.LogCount - 1} {
			if seq >= 0 && seq < p.Run.LogCount {
				must(p.LogLine(seq))
			}
		}
	}
	for _, d := range ds.Deployments {
		must(d.Deployment)
		must(d.Events)
	}
	for i, tr := range ds.Traces {
		must(tr.Summary)
		if i < 5 {
			must(tr.Spans())
		}
	}
	return buf.Bytes()
}

func TestDeterminism(t *testing.T) {
	a := digest(t, New(42, 1).Generate())
	b := digest(t, New(42, 1).Generate())
	if !bytes.Equal(a, b) {
		t.Fatalf("two datasets of seed 42 differ (%x vs %x)", sha256.Sum256(a), sha256.Sum256(b))
	}
	c := digest(t, New(43, 1).Generate())
	if bytes.Equal(a, c) {
		t.Fatal("datasets of seeds 42 and 43 are identical")
	}
}

func TestRunIndex(t *testing.T) {
	tests := []struct {
		id   studio.RunID
		want int
		ok   bool
	}{
		{"run-0001", 0, true},
		{"run-0042", 41, true},
		{"run-12345", 12344, true},
		{"run-0000", 0, false},
		{"run-042", 0, false},
		{"run-00042", 0, false},
		{"run-abcd", 0, false},
		{"exp-0001", 0, false},
		{"run-", 0, false},
		{"", 0, false},
		{"run-99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := RunIndex(tt.id)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RunIndex(%q) = %d, %v; want %d, %v", tt.id, got, ok, tt.want, tt.ok)
		}
		if ok && RunID(got) != tt.id {
			t.Errorf("RunID(RunIndex(%q)) = %q", tt.id, RunID(got))
		}
	}
}

func TestExperimentIndex(t *testing.T) {
	tests := []struct {
		id   studio.ExperimentID
		want int
		ok   bool
	}{
		{"exp-01", 0, true}, {"exp-10", 9, true}, {"exp-1", 0, false}, {"exp-00", 0, false}, {"run-01", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ExperimentIndex(tt.id); got != tt.want || ok != tt.ok {
			t.Errorf("ExperimentIndex(%q) = %d, %v; want %d, %v", tt.id, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRunTimes(t *testing.T) {
	ds := dataset(t, 42, 1)
	g := New(42, 1)
	for _, p := range ds.Runs {
		r := p.Run
		if r.Status == studio.RunQueued {
			if r.StartedAt != nil || r.Steps != 0 || r.LogCount != 0 {
				t.Errorf("%s queued with start %v, %d steps, %d lines", r.ID, r.StartedAt, r.Steps, r.LogCount)
			}
			continue
		}
		if r.StartedAt.Before(r.CreatedAt) {
			t.Errorf("%s started %v before created %v", r.ID, r.StartedAt, r.CreatedAt)
		}
		if r.Status.Terminal() {
			if r.EndedAt == nil || r.EndedAt.After(g.Epoch) {
				t.Errorf("%s %s ended at %v; want before epoch", r.ID, r.Status, r.EndedAt)
			}
			if r.Status == studio.RunSucceeded && r.Steps != r.TotalSteps {
				t.Errorf("%s succeeded at step %d of %d", r.ID, r.Steps, r.TotalSteps)
			}
			if (r.Status == studio.RunFailed) != (r.Error != "") {
				t.Errorf("%s %s has error %q", r.ID, r.Status, r.Error)
			}
		} else if r.Steps >= r.TotalSteps || p.StepTime(r.Steps).After(g.Epoch.Add(time.Duration(p.StepMS)*time.Millisecond)) {
			t.Errorf("%s running at step %d of %d, step time %v", r.ID, r.Steps, r.TotalSteps, p.StepTime(r.Steps))
		}
		if r.LogCount != int64(r.Steps)*int64(p.LinesPerStep) {
			t.Errorf("%s has %d lines; want steps*linesPerStep = %d", r.ID, r.LogCount, r.Steps*p.LinesPerStep)
		}
	}
}

func TestLineTimeAndSeqAt(t *testing.T) {
	ds := dataset(t, 42, 1)
	for _, i := range []int{0, bigLogIndex, longMetricIndex, 155} {
		p := &ds.Runs[i]
		count := p.Run.LogCount
		for _, seq := range []int64{0, 1, 2, 79, 80, 81, count / 3, count - 2, count - 1} {
			tm := p.LineTime(seq)
			if seq > 0 && tm.Before(p.LineTime(seq-1)) {
				t.Errorf("%s: LineTime(%d) < LineTime(%d)", p.Run.ID, seq, seq-1)
			}
			// The first line at or after tm is at or before seq (equal times share).
			got := p.SeqAt(tm, count)
			if got > seq || p.LineTime(got).Before(tm) || got > 0 && !p.LineTime(got-1).Before(tm) {
				t.Errorf("%s: SeqAt(LineTime(%d)) = %d", p.Run.ID, seq, got)
			}
			if got := p.SeqAt(tm.Add(time.Nanosecond), count); got <= seq && seq < count-1 && p.LineTime(seq+1).After(tm) {
				t.Errorf("%s: SeqAt(LineTime(%d)+1ns) = %d; want > %d", p.Run.ID, seq, got, seq)
			}
		}
		if got := p.SeqAt(p.StartTime().Add(-time.Hour), count); got != 0 {
			t.Errorf("SeqAt(before start) = %d; want 0", got)
		}
		if got := p.SeqAt(p.StartTime().Add(1000*time.Hour), count); got != count {
			t.Errorf("SeqAt(far future) = %d; want %d", got, count)
		}
		// Centuries away the duration saturates; it must not wrap around.
		if got := p.SeqAt(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), count); got != count {
			t.Errorf("SeqAt(year 9999) = %d; want %d", got, count)
		}
	}
}

func TestLogLineIsRandomAccess(t *testing.T) {
	ds := dataset(t, 42, 1)
	p := &ds.Runs[bigLogIndex]
	last := p.LogLine(BigLogLines - 1)
	again := New(42, 1).Generate().Runs[bigLogIndex].LogLine(BigLogLines - 1)
	if last != again {
		t.Errorf("LogLine(999999) differs between two generators: %+v vs %+v", last, again)
	}
	if last.Seq != BigLogLines-1 || last.Message == "" || !last.Level.Valid() || last.Source == "" {
		t.Errorf("LogLine(999999) = %+v", last)
	}
	if want := p.EndTime().Add(-time.Duration(p.StepMS/int64(p.LinesPerStep)) * time.Millisecond); !last.Time.Equal(want) {
		t.Errorf("LogLine(999999).Time = %v; want %v", last.Time, want)
	}
}

func TestLogLevelMatchesLine(t *testing.T) {
	ds := dataset(t, 42, 1)
	for _, p := range ds.Runs {
		if p.Run.LogCount == 0 {
			continue
		}
		var seqs []int64
		for seq := int64(0); seq < min(p.Run.LogCount, 300); seq++ {
			seqs = append(seqs, seq)
		}
		for _, in := range p.incidents {
			for seq := in.burstFrom; seq < in.burstFrom+in.burstLen && seq < p.Run.LogCount; seq++ {
				seqs = append(seqs, seq)
			}
		}
		for seq := max(p.Run.LogCount-20, 0); seq < p.Run.LogCount; seq++ {
			seqs = append(seqs, seq)
		}
		for _, seq := range seqs {
			l := p.LogLine(seq)
			if got := p.LogLevel(seq); got != l.Level {
				t.Fatalf("%s: LogLevel(%d) = %s; LogLine level %s", p.Run.ID, seq, got, l.Level)
			}
			if l.Message == "" || l.Source == "" {
				t.Fatalf("%s: LogLine(%d) = %+v", p.Run.ID, seq, l)
			}
		}
	}
}

func TestLogVariety(t *testing.T) {
	p := &dataset(t, 42, 1).Runs[bigLogIndex]
	levels, sources := map[studio.LogLevel]int{}, map[string]bool{}
	prefixes := map[string]bool{}
	for seq := int64(0); seq < 20_000; seq++ {
		l := p.LogLine(seq)
		levels[l.Level]++
		sources[l.Source] = true
		if len(l.Message) > 12 {
			prefixes[l.Message[:12]] = true
		}
	}
	for _, lv := range studio.LogLevels {
		if levels[lv] == 0 {
			t.Errorf("no %s line in the first 20000", lv)
		}
	}
	for _, src := range []string{"trainer", "dataloader", "evaluator", "checkpointer", "rank0", "rank7"} {
		if !sources[src] {
			t.Errorf("no line from %s", src)
		}
	}
	if len(prefixes) < 30 {
		t.Errorf("%d distinct message prefixes; want >= 30", len(prefixes))
	}
}

func TestMetricRanges(t *testing.T) {
	ds := dataset(t, 42, 1)
	for _, p := range ds.Runs {
		for _, step := range []int{0, 1, p.Run.Steps / 2, p.Run.Steps - 1} {
			if step < 0 || step >= max(p.Run.Steps, 1) {
				continue
			}
			for m, name := range studio.MetricNames {
				v := p.Metric(m, step)
				ok := v > 0
				switch name {
				case studio.MetricAccuracy, studio.MetricGPUUtil:
					ok = v >= 0 && v <= 100
				case studio.MetricLearningRate:
					ok = v > 0 && v <= p.Run.Config.LearningRate
				}
				if !ok {
					t.Errorf("%s: %s at step %d = %v", p.Run.ID, name, step, v)
				}
				if name == studio.MetricLearningRate {
					if v != math.Round(v*1e12)/1e12 {
						t.Errorf("%s: learning_rate at step %d = %v is not rounded to 1e-12", p.Run.ID, step, v)
					}
				} else if v != round6(v) {
					t.Errorf("%s: %s at step %d = %v is not rounded to 1e-6", p.Run.ID, name, step, v)
				}
			}
		}
		if p.Run.Steps > 1000 {
			if first, last := p.Metric(0, 0), p.Metric(0, p.Run.Steps-1); last >= first {
				t.Errorf("%s: loss does not decrease: %v -> %v", p.Run.ID, first, last)
			}
		}
	}
}

func TestIncidentsAreCorrelated(t *testing.T) {
	ds := dataset(t, 42, 1)
	checked := 0
	for _, p := range ds.Runs {
		if !p.Run.Status.Terminal() {
			continue
		}
		evs := p.Events(p.Run.Steps, true)
		for _, in := range p.incidents {
			if in.step >= p.FinalSteps || in.step < 10 {
				continue
			}
			checked++
			before := 0.0
			for s := in.step - 10; s < in.step; s++ {
				before = max(before, p.Metric(0, s))
			}
			if got := p.Metric(0, in.step); got <= before {
				t.Errorf("%s: no loss spike at incident step %d: %v <= max of the 10 steps before %v", p.Run.ID, in.step, got, before)
			}
			var spike, alert, ckpt *studio.Event
			for i := range evs {
				e := &evs[i]
				switch {
				case e.Lane == studio.LaneLogSpike && e.Step == in.step:
					spike = e
				case e.Lane == studio.LaneAlert && e.Step >= in.step && e.Step <= int((in.burstFrom+in.burstLen)/int64(p.LinesPerStep)):
					alert = e
				case e.Lane == studio.LaneCheckpoint && e.Step == in.step+p.checkpointDelay():
					ckpt = e
				}
			}
			if spike == nil || alert == nil {
				t.Fatalf("%s: incident at step %d has log spike %v, alert %v", p.Run.ID, in.step, spike, alert)
			}
			if d := alert.Time.Sub(spike.Time); d < 0 || d > 10*time.Minute+time.Duration(in.burstLen*p.StepMS/int64(p.LinesPerStep))*time.Millisecond {
				t.Errorf("%s: alert %v after log spike", p.Run.ID, d)
			}
			warnErr := 0
			for seq := in.burstFrom; seq < in.burstFrom+in.burstLen; seq++ {
				if lv := p.LogLevel(seq); lv == studio.LevelWarn || lv == studio.LevelError {
					warnErr++
				}
			}
			if want := fmt.Sprintf("log spike: %d warn/error lines", warnErr); spike.Title[:len(want)] != want {
				t.Errorf("%s: log spike title %q; want prefix %q", p.Run.ID, spike.Title, want)
			}
			if cs := in.step + p.checkpointDelay(); cs < p.FinalSteps && cs%p.ckptEvery != 0 && ckpt == nil {
				t.Errorf("%s: no checkpoint at step %d after incident at %d", p.Run.ID, cs, in.step)
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d incidents; want >= 100", checked)
	}
}

func TestEventsCoverEveryLane(t *testing.T) {
	ds := dataset(t, 42, 1)
	lanes := map[studio.Lane]int{}
	for _, p := range ds.Runs {
		evs := p.Events(p.Run.Steps, p.Run.Status.Terminal())
		for i, e := range evs {
			lanes[e.Lane]++
			if i > 0 && e.Time.Before(evs[i-1].Time) && e.Lane != studio.LaneDeploy {
				t.Errorf("%s: events out of order at %d", p.Run.ID, i)
			}
			if e.Subject != string(p.Run.ID) || e.ID == "" || !e.Lane.Valid() {
				t.Errorf("%s: bad event %+v", p.Run.ID, e)
			}
		}
	}
	for _, l := range studio.Lanes {
		if lanes[l] == 0 {
			t.Errorf("no run event in lane %s", l)
		}
	}
}

func TestRegistry(t *testing.T) {
	ds := dataset(t, 42, 1)
	for i, m := range ds.Models {
		vs := ds.Versions[i]
		if len(vs) < 2 || m.VersionCount != len(vs) || m.LatestVersion != len(vs) {
			t.Errorf("%s: %d versions, count %d, latest %d", m.ID, len(vs), m.VersionCount, m.LatestVersion)
		}
		for j, v := range vs {
			n, ok := RunIndex(v.SourceRun)
			if !ok || ds.Runs[n].Run.Status != studio.RunSucceeded {
				t.Errorf("%s v%d: source run %s is not a succeeded run", m.ID, v.Version, v.SourceRun)
				continue
			}
			if end := ds.Runs[n].Run.EndedAt; !v.CreatedAt.After(*end) {
				t.Errorf("%s v%d created %v before its run ended %v", m.ID, v.Version, v.CreatedAt, end)
			}
			if j > 0 && !v.CreatedAt.After(vs[j-1].CreatedAt) {
				t.Errorf("%s v%d created before v%d", m.ID, v.Version, j)
			}
		}
	}
	for _, dp := range ds.Deployments {
		d := dp.Deployment
		if len(d.History) == 0 && d.Status != studio.DeployHealthy {
			t.Errorf("%s: %s with no history", d.ID, d.Status)
		}
		if len(dp.Events) != len(d.History) {
			t.Errorf("%s: %d events for %d history entries", d.ID, len(dp.Events), len(d.History))
		}
		if len(d.HealthHistory) < 48 {
			t.Errorf("%s: %d health samples; want >= 48", d.ID, len(d.HealthHistory))
		}
		_, open := rollout.OpenIncident(&d)
		if open != (d.Status == studio.DeployDegraded) {
			t.Errorf("%s: %s with open incident %v", d.ID, d.Status, open)
		}
		if d.Status == studio.DeployProgressing || d.Status == studio.DeployPaused {
			if d.StepIndex < 0 || d.CanaryPercent != d.Steps[d.StepIndex] {
				t.Errorf("%s: %s at step %d with %d%%", d.ID, d.Status, d.StepIndex, d.CanaryPercent)
			}
		}
	}
}

func TestTraces(t *testing.T) {
	ds := dataset(t, 42, 1)
	ids := map[studio.TraceID]bool{}
	for i, tr := range ds.Traces {
		if ids[tr.Summary.ID] {
			t.Errorf("duplicate trace id %s", tr.Summary.ID)
		}
		ids[tr.Summary.ID] = true
		if i > 0 && tr.Summary.Start.After(ds.Traces[i-1].Summary.Start) {
			t.Errorf("traces not newest first at %d", i)
		}
		if tr.Summary.SpanCount > 1000 && i%7 != 0 {
			continue // the big trace is checked in TestBigTrace
		}
		checkSpans(t, tr)
	}
}

func checkSpans(t *testing.T, tr TracePlan) {
	t.Helper()
	spans := tr.Spans()
	sum := tr.Summary
	byID := map[string]studio.Span{}
	errs := 0
	services := map[string]bool{}
	for i, s := range spans {
		if i == 0 {
			if s.Parent != "" || s.DurationUS != sum.DurationUS || !s.Start.Equal(sum.Start) || s.Operation != sum.Root {
				t.Errorf("%s: root %+v does not match summary %+v", sum.ID, s, sum)
			}
		} else {
			p, ok := byID[s.Parent]
			if !ok {
				t.Fatalf("%s: span %d's parent %q is not before it", sum.ID, i, s.Parent)
			}
			end, pend := s.Start.Add(time.Duration(s.DurationUS)*time.Microsecond), p.Start.Add(time.Duration(p.DurationUS)*time.Microsecond)
			if s.Start.Before(p.Start) || end.After(pend) || s.DurationUS <= 0 {
				t.Errorf("%s: span %s [%v, %v] outside parent [%v, %v]", sum.ID, s.ID, s.Start, end, p.Start, pend)
			}
		}
		if _, dup := byID[s.ID]; dup {
			t.Errorf("%s: duplicate span id %s", sum.ID, s.ID)
		}
		byID[s.ID] = s
		if s.Status == studio.SpanError {
			errs++
			if s.Attributes["error.message"] == "" {
				t.Errorf("%s: error span %s without error.message", sum.ID, s.ID)
			}
		}
		services[s.Service] = true
		if len(s.Attributes) == 0 {
			t.Errorf("%s: span %s has no attributes", sum.ID, s.ID)
		}
	}
	if len(spans) != sum.SpanCount || errs != sum.ErrorCount || len(services) != len(sum.Services) {
		t.Errorf("%s: %d spans, %d errors, %d services; summary says %d, %d, %d", sum.ID, len(spans), errs, len(services), sum.SpanCount, sum.ErrorCount, len(sum.Services))
	}
}

func TestBigTrace(t *testing.T) {
	ds := dataset(t, 42, 1)
	for _, tr := range ds.Traces {
		if tr.Summary.ID == New(42, 1).BigTrace() {
			checkSpans(t, tr)
			if tr.Summary.ErrorCount == 0 {
				t.Error("big trace has no error span")
			}
			return
		}
	}
	t.Fatal("BigTrace not in the dataset")
}

func TestCreatedRun(t *testing.T) {
	g := New(42, 1)
	at := g.Epoch.Add(90 * time.Second)
	cfg := studio.RunConfig{Model: "llama-3-8b", Dataset: "code-instruct-v4", Optimizer: "adamw", LearningRate: 2e-4,
		BatchSize: 128, Epochs: 3, GPUs: 16}
	p := g.CreatedRun(160, "exp-01", "my-run", []string{"a"}, cfg, at)
	if p.Run.ID != "run-0161" || p.Run.Status != studio.RunQueued || p.Run.TotalSteps != 150 || p.Started() {
		t.Fatalf("CreatedRun = %s %s total %d started %v", p.Run.ID, p.Run.Status, p.Run.TotalSteps, p.Started())
	}
	if p.Run.Config.Precision != "bf16" || p.Run.Hardware.Nodes != 2 {
		t.Errorf("CreatedRun precision %q nodes %d; want bf16, 2", p.Run.Config.Precision, p.Run.Hardware.Nodes)
	}
	p.Start(at.Add(2 * time.Second))
	q := g.CreatedRun(160, "exp-01", "my-run", []string{"a"}, cfg, at)
	q.Start(at.Add(2 * time.Second))
	if p.LogLine(33) != q.LogLine(33) || p.Metric(0, 42) != q.Metric(0, 42) {
		t.Error("CreatedRun is not deterministic")
	}
	if big := g.CreatedRun(160, "exp-01", "x", nil, studio.RunConfig{Epochs: 1000, GPUs: 1, BatchSize: 1, LearningRate: 1}, at); big.Run.TotalSteps != CreatedMaxSteps {
		t.Errorf("TotalSteps at 1000 epochs = %d; want %d", big.Run.TotalSteps, CreatedMaxSteps)
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New(42, 1).Generate()
	}
}

// BenchmarkLogLine shows that reading a line costs the same at any depth.
func BenchmarkLogLine(b *testing.B) {
	p := &dataset(b, 42, 1).Runs[bigLogIndex]
	for _, seq := range []int64{0, 1_000, 500_000, 999_999} {
		b.Run(fmt.Sprintf("seq=%d", seq), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				p.LogLine(seq + int64(i%64) - min(seq, 63))
			}
		})
	}
}

func BenchmarkMetric(b *testing.B) {
	p := &dataset(b, 42, 1).Runs[longMetricIndex]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Metric(i%len(studio.MetricNames), i%LongMetricSteps)
	}
}
