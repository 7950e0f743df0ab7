//go:build !wasm

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// longRun has 100,000 steps per metric.
const longRun = "run-0017"

// chartBox returns the page coordinates of a chart's plot area.
func (p *page) chartBox(metric string) (x0, y0, x1, y1 float64) {
	p.t.Helper()
	b := eval[[]float64](p, fmt.Sprintf(`(() => {
		const r = document.querySelector('[data-testid=chart][data-metric=%q] .mchart-overlay').getBoundingClientRect();
		return [r.left, r.top, r.right, r.bottom];
	})()`, metric))
	return b[0], b[1], b[2], b[3]
}

// chartsDrawn is true once the metrics tab of longRun shows its seven
// charts, each with its raw series drawn.
const chartsDrawn = `document.querySelectorAll("[data-testid=chart] svg path.mchart-raw[d^=M]").length === 7`

// waitLoad is waitFor with three step timeouts, for the 100,000-step
// run's first render on a loaded machine (the wasm start, the run and
// seven series fetches). js must not throw while the page is loading
// (Poll fails at once on an exception): use ?. on elements that come later.
func (p *page) waitLoad(what, js string) {
	p.t.Helper()
	d := 3 * stepTimeout()
	ctx, cancel := context.WithTimeout(p.ctx, d)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		p.t.Fatalf("waiting for %s (%s): %v\n%s", what, js, err, p.state())
	}
}

// chartMouse sends one mouse event at (x, y).
func (p *page) chartMouse(typ input.DispatchMouseEventType, x, y float64, clicks int64) {
	p.t.Helper()
	p.do("mouse "+string(typ), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		ev := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonNone}
		if typ == input.DispatchMouseEventTypeMousePressed || typ == input.DispatchMouseEventTypeMouseReleased {
			ev.Button, ev.ClickCount = input.MouseButtonLeft, clicks
		}
		_, err := cdp.Call(ctx, tg, input.DispatchMouseEvent, ev)
		return err
	}))
}

