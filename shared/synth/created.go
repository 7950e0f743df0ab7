package synth

import (
	"fmt"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Shape of runs created at runtime: short enough that a test or a demo
// can watch one finish.
const (
	CreatedStepsPerEpoch = 50
	CreatedMaxSteps      = 2000
	CreatedLinesPerStep  = 4
	CreatedStepMS        = 1000
	// CreatedOwner is the owner of runs created through the API.
	CreatedOwner = "studio-user"
)

// ExperimentIndex returns the 0-based index of an id "exp-NN", or false.
func ExperimentIndex(id studio.ExperimentID) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(string(id), "exp-%d", &n); err != nil || n < 1 || ExperimentID(n-1) != id {
		return 0, false
	}
	return n - 1, true
}

// CreatedRun plans run number n (0-based index), created at time at in
// experiment exp with the given name, tags and config (already
// validated). The run is queued: Start it when it begins. Its TotalSteps
// is Epochs*CreatedStepsPerEpoch capped at CreatedMaxSteps, and its data
// is as deterministic as the base runs': a function of (Seed, n, config).
func (g Generator) CreatedRun(n int, exp studio.ExperimentID, name string, tags []string, cfg studio.RunConfig, at time.Time) RunPlan {
	e, _ := ExperimentIndex(exp)
	fi := e % len(families)
	f := &families[fi]
	r := newRNG(g.Seed, domCreated, uint64(n), 0)
	if cfg.Precision == "" {
		cfg.Precision = "bf16"
	}
	total := min(cfg.Epochs*CreatedStepsPerEpoch, CreatedMaxSteps)
	gpuType := f.gpuTypes[0]
	p := RunPlan{
		Index: n, seed: g.Seed, fam: fi, LinesPerStep: CreatedLinesPerStep, StepMS: CreatedStepMS,
		FinalSteps: total, FinalStatus: studio.RunSucceeded,
	}
	p.Run = studio.Run{
		ID: RunID(n), ExperimentID: exp, Name: name, Status: studio.RunQueued, Owner: CreatedOwner,
		Tags: append([]string{}, tags...), Config: cfg,
		Commit: fmt.Sprintf("%012x", r.u64()>>16), Branch: "main",
		Hardware: studio.Hardware{GPUType: gpuType, GPUCount: cfg.GPUs, Nodes: (cfg.GPUs + 7) / 8,
			Cluster: clusters[gpuType][r.intn(len(clusters[gpuType]))]},
		CreatedAt: at.Truncate(time.Millisecond), TotalSteps: total, StepSeconds: CreatedStepMS / 1000.0,
	}
	p.finish()
	return p
}
