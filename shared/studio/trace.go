package studio

import "time"

// TraceID identifies a distributed trace, such as "tr-00a1f3".
type TraceID string

// SpanStatus is the outcome of a span.
type SpanStatus string

// Span statuses.
const (
	SpanOK    SpanStatus = "ok"
	SpanError SpanStatus = "error"
)

// Span is one timed operation in a trace. Parent is "" for the root.
type Span struct {
	ID         string            `json:"id"`
	Parent     string            `json:"parent"`
	Service    string            `json:"service"`
	Operation  string            `json:"operation"`
	Start      time.Time         `json:"start"`
	DurationUS int64             `json:"duration_us"`
	Status     SpanStatus        `json:"status"`
	Attributes map[string]string `json:"attributes"`
}

// TraceSummary is a trace as listed, without its spans.
type TraceSummary struct {
	ID         TraceID      `json:"id"`
	Root       string       `json:"root"` // root operation, e.g. "POST /v1/complete"
	Service    string       `json:"service"`
	Start      time.Time    `json:"start"`
	DurationUS int64        `json:"duration_us"`
	SpanCount  int          `json:"span_count"`
	ErrorCount int          `json:"error_count"`
	Services   []string     `json:"services"`
	Deployment DeploymentID `json:"deployment,omitempty"`
}

// Trace is a trace with all its spans, parents before children.
type Trace struct {
	TraceSummary
	Spans []Span `json:"spans"`
}
