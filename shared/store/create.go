package store

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Bounds of a run config accepted by CreateRun.
const (
	MaxRunNameLen  = 100
	MaxTags        = 20
	MaxTagLen      = 40
	MaxConfigText  = 100 // model and dataset names
	MaxBatchSize   = 65536
	MaxEpochs      = 1000
	MaxGPUs        = 512
	MaxWarmupSteps = 1_000_000
)

// Optimizers and Precisions list the accepted config values.
var (
	Optimizers = []string{"adamw", "sgd", "lion", "adafactor"}
	Precisions = []string{"bf16", "fp16", "fp32"}
)

// checkText returns the problem with a required free-text value, or "".
func checkText(s string, maxLen int) string {
	switch {
	case !utf8.ValidString(s):
		return "must be valid UTF-8"
	case strings.TrimSpace(s) == "":
		return "must not be empty"
	case utf8.RuneCountInString(s) > maxLen:
		return fmt.Sprintf("must be at most %d characters", maxLen)
	case strings.IndexFunc(s, isControl) >= 0:
		return "must not contain control characters"
	}
	return ""
}

// validateRun returns the field errors of req, in field order. Field names
// are JSON paths in api.CreateRunRequest: "name", "tags",
// "config.learning_rate".
func validateRun(req api.CreateRunRequest, experimentExists bool) []studio.FieldError {
	var fe []studio.FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, studio.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch {
	case req.ExperimentID == "":
		add("experiment_id", "must not be empty")
	case !experimentExists:
		add("experiment_id", "unknown experiment %q", truncate(string(req.ExperimentID), api.MaxIDLength))
	}
	if msg := checkText(req.Name, MaxRunNameLen); msg != "" {
		add("name", "%s", msg)
	}
	if len(req.Tags) > MaxTags {
		add("tags", "at most %d tags, got %d", MaxTags, len(req.Tags))
	} else {
		for i, t := range req.Tags {
			if msg := checkText(t, MaxTagLen); msg != "" {
				add("tags", "tag %d %s", i+1, msg)
				break
			}
		}
	}
	c := req.Config
	if msg := checkText(c.Model, MaxConfigText); msg != "" {
		add("config.model", "%s", msg)
	}
	if msg := checkText(c.Dataset, MaxConfigText); msg != "" {
		add("config.dataset", "%s", msg)
	}
	if !contains1(Optimizers, c.Optimizer) {
		add("config.optimizer", "must be one of adamw, sgd, lion, adafactor")
	}
	if !(c.LearningRate > 0 && c.LearningRate <= 1) || math.IsNaN(c.LearningRate) {
		add("config.learning_rate", "must be greater than 0 and at most 1")
	}
	if c.BatchSize < 1 || c.BatchSize > MaxBatchSize {
		add("config.batch_size", "must be between 1 and %d", MaxBatchSize)
	}
	if c.Epochs < 1 || c.Epochs > MaxEpochs {
		add("config.epochs", "must be between 1 and %d", MaxEpochs)
	}
	if c.GPUs < 1 || c.GPUs > MaxGPUs {
		add("config.gpus", "must be between 1 and %d", MaxGPUs)
	}
	if c.Precision != "" && !contains1(Precisions, c.Precision) {
		add("config.precision", "must be one of bf16, fp16, fp32")
	}
	if c.WarmupSteps < 0 || c.WarmupSteps > MaxWarmupSteps {
		add("config.warmup_steps", "must be between 0 and %d", MaxWarmupSteps)
	}
	if !(c.WeightDecay >= 0 && c.WeightDecay <= 1) {
		add("config.weight_decay", "must be between 0 and 1")
	}
	return fe
}

// isControl reports control characters, including the bidirectional
// controls that can make a name display as something else.
func isControl(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }

func contains1(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// CreateRun validates req and adds a queued run with the next id
// ("run-0161" after "run-0160"). An invalid request is CodeValidation with
// one FieldError per bad field; field names are JSON paths: experiment_id,
// name, tags and config.model, config.dataset, config.optimizer,
// config.learning_rate, config.batch_size, config.epochs, config.gpus,
// config.precision, config.warmup_steps, config.weight_decay. Precision ""
// becomes "bf16"; name, model, dataset and tags are trimmed and duplicate
// tags dropped. The run starts after QueuedTicks ticks and runs
// Epochs*50 steps (at most 2000).
func (s *Store) CreateRun(req api.CreateRunRequest) (studio.Run, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, exists := s.expIndex[req.ExperimentID]
	if fe := validateRun(req, exists); len(fe) > 0 {
		return studio.Run{}, studio.ValidationError(fe)
	}
	cfg := req.Config
	cfg.Model, cfg.Dataset = strings.TrimSpace(cfg.Model), strings.TrimSpace(cfg.Dataset)
	if cfg.Precision == "" {
		cfg.Precision = "bf16"
	}
	tags := []string{}
	for _, t := range req.Tags {
		if t = strings.TrimSpace(t); !contains1(tags, t) {
			tags = append(tags, t)
		}
	}
	plan := s.gen.CreatedRun(len(s.runs), req.ExperimentID, strings.TrimSpace(req.Name), tags, cfg, now)
	st := &runState{plan: plan, status: studio.RunQueued, summary: map[string]float64{}, buf: newRing(s.bufSize)}
	s.runs = append(s.runs, st)
	return st.snapshot(), nil
}
