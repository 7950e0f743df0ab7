//go:build !wasm

package ui

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// TestShellPrerender renders each page as the server does (no OnMount):
// the right data-page, the marked navigation entry, and no #app-ready.
func TestShellPrerender(t *testing.T) {
	tests := []struct {
		page     pageKind
		dataPage string
		current  string
	}{
		{pageDashboard, "dashboard", "Dashboard"},
		{pageExperiments, "experiments", "Experiments"},
		{pageExperiment, "experiment", "Experiments"},
		{pageRuns, "runs", "Experiments"},
		{pageRunNew, "run-new", "Experiments"},
		{pageRun, "run", "Experiments"},
		{pageRegistry, "registry", "Registry"},
		{pageModel, "model", "Registry"},
		{pageDeployments, "deployments", "Deployments"},
		{pageDeployment, "deployment", "Deployments"},
		{pageTraces, "traces", "Traces"},
		{pageTrace, "trace", "Traces"},
		{pageNotFound, "not-found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.dataPage, func(t *testing.T) {
			s := &Shell{Page: tt.page}
			e := app.NewTestEngine()
			if err := e.Load(s); err != nil {
				t.Fatal(err)
			}
			e.ConsumeAll()
			html := app.HTMLString(s)
			if !strings.Contains(html, `data-page="`+tt.dataPage+`"`) {
				t.Errorf("page %s lacks its data-page:\n%.600s", tt.dataPage, html)
			}
			if strings.Contains(html, "app-ready") {
				t.Error("prerendered shell contains #app-ready")
			}
			if tt.current != "" && !strings.Contains(html, `aria-current="page"`) {
				t.Error("no navigation entry is marked current")
			}
			for _, landmark := range []string{"<header", "<nav", "<main", `class="skip-link"`} {
				if !strings.Contains(html, landmark) {
					t.Errorf("shell lacks %s", landmark)
				}
			}
		})
	}
}
