package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleRunEvents serves GET /api/runs/{id}/events?lane=&from=&to=: the
// run's timeline events sorted by time.
func (s *Server) handleRunEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "run")
	if !ok {
		return
	}
	q, err := api.ParseEventQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.RunEvents(studio.RunID(id), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}

// handleDeploymentEvents serves GET /api/deployments/{id}/events?lane=&from=&to=:
// the deployment's rollout, incident and alert events sorted by time.
func (s *Server) handleDeploymentEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "deployment")
	if !ok {
		return
	}
	q, err := api.ParseEventQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.DeploymentEvents(studio.DeploymentID(id), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}
