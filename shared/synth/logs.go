package synth

import (
	"github.com/aiinfra/studio/shared/studio"
)

// Log sources.
var rankNames = [8]string{"rank0", "rank1", "rank2", "rank3", "rank4", "rank5", "rank6", "rank7"}

const (
	srcTrainer      = "trainer"
	srcDataloader   = "dataloader"
	srcEvaluator    = "evaluator"
	srcCheckpointer = "checkpointer"
	srcRank         = "rank" // replaced by rank0..rank7

	startupLines = 8
	burstDensity = 0.7 // share of burst lines that come from the incident
)

// LogLine returns line seq of the run. It costs O(1) whatever seq is: the
// line depends only on the plan and seq. seq must be in [0, LogCount).
func (p *RunPlan) LogLine(seq int64) studio.LogLine {
	msg, lvl, src := p.AppendLogMessage(nil, seq)
	return studio.LogLine{Seq: seq, Time: p.LineTime(seq), Level: lvl, Source: src, Message: string(msg)}
}

// AppendLogMessage appends the message of line seq to dst and returns it
// with the line's level and source. Scans use it with a reused buffer.
func (p *RunPlan) AppendLogMessage(dst []byte, seq int64) ([]byte, studio.LogLevel, string) {
	return p.line(dst, seq, true)
}

// LogLevel returns the level of line seq without formatting its message.
func (p *RunPlan) LogLevel(seq int64) studio.LogLevel {
	_, lvl, _ := p.line(nil, seq, false)
	return lvl
}

// line classifies line seq and, when msg is true, appends its message to
// dst. Every random draw that decides the level and source happens before
// any draw that only shapes the message, so both modes agree.
func (p *RunPlan) line(dst []byte, seq int64, msg bool) ([]byte, studio.LogLevel, string) {
	l := int64(p.LinesPerStep)
	total := int64(p.FinalSteps) * l
	if p.tailLen > 0 && seq >= total-p.tailLen && seq < total {
		return p.tailLine(dst, seq-(total-p.tailLen), msg)
	}
	if seq < startupLines {
		return p.startupLine(dst, seq, msg)
	}
	step, j := int(seq/l), seq%l
	r := newRNG(p.seed, domLog, uint64(p.Index), uint64(seq))
	if j == 0 {
		if msg {
			dst = p.stepLine(dst, step)
		}
		return dst, studio.LevelInfo, srcTrainer
	}
	for i := range p.incidents {
		in := &p.incidents[i]
		if seq >= in.burstFrom && seq < in.burstFrom+in.burstLen && r.chance(burstDensity) {
			t := &incidentTemplates[in.kind][r.intn(len(incidentTemplates[in.kind]))]
			src := t.src
			if src == srcRank {
				src = rankNames[in.rank]
			}
			if msg {
				dst = t.f(dst, p, r, step, in.rank)
			}
			return dst, t.level, src
		}
	}
	if step > 0 && j == 1 && (step%p.ckptEvery == 0 || p.emergencyCheckpoint(step)) {
		if msg {
			dst = p.checkpointLine(dst, step, &r)
		}
		return dst, studio.LevelInfo, srcCheckpointer
	}
	if step > 0 && step%p.evalEvery == 0 && j == min(2, l-1) && !(j == 1 && step%p.ckptEvery == 0) {
		if msg {
			dst = appendf(dst, "eval @ step %d: val_loss=%.4f accuracy=%.2f%% (%d batches)", argI(step), argF(p.Metric(1, step)), argF(p.Metric(2, step)), argI(r.between(50, 400)))
		}
		return dst, studio.LevelInfo, srcEvaluator
	}
	t := &backgroundTemplates[pickWeighted(&r)]
	src := t.src
	rank := 0
	if src == srcRank {
		rank = r.intn(8)
		src = rankNames[rank]
	}
	if msg {
		dst = t.f(dst, p, r, step, rank)
	}
	return dst, t.level, src
}

func (p *RunPlan) emergencyCheckpoint(step int) bool {
	for _, in := range p.incidents {
		if step == in.step+p.checkpointDelay() {
			return true
		}
	}
	return false
}

// checkpointDelay is the number of steps between an incident and the
// checkpoint that follows it (about two minutes).
func (p *RunPlan) checkpointDelay() int { return max(1, int(120_000/p.StepMS)) }

