package store

import (
	"fmt"
	"strings"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// validateRun returns the field errors of req, in field order: the rules
// shared with the new-run form (api.ValidateCreateRun) plus the one only the
// store can check, that the experiment exists.
func validateRun(req api.CreateRunRequest, experimentExists bool) []studio.FieldError {
	fe := api.ValidateCreateRun(req)
	if req.ExperimentID != "" && !experimentExists {
		fe = append([]studio.FieldError{{Field: "experiment_id", Message: fmt.Sprintf("unknown experiment %q", truncate(string(req.ExperimentID), api.MaxIDLength))}}, fe...)
	}
	return fe
}

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
	s.changes.Add(1)
	return st.snapshot(), nil
}
