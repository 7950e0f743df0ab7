package ui

import (
	"encoding/json"
	"strconv"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunConfigTab shows a run's config as a table and as JSON.
type RunConfigTab struct {
	app.Compo
	Run studio.Run

	copied bool
}

// configRows lists the config fields as (key, value) pairs in form order.
func configRows(r studio.Run) [][2]string {
	c := r.Config
	return [][2]string{
		{"model", c.Model},
		{"dataset", c.Dataset},
		{"optimizer", c.Optimizer},
		{"learning_rate", strconv.FormatFloat(c.LearningRate, 'g', -1, 64)},
		{"batch_size", strconv.Itoa(c.BatchSize)},
		{"epochs", strconv.Itoa(c.Epochs)},
		{"gpus", strconv.Itoa(c.GPUs)},
		{"warmup_steps", strconv.Itoa(c.WarmupSteps)},
		{"weight_decay", strconv.FormatFloat(c.WeightDecay, 'g', -1, 64)},
		{"seed", strconv.FormatInt(c.Seed, 10)},
		{"precision", c.Precision},
	}
}

// configJSON is the config as indented JSON.
func configJSON(c studio.RunConfig) string {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "{}"
	}
	return string(b)
}

// Render draws the tab.
func (t *RunConfigTab) Render() app.UI {
	rows := configRows(t.Run)
	js := configJSON(t.Run.Config)
	copyLabel := "Copy JSON"
	if t.copied {
		copyLabel = "Copied"
	}
	return app.Div().Class("two-col").Body(
		app.Section().Class("panel").Aria("labelledby", "cfg-table").Body(
			app.Div().Class("panel-head").Body(app.H2().ID("cfg-table").Text("Configuration")),
			app.Table().Class("simple").DataSet("testid", "config-table").Body(
				app.THead().Body(app.Tr().Body(app.Th().Scope("col").Text("Key"), app.Th().Scope("col").Text("Value"))),
				app.TBody().Body(app.Range(rows).Slice(func(i int) app.UI {
					return app.Tr().Body(app.Td().Body(mono(rows[i][0])), app.Td().Class("mono").Text(rows[i][1]))
				})),
			),
			app.Div().Class("panel-foot").Body(
				kvList(
					kv{"Commit", mono(t.Run.Commit)},
					kv{"Branch", mono(t.Run.Branch)},
					kv{"Cluster", app.Text(t.Run.Hardware.Cluster)},
					kv{"GPUs", app.Text(strconv.Itoa(t.Run.Hardware.GPUCount) + "× " + t.Run.Hardware.GPUType + " on " + format.Count(t.Run.Hardware.Nodes, "node"))},
				),
			),
		),
		app.Section().Class("panel").Aria("labelledby", "cfg-json").Body(
			app.Div().Class("panel-head").Body(
				app.H2().ID("cfg-json").Text("JSON"),
				app.Button().Type("button").Class("btn btn-sm").OnClick(t.copy).Text(copyLabel),
			),
			app.Pre().Class("code").DataSet("testid", "config-json").Body(app.Code().Text(js)),
		),
	)
}

func (t *RunConfigTab) copy(ctx app.Context, e app.Event) {
	if cb := app.Window().Get("navigator").Get("clipboard"); cb.Truthy() {
		cb.Call("writeText", configJSON(t.Run.Config))
		t.copied = true
		ctx.After(2e9, func(app.Context) { t.copied = false })
	}
}
