package studio

import "time"

// Lane is the timeline lane an Event belongs to.
type Lane string

// Timeline lanes, top to bottom.
const (
	LaneDeploy     Lane = "deploy"
	LaneCheckpoint Lane = "checkpoint"
	LaneAlert      Lane = "alert"
	LaneLogSpike   Lane = "log_spike"
	LaneCommit     Lane = "commit"
)

// Lanes lists every Lane in display order.
var Lanes = []Lane{LaneDeploy, LaneCheckpoint, LaneAlert, LaneLogSpike, LaneCommit}

// Valid reports whether l is one of Lanes.
func (l Lane) Valid() bool {
	for _, v := range Lanes {
		if l == v {
			return true
		}
	}
	return false
}

// Severity grades an Event.
type Severity string

// Severities.
const (
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityCritical Severity = "critical"
)

// EventID identifies a timeline event, such as "ev-run-0042-0007".
type EventID string

// Link points from an event to something it concerns.
type Link struct {
	Kind  string `json:"kind"`  // "run", "deployment", "model", "log", "commit", "trace"
	Label string `json:"label"` // text shown to the user
	Href  string `json:"href"`  // app path, e.g. "/runs/run-0042?tab=logs&line=1200"
}

// Event is one marker on the Time Warp Timeline.
type Event struct {
	ID       EventID   `json:"id"`
	Lane     Lane      `json:"lane"`
	Time     time.Time `json:"time"`
	Title    string    `json:"title"`
	Detail   string    `json:"detail,omitempty"`
	Severity Severity  `json:"severity"`
	// Subject says what the event belongs to: a RunID or DeploymentID.
	Subject string `json:"subject"`
	// Step is the training step the event is tied to (runs only, else 0).
	Step  int    `json:"step,omitempty"`
	Links []Link `json:"links,omitempty"`
}
