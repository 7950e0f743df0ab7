package ui

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// formField describes one input of the new-run form. name is the JSON
// path the server uses in its field errors ("config.learning_rate").
type formField struct {
	name  string
	label string
	hint  string
	kind  string // "text", "number", "select", "experiment"
	step  string // number input step
}

// runFormFields lists the form's inputs in order.
var runFormFields = []formField{
	{name: "experiment_id", label: "Experiment", kind: "experiment"},
	{name: "name", label: "Run name", hint: "Shown in tables and charts.", kind: "text"},
	{name: "tags", label: "Tags", hint: "Separated by commas or spaces.", kind: "text"},
	{name: "config.model", label: "Model", kind: "text"},
	{name: "config.dataset", label: "Dataset", kind: "text"},
	{name: "config.optimizer", label: "Optimizer", kind: "select"},
	{name: "config.learning_rate", label: "Learning rate", hint: "Between 1e-7 and 1.", kind: "number", step: "any"},
	{name: "config.batch_size", label: "Batch size", hint: "1 to 65,536.", kind: "number", step: "1"},
	{name: "config.epochs", label: "Epochs", hint: "1 to 1,000.", kind: "number", step: "1"},
	{name: "config.gpus", label: "GPUs", hint: "1 to 512.", kind: "number", step: "1"},
	{name: "config.warmup_steps", label: "Warmup steps", kind: "number", step: "1"},
	{name: "config.weight_decay", label: "Weight decay", hint: "0 to 1.", kind: "number", step: "any"},
	{name: "config.seed", label: "Seed", kind: "number", step: "1"},
	{name: "config.precision", label: "Precision", kind: "select"},
}

// runForm is the new-run form as typed: one string per field, keyed by
// the field's JSON path.
type runForm map[string]string

// defaultRunForm is a sensible starting config.
func defaultRunForm() runForm {
	return runForm{
		"experiment_id":        "",
		"name":                 "",
		"tags":                 "",
		"config.model":         "llama-3-8b",
		"config.dataset":       "code-instruct-v4",
		"config.optimizer":     "adamw",
		"config.learning_rate": "0.0003",
		"config.batch_size":    "256",
		"config.epochs":        "3",
		"config.gpus":          "8",
		"config.warmup_steps":  "500",
		"config.weight_decay":  "0.01",
		"config.seed":          "42",
		"config.precision":     "bf16",
	}
}

// clone returns a copy of f.
func (f runForm) clone() runForm {
	c := make(runForm, len(f))
	for k, v := range f {
		c[k] = v
	}
	return c
}

// request converts the form into a request. Fields that do not parse are
// left zero and reported in errs (by field name).
func (f runForm) request() (req api.CreateRunRequest, errs map[string]string) {
	errs = map[string]string{}
	intField := func(name string, dst *int) {
		s := strings.TrimSpace(f[name])
		if s == "" {
			errs[name] = "is required"
			return
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			errs[name] = "must be a whole number"
			return
		}
		*dst = v
	}
	floatField := func(name string, dst *float64) {
		s := strings.TrimSpace(f[name])
		if s == "" {
			errs[name] = "is required"
			return
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			errs[name] = "must be a number"
			return
		}
		*dst = v
	}
	req.ExperimentID = studio.ExperimentID(strings.TrimSpace(f["experiment_id"]))
	req.Name = f["name"]
	req.Tags = splitTags(f["tags"])
	c := &req.Config
	c.Model, c.Dataset = f["config.model"], f["config.dataset"]
	c.Optimizer, c.Precision = f["config.optimizer"], f["config.precision"]
	floatField("config.learning_rate", &c.LearningRate)
	intField("config.batch_size", &c.BatchSize)
	intField("config.epochs", &c.Epochs)
	intField("config.gpus", &c.GPUs)
	intField("config.warmup_steps", &c.WarmupSteps)
	floatField("config.weight_decay", &c.WeightDecay)
	if s := strings.TrimSpace(f["config.seed"]); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs["config.seed"] = "must be a whole number"
		} else {
			c.Seed = v
		}
	} else {
		errs["config.seed"] = "is required"
	}
	return req, errs
}

// validate returns the error of every invalid field: parse errors first,
// then the server's own rules (api.ValidateCreateRun), so the form and
// the server agree.
func (f runForm) validate() map[string]string {
	req, errs := f.request()
	for _, fe := range api.ValidateCreateRun(req) {
		if _, ok := errs[fe.Field]; !ok {
			errs[fe.Field] = fe.Message
		}
	}
	return errs
}

// splitTags splits tag text on commas and whitespace.
func splitTags(s string) []string {
	tags := []string{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		tags = append(tags, t)
	}
	return tags
}

// formFromRequest fills a form from a request.
func formFromRequest(req api.CreateRunRequest) runForm {
	c := req.Config
	return runForm{
		"experiment_id":        string(req.ExperimentID),
		"name":                 req.Name,
		"tags":                 strings.Join(req.Tags, ", "),
		"config.model":         c.Model,
		"config.dataset":       c.Dataset,
		"config.optimizer":     c.Optimizer,
		"config.learning_rate": strconv.FormatFloat(c.LearningRate, 'g', -1, 64),
		"config.batch_size":    strconv.Itoa(c.BatchSize),
		"config.epochs":        strconv.Itoa(c.Epochs),
		"config.gpus":          strconv.Itoa(c.GPUs),
		"config.warmup_steps":  strconv.Itoa(c.WarmupSteps),
		"config.weight_decay":  strconv.FormatFloat(c.WeightDecay, 'g', -1, 64),
		"config.seed":          strconv.FormatInt(c.Seed, 10),
		"config.precision":     c.Precision,
	}
}

// formJSON is the JSON view of the form: the request it would send.
func (f runForm) formJSON() string {
	req, _ := f.request()
	b, err := json.MarshalIndent(req, "", "  ")
	if err != nil {
		return "{}"
	}
	return string(b)
}

// parseFormJSON reads the JSON view back into a form, with the server's
// strict decoding rules (unknown fields and wrong types are errors).
func parseFormJSON(s string) (runForm, error) {
	req, err := api.DecodeCreateRunRequest([]byte(s))
	if err != nil {
		return nil, err
	}
	return formFromRequest(req), nil
}

// fieldErrorsFrom maps server field errors onto form fields; errors of
// fields the form does not have are returned apart.
func fieldErrorsFrom(fes []studio.FieldError) (byField map[string]string, other []string) {
	byField = map[string]string{}
	known := map[string]bool{}
	for _, f := range runFormFields {
		known[f.name] = true
	}
	for _, fe := range fes {
		name := fe.Field
		if !known[name] && known["config."+name] {
			name = "config." + name // a server that names config fields bare
		}
		if known[name] {
			if _, dup := byField[name]; !dup {
				byField[name] = fe.Message
			}
			continue
		}
		other = append(other, fe.Field+": "+fe.Message)
	}
	return byField, other
}
