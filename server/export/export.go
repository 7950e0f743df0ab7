package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Store is the data the exports read: the methods of *store.Store they
// use. Unknown ids must give a *studio.Error with CodeNotFound.
type Store interface {
	Run(id studio.RunID) (studio.Run, error)
	Metrics(id studio.RunID, q api.MetricQuery) (api.MetricsResponse, error)
	RunEvents(id studio.RunID, q api.EventQuery) (api.EventPage, error)
	Logs(id studio.RunID, q api.LogQuery) (api.LogPage, error)
	Deployment(id studio.DeploymentID) (studio.Deployment, error)
	DeploymentEvents(id studio.DeploymentID, q api.EventQuery) (api.EventPage, error)
}

// Route paths, in gorilla/mux syntax.
const (
	ChartPath            = "/api/runs/{id}/metrics/chart.{format}"
	RunReportPath        = "/api/runs/{id}/report.pdf"
	DeploymentReportPath = "/api/deployments/{id}/report.pdf"
)

// QueueTimeout bounds how long a request waits for a render slot before
// it is answered 503.
const QueueTimeout = 10 * time.Second

// Exporter serves chart and report exports from a Store. Create it with
// New; it is safe for concurrent use.
type Exporter struct {
	st  Store
	log *slog.Logger
	// slots bounds the renders in flight, and so the memory they hold
	// (a 4000x3000 PNG is a 48 MB image before encoding).
	slots chan struct{}
	// queueTimeout is QueueTimeout; tests that queue many renders on
	// purpose raise it.
	queueTimeout time.Duration
}

// New returns an Exporter reading st. log receives internal errors; nil
// discards them.
func New(st Store, log *slog.Logger) *Exporter {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Exporter{
		st:           st,
		log:          log,
		slots:        make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
		queueTimeout: QueueTimeout,
	}
}

// Route is one export route: a mux path template and its GET handler.
type Route struct {
	Path    string
	Handler http.HandlerFunc
}

// Routes returns the export routes, for a server that mounts handlers from
// its own route table. The handlers serve GET (and HEAD); they read the
// path variables "id" and "format" with mux.Vars.
func (e *Exporter) Routes() []Route {
	return []Route{
		{Path: ChartPath, Handler: e.HandleChart},
		{Path: RunReportPath, Handler: e.HandleRunReport},
		{Path: DeploymentReportPath, Handler: e.HandleDeploymentReport},
	}
}

// Register adds the export routes to r and returns their Exporter. Each
// route answers GET and HEAD; OPTIONS gets 204 with Allow, and any other
// method a JSON 405. Register must run before any catch-all route (such as
// a PathPrefix("/api/") not-found handler), because mux tries routes in
// the order they were added.
func Register(r *mux.Router, st Store, log *slog.Logger) *Exporter {
	e := New(st, log)
	for _, rt := range e.Routes() {
		r.Handle(rt.Path, e.methods(rt))
	}
	return e
}

const allowed = "GET, HEAD, OPTIONS"

// methods wraps a GET handler with HEAD, OPTIONS and a JSON 405.
func (e *Exporter) methods(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			rt.Handler(w, r)
		case http.MethodOptions:
			w.Header().Set("Allow", allowed)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", allowed)
			e.writeError(w, r, studio.Errorf(studio.CodeMethodNotAllowed, "method not allowed on %s: use %s", rt.Path, allowed))
		}
	})
}

// file is a rendered export.
type file struct {
	name   string // download file name
	format Format
	body   bytes.Buffer
}

// render runs fn in a render slot, turning a panic inside canvas (its
// stroker and font code panic on some inputs) into an internal error.
func (e *Exporter) render(ctx context.Context, fn func() error) (err error) {
	wait, cancel := context.WithTimeout(ctx, e.queueTimeout)
	defer cancel()
	select {
	case e.slots <- struct{}{}:
	case <-wait.Done():
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return studio.Errorf(studio.CodeUnavailable, "too many exports in progress: retry in a few seconds")
	}
	defer func() { <-e.slots }()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("render panicked: %v", v)
		}
	}()
	return fn()
}

// renderAndSend fills f with draw in a render slot and sends it, or
// writes the error: the end of every export handler.
func (e *Exporter) renderAndSend(w http.ResponseWriter, r *http.Request, f *file, draw func() error) {
	if err := e.render(r.Context(), draw); err != nil {
		e.writeError(w, r, err)
		return
	}
	e.send(w, f)
}

// send writes f with its content type and a download file name.
func (e *Exporter) send(w http.ResponseWriter, f *file) {
	h := w.Header()
	h.Set("Content-Type", f.format.ContentType())
	h.Set("Content-Length", strconv.Itoa(f.body.Len()))
	h.Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(f.body.Bytes()) // a write error means the client left
}

// statusOf maps error codes to HTTP statuses, as the server does.
var statusOf = map[studio.Code]int{
	studio.CodeInvalid:          http.StatusBadRequest,
	studio.CodeNotFound:         http.StatusNotFound,
	studio.CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	studio.CodeConflict:         http.StatusConflict,
	studio.CodeTooLarge:         http.StatusRequestEntityTooLarge,
	studio.CodeUnsupported:      http.StatusUnsupportedMediaType,
	studio.CodeValidation:       http.StatusUnprocessableEntity,
	studio.CodeUnavailable:      http.StatusServiceUnavailable,
	studio.CodeInternal:         http.StatusInternalServerError,
}

// writeError sends err as an api.ErrorResponse with the status of its
// code, in the server's shape. Internal errors are logged in full and the
// client sees only "internal error". A request whose client has gone is
// not answered.
func (e *Exporter) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	code := studio.ErrorCode(err)
	body := api.ErrorResponse{Error: api.ErrorBody{Code: code, Message: studio.ErrorMessage(err), Details: studio.ErrorFields(err)}}
	status, ok := statusOf[code]
	if code == studio.CodeInternal || !ok {
		e.log.Error("export failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = api.ErrorBody{Code: studio.CodeInternal, Message: "internal error"}
		status = http.StatusInternalServerError
	}
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(body) // an ErrorResponse always encodes
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
