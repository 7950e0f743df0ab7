package api

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiinfra/studio/shared/studio"
)

// Accepted values and bounds of a CreateRunRequest. The server rejects a
// request outside them with CodeValidation; the new-run form checks the
// same rules as the user types (both call ValidateCreateRun).
var (
	Optimizers = []string{"adamw", "sgd", "lion", "adafactor"}
	Precisions = []string{"bf16", "fp16", "fp32"}
)

// Bounds of CreateRunRequest fields.
const (
	MaxRunNameLen    = 100
	MaxConfigTextLen = 100 // model and dataset names
	MaxTags          = 16
	MaxTagLen        = 40
	MinLearningRate  = 1e-7
	MaxLearningRate  = 1.0
	MaxBatchSize     = 65536
	MaxEpochs        = 1000
	MaxGPUs          = 512
	MaxWarmupSteps   = 1_000_000
)

// ValidateCreateRun checks every field of req and returns one FieldError
// per invalid field, in form order, or nil when req is valid. Field names
// are JSON paths: "name", "tags", "config.learning_rate". It does not
// check that the experiment exists; the store does.
func ValidateCreateRun(req CreateRunRequest) []studio.FieldError {
	var errs []studio.FieldError
	add := func(field, msg string) { errs = append(errs, studio.FieldError{Field: field, Message: msg}) }

	if strings.TrimSpace(string(req.ExperimentID)) == "" {
		add("experiment_id", "is required")
	}
	if msg := runFieldText(req.Name, MaxRunNameLen); msg != "" {
		add("name", msg)
	}
	if msg := runFieldTags(req.Tags); msg != "" {
		add("tags", msg)
	}
	c := req.Config
	if msg := runFieldText(c.Model, MaxConfigTextLen); msg != "" {
		add("config.model", msg)
	}
	if msg := runFieldText(c.Dataset, MaxConfigTextLen); msg != "" {
		add("config.dataset", msg)
	}
	if !runOneOf(c.Optimizer, Optimizers) {
		add("config.optimizer", "must be one of "+runList(Optimizers))
	}
	if lr := c.LearningRate; math.IsNaN(lr) || lr < MinLearningRate || lr > MaxLearningRate {
		add("config.learning_rate", "must be between 1e-7 and 1")
	}
	if c.BatchSize < 1 || c.BatchSize > MaxBatchSize {
		add("config.batch_size", "must be between 1 and "+strconv.Itoa(MaxBatchSize))
	}
	if c.Epochs < 1 || c.Epochs > MaxEpochs {
		add("config.epochs", "must be between 1 and "+strconv.Itoa(MaxEpochs))
	}
	if c.GPUs < 1 || c.GPUs > MaxGPUs {
		add("config.gpus", "must be between 1 and "+strconv.Itoa(MaxGPUs))
	}
	if c.WarmupSteps < 0 || c.WarmupSteps > MaxWarmupSteps {
		add("config.warmup_steps", "must be between 0 and "+strconv.Itoa(MaxWarmupSteps))
	}
	if wd := c.WeightDecay; math.IsNaN(wd) || wd < 0 || wd > 1 {
		add("config.weight_decay", "must be between 0 and 1")
	}
	if c.Seed < 0 {
		add("config.seed", "must not be negative")
	}
	if c.Precision != "" && !runOneOf(c.Precision, Precisions) { // "" means bf16
		add("config.precision", "must be one of "+runList(Precisions))
	}
	return errs
}

// runFieldText returns why s is not an acceptable required short text, or "".
func runFieldText(s string, maxLen int) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "is required"
	case !utf8.ValidString(s):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(s) > maxLen:
		return "must be at most " + strconv.Itoa(maxLen) + " characters"
	case strings.IndexFunc(s, isControl) >= 0:
		return "must not contain control characters"
	case s != strings.TrimSpace(s):
		return "must not start or end with spaces"
	}
	return ""
}

// runFieldTags returns why tags are not acceptable, or "".
func runFieldTags(tags []string) string {
	if len(tags) > MaxTags {
		return "at most " + strconv.Itoa(MaxTags) + " tags"
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case t == "":
			return "tags must not be empty"
		case utf8.RuneCountInString(t) > MaxTagLen:
			return "tag " + strconv.Quote(t) + " is longer than " + strconv.Itoa(MaxTagLen) + " characters"
		case strings.IndexFunc(t, func(r rune) bool { return unicode.IsSpace(r) || isControl(r) || r == ',' }) >= 0:
			return "tag " + strconv.Quote(t) + " must not contain spaces or commas"
		case seen[t]:
			return "tag " + strconv.Quote(t) + " is repeated"
		}
		seen[t] = true
	}
	return ""
}

// isControl reports control characters, including the bidirectional
// controls that can make a name display as something else.
func isControl(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }

func runOneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// runList joins set as "a, b, c or d".
func runList(set []string) string {
	if len(set) < 2 {
		return strings.Join(set, "")
	}
	return strings.Join(set[:len(set)-1], ", ") + " or " + set[len(set)-1]
}
