package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleExperiments serves GET /api/experiments?q=&sort=&order=&limit=&offset=
// with sort in api.ExperimentSorts.
func (s *Server) handleExperiments(w http.ResponseWriter, r *http.Request) {
	q, err := api.ParseListQuery(r.URL.Query(), api.ExperimentSorts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.Experiments(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}

// handleExperiment serves GET /api/experiments/{id}.
func (s *Server) handleExperiment(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "experiment")
	if !ok {
		return
	}
	exp, err := s.store.Experiment(studio.ExperimentID(id))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, exp)
}

// handleExperimentRuns serves GET /api/experiments/{id}/runs with the
// filters of GET /api/runs; the experiment comes from the path.
func (s *Server) handleExperimentRuns(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "experiment")
	if !ok {
		return
	}
	q, err := api.ParseRunQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if q.Experiment != "" && q.Experiment != studio.ExperimentID(id) {
		s.writeError(w, r, studio.Errorf(studio.CodeInvalid, "experiment %q conflicts with the path's experiment %q", q.Experiment, id))
		return
	}
	q.Experiment = studio.ExperimentID(id)
	page, err := s.store.Runs(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}
