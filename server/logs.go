package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleRunLogs serves GET /api/runs/{id}/logs: one page of the run's log
// at a cursor, seq, time or tail, optionally filtered by level and q (see
// api.ParseLogQuery).
func (s *Server) handleRunLogs(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "run")
	if !ok {
		return
	}
	q, err := api.ParseLogQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.Logs(studio.RunID(id), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeAppended(w, r, http.StatusOK, page, func(b []byte) ([]byte, bool) { return appendLogPage(b, &page) })
}

// handleRunLogSearch serves GET /api/runs/{id}/logs/search?q=&level=&from_seq=&limit=:
// the match count over the whole log and the matching seqs from from_seq.
func (s *Server) handleRunLogSearch(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "run")
	if !ok {
		return
	}
	q, err := api.ParseLogSearchQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.store.SearchLogs(studio.RunID(id), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, res)
}
