//go:build !wasm

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// runForm is what the tests type into the new-run form. Controls are found
// by their name attribute, which is the JSON field of api.CreateRunRequest
// or studio.RunConfig.
var runForm = []struct{ name, value string }{
	{"model", "llama-3-8b"},
	{"dataset", "code-instruct-v4"},
	{"optimizer", "adamw"},
	{"learning_rate", "0.0003"},
	{"batch_size", "64"},
	{"epochs", "3"},
	{"gpus", "8"},
	{"tags", "e2e, smoke"},
}

// fillRunForm fills the new-run form for experiment exp with a run named
// name. Selects take the wanted value when it is an option, else their first
// non-empty option. Controls the form does not have are skipped, except the
// experiment and the name.
func (p *page) fillRunForm(exp studio.ExperimentID, name string) {
	p.t.Helper()
	// The experiment choices load from the API after the page mounts.
	p.waitFor("experiment "+string(exp)+" among the choices", fmt.Sprintf(`(() => {
		const el = document.querySelector('[data-page=run-new] [name="experiment_id"]');
		return !!el && (!(el instanceof HTMLSelectElement) || Array.from(el.options).some(o => o.value === %s));
	})()`, jsString(string(exp))))
	p.fillControl("experiment_id", string(exp), true)
	p.fillControl("name", name, true)
	for _, f := range runForm {
		p.fillControl(f.name, f.value, false)
	}
}

