package ui

import (
	"strings"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// NewRunPage is the run authoring form: fields and a JSON view of the same
// config kept in sync both ways, inline validation with the server's
// rules, the server's 422 field errors shown next to their fields, and
// navigation to the created run.
//
// ?experiment=ID preselects the experiment; ?from=RUN copies a run's
// config.
type NewRunPage struct {
	app.Compo
	Client *query.Client

	exps      query.Observer[api.Page[studio.Experiment]]
	from      query.Observer[studio.Run]
	form      runForm
	fromID    string
	touched   map[string]bool
	submitted bool
	jsonText  string
	jsonErr   string
	serverErr map[string]string
	otherErrs []string
	failure   string
	saving    bool
	ctx       app.Context // the page's context, for results of async work
}

// OnNav resets the form and loads the experiments.
func (p *NewRunPage) OnNav(ctx app.Context) {
	p.ctx = ctx
	setTitle(ctx, "New run")
	q := ctx.Page().URL().Query()
	p.form = defaultRunForm()
	if exp := q.Get("experiment"); exp != "" {
		p.form["experiment_id"] = exp
	}
	p.touched = map[string]bool{}
	p.submitted, p.saving = false, false
	p.serverErr, p.otherErrs, p.failure = nil, nil, ""
	p.jsonText, p.jsonErr = p.form.formJSON(), ""
	p.fromID = q.Get("from")
	if app.IsServer {
		return
	}
	p.exps.Changed = p.experimentsLoaded
	p.exps.Observe(ctx, p.Client, apiExperiments)
	p.experimentsLoaded(ctx)
	if p.fromID != "" {
		p.from.Changed = p.copyFrom
		p.from.Observe(ctx, p.Client, apiRun(studio.RunID(p.fromID)))
		p.copyFrom(ctx)
	}
}

// OnDismount ends the subscriptions.
func (p *NewRunPage) OnDismount() {
	p.exps.Close()
	p.from.Close()
}

// experimentsLoaded picks the first experiment when none is chosen.
func (p *NewRunPage) experimentsLoaded(ctx app.Context) {
	if p.form["experiment_id"] == "" && p.exps.HasData && len(p.exps.Data.Items) > 0 {
		p.form["experiment_id"] = string(p.exps.Data.Items[0].ID)
		p.jsonText = p.form.formJSON()
	}
}

// copyFrom fills the form from the ?from= run once it loads.
func (p *NewRunPage) copyFrom(ctx app.Context) {
	if !p.from.HasData || p.fromID == "" || p.from.Data.ID != studio.RunID(p.fromID) {
		return
	}
	r := p.from.Data
	p.form = formFromRequest(api.CreateRunRequest{
		ExperimentID: r.ExperimentID, Name: r.Name + "-copy", Tags: r.Tags, Config: r.Config,
	})
	p.jsonText, p.jsonErr = p.form.formJSON(), ""
	p.fromID = "" // copy once: later edits stay
}

// errorFor returns the message to show next to field name, "" for none.
func (p *NewRunPage) errorFor(name string, errs map[string]string) string {
	if msg, ok := p.serverErr[name]; ok {
		return msg
	}
	if p.submitted || p.touched[name] {
		return errs[name]
	}
	return ""
}

// inputName is the name attribute of a field's control: its JSON field
// name without the "config." prefix ("learning_rate").
func inputName(field string) string { return strings.TrimPrefix(field, "config.") }

// fieldOf maps a control's name attribute back to its field, "" for none.
func fieldOf(name string) string {
	for _, f := range runFormFields {
		if inputName(f.name) == name {
			return f.name
		}
	}
	return ""
}

// onInput updates the field that changed (one delegated handler reads the
// target's name) and regenerates the JSON view.
func (p *NewRunPage) onInput(ctx app.Context, e app.Event) {
	t := e.Get("target")
	name := fieldOf(t.Get("name").String())
	if name == "" {
		return // the JSON view has its own handler
	}
	p.form[name] = t.Get("value").String()
	delete(p.serverErr, name)
	p.jsonText, p.jsonErr = p.form.formJSON(), ""
}

// onBlur marks a field as touched so its error shows.
func (p *NewRunPage) onBlur(ctx app.Context, e app.Event) {
	name := fieldOf(e.Get("target").Get("name").String())
	if name == "" || p.touched[name] {
		ctx.PreventUpdate()
		return
	}
	p.touched[name] = true
}

// onJSON reads the JSON view back into the fields when it parses.
func (p *NewRunPage) onJSON(ctx app.Context, e app.Event) {
	p.jsonText = ctx.JSSrc().Get("value").String()
	f, err := parseFormJSON(p.jsonText)
	if err != nil {
		p.jsonErr = studio.ErrorMessage(err)
		return
	}
	p.jsonErr = ""
	p.form = f
	p.serverErr = nil
}

// resetJSON rewrites the JSON view from the fields.
func (p *NewRunPage) resetJSON(ctx app.Context, e app.Event) {
	p.jsonText, p.jsonErr = p.form.formJSON(), ""
}

// submit validates and creates the run.
func (p *NewRunPage) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.saving {
		return
	}
	p.submitted = true
	p.failure = ""
	errs := p.form.validate()
	if len(errs) > 0 {
		for _, f := range runFormFields {
			if _, bad := errs[f.name]; bad {
				focusField(ctx, f.name)
				break
			}
		}
		return
	}
	req, _ := p.form.request()
	p.saving = true
	client := p.Client
	ctx = p.ctx
	ctx.Async(func() {
		run, err := query.Mutate[studio.Run](ctx, client, query.Mutation{
			URL:        apiCreateRun,
			Body:       req,
			Invalidate: []string{keyRuns, keyExperiments, apiDashboard},
		})
		ctx.Dispatch(func(ctx app.Context) {
			p.saving = false
			if err == nil {
				ctx.Navigate(hrefRun(run.ID))
				return
			}
			if fes := studio.ErrorFields(err); len(fes) > 0 {
				p.serverErr, p.otherErrs = fieldErrorsFrom(fes)
				for _, f := range runFormFields {
					if _, bad := p.serverErr[f.name]; bad {
						focusField(ctx, f.name)
						break
					}
				}
			}
			p.failure = studio.ErrorMessage(err)
			if query.IsNetwork(err) {
				p.failure = "The server could not be reached; the run was not created."
			}
		})
	})
}

