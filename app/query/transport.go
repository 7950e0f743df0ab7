package query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Request is one HTTP request made through a Transport. URL is usually a
// path such as "/api/runs/run-0042"; the browser resolves it against the
// page origin.
type Request struct {
	Method string // "GET" when empty
	URL    string
	// Body is sent as is; ContentType describes it ("" for no body).
	Body        []byte
	ContentType string
}

// Response is the status and body of a completed HTTP exchange.
type Response struct {
	Status int
	Body   []byte
}

// Transport performs HTTP requests. The browser build uses the page's
// fetch (see NewFetchTransport); tests use a fake.
//
// Do returns an error only when no HTTP response arrived (network failure,
// aborted request); any response, whatever its status, is returned as a
// Response with a nil error.
type Transport interface {
	Do(ctx context.Context, req Request) (Response, error)
}

// TransportFunc adapts a function to the Transport interface.
type TransportFunc func(ctx context.Context, req Request) (Response, error)

// Do calls f(ctx, req).
func (f TransportFunc) Do(ctx context.Context, req Request) (Response, error) { return f(ctx, req) }

// NetworkError reports that a request got no HTTP response at all: the
// server is down, the network is offline or the request was aborted.
type NetworkError struct {
	URL string
	Err error
}

func (e *NetworkError) Error() string { return fmt.Sprintf("request %s failed: %v", e.URL, e.Err) }

// Unwrap returns the underlying cause.
func (e *NetworkError) Unwrap() error { return e.Err }

// StatusError is an error response from the API. Err carries the decoded
// api.ErrorBody, so studio.ErrorMessage, studio.ErrorCode and
// studio.ErrorFields work on any error that wraps a StatusError.
type StatusError struct {
	Status int
	Err    *studio.Error
}

func (e *StatusError) Error() string { return fmt.Sprintf("status %d: %v", e.Status, e.Err) }

// Unwrap returns the API error.
func (e *StatusError) Unwrap() error { return e.Err }

// statusError builds a *StatusError from an error response. A body that is
// not an api.ErrorResponse (a proxy's HTML page, say) gives a message made
// of the status code and text.
func statusError(status int, body []byte) *StatusError {
	var er api.ErrorResponse
	if err := json.Unmarshal(body, &er); err == nil && er.Error.Message != "" {
		return &StatusError{Status: status, Err: &studio.Error{
			Code:    er.Error.Code,
			Message: er.Error.Message,
			Fields:  er.Error.Details,
		}}
	}
	code, text := statusInfo(status)
	return &StatusError{Status: status, Err: &studio.Error{Code: code, Message: fmt.Sprintf("%d %s", status, text)}}
}

// statusInfo maps an HTTP status to the studio.Code the API uses for it and
// a lowercase reason phrase. This package avoids net/http to keep the
// browser build small.
func statusInfo(status int) (studio.Code, string) {
	switch status {
	case 400:
		return studio.CodeInvalid, "bad request"
	case 404:
		return studio.CodeNotFound, "not found"
	case 405:
		return studio.CodeMethodNotAllowed, "method not allowed"
	case 409:
		return studio.CodeConflict, "conflict"
	case 413:
		return studio.CodeTooLarge, "request too large"
	case 415:
		return studio.CodeUnsupported, "unsupported media type"
	case 422:
		return studio.CodeValidation, "validation failed"
	case 429:
		return studio.CodeUnavailable, "too many requests"
	case 502:
		return studio.CodeUnavailable, "bad gateway"
	case 503:
		return studio.CodeUnavailable, "service unavailable"
	case 504:
		return studio.CodeUnavailable, "gateway timeout"
	}
	if status >= 500 {
		return studio.CodeInternal, "server error"
	}
	return studio.CodeInvalid, "unexpected response"
}

// IsNotFound reports whether err is an API 404.
func IsNotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == 404
}

// IsNetwork reports whether err is (or wraps) a NetworkError: no response
// arrived.
func IsNetwork(err error) bool {
	var ne *NetworkError
	return errors.As(err, &ne)
}
