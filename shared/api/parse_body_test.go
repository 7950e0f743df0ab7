package api

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

const validRunBody = `{
  "experiment_id": "exp-03",
  "name": "lr-sweep-7",
  "tags": ["sweep", "lr"],
  "config": {"model": "llama-3-8b", "dataset": "code-instruct-v4", "optimizer": "adamw",
    "learning_rate": 0.0003, "batch_size": 64, "epochs": 3, "gpus": 8, "warmup_steps": 100,
    "weight_decay": 0.01, "seed": 7, "precision": "bf16"}
}`

var createRunTests = []struct {
	name    string
	body    string
	wantErr string
}{
	{"valid", validRunBody, ""},
	{"minimal object", `{}`, ""},
	{"null fields", `{"tags": null, "config": null}`, ""},
	{"trailing whitespace", `{"name": "a"}` + "\n\t ", ""},
	{"empty", ``, "request body is empty: want a json object"},
	{"only spaces", "  \n", "request body is empty"},
	{"null body", `null`, "request body must be a json object, got null"},
	{"array body", `[1, 2]`, "request body must be a json object, got array"},
	{"string body", `"run"`, "request body must be a json object, got string"},
	{"truncated", `{"name": "a", "config": {"gpus": 8`, "truncated json: the body ends at offset 34"},
	{"truncated string", `{"name": "a`, "truncated json"},
	{"malformed", `{"name": "a",}`, "malformed json at offset 13: invalid character '}' looking for beginning of object key string"},
	{"single quotes", `{'name': 'a'}`, "malformed json at offset 1: invalid character '\\''"},
	{"trailing data", `{"name": "a"} {"name": "b"}`, "unexpected data after the json object at offset 14"},
	{"trailing garbage", `{"name": "a"}x`, "unexpected data after the json object at offset 13"},
	{"unknown field", `{"name": "a", "owner": "root"}`, `unknown field "owner" at offset 14`},
	{"unknown nested field", `{"config": {"gpus": 1, "sudo": true}}`, `unknown field "config.sudo" at offset 23`},
	{"wrong case field", `{"Name": "a"}`, `unknown field "Name"`},
	{"repeated field", `{"name": "a", "name": "b"}`, `field "name" given twice (offset 14)`},
	{"string for int", `{"config": {"batch_size": "64"}}`, `field "config.batch_size" must be an integer, got string (offset 26)`},
	{"float for int", `{"config": {"gpus": 1.5}}`, `field "config.gpus" must be an integer, got 1.5`},
	{"huge int", `{"config": {"epochs": 99999999999999999999}}`, `field "config.epochs" is out of range: 99999999999999999999`},
	{"huge float", `{"config": {"learning_rate": 1e400}}`, `field "config.learning_rate" is out of range: 1e400`},
	{"number for string", `{"name": 5}`, `field "name" must be a string, got number`},
	{"object for tags", `{"tags": {"a": 1}}`, `field "tags" must be an array, got object (offset 9)`},
	{"number in tags", `{"tags": ["a", 2]}`, `field "tags[1]" must be a string, got number`},
	{"string for config", `{"config": "fast"}`, `field "config" must be an object, got string (offset 11)`},
	{"bool for float", `{"config": {"weight_decay": true}}`, `field "config.weight_decay" must be a number, got boolean (offset 28)`},
	{"nested arrays in tags", `{"tags": [[[["x"]]]]}`, `field "tags[0]" must be a string, got array`},
	{"invalid utf-8 is replaced, not rejected", "{\"name\": \"a\xffb\"}", ""},
}

func TestDecodeCreateRunRequest(t *testing.T) {
	for _, tt := range createRunTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeCreateRunRequest([]byte(tt.body))
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestDecodeCreateRunRequestValues(t *testing.T) {
	got, err := DecodeCreateRunRequest([]byte(validRunBody))
	if err != nil {
		t.Fatal(err)
	}
	want := CreateRunRequest{
		ExperimentID: "exp-03", Name: "lr-sweep-7", Tags: []string{"sweep", "lr"},
		Config: studio.RunConfig{Model: "llama-3-8b", Dataset: "code-instruct-v4", Optimizer: "adamw",
			LearningRate: 0.0003, BatchSize: 64, Epochs: 3, GPUs: 8, WarmupSteps: 100, WeightDecay: 0.01, Seed: 7, Precision: "bf16"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeCreateRunRequest = %+v; want %+v", got, want)
	}
}

func TestDecodeStrictEmbedded(t *testing.T) {
	type inner struct {
		A int `json:"a"`
	}
	type outer struct {
		inner
		B    string `json:"b"`
		Skip int    `json:"-"`
	}
	var v outer
	if err := DecodeStrict([]byte(`{"a": 1, "b": "x"}`), &v); err != nil || v.A != 1 || v.B != "x" {
		t.Fatalf("DecodeStrict = %+v, %v; want {a:1 b:x}, nil", v, err)
	}
	err := DecodeStrict([]byte(`{"Skip": 1}`), &v)
	checkErr(t, err, `unknown field "Skip"`)
}

func TestDecodeErrorMessagesAreLowercase(t *testing.T) {
	for _, tt := range createRunTests {
		if tt.wantErr == "" {
			continue
		}
		_, err := DecodeCreateRunRequest([]byte(tt.body))
		msg := studio.ErrorMessage(err)
		if msg == "" || strings.ToLower(msg[:1]) != msg[:1] || strings.HasSuffix(msg, ".") || strings.Contains(msg, "Go struct") {
			t.Errorf("%s: message %q must be lowercase, without a final period or Go internals", tt.name, msg)
		}
	}
}
