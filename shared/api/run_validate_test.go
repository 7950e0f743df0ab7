package api

import (
	"math"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

func validRun() CreateRunRequest {
	return CreateRunRequest{
		ExperimentID: "exp-01",
		Name:         "lr sweep 3e-4",
		Tags:         []string{"sweep", "lr"},
		Config: studio.RunConfig{
			Model: "llama-3-8b", Dataset: "code-instruct-v4", Optimizer: "adamw",
			LearningRate: 3e-4, BatchSize: 256, Epochs: 3, GPUs: 8,
			WarmupSteps: 500, WeightDecay: 0.01, Seed: 7, Precision: "bf16",
		},
	}
}

func TestValidateCreateRun(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*CreateRunRequest)
		want   string // "field: message" of every error, joined with "; "
	}{
		{"valid", func(*CreateRunRequest) {}, ""},
		{"missing experiment and name", func(r *CreateRunRequest) { r.ExperimentID, r.Name = "", "  " }, "experiment_id: is required; name: is required"},
		{"name too long", func(r *CreateRunRequest) { r.Name = strings.Repeat("x", 101) }, "name: must be at most 100 characters"},
		{"name with padding", func(r *CreateRunRequest) { r.Name = " x" }, "name: must not start or end with spaces"},
		{"control character", func(r *CreateRunRequest) { r.Config.Model = "a\nb" }, "config.model: must not contain control characters"},
		{"repeated tag", func(r *CreateRunRequest) { r.Tags = []string{"a", "a"} }, `tags: tag "a" is repeated`},
		{"tag with space", func(r *CreateRunRequest) { r.Tags = []string{"a b"} }, `tags: tag "a b" must not contain spaces or commas`},
		{"too many tags", func(r *CreateRunRequest) { r.Tags = strings.Split("a b c d e f g h i j k l m n o p q", " ") }, "tags: at most 16 tags"},
		{"unknown optimizer", func(r *CreateRunRequest) { r.Config.Optimizer = "adam" }, "config.optimizer: must be one of adamw, sgd, lion or adafactor"},
		{"learning rate zero", func(r *CreateRunRequest) { r.Config.LearningRate = 0 }, "config.learning_rate: must be between 1e-7 and 1"},
		{"learning rate nan", func(r *CreateRunRequest) { r.Config.LearningRate = math.NaN() }, "config.learning_rate: must be between 1e-7 and 1"},
		{"learning rate one is allowed", func(r *CreateRunRequest) { r.Config.LearningRate = 1 }, ""},
		{"bounds", func(r *CreateRunRequest) {
			r.Config.BatchSize, r.Config.Epochs, r.Config.GPUs = 0, 1001, 513
		}, "config.batch_size: must be between 1 and 65536; config.epochs: must be between 1 and 1000; config.gpus: must be between 1 and 512"},
		{"upper bounds are inclusive", func(r *CreateRunRequest) {
			r.Config.BatchSize, r.Config.Epochs, r.Config.GPUs = 65536, 1000, 512
		}, ""},
		{"warmup, decay, seed", func(r *CreateRunRequest) {
			r.Config.WarmupSteps, r.Config.WeightDecay, r.Config.Seed = -1, 1.5, -2
		}, "config.warmup_steps: must be between 0 and 1000000; config.weight_decay: must be between 0 and 1; config.seed: must not be negative"},
		{"empty precision means bf16", func(r *CreateRunRequest) { r.Config.Precision = "" }, ""},
		{"precision", func(r *CreateRunRequest) { r.Config.Precision = "int8" }, "config.precision: must be one of bf16, fp16 or fp32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRun()
			tt.mutate(&r)
			var got []string
			for _, e := range ValidateCreateRun(r) {
				got = append(got, e.Field+": "+e.Message)
			}
			if g := strings.Join(got, "; "); g != tt.want {
				t.Errorf("ValidateCreateRun = %q; want %q", g, tt.want)
			}
		})
	}
}
