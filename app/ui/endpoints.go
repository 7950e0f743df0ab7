package ui

import (
	"net/url"
	"strconv"

	"github.com/aiinfra/studio/shared/studio"
)

// API paths the pages fetch. Each is also the query cache key, so every
// component that shows the same resource shares one request and one
// cached copy. Lists ask for everything the UI sorts and filters itself.
const (
	apiDashboard   = "/api/dashboard"
	apiHealth      = "/api/healthz"
	apiExperiments = "/api/experiments?limit=1000"
	apiAllRuns     = "/api/runs?limit=10000"
	apiModels      = "/api/registry/models?limit=1000"
	apiDeployments = "/api/deployments?limit=1000"
	apiTraces      = "/api/traces?limit=1000"
	apiCreateRun   = "/api/runs"
)

// Key prefixes invalidated after mutations.
const (
	keyRuns        = "/api/runs"
	keyExperiments = "/api/experiments"
	keyDeployments = "/api/deployments"
	keyRegistry    = "/api/registry"
)

func apiExperiment(id studio.ExperimentID) string {
	return "/api/experiments/" + url.PathEscape(string(id))
}

func apiExperimentRuns(id studio.ExperimentID) string {
	return apiExperiment(id) + "/runs?limit=10000"
}

func apiRun(id studio.RunID) string { return "/api/runs/" + url.PathEscape(string(id)) }

// apiRunMetric asks for one decimated series of a run.
func apiRunMetric(id studio.RunID, name string, maxPoints int) string {
	return apiRun(id) + "/metrics?name=" + url.QueryEscape(name) + "&max_points=" + strconv.Itoa(maxPoints)
}

func apiModel(id studio.ModelID) string {
	return "/api/registry/models/" + url.PathEscape(string(id))
}

func apiModelVersions(id studio.ModelID) string { return apiModel(id) + "/versions?limit=1000" }

func apiDeployment(id studio.DeploymentID) string {
	return "/api/deployments/" + url.PathEscape(string(id))
}

func apiDeploymentAction(id studio.DeploymentID, a studio.DeploymentAction) string {
	return apiDeployment(id) + "/" + string(a)
}

func apiTrace(id studio.TraceID) string { return "/api/traces/" + url.PathEscape(string(id)) }

// App paths: the links between pages.

func hrefExperiment(id studio.ExperimentID) string {
	return "/experiments/" + url.PathEscape(string(id))
}

func hrefRun(id studio.RunID) string { return "/runs/" + url.PathEscape(string(id)) }

func hrefModel(id studio.ModelID) string { return "/registry/" + url.PathEscape(string(id)) }

func hrefDeployment(id studio.DeploymentID) string {
	return "/deployments/" + url.PathEscape(string(id))
}

func hrefTrace(id studio.TraceID) string { return "/traces/" + url.PathEscape(string(id)) }