// focusField focuses the input of a field after the next render.
func focusField(ctx app.Context, name string) {
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID(fieldID(name)); el.Truthy() {
			el.Call("focus")
		}
	})
}

// fieldID is the DOM id of a field's input.
func fieldID(name string) string { return "f-" + strings.ReplaceAll(name, ".", "-") }

// Render draws the page.
func (p *NewRunPage) Render() app.UI {
	errs := p.form.validate()
	return pageRoot("run-new").Body(
		pageHead([]crumb{{"Experiments", "/experiments"}, {"New run", ""}}, app.Text("New run"),
			app.Text("Describe the training job; the JSON on the right is the exact request.")),
		app.Form().Class("run-form").ID("run-form").Attr("novalidate", true).
			OnSubmit(p.submit).
			OnInput(p.onInput).
			OnChange(p.onInput).
			On("focusout", p.onBlur).
			Body(
				app.Div().Class("form-main").Body(
					p.failureBox(),
					fieldset("Run", p.fields(errs, 0, 3)...),
					fieldset("Model and data", p.fields(errs, 3, 5)...),
					fieldset("Training", p.fields(errs, 5, len(runFormFields))...),
					app.Div().Class("form-actions").Body(
						app.Button().Type("submit").Class("btn btn-primary").DataSet("testid", "create-run").
							Aria("busy", p.saving).Text(submitLabel(p.saving)),
						app.A().Class("btn btn-ghost").Href("/experiments").Text("Cancel"),
						app.If(p.submitted && len(errs) > 0, func() app.UI {
							return app.Span().Class("form-status text-failed").Attr("role", "status").
								Text("Fix the highlighted fields to continue.")
						}),
					),
				),
				app.Aside().Class("form-json").Body(
					app.Div().Class("panel").Body(
						app.Div().Class("panel-head").Body(
							app.Label().For("f-json").Body(app.H2().Text("JSON")),
							app.Button().Type("button").Class("btn btn-ghost btn-sm").OnClick(p.resetJSON).Text("Reformat"),
						),
						app.Textarea().
							ID("f-json").
							Name("json").
							Class("code input").
							DataSet("testid", "run-json").
							Attr("spellcheck", false).
							Aria("invalid", p.jsonErr != "").
							Aria("describedby", "f-json-err").
							Rows(24).
							OnInput(p.onJSON).
							Attr("value", p.jsonText). // the property: what a textarea shows once edited
							Text(p.jsonText),
						app.P().ID("f-json-err").Class("field-error").Attr("role", "status").Text(p.jsonErr),
					),
				),
			),
	)
}

