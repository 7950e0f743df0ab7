package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Codes the server uses besides those of package studio. They never leave
// the HTTP layer, so they live here rather than in the domain.
const (
	codeForbidden       studio.Code = "forbidden"        // 403: cross-site WebSocket or write
	codeUpgradeRequired studio.Code = "upgrade_required" // 426: plain GET on a WebSocket route
)

// statusOf maps every error code to its HTTP status. A code missing from
// the map is a bug and is served as 500.
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
	codeForbidden:               http.StatusForbidden,
	codeUpgradeRequired:         http.StatusUpgradeRequired,
}

// statusFor returns the HTTP status of code.
func statusFor(code studio.Code) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// writeError sends err as an api.ErrorResponse with the status of its code.
// Internal errors are logged in full; the client sees only "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := studio.ErrorCode(err)
	body := api.ErrorResponse{Error: api.ErrorBody{Code: code, Message: studio.ErrorMessage(err), Details: studio.ErrorFields(err)}}
	if code == studio.CodeInternal || statusOf[code] == 0 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = api.ErrorBody{Code: studio.CodeInternal, Message: "internal error"}
	}
	s.writeJSON(w, r, statusFor(body.Error.Code), body)
}

// jsonBuffer is a reusable buffer with its encoder, and a byte slice for
// the hand-written encoders.
type jsonBuffer struct {
	buf bytes.Buffer
	enc *json.Encoder
	raw []byte
}

// maxPooledBuffer caps the buffers kept for reuse, so one huge response
// (a 10,000-span trace) does not pin its memory forever.
const maxPooledBuffer = 4 << 20

var jsonBuffers = sync.Pool{New: func() any {
	b := new(jsonBuffer)
	b.enc = json.NewEncoder(&b.buf)
	return b
}}

// internalErrorBody is sent when a response cannot be encoded.
var internalErrorBody = []byte(`{"error":{"code":"internal","message":"internal error"}}` + "\n")

// writeJSON encodes v once into a pooled buffer and sends it with status,
// an exact Content-Length and no caching.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b := jsonBuffers.Get().(*jsonBuffer)
	b.buf.Reset()
	defer putJSONBuffer(b)
	body := internalErrorBody
	if err := b.enc.Encode(v); err != nil {
		s.log.Error("encode response", "method", r.Method, "path", r.URL.Path, "err", err)
		status = http.StatusInternalServerError
	} else {
		body = b.buf.Bytes()
	}
	writeBody(w, status, body)
}

// writeAppended sends v as JSON encoded by appendJSON, one of the
// hand-written encoders of encode.go, falling back to writeJSON when it
// cannot encode v.
func (s *Server) writeAppended(w http.ResponseWriter, r *http.Request, status int, v any, appendJSON func([]byte) ([]byte, bool)) {
	b := jsonBuffers.Get().(*jsonBuffer)
	defer putJSONBuffer(b)
	var ok bool
	if b.raw, ok = appendJSON(b.raw[:0]); !ok {
		s.writeJSON(w, r, status, v)
		return
	}
	writeBody(w, status, b.raw)
}

func putJSONBuffer(b *jsonBuffer) {
	if b.buf.Cap() <= maxPooledBuffer && cap(b.raw) <= maxPooledBuffer {
		jsonBuffers.Put(b)
	}
}

// writeBody sends a JSON body with an exact Content-Length and no caching.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body) // a write error means the client left; nothing to do
}
