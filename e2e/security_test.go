//go:build !wasm

package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/chromedp/chromedp"
)

// cspProbe records every CSP violation of a document in window.__csp.
const cspProbe = `(() => {
	window.__csp = [];
	document.addEventListener("securitypolicyviolation", e =>
		window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + (e.sourceFile || "?") + ":" + e.lineNumber), true);
})()`

// cspControl makes the page, from a timer (code DevTools evaluates is
// exempt from CSP), add an inline script that the policy must refuse. It
// returns JavaScript that is true once the refusal is reported.
const cspControl = `(() => {
	setTimeout(() => {
		const s = document.createElement("script");
		s.textContent = "window.__inlineRan = true";
		document.head.appendChild(s);
	});
	return true;
})()`

// TestAppWorksUnderCSP opens every page, and every tab of a run, with a
// listener for securitypolicyviolation events installed before the page's
// own scripts: the app mounts and renders under the server's
// Content-Security-Policy without a single violation. On each page a
// control then proves the policy is in force: an inline script that the
// page adds is refused and reported.
func TestAppWorksUnderCSP(t *testing.T) {
	b := newBrowser(t, srv.URL)
	b.addInitScript(cspProbe)
	rs := routes(t, srv.URL)
	var runPath string
	for _, r := range rs {
		if r.dataPage == "run" {
			runPath = r.path
		}
	}
	for _, tab := range []string{"metrics", "logs", "timeline", "config"} {
		rs = append(rs, route{name: "run " + tab, path: runPath + "?tab=" + tab, dataPage: "run"})
	}
	for _, r := range rs {
		t.Run(r.name, func(t *testing.T) {
			p := b.sub(t)
			p.allowConsole(`Executing inline script violates the following Content Security Policy`) // the control
			if r.notFound {
				p.allowConsole(`status of 404`)
			}
			p.open(r.path, r.dataPage)
			time.Sleep(300 * time.Millisecond) // late renders: charts, the timeline, lazy panels
			if v := eval[[]string](p, `window.__csp || ["probe missing"]`); len(v) > 0 {
				t.Errorf("%s: CSP violations: %q", r.path, v)
			}
			eval[bool](p, cspControl)
			p.waitFor("the control's inline script to be refused", `window.__csp.some(v => v.startsWith("script-src"))`)
			if eval[bool](p, `window.__inlineRan === true`) {
				t.Errorf("%s: an inline script added by the page ran: the CSP is not in force", r.path)
			}
		})
	}
}

// TestSecurityHeadersOfTheServer checks the headers of the real binary on
// pages, assets, the API and the stream: CSP (with 'wasm-unsafe-eval',
// frame-ancestors 'none', no 'unsafe-eval' and no inline scripts),
// nosniff, DENY framing, and no CORS grant to another origin, not even on
// a preflight.
func TestSecurityHeadersOfTheServer(t *testing.T) {
	runs := listItems[studio.Run](t, srv.URL, "/api/runs?limit=1")
	if len(runs) == 0 {
		t.Fatal("no runs")
	}
	for _, tt := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/runs/" + string(runs[0].ID)}, {"GET", "/app.js"}, {"GET", "/app.wasm"}, {"GET", "/nope"},
		{"GET", "/api/runs?limit=1"}, {"GET", "/api/nope"}, {"GET", "/ws/runs/" + string(runs[0].ID)},
		{"OPTIONS", "/api/runs"}, {"OPTIONS", "/api/deployments/x/rollback"},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			req.Header.Set("Origin", "https://evil.test")
			if tt.method == "OPTIONS" {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "content-type")
			}
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			scriptSrc, _, _ := strings.Cut(strings.SplitN(csp+";", "script-src", 2)[1], ";")
			if strings.Contains(csp, "'unsafe-eval'") || strings.Contains(scriptSrc, "'unsafe-inline'") || strings.Contains(scriptSrc, "*") {
				t.Errorf("CSP %q allows eval or inline scripts", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("X-Content-Type-Options %q, X-Frame-Options %q; want nosniff, DENY", h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"))
			}
			for k := range h {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("%s: %q granted to another origin", k, h.Get(k))
				}
			}
		})
	}
}

