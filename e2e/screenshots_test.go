//go:build !wasm

package e2e

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestScreenshots writes a full-page screenshot of every page, light and
// dark, to e2e/screenshots/ for people to look at. It is opt-in:
// E2E_SCREENSHOTS=1 go test -run TestScreenshots ./e2e/ (or make e2e-screenshots).
func TestScreenshots(t *testing.T) {
	if os.Getenv("E2E_SCREENSHOTS") != "1" {
		t.Skip("set E2E_SCREENSHOTS=1 to write screenshots of every page")
	}
	b := newBrowser(t, srv.URL)
	for _, r := range routes(t, srv.URL) {
		t.Run(r.name, func(t *testing.T) {
			p := b.sub(t)
			if r.notFound {
				p.allowConsole(`status of 404`)
			}
			p.open(r.path, r.dataPage)
			p.settle()
			p.screenshots(strings.ReplaceAll(r.name, " ", "-"))
		})
	}
}

// settle waits, for up to 5 s, until the page shows no loading state
// (aria-busy or a skeleton), then a little longer for charts to draw.
func (p *page) settle() {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if p.count(`[aria-busy=true], .skeleton, [data-loading=true]`) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond)
}
