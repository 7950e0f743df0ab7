package ui

import (
	"strconv"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// RunHeader is the top of the run page: name, status, identity, code,
// hardware, timing, owner and tags. Later work adds the live connection
// state next to the status.
type RunHeader struct {
	app.Compo
	// ID is shown while the run loads.
	ID studio.RunID
	// Run is valid when Loaded.
	Run    studio.Run
	Loaded bool
	Clock  *Clock
}

// Render draws the header.
func (h *RunHeader) Render() app.UI {
	if !h.Loaded {
		return app.Div().Class("run-head").Body(
			pageHead([]crumb{{"Runs", "/runs"}, {string(h.ID), ""}}, app.Text(string(h.ID)), nil),
			skeleton("stats", 6),
		)
	}
	r := h.Run
	c := r.Config
	started := "created " + format.Ago(r.CreatedAt, h.Clock.Now()) + ", not started yet"
	if r.StartedAt != nil {
		started = "started " + format.Ago(*r.StartedAt, h.Clock.Now())
	}
	return app.Div().Class("run-head").DataSet("status", string(r.Status)).Body(
		pageHead(
			[]crumb{{"Experiments", "/experiments"}, {string(r.ExperimentID), hrefExperiment(r.ExperimentID)}, {r.Name, ""}},
			app.Span().Body(app.Text(r.Name+" "), app.Span().Class("title-id").Body(mono(string(r.ID)))),
			app.Span().Class("run-sub").Body(
				pill(string(r.Status)),
				app.Span().Class("run-live-slot").DataSet("testid", "run-live-slot"),
				app.Text(" by "+r.Owner+" · "+started),
				app.If(len(r.Tags) > 0, func() app.UI { return app.Span().Body(app.Text(" · "), tagList(r.Tags)) }),
			),
			app.A().Class("btn").Href("/runs/new?from="+string(r.ID)).Text("Clone config"),
		),
		app.If(r.Status == studio.RunFailed && r.Error != "", func() app.UI {
			return app.Div().Class("note note-error").Attr("role", "status").Body(
				app.Strong().Text("Failed: "), app.Text(r.Error),
			)
		}),
		app.Div().Class("facts").Body(
			fact("Config", app.Span().Body(
				app.Text(c.Model+" on "+c.Dataset),
				app.Span().Class("muted").Text(" · "+c.Optimizer+" lr "+strconv.FormatFloat(c.LearningRate, 'g', 3, 64)+" · bs "+format.Int(c.BatchSize)+" · "+c.Precision),
			)),
			fact("Commit", app.Span().Body(mono(shortCommit(r.Commit)), app.Span().Class("muted").Text(" on "), mono(r.Branch))),
			fact("Hardware", app.Text(strconv.Itoa(r.Hardware.GPUCount)+"× "+r.Hardware.GPUType+" · "+format.Count(r.Hardware.Nodes, "node")+" · "+r.Hardware.Cluster)),
			fact("Duration", app.Span().Class("num").Text(runDurationText(r))),
			fact("Progress", progressBar(r)),
			fact("Steps", app.Span().Class("num").Text(format.Int(r.Steps)+" / "+format.Int(r.TotalSteps))),
		),
	)
}

// fact renders one labelled header fact.
func fact(label string, value app.UI) app.UI {
	return app.Div().Class("fact").Body(
		app.Div().Class("fact-label").Text(label),
		app.Div().Class("fact-value").Body(value),
	)
}
