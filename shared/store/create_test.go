package store

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

func validRequest() api.CreateRunRequest {
	return api.CreateRunRequest{
		ExperimentID: "exp-01", Name: "code-sft-my-run", Tags: []string{"demo"},
		Config: studio.RunConfig{Model: "llama-3-8b", Dataset: "code-instruct-v4", Optimizer: "adamw", LearningRate: 2e-4,
			BatchSize: 256, Epochs: 1, GPUs: 16, WarmupSteps: 10, WeightDecay: 0.1},
	}
}

var createTests = []struct {
	name   string
	edit   func(*api.CreateRunRequest)
	fields []string // want these field errors, in order; nil means valid
}{
	{"valid", func(r *api.CreateRunRequest) {}, nil},
	{"boundaries", func(r *api.CreateRunRequest) {
		r.Name = strings.Repeat("é", 100)
		r.Tags = make([]string, api.MaxTags)
		for i := range r.Tags {
			r.Tags[i] = strings.Repeat("t", 39) + string(rune('a'+i))
		}
		r.Config.LearningRate, r.Config.BatchSize, r.Config.Epochs, r.Config.GPUs = 1, 65536, 1000, 512
		r.Config.WeightDecay, r.Config.WarmupSteps, r.Config.Precision = 1, 0, "fp32"
	}, nil},
	{"small boundaries", func(r *api.CreateRunRequest) {
		r.Name = "x"
		r.Tags = nil
		r.Config.LearningRate, r.Config.BatchSize, r.Config.Epochs, r.Config.GPUs, r.Config.WeightDecay = api.MinLearningRate, 1, 1, 1, 0
		r.Config.Optimizer, r.Config.Precision = "lion", "fp16"
	}, nil},
	{"unknown experiment", func(r *api.CreateRunRequest) { r.ExperimentID = "exp-99" }, []string{"experiment_id"}},
	{"missing experiment", func(r *api.CreateRunRequest) { r.ExperimentID = "" }, []string{"experiment_id"}},
	{"empty name", func(r *api.CreateRunRequest) { r.Name = "" }, []string{"name"}},
	{"blank name", func(r *api.CreateRunRequest) { r.Name = "   " }, []string{"name"}},
	{"long name", func(r *api.CreateRunRequest) { r.Name = strings.Repeat("a", 101) }, []string{"name"}},
	{"control character", func(r *api.CreateRunRequest) { r.Name = "bad\x07name" }, []string{"name"}},
	{"bidi override", func(r *api.CreateRunRequest) { r.Name = "evil\u202etxt.exe" }, []string{"name"}},
	{"newline", func(r *api.CreateRunRequest) { r.Name = "two\nlines" }, []string{"name"}},
	{"invalid utf-8", func(r *api.CreateRunRequest) { r.Name = "bad\xffname" }, []string{"name"}},
	{"too many tags", func(r *api.CreateRunRequest) { r.Tags = make([]string, api.MaxTags+1) }, []string{"tags"}},
	{"padded name", func(r *api.CreateRunRequest) { r.Name = " spaced " }, []string{"name"}},
	{"repeated tag", func(r *api.CreateRunRequest) { r.Tags = []string{"a", "a"} }, []string{"tags"}},
	{"long tag", func(r *api.CreateRunRequest) { r.Tags = []string{"ok", strings.Repeat("t", 41)} }, []string{"tags"}},
	{"empty tag", func(r *api.CreateRunRequest) { r.Tags = []string{""} }, []string{"tags"}},
	{"no model", func(r *api.CreateRunRequest) { r.Config.Model = "" }, []string{"config.model"}},
	{"no dataset", func(r *api.CreateRunRequest) { r.Config.Dataset = " " }, []string{"config.dataset"}},
	{"bad optimizer", func(r *api.CreateRunRequest) { r.Config.Optimizer = "adam" }, []string{"config.optimizer"}},
	{"empty optimizer", func(r *api.CreateRunRequest) { r.Config.Optimizer = "" }, []string{"config.optimizer"}},
	{"zero learning rate", func(r *api.CreateRunRequest) { r.Config.LearningRate = 0 }, []string{"config.learning_rate"}},
	{"learning rate above 1", func(r *api.CreateRunRequest) { r.Config.LearningRate = 1.0001 }, []string{"config.learning_rate"}},
	{"NaN learning rate", func(r *api.CreateRunRequest) { r.Config.LearningRate = math.NaN() }, []string{"config.learning_rate"}},
	{"batch 0", func(r *api.CreateRunRequest) { r.Config.BatchSize = 0 }, []string{"config.batch_size"}},
	{"batch too big", func(r *api.CreateRunRequest) { r.Config.BatchSize = 65537 }, []string{"config.batch_size"}},
	{"epochs 0", func(r *api.CreateRunRequest) { r.Config.Epochs = 0 }, []string{"config.epochs"}},
	{"epochs too many", func(r *api.CreateRunRequest) { r.Config.Epochs = 1001 }, []string{"config.epochs"}},
	{"no gpus", func(r *api.CreateRunRequest) { r.Config.GPUs = 0 }, []string{"config.gpus"}},
	{"too many gpus", func(r *api.CreateRunRequest) { r.Config.GPUs = 513 }, []string{"config.gpus"}},
	{"bad precision", func(r *api.CreateRunRequest) { r.Config.Precision = "int8" }, []string{"config.precision"}},
	{"negative warmup", func(r *api.CreateRunRequest) { r.Config.WarmupSteps = -1 }, []string{"config.warmup_steps"}},
	{"negative weight decay", func(r *api.CreateRunRequest) { r.Config.WeightDecay = -0.1 }, []string{"config.weight_decay"}},
	{"weight decay above 1", func(r *api.CreateRunRequest) { r.Config.WeightDecay = 1.5 }, []string{"config.weight_decay"}},
	{"everything wrong", func(r *api.CreateRunRequest) {
		*r = api.CreateRunRequest{Config: studio.RunConfig{WarmupSteps: -5, WeightDecay: 2}}
	},
		[]string{"experiment_id", "name", "config.model", "config.dataset", "config.optimizer", "config.learning_rate", "config.batch_size", "config.epochs", "config.gpus", "config.warmup_steps", "config.weight_decay"}},
}

