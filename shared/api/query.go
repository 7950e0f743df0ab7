package api

import "github.com/aiinfra/studio/shared/studio"

// Order is a sort direction: "asc" or "desc".
type Order string

// Sort orders.
const (
	Asc  Order = "asc"
	Desc Order = "desc"
)

// ListQuery is the common part of list requests: ?q=&sort=&order=&limit=&offset=.
type ListQuery struct {
	Q      string // case-insensitive substring filter on the name (and id)
	Sort   string // field name; each list documents which it accepts
	Order  Order
	Limit  int
	Offset int
}

// RunQuery selects runs: GET /api/runs and /api/experiments/{id}/runs.
// Sort accepts name, status, created_at, started_at, duration, steps and
// any metric name (sorting by its summary value).
type RunQuery struct {
	ListQuery
	Experiment studio.ExperimentID
	Status     []studio.RunStatus // any of; empty means all
}

// LogQuery selects log lines: GET /api/runs/{id}/logs.
//
// The position comes from exactly one of Cursor, FromSeq, FromTime or Tail;
// with none the page starts at seq 0. Backward pages end just before the
// position instead of starting at it.
type LogQuery struct {
	Cursor   string // opaque, from LogPage.Next/Prev
	FromSeq  int64  // -1 when absent
	FromTime string // RFC 3339; the first line at or after it
	Tail     int    // last Tail lines; 0 when absent
	Backward bool   // ?dir=backward
	Limit    int
	Level    []studio.LogLevel // any of; empty means all
	Q        string            // case-insensitive substring of the message
}

// LogSearchQuery asks for every match in a run's log:
// GET /api/runs/{id}/logs/search?q=&level=&from_seq=&limit=. Q empty with
// at least one Level counts (and lists) the lines of those levels.
type LogSearchQuery struct {
	Q       string
	Level   []studio.LogLevel
	FromSeq int64
	Limit   int
}

// MetricQuery selects series: GET /api/runs/{id}/metrics?name=&from=&to=&max_points=.
// Names empty means every metric; From/To are inclusive steps (To -1 means
// the end); MaxPoints 0 means no decimation.
type MetricQuery struct {
	Names     []string
	From, To  int
	MaxPoints int
}

// EventQuery selects timeline events: ?lane=&from=&to= (RFC 3339 times).
type EventQuery struct {
	Lanes []studio.Lane
	From  string
	To    string
}
