//go:build !wasm

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// browser is one headless Chromium with one tab and a fresh profile. It
// records every console message and every request of the tab.
type browser struct {
	ctx  context.Context // the tab; no deadline (see withTimeout)
	base string          // server URL, e.g. http://127.0.0.1:41234

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
	requests []string // URLs the page requested
	syncN    int
	// judgedMsgs and judgedReqs count the messages and requests a finished
	// page already judged, so a parent test does not judge its subtests'.
	judgedMsgs, judgedReqs int
}

// page is a browser as seen by one test or subtest: failures go to t, and
// console errors are judged per page.
type page struct {
	*browser
	t       *testing.T
	allow   []*regexp.Regexp // console errors this test expects
	hasSubs bool             // subtests took screenshots of their own
}

// newBrowser starts a browser for t against base (a server URL). When t
// ends, the page fails t on any console error or uncaught exception it did
// not allow, and on any request that left the server's origin (see judge);
// if t failed, it writes light and dark screenshots to e2e/screenshots/.
func newBrowser(t *testing.T, base string) *page {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromeBin()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 800),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() }) // runs before t.TempDir's removal
	if err := chromedp.Do(ctx); err != nil {         // the first Do starts the browser: never with a deadline
		t.Fatalf("start browser %s: %v", chromeBin(), err)
	}
	b := &browser{ctx: ctx, base: base}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.requests = append(b.requests, ev.Request.URL)
			b.mu.Unlock()
		}
	}()
	p := &page{browser: b, t: t}
	t.Cleanup(p.finish)
	return p
}

// sub returns the page for subtest t: its console errors and screenshots are
// judged and named separately. Call it first thing in the subtest; what
// happened before is judged as the parent's.
func (p *page) sub(t *testing.T) *page {
	t.Helper()
	p.judge()
	p.mu.Lock()
	p.hasSubs = true
	p.mu.Unlock()
	s := &page{browser: p.browser, t: t, allow: slices.Clone(p.allow)}
	t.Cleanup(s.finish)
	return s
}

// allowConsole makes console errors matching any of patterns expected for the
// rest of this page's test (for example a 404 the test provokes).
func (p *page) allowConsole(patterns ...string) {
	for _, s := range patterns {
		p.allow = append(p.allow, regexp.MustCompile(s))
	}
}

// judge fails the page's test on every console error or uncaught exception
// it did not allow, and on every request that left the server's origin,
// among those that arrived since the last judgement; it returns the console
// messages it looked at.
func (p *page) judge() []chromedp.ConsoleMessage {
	t := p.t
	p.sync()
	p.mu.Lock()
	msgs := slices.Clone(p.messages[p.judgedMsgs:])
	reqs := slices.Clone(p.requests[p.judgedReqs:])
	p.judgedMsgs, p.judgedReqs = len(p.messages), len(p.requests)
	p.mu.Unlock()
	for _, m := range msgs {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
			continue
		}
		text := describe(m)
		if p.allowed(text) {
			t.Logf("expected console %s: %s", m.Type, text)
			continue
		}
		t.Errorf("console %s: %s", m.Type, text)
	}
	base, _ := url.Parse(p.base)
	for _, r := range reqs {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Host != base.Host) {
			t.Errorf("the page requested %s: every resource must come from %s", r, p.base)
		}
	}
	return msgs
}

// finish judges the page and, when its test failed, logs its console and
// takes light and dark screenshots (unless subtests took their own).
func (p *page) finish() {
	t := p.t
	msgs := p.judge()
	p.mu.Lock()
	hasSubs := p.hasSubs
	p.mu.Unlock()
	if t.Failed() && !hasSubs {
		var log []string
		for _, m := range msgs {
			if !strings.HasPrefix(m.Text, "e2e-sync-") {
				log = append(log, fmt.Sprintf("  %s: %s", m.Type, describe(m)))
			}
		}
		if len(log) > 60 {
			log = log[len(log)-60:]
		}
		t.Logf("console of the failed test:\n%s", strings.Join(log, "\n"))
		p.screenshots("failed-" + t.Name())
	}
}

func (p *page) allowed(text string) bool {
	for _, re := range p.allow {
		if re.MatchString(text) {
			return true
		}
	}
	return false
}

func describe(m chromedp.ConsoleMessage) string {
	s := m.Text
	if m.Exception != nil && m.Exception.Exception != nil && m.Exception.Exception.Description != "" {
		s = m.Exception.Exception.Description
	}
	if m.URL != "" {
		s += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
	}
	return s
}

// sync waits until every console message the page wrote so far has been
// collected: it logs a marker and waits for it to come back.
func (p *page) sync() {
	p.mu.Lock()
	p.syncN++
	marker := fmt.Sprintf("e2e-sync-%d", p.syncN)
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.debug(%q)", marker))); err != nil {
		return // the tab may be gone; judge what arrived
	}
	for ctx.Err() == nil {
		p.mu.Lock()
		for _, m := range p.messages[p.judgedMsgs:] {
			if m.Text == marker {
				p.mu.Unlock()
				time.Sleep(50 * time.Millisecond) // browser-log entries travel separately
				return
			}
		}
		p.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
}

// do runs steps with the step timeout and fails the test on error.
func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := withTimeout(p.ctx)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v\n%s", what, err, p.state())
	}
}

// open navigates to path and waits until the wasm client has mounted
// (#app-ready) and the page root carries data-page=dataPage.
func (p *page) open(path, dataPage string) {
	p.t.Helper()
	p.do("navigate to "+path, chromedp.Navigate(p.base+path))
	p.waitPage(dataPage)
}

