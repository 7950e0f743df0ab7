package studio

import "time"

// DeploymentID identifies a deployment, such as "dep-code-assist-prod".
type DeploymentID string

// DeploymentStatus is the state of a progressive rollout.
type DeploymentStatus string

// Deployment statuses.
const (
	DeployHealthy     DeploymentStatus = "healthy"     // no rollout in progress, all traffic on stable
	DeployProgressing DeploymentStatus = "progressing" // a canary is taking part of the traffic
	DeployPaused      DeploymentStatus = "paused"      // rollout halted by an operator
	DeployDegraded    DeploymentStatus = "degraded"    // an incident is open
	DeployRolledBack  DeploymentStatus = "rolled_back" // canary removed, all traffic on stable
)

// DeploymentStatuses lists every DeploymentStatus.
var DeploymentStatuses = []DeploymentStatus{DeployHealthy, DeployProgressing, DeployPaused, DeployDegraded, DeployRolledBack}

// Health is a deployment's serving health at a moment.
type Health struct {
	LatencyP50 float64 `json:"latency_p50_ms"`
	LatencyP99 float64 `json:"latency_p99_ms"`
	ErrorRate  float64 `json:"error_rate"` // fraction in [0,1]
	RPS        float64 `json:"rps"`
}

// HealthSample is Health at a time, for sparklines and timeline tracks.
type HealthSample struct {
	Time time.Time `json:"time"`
	Health
}

// DeploymentAction is an operator action on a deployment.
type DeploymentAction string

// Deployment actions.
const (
	ActionAdvance          DeploymentAction = "advance"
	ActionRollback         DeploymentAction = "rollback"
	ActionSimulateIncident DeploymentAction = "simulate-incident"
)

// HistoryEntry records one change to a deployment.
type HistoryEntry struct {
	Seq    int              `json:"seq"` // 1-based, per deployment
	Time   time.Time        `json:"time"`
	Action DeploymentAction `json:"action"` // or "start", "complete" for system entries
	From   DeploymentStatus `json:"from"`
	To     DeploymentStatus `json:"to"`
	// Step is the canary step index after the action (-1: no canary).
	Step    int    `json:"step"`
	Percent int    `json:"percent"` // canary traffic after the action
	Actor   string `json:"actor"`
	Note    string `json:"note"`
}

// Incident is an open or resolved problem on a deployment.
type Incident struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Severity Severity   `json:"severity"`
	OpenedAt time.Time  `json:"opened_at"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// Deployment is a model served in an environment with a progressive rollout.
type Deployment struct {
	ID          DeploymentID     `json:"id"`
	Name        string           `json:"name"`
	Environment string           `json:"environment"` // "production", "staging", "shadow"
	Region      string           `json:"region"`
	ModelID     ModelID          `json:"model_id"`
	Stable      int              `json:"stable_version"`
	Canary      int              `json:"canary_version"` // 0 when no canary
	Status      DeploymentStatus `json:"status"`
	// Steps are the canary traffic percentages, e.g. [5 25 50 100].
	Steps []int `json:"steps"`
	// StepIndex is the current index into Steps, -1 when no canary runs.
	StepIndex int `json:"step_index"`
	// CanaryPercent is the traffic share of the canary, 0..100.
	CanaryPercent int            `json:"canary_percent"`
	Health        Health         `json:"health"`
	HealthHistory []HealthSample `json:"health_history"`
	Incidents     []Incident     `json:"incidents"`
	History       []HistoryEntry `json:"history"`
	UpdatedAt     time.Time      `json:"updated_at"`
}
