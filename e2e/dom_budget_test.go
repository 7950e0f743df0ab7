//go:build !wasm

package e2e

import (
	"fmt"
	"testing"
)

// maxDOMRows is the DOM row budget of a virtualized list: whatever the
// list's length, fewer rows than this are in the document at once.
const maxDOMRows = 200

// TestDOMRowBudget holds the runs table of a dataset of about 1,300 runs
// (-scale 8) to fewer than maxDOMRows rows in the DOM, at its top, middle
// and end. (The log viewer's budget is checked by
// TestLogViewerMillionLines.)
func TestDOMRowBudget(t *testing.T) {
	s := newServer(t, "-scale", "8")
	p := newBrowser(t, s.URL)
	p.open("/runs", "runs")
	p.waitFor("rows", "document.querySelectorAll('[data-testid=table] [data-testid=row]').length > 0")
	total := eval[int](p, `Number(document.querySelector("[data-testid=table]").getAttribute("aria-rowcount") || 0) - 1`)
	if total < 5*maxDOMRows {
		t.Fatalf("the runs table has %d rows; want a table much longer than the budget", total)
	}
	for _, frac := range []float64{0, 0.5, 1} {
		eval[any](p, fmt.Sprintf(`new Promise(resolve => {
			const g = document.querySelector("[data-testid=table]");
			g.scrollTop = (g.scrollHeight - g.clientHeight) * %v;
			requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 100)));
		})`, frac))
		if n := p.count("[data-testid=table] [data-testid=row]"); n == 0 || n >= maxDOMRows {
			t.Errorf("scrolled to %.0f%% of %d runs: %d rows in the DOM; want 1..%d", 100*frac, total, n, maxDOMRows-1)
		}
	}
}