// fillControl sets the control named name in the new-run page.
func (p *page) fillControl(name, value string, required bool) {
	p.t.Helper()
	sel := fmt.Sprintf("[data-page=run-new] [name=%q]", name)
	js := fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return "missing";
		if (el instanceof HTMLSelectElement) {
			const opts = Array.from(el.options).map(o => o.value).filter(v => v !== "");
			return opts.includes(%s) ? %s : (opts[0] || "no options");
		}
		return %s;
	})()`, jsString(sel), jsString(value), jsString(value), jsString(value))
	v := eval[string](p, js)
	switch {
	case v == "missing" && required:
		p.t.Fatalf("the new-run form has no control named %q\n%s", name, p.state())
	case v == "missing":
		p.t.Logf("the new-run form has no control named %q; skipped", name)
		return
	case v == "no options":
		p.t.Fatalf("select %q has no options", name)
	}
	p.setField(sel, v)
}

// submitRunForm clicks the form's submit button.
func (p *page) submitRunForm() {
	p.t.Helper()
	p.do("submit the new-run form", chromedp.Click(chromedp.CSS("[data-page=run-new] form [type=submit]")))
}

// fieldError returns JavaScript that yields the error message shown for the
// control named name: the text of the elements its aria-describedby names,
// or of an alert inside the control's field wrapper; "" when none shows.
func fieldError(name string) string {
	return fmt.Sprintf(`(() => {
		const f = document.querySelector(%s);
		if (!f) return "";
		for (const id of (f.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)) {
			const e = document.getElementById(id);
			if (e && e.innerText.trim()) return e.innerText.trim();
		}
		const box = f.closest("label, fieldset, [data-field], .field");
		const e = box && box.querySelector("[role=alert], [data-testid=field-error], .field-error, .error");
		return e ? e.innerText.trim() : "";
	})()`, jsString(fmt.Sprintf("[data-page=run-new] [name=%q]", name)))
}

// TestCreateRun creates a run through the form and checks that the app opens
// the new run's page and the API has the run with what was typed.
func TestCreateRun(t *testing.T) {
	exps := listItems[studio.Experiment](t, srv.URL, "/api/experiments")
	exp := exps[len(exps)-1]
	before := apiGet[api.Page[studio.Run]](t, srv.URL, "/api/experiments/"+string(exp.ID)+"/runs?limit=1")
	name := fmt.Sprintf("e2e-run-%d", time.Now().UnixNano()%1e9)

	p := newBrowser(t, srv.URL)
	p.open("/runs/new", "run-new")
	p.fillRunForm(exp.ID, name)
	p.submitRunForm()
	p.waitFor("the new run's page", `/^\/runs\/[^/]+$/.test(location.pathname) && location.pathname !== "/runs/new"`)
	p.waitPage("run")
	id := strings.TrimPrefix(eval[string](p, "location.pathname"), "/runs/")
	p.waitFor("the run name on its page", fmt.Sprintf("document.body.innerText.includes(%s)", jsString(name)))

	run := apiGet[studio.Run](t, srv.URL, "/api/runs/"+id)
	if run.Name != name || run.ExperimentID != exp.ID {
		t.Errorf("GET /api/runs/%s = name %q, experiment %q; want %q, %q", id, run.Name, run.ExperimentID, name, exp.ID)
	}
	if run.Config.LearningRate != 0.0003 || run.Config.BatchSize != 64 {
		t.Errorf("run config = learning rate %g, batch size %d; want 0.0003, 64", run.Config.LearningRate, run.Config.BatchSize)
	}
	after := apiGet[api.Page[studio.Run]](t, srv.URL, "/api/experiments/"+string(exp.ID)+"/runs?limit=1")
	if after.Total != before.Total+1 {
		t.Errorf("experiment %s has %d runs after creating one; want %d", exp.ID, after.Total, before.Total+1)
	}
}

// TestCreateRunValidation checks that invalid input shows an error next to
// its field and creates nothing: once for a value the client or the server
// rejects, once for a 422 that only the server can give.
func TestCreateRunValidation(t *testing.T) {
	exps := listItems[studio.Experiment](t, srv.URL, "/api/experiments")
	exp := exps[0]
	runCount := func() int {
		return apiGet[api.Page[studio.Run]](t, srv.URL, "/api/experiments/"+string(exp.ID)+"/runs?limit=1").Total
	}

	t.Run("invalid learning rate", func(t *testing.T) {
		before := runCount()
		p := newBrowser(t, srv.URL)
		p.allowConsole(`status of 422`)
		p.open("/runs/new", "run-new")
		p.fillRunForm(exp.ID, fmt.Sprintf("e2e-invalid-%d", time.Now().UnixNano()%1e9))
		p.setField(`[data-page=run-new] [name="learning_rate"]`, "5")
		p.submitRunForm()
		p.waitFor("an error next to learning_rate", fieldError("learning_rate")+` !== ""`)
		time.Sleep(300 * time.Millisecond)
		if loc := p.location(); loc != "/runs/new" && !strings.HasPrefix(loc, "/runs/new?") {
			t.Errorf("the page moved to %s after an invalid submit", loc)
		}
		if n := runCount(); n != before {
			t.Errorf("experiment %s has %d runs after an invalid submit; want %d", exp.ID, n, before)
		}
	})

	t.Run("server 422 with field details", func(t *testing.T) {
		const msg = "a run with this name already exists in the experiment"
		p := newBrowser(t, srv.URL)
		p.allowConsole(`status of 422`)
		p.open("/runs/new", "run-new")
		p.answerCreateRun(http422(studio.FieldError{Field: "name", Message: msg}))
		p.fillRunForm(exp.ID, fmt.Sprintf("e2e-dup-%d", time.Now().UnixNano()%1e9))
		p.submitRunForm()
		p.waitFor("the server's message next to name", fmt.Sprintf("%s.includes(%s)", fieldError("name"), jsString(msg)))
		if loc := p.location(); loc != "/runs/new" && !strings.HasPrefix(loc, "/runs/new?") {
			t.Errorf("the page moved to %s after a 422", loc)
		}
	})
}

// http422 is the body of a validation error as the server sends it.
func http422(fields ...studio.FieldError) []byte {
	b, _ := json.Marshal(api.ErrorResponse{Error: api.ErrorBody{Code: studio.CodeValidation, Message: "validation failed", Details: fields}})
	return b
}

// answerCreateRun makes the browser answer POST /api/runs with a 422 and
// body, without reaching the server: the only way to make the server's
// field-level 422 appear for input that the client already validates. The
// service worker is bypassed so that the page's own request is intercepted.
func (p *page) answerCreateRun(body []byte) {
	p.t.Helper()
	paused := chromedp.Events(p.ctx, fetch.RequestPaused)
	ctx, cancel := withTimeout(p.ctx)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
		p.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/runs"}},
	}); err != nil {
		p.t.Fatal(err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if ev.Request.Method == "POST" {
				chromedp.Call(p.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID:       ev.RequestID,
					ResponseCode:    422,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
					Body:            body,
				})
				continue
			}
			chromedp.Call(p.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}()
}
