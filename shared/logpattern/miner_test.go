package logpattern

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMiner(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		messages []string
		wantIDs  []int
		want     []Template
	}{
		{
			name: "numbers are masked before mining",
			messages: []string{
				"step 100/5000 loss=2.4312 lr=3.00e-04 samples/s=1234",
				"step 200/5000 loss=2.1007 lr=3.00e-04 samples/s=1301",
			},
			wantIDs: []int{1, 1},
			want:    []Template{{ID: 1, Pattern: "step <*> loss=<*> lr=<*> samples/s=<*>", Count: 2, Example: "step 100/5000 loss=2.4312 lr=3.00e-04 samples/s=1234"}},
		},
		{
			name:     "differing words merge into a wildcard",
			messages: []string{"connection from alice closed", "connection from bob closed", "connection from carol closed"},
			wantIDs:  []int{1, 1, 1},
			want:     []Template{{ID: 1, Pattern: "connection from <*> closed", Count: 3, Example: "connection from alice closed"}},
		},
		{
			name:     "too different stays apart",
			messages: []string{"job started a b c", "job started x y z"},
			wantIDs:  []int{1, 2},
			want: []Template{
				{ID: 1, Pattern: "job started a b c", Count: 1, Example: "job started a b c"},
				{ID: 2, Pattern: "job started x y z", Count: 1, Example: "job started x y z"},
			},
		},
		{
			name:     "token count separates templates",
			messages: []string{"worker 3 timed out", "worker 3 timed out after retry"},
			wantIDs:  []int{1, 2},
			want: []Template{
				{ID: 1, Pattern: "worker <*> timed out", Count: 1, Example: "worker 3 timed out"},
				{ID: 2, Pattern: "worker <*> timed out after retry", Count: 1, Example: "worker 3 timed out after retry"},
			},
		},
		{
			name:     "a stricter threshold keeps them apart",
			cfg:      Config{Similarity: 0.9},
			messages: []string{"connection from alice closed", "connection from bob closed"},
			wantIDs:  []int{1, 2},
			want: []Template{
				{ID: 1, Pattern: "connection from alice closed", Count: 1, Example: "connection from alice closed"},
				{ID: 2, Pattern: "connection from bob closed", Count: 1, Example: "connection from bob closed"},
			},
		},
		{
			name:     "full nodes share a wildcard branch",
			cfg:      Config{Depth: 1, MaxChildren: 2},
			messages: []string{"alpha ready", "beta ready", "gamma ready", "delta ready"},
			wantIDs:  []int{1, 2, 3, 3},
			want: []Template{
				{ID: 1, Pattern: "alpha ready", Count: 1, Example: "alpha ready"},
				{ID: 2, Pattern: "beta ready", Count: 1, Example: "beta ready"},
				{ID: 3, Pattern: "<*> ready", Count: 2, Example: "gamma ready"},
			},
		},
		{
			name:     "empty messages share a template",
			messages: []string{"", "   "},
			wantIDs:  []int{1, 1},
			want:     []Template{{ID: 1, Pattern: "", Count: 2, Example: ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMiner(tt.cfg)
			var ids []int
			for _, msg := range tt.messages {
				ids = append(ids, m.Add(msg))
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("Add IDs = %v; want %v", ids, tt.wantIDs)
			}
			if got := m.Templates(); !slices.Equal(got, tt.want) {
				t.Errorf("Templates() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestMinerMatch(t *testing.T) {
	m := NewMiner(Config{})
	id := m.Add("connection from alice closed")
	m.Add("connection from bob closed")
	if got, ok := m.Match("connection from carol closed"); !ok || got != id {
		t.Errorf("Match(similar) = %d, %v; want %d, true", got, ok, id)
	}
	if _, ok := m.Match("something else entirely"); ok {
		t.Error("Match(unrelated) ok = true; want false")
	}
	if _, ok := m.Match("connection from alice closed after retry"); ok {
		t.Error("Match(longer) ok = true; want false")
	}
	if m.Len() != 1 {
		t.Errorf("Match changed the miner: %d templates", m.Len())
	}
	if tpl, ok := m.Template(id); !ok || tpl.Count != 2 {
		t.Errorf("Template(%d) = %+v, %v", id, tpl, ok)
	}
	if _, ok := m.Template(99); ok {
		t.Error("Template(99) ok = true; want false")
	}
}

func TestMinerDeterministic(t *testing.T) {
	lines := syntheticLog(rand.New(rand.NewPCG(7, 7)), 5000)
	mine := func() []Template {
		m := NewMiner(Config{})
		for _, l := range lines {
			m.Add(l)
		}
		return m.Templates()
	}
	a, b := mine(), mine()
	if !slices.Equal(a, b) {
		t.Fatal("mining the same lines twice gave different templates")
	}
	// The generator has 14 line shapes: the miner should find each once.
	if len(a) != 14 {
		for _, tpl := range a {
			t.Logf("%5d  %s", tpl.Count, tpl.Pattern)
		}
		t.Errorf("mined %d templates from 14 shapes; want 14", len(a))
	}
}

// syntheticLog returns n varied training-log lines in the style of the
// synthetic runs, from 14 shapes with random values.
func syntheticLog(r *rand.Rand, n int) []string {
	datasets := []string{"code-instruct-v4", "web-en-2024", "math-qa", "dialog-mix"}
	lines := make([]string, n)
	for i := range lines {
		step := i * 10
		rank := r.IntN(64)
		var s string
		switch r.IntN(16) {
		case 0, 1, 2:
			s = fmt.Sprintf("step %d/50000 loss=%.4f lr=%.2e samples/s=%d", step, 2.5-float64(step)/30000, 3e-4*r.Float64(), 900+r.IntN(400))
		case 3:
			s = fmt.Sprintf("rank%d: allreduce bucket %d/48 size=25.0MiB took %d.%02dms", rank, r.IntN(48)+1, r.IntN(40), r.IntN(100))
		case 4:
			s = fmt.Sprintf("cuda mem allocated=%d.%02dGiB reserved=%d.%02dGiB peak=%d.%02dGiB", r.IntN(70), r.IntN(100), r.IntN(80), r.IntN(100), r.IntN(80), r.IntN(100))
		case 5:
			s = fmt.Sprintf("dataloader: prefetch queue depth %d/16, worker %d fetched batch in %dms", r.IntN(17), r.IntN(8), r.IntN(900))
		case 6:
			s = fmt.Sprintf("rank%d: step %d forward %dms backward %dms optimizer %dms", rank, step, r.IntN(300), r.IntN(600), r.IntN(50))
		case 7:
			s = fmt.Sprintf("dataloader: shard %d/64 exhausted, reshuffling (epoch %d)", r.IntN(64)+1, r.IntN(5)+1)
		case 8:
			s = fmt.Sprintf("throughput: %d samples/s, mfu=%d.%d%%, step_time=%d.%03ds", 900+r.IntN(400), 30+r.IntN(20), r.IntN(10), r.IntN(3), r.IntN(1000))
		case 9:
			s = fmt.Sprintf("grad_norm=%.4f clip=1.0 loss_scale=%d", r.Float64()*3, 1<<(14+r.IntN(3)))
		case 10:
			s = fmt.Sprintf("saved checkpoint to s3://ckpt/run-%04d/step-%06d.pt (%d.%02d GiB in %d.%ds)", r.IntN(150), step, r.IntN(20), r.IntN(100), r.IntN(60), r.IntN(10))
		case 11:
			s = fmt.Sprintf("eval @ step %d: val_loss=%.4f accuracy=%.2f%% (%d batches)", step, r.Float64()*3, r.Float64()*100, 50+r.IntN(200))
		case 12:
			s = fmt.Sprintf("dataloader: failed to read s3://datasets/%s/shard-%05d.tar: connection reset by peer", datasets[r.IntN(len(datasets))], r.IntN(99999))
		case 13:
			s = fmt.Sprintf("rank%d: watchdog caught collective operation timeout: WorkNCCL(SeqNum=%d, OpType=ALLREDUCE, Timeout(ms)=1800000)", rank, r.IntN(100000))
		case 14:
			s = fmt.Sprintf("heartbeat missed: rank %d silent for %ds (%d/%d ranks alive)", rank, 30+r.IntN(570), r.IntN(64), 64)
		default:
			s = fmt.Sprintf("node gpu-node-%02d: GPU %d has %d retired pages pending reboot", r.IntN(40)+1, rank%8, r.IntN(12)+1)
		}
		lines[i] = s
	}
	return lines
}

func BenchmarkMiner(b *testing.B) {
	lines := syntheticLog(rand.New(rand.NewPCG(1, 2)), 100_000)
	b.ReportAllocs()
	for b.Loop() {
		m := NewMiner(Config{})
		for _, l := range lines {
			m.Add(l)
		}
	}
	b.ReportMetric(float64(len(lines)), "lines/op")
}