func (p *RunPlan) stepLine(dst []byte, step int) []byte {
	loss, lr, thr := p.Metric(0, step), p.Metric(3, step), p.Metric(6, step)
	fam := &families[p.fam]
	if fam.tokensPerSample > 0 {
		return appendf(dst, "step %d/%d loss=%.4f lr=%.2e tok/s=%d", argI(step), argI(p.Run.TotalSteps), argF(loss), argF(lr), argI(int64(thr)*int64(fam.tokensPerSample)))
	}
	return appendf(dst, "step %d/%d loss=%.4f lr=%.2e samples/s=%d", argI(step), argI(p.Run.TotalSteps), argF(loss), argF(lr), argI(int64(thr)))
}

func (p *RunPlan) checkpointLine(dst []byte, step int, r *rng) []byte {
	gib := p.checkpointGiB()
	return appendf(dst, "saved checkpoint to s3://ckpt/%s/step-%06d.pt (%d.%02d GiB in %d.%ds)", argS(p.Run.ID), argI(step), argI(gib/100), argI(gib%100), argI(r.between(8, 90)), argI(r.intn(10)))
}

// checkpointGiB is the checkpoint size in hundredths of a GiB.
func (p *RunPlan) checkpointGiB() int {
	switch families[p.fam].models[0] {
	case "llama-3-8b", "mistral-7b":
		return 4485 + p.Index%7 // weights + optimizer state, sharded
	case "vit-l-16", "vit-b-16", "e5-large", "deberta-v3-large", "t5-large":
		return 362 + p.Index%11
	}
	return 290 + p.Index%13
}

func (p *RunPlan) startupLine(dst []byte, seq int64, msg bool) ([]byte, studio.LogLevel, string) {
	src := srcTrainer
	switch seq {
	case 3:
		src = srcDataloader
	case 4, 5:
		src = rankNames[seq-4]
	case 7:
		src = srcEvaluator
	}
	if !msg {
		return dst, studio.LevelInfo, src
	}
	c, hw := &p.Run.Config, &p.Run.Hardware
	switch seq {
	case 0:
		dst = appendf(dst, "starting %s (%s) on %dx %s, %d nodes, cluster %s", argS(p.Run.ID), argS(p.Run.Name), argI(hw.GPUCount), argS(hw.GPUType), argI(hw.Nodes), argS(hw.Cluster))
	case 1:
		dst = appendf(dst, "config: model=%s dataset=%s optimizer=%s lr=%.1e batch=%d precision=%s warmup=%d", argS(c.Model), argS(c.Dataset), argS(c.Optimizer), argF(c.LearningRate), argI(c.BatchSize), argS(c.Precision), argI(c.WarmupSteps))
	case 2:
		dst = appendf(dst, "git commit %s (%s), seed %d", argS(p.Run.Commit), argS(p.Run.Branch), argI(c.Seed))
	case 3:
		dst = appendf(dst, "dataloader: %d shards, %d workers per rank, dataset %s", argI(64+p.Index%4*32), argI(8), argS(c.Dataset))
	case 4, 5:
		dst = appendf(dst, "rank%d: initialized process group (backend=nccl, world_size=%d)", argI(seq-4), argI(hw.GPUCount))
	case 6:
		dst = appendf(dst, "loaded %s weights from s3://models/%s/base (resume=false)", argS(c.Model), argS(c.Model))
	case 7:
		dst = appendf(dst, "evaluator: eval every %d steps on %s-val", argI(p.evalEvery), argS(c.Dataset))
	}
	return dst, studio.LevelInfo, src
}

func (p *RunPlan) tailLine(dst []byte, t int64, msg bool) ([]byte, studio.LogLevel, string) {
	if p.FinalStatus == studio.RunCancelled {
		if msg {
			dst = appendf(dst, "received SIGTERM: run cancelled by %s, saving state and exiting", argS(p.Run.Owner))
		}
		return dst, studio.LevelWarn, srcTrainer
	}
	i := failTailLines - p.tailLen + t // the last tailLen of the failTailLines lines
	r := newRNG(p.seed, domLog, uint64(p.Index), 1<<40|uint64(t))
	rank := r.intn(8)
	src := srcTrainer
	if i == 0 || i == 3 {
		src = rankNames[rank]
	}
	if !msg {
		return dst, studio.LevelError, src
	}
	switch i {
	case 0:
		dst = incidentTemplates[p.failKind][0].f(dst, p, r, p.FinalSteps-1, rank)
	case 1:
		dst = appendf(dst, "traceback: train.py:%d in train_step: loss.backward()", argI(r.between(380, 460)))
	case 2:
		dst = appendf(dst, "traceback: torch/distributed/distributed_c10d.py:%d in all_reduce", argI(r.between(2000, 2600)))
	case 3:
		dst = appendf(dst, "rank%d: exiting with code 1", argI(rank))
	case 4:
		dst = appendf(dst, "torchrun: 1/%d workers failed, tearing down the job", argI(p.Run.Hardware.GPUCount))
	default:
		dst = appendf(dst, "run failed at step %d: %s", argI(p.FinalSteps-1), argS(p.Run.Error))
	}
	return dst, studio.LevelError, src
}