// TestCrossSitePagesCannotActOrSubscribe serves a page from another
// origin (another port on 127.0.0.1, which is same-site, and localhost,
// which is cross-site) that tries, in a real browser, to open the run
// stream, read the API with fetch, and change a deployment with a no-cors
// fetch and with a form post. The stream is refused (403), the read is
// blocked by the browser (no CORS grant), and the deployment is unchanged
// (the server refuses cross-site writes with 403).
func TestCrossSitePagesCannotActOrSubscribe(t *testing.T) {
	s := newServer(t) // if a write got through it would change a deployment
	runs := listItems[studio.Run](t, s.URL, "/api/runs?status=running&limit=1")
	deps := listItems[studio.Deployment](t, s.URL, "/api/deployments")
	if len(runs) == 0 || len(deps) == 0 {
		t.Fatal("no running run or no deployment")
	}
	dep := deps[0]
	ws := "ws" + strings.TrimPrefix(s.URL, "http") + "/ws/runs/" + string(runs[0].ID)
	attack := fmt.Sprintf(`<!doctype html><title>elsewhere</title>
<iframe name="sink"></iframe>
<form id="f" method="POST" target="sink" action="%[1]s/api/deployments/%[2]s/simulate-incident"><input name="x" value="1"></form>
<script>
window.__r = {};
const ws = new WebSocket(%[3]q);
ws.onopen = () => { window.__r.ws = "open" };
ws.onclose = e => { window.__r.ws = window.__r.ws || "closed " + e.code };
fetch(%[1]q + "/api/runs?limit=1").then(r => r.text()).then(t => { window.__r.read = "read " + t.length }, () => { window.__r.read = "blocked" });
fetch(%[1]q + "/api/deployments/%[2]s/rollback", {method: "POST", mode: "no-cors"}).then(r => { window.__r.post = r.type }, e => { window.__r.post = "failed" });
document.getElementById("f").submit();
window.__r.form = "sent";
</script>`, s.URL, dep.ID, ws)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, attack)
	}))
	defer evil.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(evil.URL, "http://"))
	before := apiGet[studio.Deployment](t, s.URL, "/api/deployments/"+string(dep.ID))

	for _, origin := range []string{"http://127.0.0.1:" + port, "http://localhost:" + port} {
		t.Run(origin, func(t *testing.T) {
			p := newBrowser(t, origin)
			p.allowConsole(`WebSocket connection to .* failed`, `blocked by CORS policy`, `Failed to load resource`, `ERR_FAILED`,
				`status of 403`, `Refused to (display|frame)`, `frame-ancestors`, `X-Frame-Options`)
			p.do("open the page elsewhere", chromedp.Navigate(origin+"/"))
			p.waitFor("the page's attempts to finish", `window.__r && window.__r.ws && window.__r.read && window.__r.post && window.__r.form`)
			type result struct{ WS, Read, Post, Form string }
			r := eval[result](p, `({WS: window.__r.ws, Read: window.__r.read, Post: window.__r.post, Form: window.__r.form})`)
			if r.WS == "open" {
				t.Errorf("a page on %s opened the run stream", origin)
			}
			if r.Read != "blocked" {
				t.Errorf("a page on %s read the API: %s", origin, r.Read)
			}
			time.Sleep(500 * time.Millisecond) // the form post's response
			after := apiGet[studio.Deployment](t, s.URL, "/api/deployments/"+string(dep.ID))
			if len(after.History) != len(before.History) || after.Status != before.Status {
				t.Errorf("a page on %s changed deployment %s: history %d -> %d, status %s -> %s",
					origin, dep.ID, len(before.History), len(after.History), before.Status, after.Status)
			}
			t.Logf("from %s: stream %s, read %s, no-cors post %s, form %s", origin, r.WS, r.Read, r.Post, r.Form)
			p.forgetRequests() // the page is elsewhere on purpose: its requests to the server are the test
		})
	}
}

// forgetRequests marks every request of the page so far as judged, for a
// test whose page talks to another origin on purpose.
func (p *page) forgetRequests() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.judgedReqs = len(p.requests)
}
