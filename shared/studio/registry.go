package studio

import "time"

// ModelID identifies a registered model, such as "mdl-code-assist".
type ModelID string

// Stage is the lifecycle stage of a model version.
type Stage string

// Stages.
const (
	StageNone       Stage = "none"
	StageStaging    Stage = "staging"
	StageProduction Stage = "production"
	StageArchived   Stage = "archived"
)

// Model is a named model in the registry.
type Model struct {
	ID            ModelID   `json:"id"`
	Name          string    `json:"name"`
	Description   string    `json:"description"`
	Task          string    `json:"task"` // e.g. "code-completion"
	Owner         string    `json:"owner"`
	Tags          []string  `json:"tags"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	LatestVersion int       `json:"latest_version"`
	VersionCount  int       `json:"version_count"`
	// ProductionVersion is the version in StageProduction, 0 if none.
	ProductionVersion int `json:"production_version"`
}

// ModelVersion is one trained artefact of a Model, linked to its run.
type ModelVersion struct {
	ModelID   ModelID            `json:"model_id"`
	Version   int                `json:"version"` // 1-based
	Stage     Stage              `json:"stage"`
	Aliases   []string           `json:"aliases"` // e.g. ["champion"]
	SourceRun RunID              `json:"source_run"`
	Metrics   map[string]float64 `json:"metrics"`
	CreatedAt time.Time          `json:"created_at"`
	SizeBytes int64              `json:"size_bytes"`
	// Deployments lists the deployments serving this version.
	Deployments []DeploymentID `json:"deployments"`
}
