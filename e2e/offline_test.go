//go:build !wasm

package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// offlineIndicator matches the app's sign that the server cannot be reached.
const offlineIndicator = `[data-testid=offline], [data-testid=connection][data-state=offline], [data-testid=ws-status][data-state=offline]`

// TestOfflineReload loads the app once so that its service worker caches the
// shell, stops the server, reloads, and expects the app to start from the
// cache and say that it is offline.
func TestOfflineReload(t *testing.T) {
	s := newServer(t)
	p := newBrowser(t, s.URL)
	// With the server gone, requests fail and the browser reports them.
	p.allowConsole(`ERR_CONNECTION_REFUSED`, `Failed to fetch`, `WebSocket connection .* failed`, `status of 50[0-9]`, `NetworkError`)
	p.open("/", "dashboard")

	// The worker caches the shell during its install; wait until it controls
	// the page and the wasm is in the cache.
	p.waitFor("the service worker to control the page", `!!navigator.serviceWorker && !!navigator.serviceWorker.controller`)
	p.waitFor("app.wasm in the service worker cache", `(async () => {
		for (const k of await caches.keys()) {
			if (await (await caches.open(k)).match("/web/app.wasm")) return true;
		}
		return false;
	})()`)

	if err := s.stop(); err != nil {
		t.Fatalf("stop server: %v", err)
	}
	p.do("reload without the server", chromedp.Reload())
	p.waitPage("dashboard")
	p.waitFor("an offline indicator ("+offlineIndicator+")", `!!document.querySelector(`+jsString(offlineIndicator)+`)`)
}
