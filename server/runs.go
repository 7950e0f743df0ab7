package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleRuns serves GET /api/runs: every run, filtered by ?experiment=,
// ?status=, ?q= and sorted and paged as api.ParseRunQuery describes.
func (s *Server) handleRuns(w http.ResponseWriter, r *http.Request) {
	q, err := api.ParseRunQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.Runs(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}

// handleRun serves GET /api/runs/{id}.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "run")
	if !ok {
		return
	}
	run, err := s.store.Run(studio.RunID(id))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, run)
}

// handleCreateRun serves POST /api/runs: a JSON api.CreateRunRequest of at
// most api.MaxBodyBytes. It answers 201 with the queued run and its
// Location, and starts the run's stream producer.
func (s *Server) handleCreateRun(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > api.MaxBodyBytes {
		s.writeError(w, r, errTooLarge)
		return
	}
	if err := checkJSONContentType(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	req, err := api.DecodeCreateRunRequest(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	run, err := s.store.CreateRun(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.hub.ensure(run.ID)
	w.Header().Set("Location", "/api/runs/"+string(run.ID))
	s.writeJSON(w, r, http.StatusCreated, run)
}