// TestChartInteractions checks the charts of the 100,000-step run: every
// metric is drawn, hovering one chart moves the crosshair of all of them
// to the same step, dragging zooms (and fetches the range finer),
// double-clicking resets, the log toggle and the smoothing slider work,
// and the download links carry the chart's window, smoothing and scale.
func TestChartInteractions(t *testing.T) {
	p := newBrowser(t, srv.URL)
	p.open("/runs/"+longRun+"?tab=metrics", "run")
	p.waitLoad("seven charts drawn", chartsDrawn)
	for _, m := range []string{"loss", "accuracy", "throughput"} {
		if cs := p.chartState(m); cs.Points != 100_000 || cs.LastStep != 99_999 || cs.Drawn == 0 || cs.Drawn > 2000 {
			t.Errorf("%s: %+v; want 100000 points to step 99999, decimated to under 2000 drawn", m, cs)
		}
	}

	x0, y0, x1, y1 := p.chartBox("loss")
	midY := (y0 + y1) / 2
	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.4, midY, 0)
	p.waitFor("crosshairs on every chart", `(() => {
		const cs = [...document.querySelectorAll("[data-testid=chart]")];
		const steps = new Set(cs.map(c => c.dataset.hoverStep));
		return cs.length === 7 && steps.size === 1 && !steps.has("") && !steps.has(undefined) &&
			cs.every(c => c.querySelector(".mchart-cross")?.style.visibility === "visible");
	})()`)
	step := eval[string](p, `document.querySelector('[data-testid=chart][data-metric=loss]').dataset.hoverStep`)
	tip := eval[string](p, `document.querySelector('[data-testid=chart][data-metric=accuracy] .mchart-tip').textContent`)
	if !strings.Contains(tip, "Accuracy") || !strings.Contains(tip, "step ") {
		t.Errorf("accuracy tooltip = %q; want its value at step %s", tip, step)
	}
	t.Logf("hover at 40%%: step %s; accuracy tooltip %q", step, tip)

	// Drag from 20% to 30% of the width: zoom to about steps 20k-30k.
	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.2, midY, 0)
	p.chartMouse(input.DispatchMouseEventTypeMousePressed, x0+(x1-x0)*0.2, midY, 1)
	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.25, midY, 0)
	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.3, midY, 0)
	p.chartMouse(input.DispatchMouseEventTypeMouseReleased, x0+(x1-x0)*0.3, midY, 1)
	p.waitFor("zoomed", `document.querySelector('[data-testid=chart][data-metric=loss]')?.dataset.zoomed === "true"`)
	href := eval[string](p, `document.querySelector('[data-testid=chart][data-metric=loss] a[data-format=png]').getAttribute("href")`)
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/api/runs/"+longRun+"/metrics/chart.png" || q.Get("name") != "loss" || q.Get("smooth") != "0.6" || q.Get("x") != "step" || q.Get("log") != "false" {
		t.Errorf("png link %s; want the chart's metric, smoothing, scale and axis", href)
	}
	var from, to int
	fmt.Sscan(q.Get("from"), &from)
	fmt.Sscan(q.Get("to"), &to)
	if from < 15_000 || from > 25_000 || to < 25_000 || to > 35_000 {
		t.Errorf("png link window %d..%d; want about 20000..30000", from, to)
	}
	// The zoomed range is fetched finer: more points than the overview
	// had in that range.
	p.waitFor("a finer fetch", `performance.getEntriesByType("resource").some(e => e.name.includes("/metrics?name=loss&from="))`)

	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.5, midY, 0)
	p.chartMouse(input.DispatchMouseEventTypeMousePressed, x0+(x1-x0)*0.5, midY, 1)
	p.chartMouse(input.DispatchMouseEventTypeMouseReleased, x0+(x1-x0)*0.5, midY, 1)
	p.chartMouse(input.DispatchMouseEventTypeMousePressed, x0+(x1-x0)*0.5, midY, 2)
	p.chartMouse(input.DispatchMouseEventTypeMouseReleased, x0+(x1-x0)*0.5, midY, 2)
	p.waitFor("zoom reset", `document.querySelector('[data-testid=chart][data-metric=loss]')?.dataset.zoomed === "false"`)

	p.do("log scale", chromedp.Click(chromedp.CSS(`[data-testid=chart][data-metric=loss] [data-action=log]`)))
	p.waitFor("log axis", `document.querySelector('[data-testid=chart][data-metric=loss]')?.dataset.log === "true"`)

	p.setField(`[data-testid=smoothing]`, "0.9")
	p.waitFor("smoothing in the URL", `location.search.includes("smooth=0.9")`)
	p.do("wall time axis", chromedp.Click(chromedp.CSS(`[data-x=wall]`)))
	p.waitFor("x in the URL", `location.search.includes("x=wall")`)
	p.waitFor("the download links follow", `(() => {
		const h = document.querySelector('[data-testid=chart][data-metric=val_loss] a[data-format=svg]')?.getAttribute("href") || "";
		return h.includes("x=time") && h.includes("smooth=0.9");
	})()`)
	// The settings survive a reload: the page mounts before the run has
	// loaded (the tab shows a skeleton), so wait for the charts, then check
	// the toolbar and every chart's download links.
	p.open("/runs/"+longRun+"?tab=metrics&smooth=0.9&x=wall", "run")
	p.waitLoad("seven charts drawn after the reload", chartsDrawn)
	p.waitFor("the settings restored", `(() => {
		const pressed = [...document.querySelectorAll("[data-x]")].filter(b => b.getAttribute("aria-pressed") === "true").map(b => b.dataset.x);
		const links = [...document.querySelectorAll("[data-testid=chart] a[data-format=svg]")].map(a => a.getAttribute("href"));
		return pressed.length === 1 && pressed[0] === "wall" &&
			document.querySelector("[data-testid=smoothing]")?.value === "0.9" &&
			document.querySelector(".smooth-val")?.textContent === "0.90" &&
			links.length === 7 && links.every(h => h.includes("x=time") && h.includes("smooth=0.9"));
	})()`)
	if got := eval[string](p, `location.search`); !strings.Contains(got, "smooth=0.9") || !strings.Contains(got, "x=wall") {
		t.Errorf("URL after the reload has %q; want smooth=0.9 and x=wall kept", got)
	}
}

