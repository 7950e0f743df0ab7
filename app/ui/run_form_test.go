package ui

import (
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

func validForm() runForm {
	f := defaultRunForm()
	f["experiment_id"] = "exp-01"
	f["name"] = "lr-sweep-3e-4"
	f["tags"] = "sweep, lr  baseline"
	return f
}

func TestRunFormValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   map[string]string
		errors map[string]string // field → message; every other field valid
	}{
		{"valid form", nil, nil},
		{"missing name", map[string]string{"name": ""}, map[string]string{"name": "is required"}},
		{"learning rate too large", map[string]string{"config.learning_rate": "5"}, map[string]string{"config.learning_rate": "must be between 1e-7 and 1"}},
		{"learning rate not a number", map[string]string{"config.learning_rate": "fast"}, map[string]string{"config.learning_rate": "must be a number"}},
		{"batch size not whole", map[string]string{"config.batch_size": "12.5"}, map[string]string{"config.batch_size": "must be a whole number"}},
		{"epochs empty", map[string]string{"config.epochs": " "}, map[string]string{"config.epochs": "is required"}},
		{"gpus out of range", map[string]string{"config.gpus": "513"}, map[string]string{"config.gpus": "must be between 1 and 512"}},
		{"unknown optimizer", map[string]string{"config.optimizer": "adam"}, map[string]string{"config.optimizer": "must be one of adamw, sgd, lion or adafactor"}},
		{"repeated tag", map[string]string{"tags": "a, a"}, map[string]string{"tags": `tag "a" is repeated`}},
		{"no experiment", map[string]string{"experiment_id": ""}, map[string]string{"experiment_id": "is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm()
			for k, v := range tt.edit {
				f[k] = v
			}
			got := f.validate()
			if len(got) != len(tt.errors) {
				t.Errorf("validate() = %v; want %v", got, tt.errors)
			}
			for field, want := range tt.errors {
				if got[field] != want {
					t.Errorf("error of %s = %q; want %q", field, got[field], want)
				}
			}
		})
	}
}

func TestRunFormRequest(t *testing.T) {
	req, errs := validForm().request()
	if len(errs) != 0 {
		t.Fatalf("request() errors = %v", errs)
	}
	want := api.CreateRunRequest{
		ExperimentID: "exp-01", Name: "lr-sweep-3e-4", Tags: []string{"sweep", "lr", "baseline"},
		Config: studio.RunConfig{
			Model: "llama-3-8b", Dataset: "code-instruct-v4", Optimizer: "adamw", LearningRate: 0.0003,
			BatchSize: 256, Epochs: 3, GPUs: 8, WarmupSteps: 500, WeightDecay: 0.01, Seed: 42, Precision: "bf16",
		},
	}
	if got, w := formJSONOf(req), formJSONOf(want); got != w {
		t.Errorf("request() =\n%s\nwant\n%s", got, w)
	}
}

func formJSONOf(r api.CreateRunRequest) string { return formFromRequest(r).formJSON() }

// TestRunFormJSONRoundTrip checks the two-way sync: the JSON view of a
// form parses back into the same form, and JSON edits reach the fields.
func TestRunFormJSONRoundTrip(t *testing.T) {
	f := validForm()
	f["tags"] = "sweep, lr"
	back, err := parseFormJSON(f.formJSON())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range f {
		if back[k] != v {
			t.Errorf("field %s: %q after the round trip; want %q", k, back[k], v)
		}
	}
	edited := strings.Replace(f.formJSON(), `"batch_size": 256`, `"batch_size": 1024`, 1)
	g, err := parseFormJSON(edited)
	if err != nil || g["config.batch_size"] != "1024" {
		t.Errorf("JSON edit: batch_size = %q, %v; want 1024", g["config.batch_size"], err)
	}
	for _, bad := range []string{`{"name": 3}`, `{"nope": 1}`, `not json`, ``} {
		if _, err := parseFormJSON(bad); err == nil {
			t.Errorf("parseFormJSON(%q) accepted invalid JSON", bad)
		}
	}
}

func TestFieldErrorsFrom(t *testing.T) {
	byField, other := fieldErrorsFrom([]studio.FieldError{
		{Field: "name", Message: "a run with this name already exists"},
		{Field: "config.batch_size", Message: "too big for 8 GPUs"},
		{Field: "learning_rate", Message: "bare name"},
		{Field: "budget", Message: "exceeded"},
		{Field: "name", Message: "second message is dropped"},
	})
	want := map[string]string{
		"name":                 "a run with this name already exists",
		"config.batch_size":    "too big for 8 GPUs",
		"config.learning_rate": "bare name",
	}
	if len(byField) != len(want) {
		t.Errorf("byField = %v; want %v", byField, want)
	}
	for k, v := range want {
		if byField[k] != v {
			t.Errorf("byField[%s] = %q; want %q", k, byField[k], v)
		}
	}
	if len(other) != 1 || other[0] != "budget: exceeded" {
		t.Errorf("other = %v; want [budget: exceeded]", other)
	}
}

func TestInputNames(t *testing.T) {
	// End-to-end tests find controls by the JSON field name.
	for _, f := range runFormFields {
		name := inputName(f.name)
		if strings.Contains(name, ".") {
			t.Errorf("input name %q keeps its prefix", name)
		}
		if fieldOf(name) != f.name {
			t.Errorf("fieldOf(%q) = %q; want %q", name, fieldOf(name), f.name)
		}
	}
	if fieldOf("json") != "" {
		t.Error("the JSON view maps to a field")
	}
}

func TestSplitTags(t *testing.T) {
	for in, want := range map[string]string{
		"":                "",
		"a":               "a",
		"a, b,,c  d\te":   "a|b|c|d|e",
		" , ":             "",
		"multi-word,tags": "multi-word|tags",
	} {
		if got := strings.Join(splitTags(in), "|"); got != want {
			t.Errorf("splitTags(%q) = %q; want %q", in, got, want)
		}
	}
}
