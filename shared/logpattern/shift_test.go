package logpattern

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Windows before and after an incident: checkpoints and dataloader lines
// stop, NCCL timeouts start, training lines thin out.
var (
	beforeWindow = []string{
		"step 100/5000 loss=2.4312 lr=3.00e-04 samples/s=1234",
		"dataloader: prefetch queue depth 12/16, worker 3 fetched batch in 45ms",
		"rank3: allreduce bucket 12/48 size=25.0MiB took 4.21ms",
		"step 110/5000 loss=2.4101 lr=3.00e-04 samples/s=1240",
		"dataloader: prefetch queue depth 9/16, worker 1 fetched batch in 61ms",
		"saved checkpoint to s3://ckpt/run-0042/step-000120.pt (2.10 GiB in 3.2s)",
		"step 120/5000 loss=2.3990 lr=3.00e-04 samples/s=1228",
		"rank7: allreduce bucket 3/48 size=25.0MiB took 3.98ms",
		"dataloader: prefetch queue depth 16/16, worker 6 fetched batch in 12ms",
		"step 130/5000 loss=2.3871 lr=3.00e-04 samples/s=1236",
	}
	afterWindow = []string{
		"step 140/5000 loss=2.3750 lr=3.00e-04 samples/s=1001",
		"rank5: watchdog caught collective operation timeout: WorkNCCL(SeqNum=812, OpType=ALLREDUCE, Timeout(ms)=1800000)",
		"rank1: allreduce bucket 30/48 size=25.0MiB took 95.12ms",
		"rank2: watchdog caught collective operation timeout: WorkNCCL(SeqNum=813, OpType=ALLREDUCE, Timeout(ms)=1800000)",
		"NCCL WARN rank 3 timeout after 1800s on allreduce (bucket 7/48)",
		"rank5: watchdog caught collective operation timeout: WorkNCCL(SeqNum=814, OpType=ALLREDUCE, Timeout(ms)=1800000)",
		"step 150/5000 loss=2.3701 lr=3.00e-04 samples/s=640",
		"rank9: watchdog caught collective operation timeout: WorkNCCL(SeqNum=815, OpType=ALLREDUCE, Timeout(ms)=1800000)",
		"rank0: allreduce bucket 31/48 size=25.0MiB took 120.40ms",
		"rank4: watchdog caught collective operation timeout: WorkNCCL(SeqNum=816, OpType=ALLREDUCE, Timeout(ms)=1800000)",
	}
)

// logLines turns messages into log lines with consecutive seqs from seq0.
func logLines(seq0 int64, messages []string) []studio.LogLine {
	lines := make([]studio.LogLine, len(messages))
	t := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	for i, m := range messages {
		lines[i] = studio.LogLine{Seq: seq0 + int64(i), Time: t.Add(time.Duration(seq0+int64(i)) * time.Second), Level: studio.LevelInfo, Message: m}
	}
	return lines
}