// TestPerfChart measures the 100,000-step run's metrics tab: the time
// from navigation to seven drawn charts, the charts' own render time, and
// the cost of a hover per frame (the handler plus the synced crosshair
// update of all seven charts).
func TestPerfChart(t *testing.T) {
	perfEnabled(t)
	p := newBrowser(t, srv.URL)
	p.addScript(logPerfLoAF)
	p.addScript(`window.__drawn = 0; new MutationObserver(() => {
		if (!window.__drawn && document.querySelectorAll("[data-testid=chart] svg path.mchart-raw[d^=M]").length === 7) window.__drawn = performance.now();
	}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["d"]});`)
	start := time.Now()
	p.open("/runs/"+longRun+"?tab=metrics", "run")
	p.waitLoad("seven charts drawn", chartsDrawn)
	t.Logf("navigate → 7 charts drawn: %v", time.Since(start).Round(time.Millisecond))
	tm := eval[[]float64](p, `(() => {
		const rs = performance.getEntriesByType("resource").filter(e => /\/metrics\?name=[a-z_]+&max_points=/.test(e.name));
		const last = Math.max(0, ...rs.map(r => r.responseEnd));
		const lt = __perf.lt.filter(d => d > 0);
		return [rs.length, last, window.__drawn, lt.length, Math.max(0, ...lt), rs.reduce((a, r) => a + r.transferSize, 0)];
	})()`)
	t.Logf("%.0f series responses (1200 of 100,000 points each, %.0f bytes in all), the last received at %.0f ms; 7 charts drawn at %.0f ms (%.0f ms after it); %.0f long tasks during the load, the longest %.0f ms", tm[0], tm[5], tm[1], tm[2], tm[2]-tm[1], tm[3], tm[4])
	st := eval[logFrameStats](p, `new Promise(resolve => {
		const ov = document.querySelector('[data-testid=chart][data-metric=loss] .mchart-overlay');
		const r = ov.getBoundingClientRect();
		__perf.reset();
		const deltas = [], work = []; let last = performance.now(); const end = last + 3000; let i = 0;
		function frame(now) {
			deltas.push(now - last); last = now;
			const x = r.left + (r.width * ((i++ * 7) % 100)) / 100;
			const t0 = performance.now();
			ov.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: r.top + r.height / 2, bubbles: true}));
			work.push(performance.now() - t0);
			if (now < end) { requestAnimationFrame(frame); return; }
			const w = work.slice().sort((a, b) => a - b);
			resolve(__perf.summary(deltas.slice(1), {workP95: w[Math.floor(w.length * 0.95)], workMax: w[w.length - 1], workFrames: w.length}));
		}
		requestAnimationFrame(frame);
	})`)
	t.Logf("hover across the loss chart for 3 s (7 synced charts): %s", st)
	recordMeasures(t, "chart",
		perfMeasure{Issue: 4, What: "7 charts of 100,000 steps: first render after the last response", Value: tm[2] - tm[1], Limit: 50, Unit: "ms"},
		perfMeasure{Issue: 4, What: "chart hover: handler work per frame (7 synced charts), p95", Value: st.WorkP95, Limit: 8, Unit: "ms"})
}

// zoomRange reads metric's zoomed step range from the page URL's ?zoom=.
func (p *page) zoomRange(metric string) (from, to int) {
	p.t.Helper()
	q, err := url.ParseQuery(strings.TrimPrefix(eval[string](p, "location.search"), "?"))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, e := range strings.Split(q.Get("zoom"), ",") {
		if name, span, ok := strings.Cut(e, ":"); ok && name == metric {
			fmt.Sscanf(span, "%d-%d", &from, &to)
			return from, to
		}
	}
	p.t.Fatalf("no zoom of %s in the URL %s", metric, p.location())
	return 0, 0
}

// exportRange reads the step window of metric's PNG download link.
func (p *page) exportRange(metric string) (from, to int) {
	p.t.Helper()
	href := eval[string](p, fmt.Sprintf(`document.querySelector('[data-testid=chart][data-metric=%q] a[data-format=png]').getAttribute("href")`, metric))
	u, err := url.Parse(href)
	if err != nil {
		p.t.Fatal(err)
	}
	fmt.Sscan(u.Query().Get("from"), &from)
	fmt.Sscan(u.Query().Get("to"), &to)
	return from, to
}

// near reports whether a is within tol of b.
func near(a, b, tol int) bool { return a >= b-tol && a <= b+tol }

