package server

import (
	"net/http"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleRunMetrics serves GET /api/runs/{id}/metrics?name=&from=&to=&max_points=:
// the named series (all when name is absent) over an inclusive step range,
// optionally decimated to max_points keeping every bucket's min and max.
// A response is encoded once per query and step count of the run
// (metricsJSON): repeating a query of an ended run costs one write.
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
	run := studio.RunID(id)
	key := newMetricsKey(run, q)
	steps, stepsErr := s.store.MetricSteps(run) // an unknown run fails below, after the query's checks
	if stepsErr == nil {
		if body, ok := s.metrics.get(key, steps); ok {
			writeBody(w, http.StatusOK, body)
			return
		}
	}
	res, err := s.store.Metrics(run, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if n := encodedMetricsSize(&res); stepsErr == nil && n <= metricsCacheMaxEntry {
		body, ok := appendMetrics(make([]byte, 0, n), &res)
		if ok {
			// Cache only if the run did not grow while Metrics ran: then
			// res is the response at steps steps.
			if after, err := s.store.MetricSteps(run); err == nil && after == steps {
				s.metrics.put(key, steps, body)
			}
			writeBody(w, http.StatusOK, body)
			return
		}
	}
	s.writeAppended(w, r, http.StatusOK, res, func(b []byte) ([]byte, bool) { return appendMetrics(b, &res) })
}

// encodedMetricsSize estimates the length of m's JSON, a little above it
// for the usual values: 80 bytes a point ({"step":…,"time":"…","value":…}
// takes about 70 with a 6-digit step, a UTC time in milliseconds and a
// value of 12 digits).
func encodedMetricsSize(m *api.MetricsResponse) int {
	n := 64 + len(m.RunID)
	for i := range m.Series {
		n += 96 + len(m.Series[i].Name) + len(m.Series[i].Unit) + 80*len(m.Series[i].Points)
	}
	return n
}
