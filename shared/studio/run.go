package studio

import "time"

// ExperimentID identifies an experiment, such as "exp-03".
type ExperimentID string

// Experiment groups runs that explore one question.
type Experiment struct {
	ID          ExperimentID `json:"id"`
	Name        string       `json:"name"`        // e.g. "llama-ft-code"
	Description string       `json:"description"` // one sentence
	Owner       string       `json:"owner"`       // e.g. "priya.n"
	Team        string       `json:"team"`        // e.g. "nlp-core"
	Tags        []string     `json:"tags"`
	CreatedAt   time.Time    `json:"created_at"`
	// Counts by status over the experiment's runs; kept up to date by the store.
	RunCount     int `json:"run_count"`
	RunningCount int `json:"running_count"`
	FailedCount  int `json:"failed_count"`
	// BestValLoss is the lowest summary val_loss among its runs (0 if none).
	BestValLoss float64 `json:"best_val_loss"`
	// LastActivity is the latest start or end time among its runs.
	LastActivity time.Time `json:"last_activity"`
}

// RunID identifies a training run, such as "run-0042".
type RunID string

// RunStatus is the lifecycle state of a Run.
type RunStatus string

// Run statuses.
const (
	RunQueued    RunStatus = "queued"
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	RunCancelled RunStatus = "cancelled"
)

// RunStatuses lists every RunStatus in lifecycle order.
var RunStatuses = []RunStatus{RunQueued, RunRunning, RunSucceeded, RunFailed, RunCancelled}

// Valid reports whether s is one of RunStatuses.
func (s RunStatus) Valid() bool {
	for _, v := range RunStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Terminal reports whether a run in status s will never change again.
func (s RunStatus) Terminal() bool {
	return s == RunSucceeded || s == RunFailed || s == RunCancelled
}

// RunConfig is the authoring config of a run: what POST /api/runs accepts
// (with ExperimentID, Name and Tags in api.CreateRunRequest) and what the
// run page shows.
type RunConfig struct {
	Model        string  `json:"model"`         // e.g. "llama-3-8b"
	Dataset      string  `json:"dataset"`       // e.g. "code-instruct-v4"
	Optimizer    string  `json:"optimizer"`     // "adamw", "sgd", "lion" or "adafactor"
	LearningRate float64 `json:"learning_rate"` // in (0, 1]
	BatchSize    int     `json:"batch_size"`    // 1..65536
	Epochs       int     `json:"epochs"`        // 1..1000
	GPUs         int     `json:"gpus"`          // 1..512
	WarmupSteps  int     `json:"warmup_steps"`
	WeightDecay  float64 `json:"weight_decay"`
	Seed         int64   `json:"seed"`
	Precision    string  `json:"precision"` // "bf16", "fp16" or "fp32"
}

// Hardware describes where a run executes.
type Hardware struct {
	GPUType  string `json:"gpu_type"`  // e.g. "H100-80GB"
	GPUCount int    `json:"gpu_count"` // total GPUs
	Nodes    int    `json:"nodes"`
	Cluster  string `json:"cluster"` // e.g. "us-east-a100-2"
}

// MetricInfo describes one metric series of a run so a client can size a
// chart or a scrollbar before loading points.
type MetricInfo struct {
	Name   string `json:"name"`   // e.g. "loss"
	Unit   string `json:"unit"`   // e.g. "", "%", "samples/s"
	Points int    `json:"points"` // number of points currently in the series
}

// Run is one training or evaluation job.
type Run struct {
	ID           RunID        `json:"id"`
	ExperimentID ExperimentID `json:"experiment_id"`
	Name         string       `json:"name"`
	Status       RunStatus    `json:"status"`
	Owner        string       `json:"owner"`
	Tags         []string     `json:"tags"`
	Config       RunConfig    `json:"config"`
	Commit       string       `json:"commit"` // 12-hex git sha
	Branch       string       `json:"branch"`
	Hardware     Hardware     `json:"hardware"`
	CreatedAt    time.Time    `json:"created_at"`
	// StartedAt is nil while queued; EndedAt is nil until terminal.
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// Steps is the number of training steps so far (the length of each
	// per-step metric series); TotalSteps is the planned length.
	Steps      int `json:"steps"`
	TotalSteps int `json:"total_steps"`
	// LogCount is the number of log lines so far (seq runs 0..LogCount-1).
	LogCount int64 `json:"log_count"`
	// Metrics lists the run's series with their point counts.
	Metrics []MetricInfo `json:"metrics"`
	// Summary holds the latest value of each metric, e.g. {"loss": 0.41}.
	Summary map[string]float64 `json:"summary"`
	// StepSeconds is the simulated wall time of one training step.
	StepSeconds float64 `json:"step_seconds"`
	// Error is set for failed runs: a one-line reason.
	Error string `json:"error,omitempty"`
	// StreamSeq is the seq of the run's latest stream message when this
	// snapshot was taken: a client that subscribes with ?since=StreamSeq
	// receives exactly what happened after the snapshot.
	StreamSeq int64 `json:"stream_seq"`
}

// Metric names every run has, in display order.
const (
	MetricLoss         = "loss"
	MetricValLoss      = "val_loss"
	MetricAccuracy     = "accuracy"
	MetricLearningRate = "learning_rate"
	MetricGradNorm     = "grad_norm"
	MetricGPUUtil      = "gpu_util"
	MetricThroughput   = "throughput"
)

// MetricNames lists every metric a run has, in display order.
var MetricNames = []string{MetricLoss, MetricValLoss, MetricAccuracy, MetricLearningRate, MetricGradNorm, MetricGPUUtil, MetricThroughput}

// MetricUnits maps a metric name to its display unit.
var MetricUnits = map[string]string{
	MetricLoss: "", MetricValLoss: "", MetricAccuracy: "%", MetricLearningRate: "",
	MetricGradNorm: "", MetricGPUUtil: "%", MetricThroughput: "samples/s",
}

// Point is one sample of a metric series.
type Point struct {
	Step  int       `json:"step"`
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
}

// Series is a run's metric as returned by the API. When decimated, Points
// holds a subset that keeps every bucket's min and max.
type Series struct {
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Points    []Point `json:"points"`
	Total     int     `json:"total"`     // points in the requested range before decimation
	Decimated bool    `json:"decimated"` // true when Points is a subset
}

// LogLevel is the severity of a log line.
type LogLevel string

// Log levels in increasing severity.
const (
	LevelDebug LogLevel = "debug"
	LevelInfo  LogLevel = "info"
	LevelWarn  LogLevel = "warn"
	LevelError LogLevel = "error"
)

// LogLevels lists every LogLevel in increasing severity.
var LogLevels = []LogLevel{LevelDebug, LevelInfo, LevelWarn, LevelError}

// Valid reports whether l is one of LogLevels.
func (l LogLevel) Valid() bool {
	for _, v := range LogLevels {
		if l == v {
			return true
		}
	}
	return false
}

// LogLine is one line of a run's log. Seq is its 0-based line number.
type LogLine struct {
	Seq     int64     `json:"seq"`
	Time    time.Time `json:"time"`
	Level   LogLevel  `json:"level"`
	Source  string    `json:"source"` // e.g. "trainer", "dataloader", "rank3"
	Message string    `json:"message"`
}
