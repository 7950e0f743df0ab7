package server

import (
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// handleDashboard serves GET /api/dashboard: the platform overview. The
// store caches the overview and this handler caches its JSON, so a
// request between two changes costs one write.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	d, gen := s.store.DashboardView()
	body, err := s.dashboard.encode(d, gen)
	if err != nil {
		s.log.Error("encode response", "method", r.Method, "path", r.URL.Path, "err", err)
		s.writeError(w, r, studio.Errorf(studio.CodeInternal, "encode dashboard: %v", err))
		return
	}
	writeBody(w, http.StatusOK, body)
}

// dashboardJSON holds the JSON of the latest dashboard generation. The
// zero value is empty and ready to use.
type dashboardJSON struct {
	latest atomic.Pointer[encodedDashboard]
	mu     sync.Mutex // serialises encoding
}

// encodedDashboard is one generation's JSON; body is never modified.
type encodedDashboard struct {
	gen  uint64
	body []byte
}

// encode returns the JSON of d (generation gen), with a trailing newline
// as json.Encoder writes it, encoding it only once per generation.
func (c *dashboardJSON) encode(d *api.Dashboard, gen uint64) ([]byte, error) {
	if e := c.latest.Load(); e != nil && e.gen == gen {
		return e.body, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.latest.Load(); e != nil && e.gen == gen {
		return e.body, nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	e := &encodedDashboard{gen: gen, body: append(b, '\n')}
	if old := c.latest.Load(); old == nil || old.gen < gen {
		c.latest.Store(e)
	}
	return e.body, nil
}
