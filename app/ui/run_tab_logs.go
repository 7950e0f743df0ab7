package ui

import (
	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunLogsTab is the logs tab of the run page; the virtualized log viewer
// replaces this component in a later change.
type RunLogsTab struct {
	app.Compo
	Run    studio.Run
	Client *query.Client
	Data   *rundata.State
	Line   int64
}

// Render draws the placeholder region.
func (t *RunLogsTab) Render() app.UI {
	return app.Section().Class("panel placeholder").DataSet("testid", "run-logs").Aria("labelledby", "logs-title").Body(
		app.Div().Class("panel-head").Body(app.H2().ID("logs-title").Text("Logs")),
		app.P().Class("muted").Text("The log viewer for this run appears here: "+format.Int64(t.Run.LogCount)+" lines so far."),
	)
}
