// Package server serves AI Infra Studio over HTTP: the JSON API under /api,
// the run streams on /ws/runs/{id} and, when given, the web app at "/".
// It wraps a *store.Store and adds nothing to the data: every handler
// parses, validates, calls the store and responds.
package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/aiinfra/studio/server/export"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
)

// Defaults for Options fields left zero.
const (
	DefaultTickInterval = time.Second
	DefaultMaxConns     = 10000
	DefaultSendQueue    = 256
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// Logger receives request logs and errors; nil discards them.
	Logger *slog.Logger
	// Version is reported by /api/healthz.
	Version string
	// TickInterval is the stream cadence (default 1s). From 100ms up, each
	// run gets its own fixed cadence in [TickInterval/2, 3·TickInterval/2)
	// (500–1500 ms by default); shorter intervals, for tests, are exact.
	TickInterval time.Duration
	// Chaos drops every WebSocket at a random moment 2 to 8 ticks after it
	// opens, with close code 4000 "chaos" (WS_CHAOS_DISCONNECT=1).
	Chaos bool
	// AllowedOrigins lists extra Origin host patterns (path.Match syntax,
	// optionally with a scheme, "https://*.example.com") that may open
	// WebSockets; the request's own host is always allowed.
	AllowedOrigins []string
	// WebHandler serves everything outside /api and /ws (the go-app
	// handler); nil answers those paths with a JSON 404.
	WebHandler http.Handler
	// MaxConns caps concurrent WebSockets (default 10,000); more get 503.
	MaxConns int
	// SendQueue bounds the messages waiting for one WebSocket (default
	// 256); a subscriber that falls further behind is dropped.
	SendQueue int
	// LogCacheBytes bounds the cache of encoded log lines that serves
	// unfiltered log pages (default DefaultLogCacheBytes); a negative
	// value disables it.
	LogCacheBytes int64
}

// Server is the HTTP and WebSocket front of a Store. Create it with New,
// serve Handler, start the streams with Run and stop them with Shutdown.
type Server struct {
	store   *store.Store
	opts    Options
	log     *slog.Logger
	hub     *hub
	handler http.Handler
	router  *mux.Router
	// dashboard caches the JSON of the store's dashboard.
	dashboard dashboardJSON
	// logs caches encoded log lines; nil when disabled.
	logs *logCache
	// metrics caches encoded metrics responses (metrics_cache.go).
	metrics metricsJSON
}

// New returns a Server for st. It starts no goroutine; Run does.
func New(st *store.Store, opts Options) *Server { return newServer(st, st, opts) }

// newServer returns a Server whose streams come from src, normally st.
func newServer(st *store.Store, src runSource, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.TickInterval <= 0 {
		opts.TickInterval = DefaultTickInterval
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.SendQueue <= 0 {
		opts.SendQueue = DefaultSendQueue
	}
	var origins []string
	for _, p := range opts.AllowedOrigins {
		if _, err := path.Match(strings.ToLower(p), ""); err != nil || p == "" {
			opts.Logger.Warn("ignoring invalid allowed origin pattern", "pattern", p)
			continue
		}
		origins = append(origins, p)
	}
	opts.AllowedOrigins = origins
	if opts.LogCacheBytes == 0 {
		opts.LogCacheBytes = DefaultLogCacheBytes
	}
	s := &Server{store: st, opts: opts, log: opts.Logger}
	if opts.LogCacheBytes > 0 {
		s.logs = newLogCache(opts.LogCacheBytes)
	}
	s.hub = newHub(src, hubConfig{
		log:      opts.Logger,
		interval: opts.TickInterval,
		chaos:    opts.Chaos,
		maxConns: opts.MaxConns,
		queue:    opts.SendQueue,
	})
	s.router = s.newRouter()
	s.handler = s.logRequests(s.recoverPanics(SecurityHeaders(s.refuseCrossSiteWrites(s.router))))
	return s
}

// Handler returns the full HTTP handler: the router wrapped in request
// logging, panic recovery, SecurityHeaders and the refusal of cross-site
// writes.
func (s *Server) Handler() http.Handler { return s.handler }

// Run starts a stream producer for every live run, and for runs that
// become live later, then blocks until ctx is done or Shutdown is called.
// When ctx ends first, Run shuts the hub down (closing every WebSocket
// with StatusGoingAway, at most 5 s) before returning.
func (s *Server) Run(ctx context.Context) error {
	err := s.hub.run(ctx)
	if ctx.Err() != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return s.hub.shutdown(sctx)
	}
	return err
}

// Shutdown refuses new WebSockets, closes every open one with
// StatusGoingAway "server shutting down", stops the producers and waits
// for their goroutines. When ctx ends first, it drops the remaining
// connections without a close handshake and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error { return s.hub.shutdown(ctx) }

// Close is Shutdown with a 5 s limit.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

// route is one path of the route table with its handler per method.
type route struct {
	path    string
	methods map[string]http.HandlerFunc
	// noHead keeps HEAD from being served by the GET handler.
	noHead bool
}

