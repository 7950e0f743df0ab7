//go:build !wasm

package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestShortcutHelp opens the "?" overlay on the timeline tab and checks
// that it lists the keys of every part of the app, grouped: the timeline's
// j, k, p, Enter and window keys, the log viewer's search keys, the
// tables' and the tabs'. Escape closes it. With E2E_SCREENSHOTS=1 it also
// writes screenshots of the overlay.
func TestShortcutHelp(t *testing.T) {
	p := newBrowser(t, srv.URL)
	p.tallViewport(1400)
	p.open("/runs/"+bigLogRun+"?tab=timeline", "run")
	p.do("focus the page", chromedp.Evaluate[chromedp.Void](`document.activeElement?.blur()`))
	p.press("?")
	p.waitFor("the help", `document.querySelector("[data-testid=shortcut-help]") !== null`)
	groups := eval[map[string]string](p, `Object.fromEntries([...document.querySelectorAll("[data-testid=shortcut-help] [data-group]")].map(s => [s.dataset.group, s.innerText]))`)
	want := map[string][]string{
		"Anywhere":        {"g", "then", "Show or hide this help"},
		"Tables":          {"Open the active row", "PgUp"},
		"Run page tabs":   {"Previous or next tab"},
		"Log viewer":      {"Ctrl", "Search the whole log", "previous match", "clear the search"},
		"Timeline":        {"Focus the next event", "Focus the previous event", "Pin or unpin the focused event", "Enter", "Space", "Show the whole span", "window brush", "Shift", "PgDn"},
		"Trace waterfall": {"Collapse the span", "Clear the selection"},
	}
	for group, texts := range want {
		got, ok := groups[group]
		if !ok {
			t.Errorf("the help has no %q group (groups: %v)", group, keys(groups))
			continue
		}
		for _, s := range texts {
			if !strings.Contains(got, s) {
				t.Errorf("the %q group lacks %q:\n%s", group, s, got)
			}
		}
	}
	if os.Getenv("E2E_SCREENSHOTS") == "1" {
		p.viewShots("shortcut-help")
	}
	p.press(kb.Escape)
	p.waitFor("the help closed", `document.querySelector("[data-testid=shortcut-help]") === null`)
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