// waitPage waits for #app-ready and a [data-page=dataPage] element, without
// navigating (after a click, a redirect or a reload).
func (p *page) waitPage(dataPage string) {
	p.t.Helper()
	p.do("wait for #app-ready", chromedp.WaitReady(chromedp.ID("app-ready")))
	p.do(fmt.Sprintf("wait for [data-page=%q]", dataPage), chromedp.WaitReady(chromedp.CSS(fmt.Sprintf("[data-page=%q]", dataPage))))
}

// state describes where the page is, for failure messages.
func (p *page) state() string {
	ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({
		url: location.href,
		appReady: !!document.getElementById("app-ready"),
		pages: Array.from(document.querySelectorAll("[data-page]")).map(e => e.dataset.page),
		text: (document.body ? document.body.innerText : "").slice(0, 400)
	})`))
	if err != nil {
		return "page state unavailable: " + err.Error()
	}
	return "page state: " + s
}

// eval evaluates js in the page and decodes its value into T.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := withTimeout(p.ctx)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v\n%s", js, err, p.state())
	}
	return v
}

// waitFor polls the JavaScript expression js until it is truthy, and fails
// the test with what when the step timeout passes first.
func (p *page) waitFor(what, js string) {
	p.t.Helper()
	ctx, cancel := withTimeout(p.ctx)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout()))); err != nil {
		p.t.Fatalf("waiting for %s (%s): %v\n%s", what, js, err, p.state())
	}
}

// press types s as a person would: for each character a keyDown event that
// carries its text, then a keyUp. Unlike chromedp.KeyEvent, which sends the
// text as a separate char event, this lets a page's keydown handler cancel
// the text with preventDefault, as a real keyboard does (the "/" shortcut
// relies on it).
func (p *page) press(s string) {
	p.t.Helper()
	p.do(fmt.Sprintf("press %q", s), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range s {
			k, ok := kb.Keys[r]
			if !ok {
				return fmt.Errorf("no key for %q", r)
			}
			down := input.DispatchKeyEventParams{
				Type: input.DispatchKeyEventTypeKeyDown, Key: k.Key, Code: k.Code,
				Text: k.Text, UnmodifiedText: k.Unmodified,
				WindowsVirtualKeyCode: k.Windows, NativeVirtualKeyCode: k.Native,
			}
			if k.Shift {
				down.Modifiers = int64(chromedp.ModifierShift)
			}
			if !k.Print {
				down.Type = input.DispatchKeyEventTypeRawKeyDown
			}
			up := down
			up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
			for _, ev := range []input.DispatchKeyEventParams{down, up} {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
					return err
				}
			}
		}
		return nil
	}))
}

// setField sets the value of the form control matched by the CSS selector
// and dispatches input and change events, as a user's edit would.
func (p *page) setField(selector, value string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return "no element";
		const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype :
			el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
		el.focus();
		Object.getOwnPropertyDescriptor(proto, "value").set.call(el, %q);
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		el.blur();
		return "";
	})()`, selector, value)
	if msg := eval[string](p, js); msg != "" {
		p.t.Fatalf("set %s = %q: %s\n%s", selector, value, msg, p.state())
	}
}

// count returns how many elements match the CSS selector.
func (p *page) count(selector string) int {
	p.t.Helper()
	return eval[int](p, fmt.Sprintf("document.querySelectorAll(%q).length", selector))
}

// texts returns the innerText of every element matching the CSS selector.
func (p *page) texts(selector string) []string {
	p.t.Helper()
	return eval[[]string](p, fmt.Sprintf("Array.from(document.querySelectorAll(%q), e => e.innerText)", selector))
}

// rows returns the text of every rendered row of the first data table.
func (p *page) rows() []string {
	p.t.Helper()
	return p.texts("[data-testid=table] [data-testid=row]")
}

// location returns the page's current URL path and query.
func (p *page) location() string {
	p.t.Helper()
	return eval[string](p, "location.pathname + location.search")
}

// colorScheme emulates prefers-color-scheme: "light" or "dark", or "" for
// the browser's own.
func (p *page) colorScheme(scheme string) error {
	ctx, cancel := withTimeout(p.ctx)
	defer cancel()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	return err
}

// screenshotDir is where screenshots go.
func screenshotDir() string { return filepath.Join(root, "e2e", "screenshots") }

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// screenshots writes a full-page screenshot of the current page in the light
// and the dark colour scheme to e2e/screenshots/NAME-light.png and -dark.png.
// It logs failures instead of failing: a screenshot is evidence, not a check.
func (p *page) screenshots(name string) {
	name = unsafeName.ReplaceAllString(name, "_")
	if err := os.MkdirAll(screenshotDir(), 0o755); err != nil {
		p.t.Logf("screenshots: %v", err)
		return
	}
	for _, scheme := range []string{"light", "dark"} {
		if err := p.colorScheme(scheme); err != nil {
			p.t.Logf("screenshot %s: emulate %s: %v", name, scheme, err)
			return
		}
		time.Sleep(150 * time.Millisecond) // let theme transitions settle
		ctx, cancel := withTimeout(p.ctx)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			p.t.Logf("screenshot %s (%s): %v", name, scheme, err)
			return
		}
		path := filepath.Join(screenshotDir(), name+"-"+scheme+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			p.t.Logf("screenshot: %v", err)
			return
		}
		p.t.Logf("screenshot: %s", path)
	}
	p.colorScheme("")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
