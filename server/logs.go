package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
)

// handleRunLogs serves GET /api/runs/{id}/logs: one page of the run's log
// at a cursor, seq, time or tail, optionally filtered by level and q (see
// api.ParseLogQuery). Unfiltered pages come from the log cache when it is
// on, byte for byte what the store's page encodes to.
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
	if s.logs != nil && len(q.Level) == 0 && q.Q == "" {
		win, ok, err := s.store.LogWindow(studio.RunID(id), q)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if ok && s.writeCachedLogs(w, &win) {
			return
		}
	}
	page, err := s.store.Logs(studio.RunID(id), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeAppended(w, r, http.StatusOK, page, func(b []byte) ([]byte, bool) { return appendLogPage(b, &page) })
}

// writeCachedLogs sends the unfiltered page of win assembled from the log
// cache. It writes nothing and returns false when the page has a line the
// cache cannot encode; the general path then answers.
func (s *Server) writeCachedLogs(w http.ResponseWriter, win *store.LogWindow) bool {
	b := jsonBuffers.Get().(*jsonBuffer)
	defer putJSONBuffer(b)
	var ok bool
	if b.raw, ok = s.logs.appendPage(b.raw[:0], win); !ok {
		return false
	}
	writeBody(w, http.StatusOK, b.raw)
	return true
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
