package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// errTooLarge is the 413 for bodies over api.MaxBodyBytes.
var errTooLarge = studio.Errorf(studio.CodeTooLarge, "request body exceeds %d bytes", api.MaxBodyBytes)

// checkJSONContentType returns a CodeUnsupported error unless the request
// says its body is application/json, optionally with charset=utf-8.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return studio.Errorf(studio.CodeUnsupported, "missing content type: send Content-Type: application/json")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return studio.Errorf(studio.CodeUnsupported, "unsupported content type %q: send application/json", shortText(ct))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return studio.Errorf(studio.CodeUnsupported, "unsupported charset %q: send utf-8", shortText(cs))
	}
	return nil
}

// readBody reads the whole request body, at most api.MaxBodyBytes. A
// larger body (announced or actual) gives errTooLarge.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > api.MaxBodyBytes {
		return nil, errTooLarge
	}
	body := http.MaxBytesReader(w, r.Body, api.MaxBodyBytes)
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	if _, err := buf.ReadFrom(body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, studio.Errorf(studio.CodeInvalid, "request body ended before its announced length")
		}
		return nil, studio.Errorf(studio.CodeInvalid, "could not read request body")
	}
	return buf.Bytes(), nil
}

// shortText shortens a client-supplied value for an error message.
func shortText(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
