//go:build !wasm

package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

// route is one page of the app and the data-page its root carries.
type route struct {
	name     string
	path     string
	dataPage string
	// notFound marks routes that must show the not-found page: the API
	// answers 404 for them, which the console reports.
	notFound bool
}

// routes lists every page of the app with real ids from the API of base.
func routes(t *testing.T, base string) []route {
	t.Helper()
	exps := listItems[studio.Experiment](t, base, "/api/experiments")
	if len(exps) == 0 {
		t.Fatal("GET /api/experiments returned no experiments")
	}
	runs := listItems[studio.Run](t, base, "/api/experiments/"+string(exps[0].ID)+"/runs")
	if len(runs) == 0 {
		t.Fatalf("experiment %s has no runs", exps[0].ID)
	}
	models := listItems[studio.Model](t, base, "/api/registry/models")
	deps := listItems[studio.Deployment](t, base, "/api/deployments")
	traces := listItems[studio.TraceSummary](t, base, "/api/traces?limit=1000")
	if len(models) == 0 || len(deps) == 0 || len(traces) == 0 {
		t.Fatalf("API lists: %d models, %d deployments, %d traces; want some of each", len(models), len(deps), len(traces))
	}
	largest := traces[0]
	for _, tr := range traces {
		if tr.SpanCount > largest.SpanCount {
			largest = tr
		}
	}
	return []route{
		{name: "dashboard", path: "/", dataPage: "dashboard"},
		{name: "experiments", path: "/experiments", dataPage: "experiments"},
		{name: "experiment", path: "/experiments/" + string(exps[0].ID), dataPage: "experiment"},
		{name: "runs", path: "/runs", dataPage: "runs"},
		{name: "run", path: "/runs/" + string(runs[0].ID), dataPage: "run"},
		{name: "new run", path: "/runs/new", dataPage: "run-new"},
		{name: "registry", path: "/registry", dataPage: "registry"},
		{name: "model", path: "/registry/" + string(models[0].ID), dataPage: "model"},
		{name: "deployments", path: "/deployments", dataPage: "deployments"},
		{name: "deployment", path: "/deployments/" + string(deps[0].ID), dataPage: "deployment"},
		{name: "traces", path: "/traces", dataPage: "traces"},
		{name: "trace", path: "/traces/" + string(traces[0].ID), dataPage: "trace"},
		{name: "largest trace", path: "/traces/" + string(largest.ID), dataPage: "trace"},
		{name: "unknown route", path: "/nope", dataPage: "not-found", notFound: true},
		{name: "unknown run", path: "/runs/run-does-not-exist", dataPage: "not-found", notFound: true},
	}
}

// TestRoutes opens every page in one browser and checks that the wasm client
// mounts, the page root carries the right data-page, and the document has a
// title.
func TestRoutes(t *testing.T) {
	b := newBrowser(t, srv.URL)
	for _, r := range routes(t, srv.URL) {
		t.Run(r.name, func(t *testing.T) {
			p := b.sub(t)
			if r.notFound {
				p.allowConsole(`status of 404`)
			}
			p.open(r.path, r.dataPage)
			if title := eval[string](p, "document.title"); strings.TrimSpace(title) == "" {
				t.Errorf("%s: document.title is empty", r.path)
			}
		})
	}
}

// TestPrerenderedHTML checks the server side of the test contract: every
// page is served as prerendered HTML (404 for unknown routes and ids), and
// #app-ready never appears in it: only the mounted wasm client renders it.
func TestPrerenderedHTML(t *testing.T) {
	for _, r := range routes(t, srv.URL) {
		t.Run(r.name, func(t *testing.T) {
			resp, err := httpClient.Get(srv.URL + r.path)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("GET %s: Content-Type %q; want text/html", r.path, ct)
			}
			if !r.notFound && resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d; want 200", r.path, resp.StatusCode)
			}
			html := string(body)
			if !strings.Contains(html, "/app.js") {
				t.Errorf("GET %s: the HTML does not load /app.js, so the client never starts", r.path)
			}
			if strings.Contains(html, `id="app-ready"`) {
				t.Errorf("GET %s: prerendered HTML contains #app-ready", r.path)
			}
		})
	}
}