// routes is the route table: every API and stream path, relative to the
// root, with its methods.
func (s *Server) routes() []route {
	get := func(h http.HandlerFunc) map[string]http.HandlerFunc {
		return map[string]http.HandlerFunc{http.MethodGet: h}
	}
	post := func(h http.HandlerFunc) map[string]http.HandlerFunc {
		return map[string]http.HandlerFunc{http.MethodPost: h}
	}
	table := []route{
		{path: "/api/healthz", methods: get(s.handleHealth)},
		{path: "/api/dashboard", methods: get(s.handleDashboard)},
		{path: "/api/experiments", methods: get(s.handleExperiments)},
		{path: "/api/experiments/{id}", methods: get(s.handleExperiment)},
		{path: "/api/experiments/{id}/runs", methods: get(s.handleExperimentRuns)},
		{path: "/api/runs", methods: map[string]http.HandlerFunc{http.MethodGet: s.handleRuns, http.MethodPost: s.handleCreateRun}},
		{path: "/api/runs/{id}", methods: get(s.handleRun)},
		{path: "/api/runs/{id}/logs", methods: get(s.handleRunLogs)},
		{path: "/api/runs/{id}/logs/search", methods: get(s.handleRunLogSearch)},
		{path: "/api/runs/{id}/metrics", methods: get(s.handleRunMetrics)},
		{path: "/api/runs/{id}/events", methods: get(s.handleRunEvents)},
		{path: "/api/registry/models", methods: get(s.handleModels)},
		{path: "/api/registry/models/{id}", methods: get(s.handleModel)},
		{path: "/api/registry/models/{id}/versions", methods: get(s.handleModelVersions)},
		{path: "/api/deployments", methods: get(s.handleDeployments)},
		{path: "/api/deployments/{id}", methods: get(s.handleDeployment)},
		{path: "/api/deployments/{id}/events", methods: get(s.handleDeploymentEvents)},
		{path: "/api/deployments/{id}/advance", methods: post(s.handleDeploymentAction(studio.ActionAdvance))},
		{path: "/api/deployments/{id}/rollback", methods: post(s.handleDeploymentAction(studio.ActionRollback))},
		{path: "/api/deployments/{id}/simulate-incident", methods: post(s.handleDeploymentAction(studio.ActionSimulateIncident))},
		{path: "/api/traces", methods: get(s.handleTraces)},
		{path: "/api/traces/{id}", methods: get(s.handleTrace)},
		{path: "/ws/runs/{id}", methods: get(s.handleStream), noHead: true},
	}
	for _, rt := range export.New(s.store, s.log).Routes() {
		table = append(table, route{path: rt.Path, methods: get(rt.Handler)})
	}
	return table
}

// newRouter builds the mux router from the route table. Routes carry no
// method matcher: mux v1.8.1 answers a wrong method inside a subrouter
// with 404 instead of 405 (gorilla/mux#751) and its 405 has no Allow
// header, so each path dispatches on the method itself (methodHandler).
func (s *Server) newRouter() *mux.Router {
	r := mux.NewRouter()
	r.SkipClean(true) // "/api/runs/.." is a bad id (400), not a 301 to elsewhere
	for _, rt := range s.routes() {
		r.Handle(rt.path, s.methodHandler(rt))
	}
	notFound := http.HandlerFunc(s.handleNotFound)
	r.PathPrefix("/api/").Handler(notFound)
	r.Path("/api").Handler(notFound)
	r.PathPrefix("/ws/").Handler(notFound)
	if s.opts.WebHandler != nil {
		r.PathPrefix("/").Handler(s.opts.WebHandler)
	}
	r.NotFoundHandler = notFound
	r.MethodNotAllowedHandler = notFound // unreachable: no route has a method matcher
	return r
}

// methodHandler dispatches a request to the handler for its method. GET
// handlers also serve HEAD (net/http drops the body), OPTIONS answers 204
// with Allow, and any other method gets a JSON 405 with Allow.
func (s *Server) methodHandler(rt route) http.Handler {
	methods := make(map[string]http.HandlerFunc, len(rt.methods)+2)
	for m, h := range rt.methods {
		methods[m] = h
	}
	if h, ok := methods[http.MethodGet]; ok && !rt.noHead {
		methods[http.MethodHead] = h
	}
	allowed := make([]string, 0, len(methods)+1)
	for m := range methods {
		allowed = append(allowed, m)
	}
	allowed = append(allowed, http.MethodOptions)
	slices.Sort(allowed)
	allow := strings.Join(allowed, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := methods[r.Method]; ok {
			// r.URL.Query drops what it cannot parse, which would turn
			// "limit=%zz" or "limit=5;offset=-1" into silent defaults.
			if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
				s.writeError(w, r, studio.Errorf(studio.CodeInvalid, "malformed query string: want name=value pairs joined by & with valid %%-escapes"))
				return
			}
			h(w, r)
			return
		}
		w.Header().Set("Allow", allow)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		s.writeError(w, r, studio.Errorf(studio.CodeMethodNotAllowed, "method %s not allowed on %s: use %s", quoteMethod(r.Method), rt.path, allow))
	})
}

// quoteMethod makes a request method safe to echo in a message.
func quoteMethod(m string) string {
	if len(m) > 16 || strings.ContainsFunc(m, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		return "(unknown)"
	}
	return m
}

// handleNotFound answers unknown /api and /ws paths, and every path when
// there is no web handler, with a JSON 404.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if len(p) > 80 {
		p = p[:80] + "..."
	}
	s.writeError(w, r, studio.Errorf(studio.CodeNotFound, "no route for %s %q", quoteMethod(r.Method), p))
}

// handleHealth serves GET /api/healthz. It answers 503 once Shutdown has
// begun, so a load balancer stops sending traffic.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.hub.closing() {
		s.writeError(w, r, studio.Errorf(studio.CodeUnavailable, "server is shutting down"))
		return
	}
	g := s.store.Generator()
	s.writeJSON(w, r, http.StatusOK, api.Health{Status: "ok", Version: s.opts.Version, Seed: g.Seed, Scale: g.Scale})
}

// pathID returns the {id} of the request's path after checking its shape
// with api.ValidateID. On failure it writes the 400 and returns false.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, kind string) (string, bool) {
	id := mux.Vars(r)["id"]
	if err := api.ValidateID(kind, id); err != nil {
		s.writeError(w, r, err)
		return "", false
	}
	return id, true
}
