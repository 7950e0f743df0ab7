//go:build !wasm

package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Payloads that run script if any part of the app renders them as HTML.
// Tags cannot hold spaces, so theirs separate attributes with slashes
// after quoted values.
const (
	xssName    = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`
	xssTagImg  = `<img/src="x"/onerror="window.__xss=3">`
	xssTagSVG  = `<svg/onload=window.__xss=4>`
	xssModel   = `"><img src=x onerror=window.__xss=5>`
	xssDataset = `</code><iframe srcdoc="<script>parent.__xss=6</script>">`
)

// xssProbe runs before any script of every document the tab opens. It
// records in window.__xssNodes every element a payload would create (all
// payloads mention __xss: an on* attribute or an inline script with it,
// an iframe srcdoc with it, an <img src=x>), whatever CSP then does to
// it, and every CSP violation in window.__csp. Text that merely contains
// a payload (a text node, a title attribute) is what should happen.
const xssProbe = `(() => {
	window.__xssNodes = [];
	window.__csp = [];
	const bad = n => n.nodeType === 1 && (
		(n.tagName === "IMG" && n.getAttribute("src") === "x") ||
		(n.tagName === "SCRIPT" && n.textContent.includes("__xss")) ||
		Array.from(n.attributes || []).some(a => (/^on/i.test(a.name) || a.name === "srcdoc") && a.value.includes("__xss")));
	const check = n => {
		if (bad(n)) window.__xssNodes.push(n.outerHTML.slice(0, 120));
		if (n.querySelectorAll) n.querySelectorAll("*").forEach(c => { if (bad(c)) window.__xssNodes.push(c.outerHTML.slice(0, 120)); });
	};
	new MutationObserver(ms => ms.forEach(m => {
		m.addedNodes.forEach(check);
		if (m.type === "attributes") check(m.target);
	})).observe(document, {childList: true, subtree: true, attributes: true});
	document.addEventListener("securitypolicyviolation", e =>
		window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + (e.sourceFile || "?") + ":" + e.lineNumber), true);
})()`

// addInitScript makes the browser run js at the start of every document
// the tab loads, before the page's own scripts.
func (p *page) addInitScript(js string) {
	p.t.Helper()
	ctx, cancel := withTimeout(p.ctx)
	defer cancel()
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		p.t.Fatalf("add init script: %v", err)
	}
}

// checkNoXSS fails the test if a payload ran, created an element, or
// tripped the CSP on the current page.
func (p *page) checkNoXSS(where string) {
	p.t.Helper()
	type probe struct {
		XSS   any      `json:"xss"`
		Nodes []string `json:"nodes"`
		CSP   []string `json:"csp"`
	}
	got := eval[probe](p, `({xss: window.__xss === undefined ? null : window.__xss, nodes: window.__xssNodes || ["probe missing"], csp: window.__csp || ["probe missing"]})`)
	if got.XSS != nil {
		p.t.Errorf("%s: a payload ran (window.__xss = %v)", where, got.XSS)
	}
	if len(got.Nodes) > 0 {
		p.t.Errorf("%s: the page created elements from untrusted text: %q", where, got.Nodes)
	}
	if len(got.CSP) > 0 {
		p.t.Errorf("%s: CSP violations: %q", where, got.CSP)
	}
}

