package server

import "net/http"

// handleDashboard serves GET /api/dashboard: the platform overview.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, s.store.Dashboard())
}
