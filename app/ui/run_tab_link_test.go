package ui

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestRunTabHref(t *testing.T) {
	tests := []struct {
		name string
		id   studio.RunID
		tab  string
		raw  string
		want string
	}{
		{"no view state", "run-0042", "metrics", "", "/runs/run-0042?tab=metrics"},
		{"the tab is replaced", "run-0042", "logs", "tab=metrics", "/runs/run-0042?tab=logs"},
		{"chart settings are kept", "run-0042", "logs", "tab=metrics&smooth=0.9&x=wall&log=loss&zoom=loss:100-2000",
			"/runs/run-0042?log=loss&smooth=0.9&tab=logs&x=wall&zoom=loss%3A100-2000"},
		{"back to the metrics tab", "run-0042", "metrics", "smooth=0.9&tab=logs&x=wall", "/runs/run-0042?smooth=0.9&tab=metrics&x=wall"},
		{"timeline window, pins and the log line are kept", "run-0007", "overview",
			"tab=timeline&from=2026-11-20T10:00:00.000Z&to=2026-11-20T11:00:00.000Z&pins=ev-1,ev-2&line=12",
			"/runs/run-0007?from=2026-11-20T10%3A00%3A00.000Z&line=12&pins=ev-1%2Cev-2&tab=overview&to=2026-11-20T11%3A00%3A00.000Z"},
		{"repeated tab values all go", "run-1", "config", "tab=a&tab=b&x=step", "/runs/run-1?tab=config&x=step"},
		{"the id is escaped", "a b", "logs", "", "/runs/a%20b?tab=logs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			before := q.Encode()
			if got := runTabHref(tt.id, tt.tab, q); got != tt.want {
				t.Errorf("runTabHref(%q, %q, %q) = %q; want %q", tt.id, tt.tab, tt.raw, got, tt.want)
			}
			if q.Encode() != before {
				t.Errorf("runTabHref changed its query to %q", q.Encode())
			}
		})
	}
}

// TestRunPageTabLinksKeepViewState renders the run page opened with chart
// settings in its URL: every tab link carries them.
func TestRunPageTabLinksKeepViewState(t *testing.T) {
	p := &RunPage{id: "run-0042", urlQuery: url.Values{"tab": {"metrics"}, "smooth": {"0.9"}, "x": {"wall"}}}
	p.tab = tabIndex("metrics")
	p.run.Result = query.Result[studio.Run]{Data: testRun("run-0042", studio.RunRunning), HasData: true}
	html := app.HTMLString(p)
	for _, tab := range runTabs {
		want := `href="/runs/run-0042?smooth=0.9&tab=` + tab.id + `&x=wall"`
		if !strings.Contains(html, want) {
			t.Errorf("tab %s: no link %s", tab.id, want)
		}
	}
}