const failTailLines = 6

// logTemplate formats one kind of log line.
type logTemplate struct {
	level  studio.LogLevel
	src    string
	weight int // background templates only
	f      func(dst []byte, p *RunPlan, r rng, step, rank int) []byte
}

var incidentTemplates = [numIncidentKinds][]logTemplate{
	incNCCL: {
		{level: studio.LevelError, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "rank%d: watchdog caught collective operation timeout: WorkNCCL(SeqNum=%d, OpType=ALLREDUCE, Timeout(ms)=1800000)", argI(rank), argI(step*48+r.intn(48)))
		}},
		{level: studio.LevelWarn, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "NCCL WARN rank %d timeout after 1800s on allreduce (bucket %d/48)", argI(rank), argI(r.between(1, 48)))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "heartbeat missed: rank %d silent for %ds (%d/%d ranks alive)", argI(rank), argI(r.between(30, 600)), argI(p.Run.Hardware.GPUCount-1), argI(p.Run.Hardware.GPUCount))
		}},
	},
	incLossSpike: {
		{level: studio.LevelError, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "non-finite loss at step %d (loss=nan), skipping batch %d", argI(step), argI(r.between(1000, 999999)))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			x := r.between(18, 45)
			return appendf(d, "loss spike: loss=%.4f is %d.%dx the rolling mean", argF(p.Metric(0, step)), argI(x/10), argI(x%10))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "grad_norm=%.2f exceeds clip threshold 1.0, clipped", argF(p.Metric(4, step)))
		}},
	},
	incOOM: {
		{level: studio.LevelError, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			a, u := r.between(50, 400), r.between(7200, 7800)
			return appendf(d, "rank%d: CUDA out of memory. Tried to allocate %d.%02d GiB (GPU %d; 79.15 GiB total capacity; %d.%02d GiB already allocated)", argI(rank), argI(a/100), argI(a%100), argI(rank), argI(u/100), argI(u%100))
		}},
		{level: studio.LevelWarn, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "rank%d: retrying step %d with micro-batch %d", argI(rank), argI(step), argI(1<<r.between(0, 3)))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			f := r.between(150, 900)
			return appendf(d, "cuda memory fragmentation on rank %d: reserved-allocated=%d.%02d GiB", argI(rank), argI(f/100), argI(f%100))
		}},
	},
	incDataloader: {
		{level: studio.LevelError, src: srcDataloader, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "dataloader: failed to read s3://datasets/%s/shard-%05d.tar: connection reset by peer", argS(p.Run.Config.Dataset), argI(r.intn(4096)))
		}},
		{level: studio.LevelWarn, src: srcDataloader, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "dataloader: worker %d timed out after %ds, respawning", argI(r.intn(8)), argI(r.between(30, 120)))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "prefetch queue empty, trainer stalled %dms waiting for batch", argI(r.between(800, 9000)))
		}},
	},
	incECC: {
		{level: studio.LevelError, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "rank%d: Xid 48: DBE (double bit ECC error) on GPU %d of gpu-node-%02d", argI(rank), argI(rank), argI(p.Index%40+1))
		}},
		{level: studio.LevelError, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "rank%d: CUDA error: an illegal memory access was encountered (step %d)", argI(rank), argI(step))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "node gpu-node-%02d: GPU %d has %d retired pages pending reboot", argI(p.Index%40+1), argI(rank), argI(r.between(1, 12)))
		}},
	},
	incGradOverflow: {
		{level: studio.LevelError, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "loss scale below minimum (1.0), optimizer step %d skipped", argI(step))
		}},
		{level: studio.LevelWarn, src: srcTrainer, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "grad overflow detected, reducing loss scale to %d", argI(1<<r.between(4, 15)))
		}},
		{level: studio.LevelWarn, src: srcRank, f: func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
			return appendf(d, "rank%d: inf/nan in gradients of layers.%d.mlp.down_proj", argI(rank), argI(r.intn(32)))
		}},
	},
}