// TestChartViewInURL checks that a chart's log scale and zoom live in the
// URL: a reload restores them (on the step axis and on the wall-clock
// axis), switching to another tab and back keeps them and the shared
// settings, and resetting the zoom takes it out of the URL.
func TestChartViewInURL(t *testing.T) {
	p := newBrowser(t, srv.URL)
	p.open("/runs/"+longRun+"?tab=metrics&smooth=0.8", "run")
	p.waitLoad("seven charts drawn", chartsDrawn)

	x0, y0, x1, y1 := p.chartBox("loss")
	midY := (y0 + y1) / 2
	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.2, midY, 0)
	p.chartMouse(input.DispatchMouseEventTypeMousePressed, x0+(x1-x0)*0.2, midY, 1)
	p.chartMouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*0.3, midY, 0)
	p.chartMouse(input.DispatchMouseEventTypeMouseReleased, x0+(x1-x0)*0.3, midY, 1)
	p.waitFor("the zoom in the URL", `location.search.includes("zoom=loss%3A")`)
	from, to := p.zoomRange("loss")
	if from < 15_000 || from > 25_000 || to < 25_000 || to > 35_000 {
		t.Fatalf("zoom in the URL %d..%d; want about 20000..30000", from, to)
	}
	p.do("log scale", chromedp.Click(chromedp.CSS(`[data-testid=chart][data-metric=loss] [data-action=log]`)))
	p.waitFor("the log scale in the URL", `new URLSearchParams(location.search).get("log") === "loss"`)
	loc := p.location()

	restored := func(what string) {
		t.Helper()
		p.waitFor(what, `(() => {
			const c = document.querySelector('[data-testid=chart][data-metric=loss]');
			const a = document.querySelector('[data-testid=chart][data-metric=accuracy]');
			return c?.dataset.zoomed === "true" && c.dataset.log === "true" && a?.dataset.zoomed === "false" && a.dataset.log === "false";
		})()`)
	}

	// A reload restores the zoom and the log scale of the loss chart only.
	p.open(loc, "run")
	p.waitLoad("seven charts drawn after the reload", chartsDrawn)
	restored("the loss chart zoomed and on a log scale after the reload")
	if a, b := p.exportRange("loss"); a != from || b != to {
		t.Errorf("after the reload the loss chart shows steps %d..%d; want %d..%d", a, b, from, to)
	}

	// Another tab and back keeps every setting, from the tab bar and from
	// the keyboard, including one changed since the page was opened (its
	// tab links were rendered before it).
	p.setField(`[data-testid=smoothing]`, "0.7")
	p.waitFor("the new smoothing in the URL", `new URLSearchParams(location.search).get("smooth") === "0.7"`)
	loc = p.location()
	t.Logf("the logs tab link before it is pointed at: %s", eval[string](p, `document.querySelector("#run-tab-logs").getAttribute("href")`))
	p.do("open the logs tab", chromedp.Click(chromedp.CSS(`#run-tab-logs`)))
	p.waitFor("the logs tab", `document.querySelector("[data-testid=log-viewer]") !== null`)
	p.do("back to the metrics tab", chromedp.Click(chromedp.CSS(`#run-tab-metrics`)))
	p.waitLoad("seven charts drawn after the tab switch", chartsDrawn)
	restored("the loss chart zoomed and on a log scale after the tab switch")
	if got := p.location(); got != loc {
		t.Errorf("after logs and back the URL is %s; want %s", got, loc)
	}
	if v := eval[string](p, `document.querySelector("[data-testid=smoothing]").value`); v != "0.7" {
		t.Errorf("smoothing after the tab switch = %s; want 0.7", v)
	}
	p.do("focus the metrics tab", chromedp.Focus(chromedp.CSS(`#run-tab-metrics`)))
	p.press(kb.ArrowRight) // the logs tab
	p.waitFor("the logs tab from the keyboard", `new URLSearchParams(location.search).get("tab") === "logs"`)
	if q := eval[string](p, "location.search"); !strings.Contains(q, "smooth=0.7") || !strings.Contains(q, "zoom=loss") || !strings.Contains(q, "log=loss") {
		t.Errorf("the arrow key dropped the view state: %s", q)
	}
	p.press(kb.ArrowLeft) // back to metrics
	p.waitLoad("seven charts drawn after the keyboard switch", chartsDrawn)
	restored("the loss chart zoomed and on a log scale after the keyboard switch")

	// On the wall-clock axis the zoom keeps its steps, and a reload with
	// that axis restores it near them (the run state holds a decimated
	// series: about one point per 80 steps).
	p.do("wall time axis", chromedp.Click(chromedp.CSS(`[data-x=wall]`)))
	p.waitFor("x in the URL", `location.search.includes("x=wall")`)
	restored("the loss chart still zoomed on the wall-clock axis")
	if a, b := p.zoomRange("loss"); a != from || b != to {
		t.Errorf("changing the axis moved the zoom in the URL to %d..%d; want %d..%d", a, b, from, to)
	}
	p.open(p.location(), "run")
	p.waitLoad("seven charts drawn after the wall-time reload", chartsDrawn)
	restored("the loss chart zoomed after the wall-time reload")
	if a, b := p.exportRange("loss"); !near(a, from, 200) || !near(b, to, 200) {
		t.Errorf("wall-time reload shows steps %d..%d; want about %d..%d", a, b, from, to)
	}

	// Resetting the zoom takes it out of the URL; the log scale stays.
	p.do("reset the zoom", chromedp.Click(chromedp.CSS(`[data-testid=chart][data-metric=loss] [data-action=reset-zoom]`)))
	p.waitFor("no zoom in the URL", `!location.search.includes("zoom=") && new URLSearchParams(location.search).get("log") === "loss"`)
}
