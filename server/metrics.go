package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleRunMetrics serves GET /api/runs/{id}/metrics?name=&from=&to=&max_points=:
// the named series (all when name is absent) over an inclusive step range,
// optionally decimated to max_points keeping every bucket's min and max.
func (s *Server) handleRunMetrics(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "run")
	if !ok {
		return
	}
	q, err := api.ParseMetricQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.store.Metrics(studio.RunID(id), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeAppended(w, r, http.StatusOK, res, func(b []byte) ([]byte, bool) { return appendMetrics(b, &res) })
}