func TestShiftLines(t *testing.T) {
	got := ShiftLines(logLines(100, beforeWindow), logLines(500, afterWindow), 2)
	want := []PatternShift{
		{Pattern: "<*>: watchdog caught collective operation timeout: WorkNCCL(SeqNum=<*>, OpType=ALLREDUCE, Timeout(ms)=<*>)",
			Kind: Appeared, Before: 0, After: 5, BeforeShare: 0, AfterShare: 0.5, Delta: 0.5,
			Example: afterWindow[1], AfterSeqs: []int64{501, 503}},
		{Pattern: "NCCL WARN rank <*> timeout after <*> on allreduce (bucket <*>)",
			Kind: Appeared, Before: 0, After: 1, AfterShare: 0.1, Delta: 0.1,
			Example: afterWindow[4], AfterSeqs: []int64{504}},
		{Pattern: "dataloader: prefetch queue depth <*>, worker <*> fetched batch in <*>",
			Kind: Vanished, Before: 3, After: 0, BeforeShare: 0.3, Delta: -0.3,
			Example: beforeWindow[1], BeforeSeqs: []int64{101, 104}},
		{Pattern: "saved checkpoint to <*> (<*> GiB in <*>)",
			Kind: Vanished, Before: 1, After: 0, BeforeShare: 0.1, Delta: -0.1,
			Example: beforeWindow[5], BeforeSeqs: []int64{105}},
		{Pattern: "step <*> loss=<*> lr=<*> samples/s=<*>",
			Kind: Changed, Before: 4, After: 2, BeforeShare: 0.4, AfterShare: 0.2, Delta: -0.2,
			Example: afterWindow[0], BeforeSeqs: []int64{100, 103}, AfterSeqs: []int64{500, 506}},
		{Pattern: "<*>: allreduce bucket <*> size=<*> took <*>",
			Kind: Changed, Before: 2, After: 2, BeforeShare: 0.2, AfterShare: 0.2, Delta: 0,
			Example: afterWindow[2], BeforeSeqs: []int64{102, 107}, AfterSeqs: []int64{502, 508}},
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("%+v", g)
		}
		t.Fatalf("ShiftLines returned %d patterns; want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Pattern != w.Pattern || g.Kind != w.Kind || g.Before != w.Before || g.After != w.After ||
			math.Abs(g.BeforeShare-w.BeforeShare) > 1e-12 || math.Abs(g.AfterShare-w.AfterShare) > 1e-12 ||
			math.Abs(g.Delta-w.Delta) > 1e-12 || g.Example != w.Example ||
			!slices.Equal(g.BeforeSeqs, w.BeforeSeqs) || !slices.Equal(g.AfterSeqs, w.AfterSeqs) {
			t.Errorf("shift %d =\n%+v\nwant\n%+v", i, g, w)
		}
	}
	if _, err := json.Marshal(got); err != nil {
		t.Errorf("json.Marshal(shifts) = %v", err)
	}
}

func TestShift(t *testing.T) {
	got := Shift(beforeWindow, afterWindow)
	var kinds []ShiftKind
	for _, s := range got {
		kinds = append(kinds, s.Kind)
		if s.BeforeSeqs != nil || s.AfterSeqs != nil {
			t.Errorf("Shift over strings returned seqs: %+v", s)
		}
	}
	want := []ShiftKind{Appeared, Appeared, Vanished, Vanished, Changed, Changed}
	if !slices.Equal(kinds, want) {
		t.Errorf("kinds = %v; want %v", kinds, want)
	}
	if got := Shift(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("Shift(nil, nil) = %#v; want an empty, non-nil slice", got)
	}
	// One empty window: everything appeared, shares of the empty side are 0.
	only := Shift(nil, afterWindow)
	for _, s := range only {
		if s.Kind != Appeared || s.BeforeShare != 0 {
			t.Errorf("Shift(nil, after) entry = %+v; want appeared with before share 0", s)
		}
	}
}

func TestShiftExamplesOption(t *testing.T) {
	before, after := logLines(0, beforeWindow), logLines(100, afterWindow)
	for _, tt := range []struct {
		examples, wantAfter int
	}{{0, DefaultExamples}, {-1, 0}, {1, 1}} {
		got := ShiftLines(before, after, tt.examples)
		if n := len(got[0].AfterSeqs); n != min(tt.wantAfter, 5) {
			t.Errorf("ShiftLines(examples=%d) kept %d seqs for a 5-line pattern; want %d", tt.examples, n, min(tt.wantAfter, 5))
		}
	}
}

func TestShiftDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	before, after := syntheticLog(r, 3000), syntheticLog(r, 3000)
	a, b := Shift(before, after), Shift(before, after)
	if len(a) != len(b) {
		t.Fatal("two runs differ in length")
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Pattern != b[i].Pattern || a[i].Delta != b[i].Delta {
			t.Fatalf("two runs differ at %d: %+v vs %+v", i, a[i], b[i])
		}
	}
	for i := 1; i < len(a); i++ {
		if a[i-1].Kind == Changed && a[i].Kind == Changed && math.Abs(a[i].Delta) > math.Abs(a[i-1].Delta) {
			t.Fatalf("changed patterns not sorted by |delta| at %d", i)
		}
	}
}

func BenchmarkShiftLines(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 4))
	before := logLines(0, syntheticLog(r, 50_000))
	after := logLines(50_000, syntheticLog(r, 50_000))
	b.ReportAllocs()
	for b.Loop() {
		ShiftLines(before, after, 5)
	}
}
