package studio

import (
	"errors"
	"fmt"
)

// Code classifies an Error. The server maps each Code to one HTTP status.
type Code string

// Error codes, one per kind of failure a client can act on.
const (
	CodeInvalid          Code = "invalid"            // 400: malformed request, bad query parameter
	CodeNotFound         Code = "not_found"          // 404: unknown id or route
	CodeMethodNotAllowed Code = "method_not_allowed" // 405
	CodeConflict         Code = "conflict"           // 409: invalid state transition
	CodeTooLarge         Code = "too_large"          // 413: body too large
	CodeUnsupported      Code = "unsupported_media"  // 415: wrong content type
	CodeValidation       Code = "validation"         // 422: field-level validation failure
	CodeUnavailable      Code = "unavailable"        // 503: shutting down, overloaded
	CodeInternal         Code = "internal"           // 500: a bug; details are logged, never sent
)

// FieldError is one field-level validation failure, as in
// {"field":"learning_rate","message":"must be between 1e-7 and 1"}.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a failure the user can act on. Message is lowercase, has no
// trailing period and never contains internal details. Fields is set only
// for CodeValidation.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ValidationError returns a CodeValidation *Error listing fields.
func ValidationError(fields []FieldError) *Error {
	return &Error{Code: CodeValidation, Message: "validation failed", Fields: fields}
}

// ErrorCode returns the Code of the first *Error in err's chain, or
// CodeInternal for any other error. ErrorCode(nil) is "".
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-facing message of err: the Message of the
// first *Error in its chain, or "internal error" for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the field errors of the first *Error in err's chain.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
