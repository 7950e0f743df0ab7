package server

import (
	"bytes"
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleDeployments serves GET /api/deployments?q=&sort=&order=&limit=&offset=
// with sort in api.DeploymentSorts.
func (s *Server) handleDeployments(w http.ResponseWriter, r *http.Request) {
	q, err := api.ParseListQuery(r.URL.Query(), api.DeploymentSorts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.Deployments(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}

// handleDeployment serves GET /api/deployments/{id}.
func (s *Server) handleDeployment(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "deployment")
	if !ok {
		return
	}
	d, err := s.store.Deployment(studio.DeploymentID(id))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, d)
}

// handleDeploymentAction returns the handler of POST
// /api/deployments/{id}/{action}. The action takes no body: an empty body
// or an empty JSON object are accepted, anything else is rejected. It
// answers 200 with the updated deployment, or 409 when the deployment's
// state does not allow the action.
func (s *Server) handleDeploymentAction(action studio.DeploymentAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r, "deployment")
		if !ok {
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := checkJSONContentType(r); err != nil {
				s.writeError(w, r, err)
				return
			}
			if err := api.DecodeStrict(body, &struct{}{}); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		d, err := s.store.Act(studio.DeploymentID(id), action)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.writeJSON(w, r, http.StatusOK, d)
	}
}
