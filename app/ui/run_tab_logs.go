package ui

import (
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunLogsTab is the logs tab of the run page: the virtualized log viewer,
// opened on the line the URL names (?line=N).
type RunLogsTab struct {
	app.Compo
	Run    studio.Run
	Client *query.Client
	Data   *rundata.State
	Line   int64
}

// Render draws the viewer.
func (t *RunLogsTab) Render() app.UI {
	return app.Section().Class("panel logs-tab").DataSet("testid", "run-logs").Aria("labelledby", "logs-title").Body(
		app.Div().Class("panel-head").Body(app.H2().ID("logs-title").Text("Logs")),
		&LogViewer{Data: t.Data, Client: t.Client, Line: t.Line},
	)
}