func submitLabel(saving bool) string {
	if saving {
		return "Creating…"
	}
	return "Create run"
}

func (p *NewRunPage) failureBox() app.UI {
	if p.failure == "" {
		return app.Div().Class("form-failure-slot")
	}
	return app.Div().Class("form-failure-slot").Body(
		app.Div().Class("note note-error").Attr("role", "alert").DataSet("testid", "form-error").Body(
			app.Strong().Text("The run was not created: "),
			app.Text(p.failure),
			app.If(len(p.otherErrs) > 0, func() app.UI {
				return app.Ul().Body(app.Range(p.otherErrs).Slice(func(i int) app.UI { return app.Li().Text(p.otherErrs[i]) }))
			}),
		),
	)
}

func fieldset(legend string, fields ...app.UI) app.UI {
	return app.FieldSet().Class("fieldset").Body(
		app.Legend().Text(legend),
		app.Div().Class("field-grid").Body(fields...),
	)
}

// fields renders runFormFields[from:to].
func (p *NewRunPage) fields(errs map[string]string, from, to int) []app.UI {
	out := make([]app.UI, 0, to-from)
	for _, f := range runFormFields[from:to] {
		out = append(out, p.field(f, p.errorFor(f.name, errs)))
	}
	return out
}

// field renders one labelled input with its hint and error.
func (p *NewRunPage) field(f formField, errMsg string) app.UI {
	id := fieldID(f.name)
	errID := id + "-err"
	hintID := id + "-hint"
	describedBy := errID // the error first: it is what matters when shown
	if f.hint != "" {
		describedBy = errID + " " + hintID
	}
	name := inputName(f.name)
	value := p.form[f.name]
	var input app.UI
	switch f.kind {
	case "experiment":
		var opts []app.UI
		if !p.exps.HasData {
			opts = append(opts, option(value, loadingLabel(p.exps.Result, value), true))
		} else {
			for _, e := range p.exps.Data.Items {
				opts = append(opts, option(string(e.ID), e.Name+" ("+string(e.ID)+")", string(e.ID) == value))
			}
		}
		input = app.Select().ID(id).Name(name).Class("input").
			Aria("invalid", errMsg != "").Aria("describedby", describedBy).Body(opts...)
	case "select":
		choices := api.Optimizers
		if f.name == "config.precision" {
			choices = api.Precisions
		}
		opts := make([]app.UI, len(choices))
		for i, c := range choices {
			opts[i] = option(c, c, c == value)
		}
		input = app.Select().ID(id).Name(name).Class("input").
			Aria("invalid", errMsg != "").Aria("describedby", describedBy).Body(opts...)
	default:
		in := app.Input().ID(id).Name(name).Class("input").Value(value).
			AutoComplete(false).
			Aria("invalid", errMsg != "").Aria("describedby", describedBy)
		if f.kind == "number" {
			in = in.Type("text").Attr("inputmode", "decimal")
		} else {
			in = in.Type("text")
		}
		if f.name == "name" || f.name == "config.model" || f.name == "config.dataset" || f.name == "experiment_id" {
			in = in.Required(true)
		}
		input = in
	}
	return app.Div().Class("field").DataSet("field", f.name).Body(
		app.Label().For(id).Text(f.label),
		input,
		app.If(f.hint != "", func() app.UI { return app.P().ID(hintID).Class("field-hint").Text(f.hint) }),
		app.P().ID(errID).Class("field-error").DataSet("testid", "field-error").Text(errMsg),
	)
}

func loadingLabel(r query.Result[api.Page[studio.Experiment]], value string) string {
	if r.Failed() {
		return "Couldn't load experiments"
	}
	if value != "" {
		return value
	}
	return "Loading experiments…"
}
