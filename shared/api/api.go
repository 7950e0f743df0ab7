// Package api is the JSON contract between the server and the browser
// client: request and response bodies, list queries, limits and the
// WebSocket stream messages. It holds no logic beyond parsing and
// validating query values, so both sides agree on what a request means.
package api

import (
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Limits on list and log requests. Requests past a limit are rejected with
// CodeInvalid and a message that names the bound.
const (
	DefaultListLimit = 50
	MaxListLimit     = 10000
	DefaultLogLimit  = 200
	MaxLogLimit      = 2000
	MaxSearchSeqs    = 10000
	MaxMetricPoints  = 20000 // max_points upper bound
	MaxBodyBytes     = 1 << 20
	MaxIDLength      = 128
)

// ErrorBody is the body of every error response:
// {"error":{"code":"not_found","message":"run \"x\" not found"}}.
type ErrorBody struct {
	Code    studio.Code `json:"code"`
	Message string      `json:"message"`
	// Details carries []studio.FieldError for CodeValidation, else nil.
	Details []studio.FieldError `json:"details,omitempty"`
}

// ErrorResponse wraps ErrorBody as the top-level "error" object.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// Page is one page of a list. Total counts every item that matches the
// query, not just those in Items.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Health is the body of GET /api/healthz.
type Health struct {
	Status  string `json:"status"` // "ok"
	Version string `json:"version"`
	Seed    uint64 `json:"seed"`
	Scale   int    `json:"scale"`
}

// CreateRunRequest is the body of POST /api/runs.
type CreateRunRequest struct {
	ExperimentID studio.ExperimentID `json:"experiment_id"`
	Name         string              `json:"name"`
	Tags         []string            `json:"tags"`
	Config       studio.RunConfig    `json:"config"`
}

// MetricsResponse is the body of GET /api/runs/{id}/metrics.
type MetricsResponse struct {
	RunID  studio.RunID    `json:"run_id"`
	Series []studio.Series `json:"series"`
}

// LogPage is the body of GET /api/runs/{id}/logs.
//
// Without filters, Lines are consecutive by Seq. With level or q filters,
// Lines are the matching lines in the scanned range, and ScannedFrom/To
// say which seqs were examined, so a client can continue the scan.
type LogPage struct {
	Lines []studio.LogLine `json:"lines"`
	// Total is the run's line count (LogCount), whatever the filters.
	Total int64 `json:"total"`
	// Next is the cursor that continues after the last line ("" at the end
	// of the log); Prev continues before the first line ("" at the start).
	Next string `json:"next"`
	Prev string `json:"prev"`
	// Filtered is true when level or q was given.
	Filtered    bool  `json:"filtered"`
	ScannedFrom int64 `json:"scanned_from"`
	ScannedTo   int64 `json:"scanned_to"` // exclusive
}

// LogSearch is the body of GET /api/runs/{id}/logs/search: every match of
// q (and level) across the whole log.
type LogSearch struct {
	Query string          `json:"q"`
	Level studio.LogLevel `json:"level,omitempty"`
	// Count is the number of matching lines in the whole log.
	Count int64 `json:"count"`
	// Seqs are the matching seqs at or after FromSeq, ascending, at most
	// the requested limit.
	FromSeq int64   `json:"from_seq"`
	Seqs    []int64 `json:"seqs"`
	// More is true when matches after the last of Seqs exist.
	More bool `json:"more"`
}

// EventPage is the body of GET /api/runs/{id}/events and
// GET /api/deployments/{id}/events, sorted by time.
type EventPage struct {
	Events []studio.Event `json:"events"`
	Total  int            `json:"total"`
	// From and To give the span of the subject (run start to end or now),
	// so a timeline can draw its overview before any event arrives.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Dashboard is the body of GET /api/dashboard.
type Dashboard struct {
	ActiveRuns  int     `json:"active_runs"`
	QueuedRuns  int     `json:"queued_runs"`
	TotalRuns   int     `json:"total_runs"`
	SuccessRate float64 `json:"success_rate"` // succeeded / finished, 0..1
	GPUUtil     float64 `json:"gpu_util"`     // mean over running runs, 0..100
	GPUsInUse   int     `json:"gpus_in_use"`
	// DeploymentsByStatus counts deployments per status (every status present).
	DeploymentsByStatus map[studio.DeploymentStatus]int `json:"deployments_by_status"`
	OpenIncidents       int                             `json:"open_incidents"`
	// Sparklines: the last 24 hourly values, oldest first.
	RunsStartedHourly []float64 `json:"runs_started_hourly"`
	SuccessRateHourly []float64 `json:"success_rate_hourly"`
	GPUUtilHourly     []float64 `json:"gpu_util_hourly"`
	ErrorRateHourly   []float64 `json:"error_rate_hourly"`
	// Attention lists runs that need a look: failed recently, or running
	// with an alert, newest first.
	Attention []AttentionItem `json:"attention"`
	// Activity is the latest timeline events across the platform.
	Activity []studio.Event `json:"activity"`
	Now      time.Time      `json:"now"`
}

// AttentionItem is a run that needs a look and why.
type AttentionItem struct {
	Run    studio.Run `json:"run"`
	Reason string     `json:"reason"`
}