var backgroundTemplates = []logTemplate{
	// debug
	{studio.LevelDebug, srcRank, 60, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		n, ms := r.between(1, 48), r.between(80, 900)
		return appendf(d, "rank%d: allreduce bucket %d/48 size=25.0MiB took %d.%02dms", argI(rank), argI(n), argI(ms/100), argI(ms%100))
	}},
	{studio.LevelDebug, srcTrainer, 40, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		a, res := r.between(4000, 6500), r.between(6600, 7400)
		return appendf(d, "cuda mem allocated=%d.%02dGiB reserved=%d.%02dGiB peak=%d.%02dGiB", argI(a/100), argI(a%100), argI(res/100), argI(res%100), argI((res+120)/100), argI((res+120)%100))
	}},
	{studio.LevelDebug, srcDataloader, 40, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "dataloader: prefetch queue depth %d/16, worker %d fetched batch in %dms", argI(r.between(4, 16)), argI(r.intn(8)), argI(r.between(3, 120)))
	}},
	{studio.LevelDebug, srcRank, 50, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		f := int(p.StepMS) * r.between(28, 36) / 100
		return appendf(d, "rank%d: step %d forward %dms backward %dms optimizer %dms", argI(rank), argI(step), argI(f), argI(2*f+r.intn(40)), argI(r.between(8, 60)))
	}},
	// info
	{studio.LevelInfo, srcDataloader, 70, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "dataloader: shard %d/64 exhausted, reshuffling (epoch %d)", argI(r.between(1, 64)), argI(1+step*p.Run.Config.Epochs/max(p.Run.TotalSteps, 1)))
	}},
	{studio.LevelInfo, srcTrainer, 120, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		mfu := r.between(340, 520)
		st := int(p.StepMS) + r.intn(int(p.StepMS)/10+1)
		return appendf(d, "throughput: %d samples/s, mfu=%d.%d%%, step_time=%d.%03ds", argI(int64(p.Metric(6, step))), argI(mfu/10), argI(mfu%10), argI(st/1000), argI(st%1000))
	}},
	{studio.LevelInfo, srcTrainer, 90, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "grad_norm=%.4f clip=1.0 loss_scale=%d", argF(p.Metric(4, step)), argI(1<<r.between(14, 17)))
	}},
	{studio.LevelInfo, srcRank, 80, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "rank%d: heartbeat ok, %d/%d ranks alive, last collective %dms ago", argI(rank), argI(p.Run.Hardware.GPUCount), argI(p.Run.Hardware.GPUCount), argI(r.between(1, 900)))
	}},
	{studio.LevelInfo, srcDataloader, 90, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		mib := r.between(2400, 5200)
		return appendf(d, "dataloader: loaded s3://datasets/%s/shard-%05d.tar (%d.%d MiB) in %dms", argS(p.Run.Config.Dataset), argI(r.intn(4096)), argI(mib/10), argI(mib%10), argI(r.between(40, 900)))
	}},
	{studio.LevelInfo, srcEvaluator, 25, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "evaluator: queued eval job ev-%06x for step %d", argI(r.u64()&0xffffff), argI(step-step%p.evalEvery+p.evalEvery))
	}},
	{studio.LevelInfo, srcCheckpointer, 20, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		prev := step - step%p.ckptEvery
		return appendf(d, "checkpointer: upload of step-%06d.pt complete (%d parts, %d MiB/s)", argI(prev), argI(r.between(32, 256)), argI(r.between(300, 1900)))
	}},
	// warn
	{studio.LevelWarn, srcRank, 12, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		s, p99 := int(p.StepMS)*r.between(150, 300)/100, int(p.StepMS)*r.between(105, 120)/100
		return appendf(d, "rank%d: slow step %d.%03ds (p99 %d.%03ds)", argI(rank), argI(s/1000), argI(s%1000), argI(p99/1000), argI(p99%1000))
	}},
	{studio.LevelWarn, srcDataloader, 8, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "dataloader: worker %d slow, %dms to fetch batch", argI(r.intn(8)), argI(r.between(400, 2500)))
	}},
	{studio.LevelWarn, srcCheckpointer, 4, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "checkpointer: s3 upload retried (attempt %d/5): SlowDown: please reduce your request rate", argI(r.between(2, 4)))
	}},
	// error
	{studio.LevelError, srcRank, 2, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "rank%d: transient NCCL error (unhandled system error), retrying allreduce (attempt 1/3)", argI(rank))
	}},
	{studio.LevelError, srcDataloader, 2, func(d []byte, p *RunPlan, r rng, step, rank int) []byte {
		return appendf(d, "dataloader: corrupt sample in shard-%05d.tar at offset %d, skipping", argI(r.intn(4096)), argI(r.intn(1<<30)))
	}},
}

var backgroundWeight = func() int {
	w := 0
	for _, t := range backgroundTemplates {
		w += t.weight
	}
	return w
}()

func pickWeighted(r *rng) int {
	x := r.intn(backgroundWeight)
	for i, t := range backgroundTemplates {
		if x < t.weight {
			return i
		}
		x -= t.weight
	}
	return len(backgroundTemplates) - 1
}
