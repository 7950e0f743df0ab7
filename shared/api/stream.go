package api

import (
	"encoding/json"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// Stream message types on /ws/runs/{id}.
const (
	TypeHello         = "hello"
	TypeMetricPoint   = "metric_point"
	TypeLogLine       = "log_line"
	TypeTimelineEvent = "timeline_event"
	TypeStatus        = "status"
)

// Message is one WebSocket message. Seq increases by one per message of a
// run (hello carries the latest seq and is not itself counted).
type Message struct {
	Type string          `json:"type"`
	Seq  int64           `json:"seq"`
	Data json.RawMessage `json:"data"`
}

// Hello is the data of the first message on every connection.
type Hello struct {
	RunID  studio.RunID     `json:"run_id"`
	Status studio.RunStatus `json:"status"`
	// Seq is the run's latest seq when the connection opened.
	Seq int64 `json:"seq"`
	// Since echoes the ?since= the client sent (-1 when absent).
	Since int64 `json:"since"`
	// Resumed is true when every message after Since follows (no gap).
	Resumed bool `json:"resumed"`
	// Gap is true when Since is older than the server's buffer: the client
	// must refetch over REST; live messages after Seq follow.
	Gap bool `json:"gap"`
	// Oldest is the oldest seq still buffered.
	Oldest int64 `json:"oldest"`
	// TickMS is the server's emit cadence.
	TickMS int `json:"tick_ms"`
}

// MetricPoint is the data of a metric_point message.
type MetricPoint struct {
	Metric string `json:"metric"`
	studio.Point
}

// Status is the data of a status message.
type Status struct {
	Status   studio.RunStatus `json:"status"`
	Steps    int              `json:"steps"`
	LogCount int64            `json:"log_count"`
	EndedAt  *time.Time       `json:"ended_at,omitempty"`
}
