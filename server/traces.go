package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleTraces serves GET /api/traces?q=&sort=&order=&limit=&offset=
// with sort in api.TraceSorts.
func (s *Server) handleTraces(w http.ResponseWriter, r *http.Request) {
	q, err := api.ParseListQuery(r.URL.Query(), api.TraceSorts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.Traces(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, page)
}

// handleTrace serves GET /api/traces/{id}: the trace with every span.
func (s *Server) handleTrace(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "trace")
	if !ok {
		return
	}
	t, err := s.store.Trace(studio.TraceID(id))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, t)
}