func TestCreateRun(t *testing.T) {
	s, clk := newTestStore(t)
	for _, tt := range createTests {
		t.Run(tt.name, func(t *testing.T) {
			req := validRequest()
			tt.edit(&req)
			before, _ := s.Runs(api.RunQuery{})
			r, err := s.CreateRun(req)
			after, _ := s.Runs(api.RunQuery{})
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("CreateRun = %v (%v)", err, studio.ErrorFields(err))
				}
				if after.Total != before.Total+1 || r.Status != studio.RunQueued || !r.CreatedAt.Equal(clk.Now()) || r.Owner == "" {
					t.Errorf("created %+v; runs %d -> %d", r, before.Total, after.Total)
				}
				if r.Config.Precision == "" {
					t.Error("precision not defaulted")
				}
				got, err := s.Run(r.ID)
				if err != nil || got.Name != strings.TrimSpace(req.Name) || got.Config.LearningRate != req.Config.LearningRate {
					t.Errorf("Run(%s) = %+v, %v", r.ID, got, err)
				}
				return
			}
			wantCode(t, err, studio.CodeValidation, "validation failed")
			var fields []string
			for _, f := range studio.ErrorFields(err) {
				fields = append(fields, f.Field)
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields %v; want %v", fields, tt.fields)
			}
			if after.Total != before.Total {
				t.Errorf("invalid request created a run")
			}
		})
	}
}

func TestCreateRunDefaults(t *testing.T) {
	s, _ := newTestStore(t)
	req := validRequest()
	req.Name, req.Tags, req.Config.Epochs, req.Config.Precision = "spaced", []string{"a", "b"}, 100, ""
	r, err := s.CreateRun(req)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "spaced" || strings.Join(r.Tags, ",") != "a,b" || r.Config.Precision != "bf16" || r.TotalSteps != 2000 {
		t.Errorf("created name %q tags %v precision %q total %d", r.Name, r.Tags, r.Config.Precision, r.TotalSteps)
	}
	e, _ := s.Experiment("exp-01")
	all, _ := s.Runs(api.RunQuery{Experiment: "exp-01", ListQuery: api.ListQuery{Limit: 1}})
	if all.Items[0].ID != r.ID || e.RunCount != all.Total {
		t.Errorf("newest run of exp-01 is %s; want %s (run count %d, total %d)", all.Items[0].ID, r.ID, e.RunCount, all.Total)
	}
}

func FuzzCreateRun(f *testing.F) {
	for _, tt := range createTests {
		req := validRequest()
		tt.edit(&req)
		b, err := json.Marshal(req)
		if err != nil {
			continue // NaN has no JSON form
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"experiment_id":"exp-01","name":"x","tags":null,"config":{"learning_rate":1e-400}}`))
	s, _ := newTestStore(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var req api.CreateRunRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		before, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
		r, err := s.CreateRun(req) // must never panic
		after, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
		if err != nil {
			if studio.ErrorCode(err) != studio.CodeValidation || len(studio.ErrorFields(err)) == 0 {
				t.Fatalf("CreateRun error %v; want validation with fields", err)
			}
			return
		}
		if got, err := s.Run(r.ID); err != nil || got.Status != studio.RunQueued || after.Total != before.Total+1 {
			t.Fatalf("valid request: Run(%s) = %v, %v; runs %d -> %d", r.ID, got.Status, err, before.Total, after.Total)
		}
		if _, err := s.Tick(r.ID); err != nil {
			t.Fatal(err)
		}
	})
}
