package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleModels serves GET /api/registry/models?q=&sort=&order=&limit=&offset=
// with sort in api.ModelSorts.
func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	q, err := api.ParseListQuery(r.URL.Query(), api.ModelSorts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.Models(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}

// handleModel serves GET /api/registry/models/{id}.
func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "model")
	if !ok {
		return
	}
	m, err := s.store.Model(studio.ModelID(id))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, m)
}

// handleModelVersions serves GET /api/registry/models/{id}/versions.
func (s *Server) handleModelVersions(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "model")
	if !ok {
		return
	}
	page, err := s.store.ModelVersions(studio.ModelID(id))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}
