package server

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// ContentSecurityPolicy returns the Content-Security-Policy for a response
// to r, under which the go-app client works:
//   - scripts only from this origin ('self': /app.js and /wasm_exec.js are
//     files, go-app adds no inline script), plus 'wasm-unsafe-eval' so
//     WebAssembly.instantiateStreaming may compile app.wasm (no 'unsafe-eval');
//   - styles from this origin and inline, because go-app sets the style
//     attribute with setAttribute for Style() calls;
//   - fetch and WebSocket to this origin only (ws:// or wss:// to r.Host is
//     listed because older browsers do not let 'self' cover WebSockets);
//   - images from this origin, data: and blob: URLs (icons, chart exports);
//   - no plugins, no framing, no foreign form targets or base URL.
func ContentSecurityPolicy(r *http.Request) string {
	if !validHost(r.Host) {
		return cspBefore + cspAfter
	}
	scheme := " ws://"
	if r.TLS != nil {
		scheme = " wss://"
	}
	return cspBefore + scheme + r.Host + cspAfter
}

// scriptHashes lists the CSP source of each inline script the web app
// puts in its pages, so they run while any other inline script is refused.
var scriptHashes = func() string {
	sum := sha256.Sum256([]byte(themeBootJS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// The policy around connect-src's host entry.
var (
	cspBefore = "default-src 'self'; " +
		"script-src 'self' 'wasm-unsafe-eval' " + scriptHashes + "; " +
		"style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob:; " +
		"font-src 'self' data:; " +
		"connect-src 'self'"
	cspAfter = "; worker-src 'self'; manifest-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

// validHost reports whether host is a plain host[:port] that is safe to
// copy into a header.
func validHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".-:[]", c) >= 0) {
			return false
		}
	}
	return true
}

// SecurityHeaders sets the browser-facing security headers on every
// response: the ContentSecurityPolicy, X-Content-Type-Options: nosniff,
// Referrer-Policy, X-Frame-Options, Cross-Origin-Opener-Policy and
// Cross-Origin-Resource-Policy. It sets no CORS headers.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = []string{ContentSecurityPolicy(r)}
		// The constant values are shared: net/http never modifies a
		// header's slice in place, and Set or Add replace or copy it.
		for k, v := range staticSecurityHeaders {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

var staticSecurityHeaders = map[string][]string{
	"X-Content-Type-Options":       {"nosniff"},
	"Referrer-Policy":              {"no-referrer"},
	"X-Frame-Options":              {"DENY"},
	"Cross-Origin-Opener-Policy":   {"same-origin"},
	"Cross-Origin-Resource-Policy": {"same-origin"},
}

// refuseCrossSiteWrites answers a JSON 403 to a state-changing request
// (any method but GET, HEAD and OPTIONS) that a browser sent from another
// site, so a page elsewhere cannot act through the user's browser (CSRF):
// one that http.CrossOriginProtection rejects (by Sec-Fetch-Site, or by
// Origin against Host for older browsers) and whose Origin is absent or
// not allowed by Options.AllowedOrigins. Requests without those headers
// (curl, scripts) pass.
func (s *Server) refuseCrossSiteWrites(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cop.Check(r) != nil && (r.Header.Get("Origin") == "" || !s.originAllowed(r)) {
			s.writeError(w, r, studio.Errorf(codeForbidden, "cross-site %s requests are refused: origin %q is not allowed to change this server's state",
				quoteMethod(r.Method), shortText(r.Header.Get("Origin"))))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler panic into a logged stack trace and a JSON
// 500 "internal error" (when no response has started). http.ErrAbortHandler
// is re-raised so net/http aborts the connection as its contract says.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
				return // the response already started; the client sees a truncated body
			}
			s.writeJSON(w, r, http.StatusInternalServerError, api.ErrorResponse{Error: api.ErrorBody{Code: studio.CodeInternal, Message: "internal error"}})
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request with method, path, status,
// duration and response bytes.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", sw.bytes),
			slog.String("remote", r.RemoteAddr))
	})
}

// statusWriter records the status and size of a response. It keeps the
// optional interfaces of the underlying writer reachable: Flush, Hijack
// (WebSockets) and Unwrap (http.ResponseController).
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Flush sends buffered data to the client if the underlying writer can.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets the WebSocket handshake take over the connection.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

// Unwrap returns the underlying writer for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