// waitText waits until the innerText of the element matched by selector
// contains each of texts, proof that the payload is shown as text.
func (p *page) waitText(where, selector string, texts ...string) {
	p.t.Helper()
	var conds []string
	for _, s := range texts {
		conds = append(conds, fmt.Sprintf("t.includes(%s)", jsString(s)))
	}
	p.waitFor(where+" to show the payload as text", fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		const t = e ? e.innerText : "";
		return %s;
	})()`, jsString(selector), strings.Join(conds, " && ")))
}

// createXSSRun creates a run whose every user-supplied text is a payload,
// waits until it has streamed a few steps, and returns it.
func createXSSRun(t *testing.T, base string) studio.Run {
	t.Helper()
	exps := listItems[studio.Experiment](t, base, "/api/experiments")
	req := api.CreateRunRequest{
		ExperimentID: exps[0].ID, Name: xssName, Tags: []string{xssTagImg, xssTagSVG},
		Config: studio.RunConfig{Model: xssModel, Dataset: xssDataset, Optimizer: "adamw", LearningRate: 3e-4,
			BatchSize: 64, Epochs: 2, GPUs: 8, WarmupSteps: 10, WeightDecay: 0.01, Precision: "bf16"},
	}
	status, body := apiDo(t, http.MethodPost, base+"/api/runs", req)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/runs with payloads = %d %s; want 201 (the API stores any text)", status, body)
	}
	var run studio.Run
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	if run.Name != xssName || len(run.Tags) != 2 || run.Config.Model != xssModel {
		t.Fatalf("the created run lost its payloads: %+v", run)
	}
	eventually(t, 20*time.Second, func() error {
		r := apiGet[studio.Run](t, base, "/api/runs/"+string(run.ID))
		if r.Steps < 3 {
			return fmt.Errorf("run %s has %d steps; waiting for 3", r.ID, r.Steps)
		}
		return nil
	})
	return run
}

// TestUntrustedTextIsNeverExecuted creates a run whose name, tags, model
// and dataset are HTML and script payloads, then opens every page that
// shows them: the experiment's runs table, the runs list, the dashboard,
// and the run page's header and each tab (the config table and JSON, the
// log viewer, whose generated lines quote the name, model and dataset,
// with and without a search highlight, the timeline and the charts). On
// each, no payload runs, no element is created from it, the CSP is never
// tripped, and the payload shows up as literal text. A control at the end
// proves the probe sees an injection. The server's SVG chart export of
// the run must be well-formed XML with the text escaped.
func TestUntrustedTextIsNeverExecuted(t *testing.T) {
	s := newServer(t) // the payload run stays out of the shared server's lists
	run := createXSSRun(t, s.URL)
	id := string(run.ID)

	p := newBrowser(t, s.URL)
	p.addInitScript(xssProbe)
	pages := []struct {
		name, path, dataPage string
		selector             string
		texts                []string
	}{
		{"experiment runs table", "/experiments/" + string(run.ExperimentID), "experiment", "[data-page=experiment]", []string{xssName}},
		{"runs list", "/runs", "runs", "[data-page=runs]", []string{xssName}},
		{"dashboard", "/", "dashboard", "[data-page=dashboard]", nil},
		{"run header and overview", "/runs/" + id, "run", "[data-page=run]", []string{xssName, xssTagImg, xssTagSVG, xssModel, xssDataset}},
		{"run config", "/runs/" + id + "?tab=config", "run", "[data-testid=run-tab-config]", []string{xssModel, xssDataset}},
		{"run logs", "/runs/" + id + "?tab=logs&line=0", "run", "[data-testid=log-viewer]", []string{"(" + xssName + ")", "model=" + xssModel}},
		{"run timeline", "/runs/" + id + "?tab=timeline", "run", "[data-page=run]", []string{xssName}},
		{"run metrics", "/runs/" + id + "?tab=metrics", "run", "[data-page=run]", []string{xssName}},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := p.sub(t)
			p.open(pg.path, pg.dataPage)
			if len(pg.texts) > 0 {
				p.waitText(pg.name, pg.selector, pg.texts...)
			}
			time.Sleep(300 * time.Millisecond) // an onerror fires after the failed image load
			p.checkNoXSS(pg.name)
		})
	}

	t.Run("log search highlight", func(t *testing.T) {
		p := p.sub(t)
		p.open("/runs/"+id+"?tab=logs&line=0", "run")
		p.waitText("the log", "[data-testid=log-viewer]", "("+xssName+")")
		if p.count("[data-testid=log-search]") == 0 {
			t.Skip("the log viewer has no [data-testid=log-search] box")
		}
		p.setField("[data-testid=log-search]", "onerror")
		p.waitFor("a highlighted match", `!!document.querySelector("[data-testid=log-viewer] mark")`)
		p.waitText("the highlighted log", "[data-testid=log-viewer]", "("+xssName+")")
		time.Sleep(300 * time.Millisecond)
		p.checkNoXSS("log search highlight")
	})

	t.Run("probe control", func(t *testing.T) {
		// The probe must see what it looks for: the page injects a payload
		// as HTML on purpose (from a timer, as app code would: code that
		// DevTools evaluates is exempt from CSP). CSP blocks its handler;
		// the probe records the element and the violation.
		p := p.sub(t)
		p.allowConsole(`Refused to execute inline event handler`, `status of 404`, `Content Security Policy`)
		type result struct {
			Nodes int  `json:"nodes"`
			CSP   int  `json:"csp"`
			Ran   bool `json:"ran"`
		}
		eval[bool](p, `(() => { setTimeout(() => document.body.insertAdjacentHTML("beforeend", '<div id="control">'+`+jsString(xssName)+`+'</div>')); return true })()`)
		p.waitFor("the control's CSP violation", `window.__csp.length > 0`)
		got := eval[result](p, `({nodes: window.__xssNodes.length, csp: window.__csp.length, ran: window.__xss !== undefined})`)
		if got.Nodes == 0 || got.CSP == 0 || got.Ran {
			t.Errorf("control injection: %d elements seen, %d CSP violations, ran %v; want >0, >0, false", got.Nodes, got.CSP, got.Ran)
		}
	})

	t.Run("svg export", func(t *testing.T) {
		resp, err := httpClient.Get(s.URL + "/api/runs/" + id + "/metrics/chart.svg?name=loss")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound && bytes.Contains(body, []byte("no route")) {
			t.Skip("GET /api/runs/{id}/metrics/chart.svg is not registered on this server yet")
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("chart.svg = %d %s", resp.StatusCode, body)
		}
		checkSafeSVG(t, body)
	})
}

// checkSafeSVG fails unless svg is well-formed XML without script,
// foreignObject, iframe or img elements, on* attributes or javascript:
// URLs, and without a payload's markup in raw form.
func checkSafeSVG(t *testing.T, svg []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	elements := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		elements++
		switch strings.ToLower(se.Name.Local) {
		case "script", "foreignobject", "iframe", "img", "image":
			t.Errorf("the SVG has a <%s> element", se.Name.Local)
		}
		for _, a := range se.Attr {
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || strings.Contains(strings.ToLower(a.Value), "javascript:") {
				t.Errorf("the SVG has attribute %s=%q on <%s>", a.Name.Local, a.Value, se.Name.Local)
			}
		}
	}
	if elements == 0 {
		t.Error("the SVG has no elements")
	}
	for _, raw := range []string{"<img", "<script", "<iframe", "onerror=", "onload="} {
		if bytes.Contains(svg, []byte(raw)) {
			t.Errorf("the SVG contains %q unescaped", raw)
		}
	}
	if bytes.Contains(svg, []byte("&lt;img")) {
		t.Log("the SVG shows the run name as escaped text")
	}
}
