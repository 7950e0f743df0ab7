package ui

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// svgNS is the SVG namespace; go-app needs it on every SVG element.
const svgNS = "http://www.w3.org/2000/svg"

// svgEl returns an SVG element with its namespace set.
func svgEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// DefaultSmoothing is the EMA weight charts start with (TensorBoard's
// default).
const DefaultSmoothing = 0.6

// ChartView is the display settings shared by the charts of a tab: the
// smoothing weight and the x axis.
type ChartView struct {
	Smooth float64
	X      chartX
}

// MetricChart is a live SVG line chart of one metric of a run
// ([data-testid=chart][data-metric=NAME]): one path per series (the raw
// series faint under its EMA smoothing), nice ticks with units, a hover
// crosshair and tooltip shared with the run's other charts, a linear/log
// toggle, drag to zoom and double-click to reset, and a download menu. It
// reads the series from the run's client state and redraws when the
// stream appends to it. data-points is the number of steps the series
// holds, data-last-step its last step. With InURL the log scale and the
// zoom live in the page URL (?log=, ?zoom=; see chart_url.go), so a reload
// or a shared link shows the same view.
type MetricChart struct {
	app.Compo
	Data   *rundata.State
	Client *query.Client
	Sync   *ChartSync
	Metric string
	View   ChartView
	// Height of the chart box in pixels (default 220).
	Height int
	// InURL keeps the log scale and zoom in the page URL.
	InURL bool

	width   int
	logY    bool
	zoomed  bool
	zoomLo  float64
	zoomHi  float64
	cache   chartModelCache
	model   *chartModel
	version uint64 // rundata version of the series last rendered
	cancel  func()
	of      *rundata.State
	syncID  int
	syncOf  *ChartSync

	// detail is a finer fetch of the zoomed range of a decimated series.
	detail     query.Observer[api.MetricsResponse]
	detailKey  string
	merged     []studio.Point
	mergedFrom [2]uint64 // (series version, detail gen) merged was built from
	gen        uint64

	dragging bool
	dragX    float64
	dom      chartDOM
	zoomX    chartX // the x mode the zoom range is in
	// pendingZoom is a zoom from the URL (or kept across a change of x
	// axis) waiting for the series' points to place its steps.
	pendingZoom stepRange
	hasPending  bool

	ctx       app.Context
	listeners []chartListener
	tipStep   int // step the tooltip shows, -1 when hidden
}

// chartListener is a native event listener on the chart body.
type chartListener struct {
	event string
	fn    app.Func
}

// chartDOM holds the elements a chart updates without re-rendering: the
// crosshair, dot, selection and tooltip are HTML layers over the SVG,
// moved with transforms, so hovering repaints no chart.
type chartDOM struct {
	root, body, cross, dot, sel, tip app.Value
	left                             float64 // the body's left edge, px from the viewport
}

func (c *MetricChart) height() int {
	if c.Height > 0 {
		return c.Height
	}
	return 220
}

// OnMount measures the chart and subscribes to the run's data and
// crosshair.
func (c *MetricChart) OnMount(ctx app.Context) {
	c.ctx = ctx
	c.tipStep = -1
	c.subscribe(ctx)
	ctx.Defer(func(ctx app.Context) {
		c.measure(ctx)
		c.listen()
	})
}

// listen binds the mouse handlers to the chart body with native listeners:
// a mousemove then costs no go-app dispatch and no render.
func (c *MetricChart) listen() {
	if len(c.listeners) > 0 || !c.ensureDOM() {
		return
	}
	on := func(event string, h func(e app.Value)) {
		fn := app.FuncOf(func(_ app.Value, args []app.Value) any {
			h(args[0])
			return nil
		})
		c.dom.body.Call("addEventListener", event, fn)
		c.listeners = append(c.listeners, chartListener{event, fn})
	}
	on("mouseenter", func(e app.Value) { c.dom.left = c.dom.body.Call("getBoundingClientRect").Get("left").Float() })
	on("mousemove", c.onMove)
	on("mouseleave", c.onLeave)
	on("mousedown", c.onDown)
	on("mouseup", c.onUp)
	on("dblclick", c.onDblClick)
}

// OnUpdate follows a new run state or crosshair group, and moves a zoom
// made on another x axis to the same steps on this one.
func (c *MetricChart) OnUpdate(ctx app.Context) {
	c.subscribe(ctx)
	if c.zoomed && c.zoomX != xStep && c.axis() != xStep {
		c.zoomX = c.axis() // both time axes place points by Unix seconds
	}
	if c.zoomed && c.zoomX != c.axis() {
		r, ok := c.zoomSteps()
		c.unzoom()
		if ok {
			c.pendingZoom, c.hasPending = r, true
			c.applyPendingZoom(ctx)
		}
	}
}

// OnNav follows a navigation that keeps the chart mounted (back and
// forward, a pasted link): the URL may hold another log scale or zoom.
func (c *MetricChart) OnNav(ctx app.Context) { c.loadURLState(ctx) }

// OnResize follows the width of the chart's box.
func (c *MetricChart) OnResize(ctx app.Context) { c.measure(ctx) }

// OnDismount ends the subscriptions.
func (c *MetricChart) OnDismount() {
	for _, l := range c.listeners {
		if c.dom.body != nil && c.dom.body.Truthy() {
			c.dom.body.Call("removeEventListener", l.event, l.fn)
		}
		l.fn.Release()
	}
	c.listeners = nil
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	if c.syncOf != nil {
		c.syncOf.unregister(c.syncID)
		c.syncOf = nil
	}
	c.detail.Close()
	c.of = nil
}

func (c *MetricChart) subscribe(ctx app.Context) {
	if c.Sync != c.syncOf {
		if c.syncOf != nil {
			c.syncOf.unregister(c.syncID)
		}
		c.syncOf = c.Sync
		if c.Sync != nil {
			c.syncID = c.Sync.register(c)
		}
	}
	if c.Data == c.of {
		return
	}
	if c.cancel != nil {
		c.cancel()
	}
	c.of = c.Data
	c.unzoom()
	c.version, c.hasPending = 0, false
	if c.Data == nil {
		c.cancel = nil
		return
	}
	c.loadURLState(ctx)
	data, name := c.Data, c.Metric
	c.cancel = data.Subscribe(func() {
		sd, _ := data.SeriesData(name)
		ctx.Dispatch(func(ctx app.Context) {
			if c.of != data {
				ctx.PreventUpdate()
				return
			}
			// A zoom from the URL needs the points it names; a finer
			// fetch of a zoom needs to know the series is decimated.
			zoomed := c.zoomed
			if c.hasPending {
				c.applyPendingZoom(ctx)
			} else if c.zoomed && c.detailKey == "" {
				c.fetchDetail(ctx)
			}
			if sd.Version == c.version && zoomed == c.zoomed {
				ctx.PreventUpdate()
			}
		})
	})
}

func (c *MetricChart) measure(ctx app.Context) {
	el := c.JSValue()
	if el == nil || !el.Truthy() {
		return
	}
	if w := el.Get("clientWidth").Int(); w > 0 && w != c.width {
		c.width = w
		ctx.Update()
	}
}

// series returns the points to draw and a version that changes with them:
// the run state's series, or in a zoom of a decimated series the finer
// fetch of the zoomed range followed by what was streamed after it.
func (c *MetricChart) series() (sd rundata.SeriesData, pts []studio.Point, version uint64) {
	if c.Data == nil {
		return rundata.SeriesData{Name: c.Metric, Unit: studio.MetricUnits[c.Metric]}, nil, 0
	}
	sd, _ = c.Data.SeriesData(c.Metric)
	if !c.zoomed || !c.detail.HasData || len(c.detail.Data.Series) == 0 || c.detailKey == "" {
		return sd, sd.Points, sd.Version
	}
	det := c.detail.Data.Series[0].Points
	key := [2]uint64{sd.Version, c.gen}
	if c.merged == nil || c.mergedFrom != key {
		last := -1
		if len(det) > 0 {
			last = det[len(det)-1].Step
		}
		c.merged = append(c.merged[:0], det...)
		for _, p := range sd.Points {
			if p.Step > last {
				c.merged = append(c.merged, p)
			}
		}
		c.mergedFrom = key
	}
	return sd, c.merged, sd.Version*1_000_003 + c.gen
}

// origin is the zero of the relative time axis: the run's start.
func (c *MetricChart) origin() time.Time {
	if c.Data == nil {
		return time.Time{}
	}
	if r, ok := c.Data.Run(); ok && r.StartedAt != nil {
		return *r.StartedAt
	}
	return time.Time{}
}

// Render draws the chart from the cached model.
func (c *MetricChart) Render() app.UI {
	sd, pts, version := c.series()
	c.version = sd.Version
	view := c.View
	if view.X == "" {
		view.X = xStep
	}
	m := c.cache.model(chartInput{
		points: pts, version: version, width: c.width, height: c.height(),
		x: view.X, logY: c.logY, smooth: view.Smooth,
		zoomed: c.zoomed, zoomLo: c.zoomLo, zoomHi: c.zoomHi,
		origin: c.origin(), unit: sd.Unit,
	})
	c.model = m
	unit := sd.Unit
	title := metricLabel(c.Metric)
	if c.Metric == studio.MetricLearningRate {
		title = "Learning rate"
	}
	latest := "—"
	if n := len(sd.Points); n > 0 {
		latest = chart.NumberFormat{Unit: unit}.Format(sd.Points[n-1].Value)
	}
	root := app.Div().
		Class("mchart").
		DataSet("testid", "chart").
		DataSet("metric", c.Metric).
		DataSet("points", sd.Total).
		DataSet("last-step", sd.LastStep()).
		DataSet("drawn", m.drawn).
		DataSet("zoomed", c.zoomed).
		DataSet("log", m.logY).
		DataSet("builds", c.cache.builds)
	return root.Body(
		app.Div().Class("mchart-head").Body(
			app.Div().Class("mchart-title").Body(
				app.H3().Text(title),
				app.If(unit != "", func() app.UI { return app.Span().Class("mchart-unit").Text(unit) }),
			),
			app.Span().Class("mchart-latest num").Title("Latest value").Text(latest),
			app.Div().Class("mchart-tools").Body(
				app.Button().Type("button").Class("btn btn-sm btn-ghost mchart-log").
					Aria("pressed", c.logY).
					Title("Logarithmic y axis").
					DataSet("action", "log").
					OnClick(c.toggleLog).Text("log"),
				app.Button().Type("button").Class("btn btn-sm btn-ghost mchart-reset").
					Disabled(!c.zoomed).
					Title("Reset zoom (or double-click the chart)").
					DataSet("action", "reset-zoom").
					OnClick(c.resetZoom).Text("reset"),
				c.downloadMenu(m),
			),
		),
		app.Div().Class("mchart-body").Style("height", strconv.Itoa(c.height())+"px").Body(
			c.renderSVG(m),
			app.Div().Class("mchart-cross").Style("top", px(m.y0)).Style("height", px(m.y1-m.y0)),
			app.Div().Class("mchart-dot"),
			app.Div().Class("mchart-sel").Style("top", px(m.y0)).Style("height", px(m.y1-m.y0)),
			app.Div().Class("mchart-tip").Aria("hidden", true),
			app.If(m.empty, func() app.UI {
				msg := "Loading…"
				if c.Data != nil && c.Data.Version() > 0 && len(pts) == 0 {
					msg = "No points yet"
				}
				return app.Div().Class("mchart-empty").Text(msg)
			}),
		),
	)
}

func (c *MetricChart) renderSVG(m *chartModel) app.UI {
	w, h := max(c.width, 1), c.height()
	grid := make([]app.UI, 0, len(m.xTicks)+len(m.yTicks)+2)
	labels := make([]app.UI, 0, len(m.xTicks)+len(m.yTicks))
	if !m.empty {
		for _, t := range m.yTicks {
			if t.Pos < m.y0-0.5 || t.Pos > m.y1+0.5 {
				continue
			}
			y := strconv.FormatFloat(t.Pos, 'f', 1, 64)
			grid = append(grid, svgEl("line").Attr("x1", m.x0).Attr("x2", m.x1).Attr("y1", y).Attr("y2", y))
			if t.Label != "" {
				labels = append(labels, svgEl("text").Class("yl").Attr("x", m.x0-6).Attr("y", y).Text(t.Label))
			}
		}
		for _, t := range m.xTicks {
			if t.Pos < m.x0-0.5 || t.Pos > m.x1+0.5 {
				continue
			}
			x := strconv.FormatFloat(t.Pos, 'f', 1, 64)
			grid = append(grid, svgEl("line").Class("xg").Attr("x1", x).Attr("x2", x).Attr("y1", m.y0).Attr("y2", m.y1))
			if t.Label != "" {
				labels = append(labels, svgEl("text").Class("xl").Attr("x", x).Attr("y", m.y1+16).Text(t.Label))
			}
		}
	}
	rawClass := "mchart-raw"
	if m.smooth != "" {
		rawClass += " faint"
	}
	return svgEl("svg").
		Class("mchart-svg").
		Attr("width", w).Attr("height", h).
		Attr("viewBox", "0 0 "+strconv.Itoa(w)+" "+strconv.Itoa(h)).
		Attr("role", "img").
		Aria("label", metricLabel(c.Metric)+" chart").
		Body(
			svgEl("g").Class("mchart-grid").Body(grid...),
			svgEl("rect").Class("mchart-frame").Attr("x", m.x0).Attr("y", m.y0).Attr("width", m.x1-m.x0).Attr("height", m.y1-m.y0),
			svgEl("g").Class("mchart-labels").Body(labels...),
			svgEl("g").Class("mchart-series").Body(
				svgEl("path").Class(rawClass).Attr("d", m.raw),
				svgEl("path").Class("mchart-smooth").Attr("d", m.smooth),
			),
			svgEl("rect").Class("mchart-overlay").
				Attr("x", m.x0).Attr("y", m.y0).Attr("width", m.x1-m.x0).Attr("height", m.y1-m.y0),
		)
}

// downloadMenu renders the SVG/PNG/PDF export links for the chart's
// current window, smoothing and scale.
func (c *MetricChart) downloadMenu(m *chartModel) app.UI {
	link := func(ext, label string) app.UI {
		return app.A().
			Class("dl-item").
			Href(c.exportURL(ext, m, "")).
			Attr("download", c.Metric+"."+ext).
			DataSet("format", ext).
			OnClick(c.onDownload).
			Text(label)
	}
	return app.Details().Class("dl-menu").DataSet("testid", "chart-download").Body(
		app.Summary().Class("btn btn-sm btn-ghost").Title("Download this chart").Text("download"),
		app.Div().Class("dl-list").Body(
			link("svg", "SVG"),
			link("png", "PNG"),
			link("pdf", "PDF"),
		),
	)
}

// exportURL is the chart export endpoint for the chart as shown:
// /api/runs/{id}/metrics/chart.EXT?name=&from=&to=&smooth=&log=&x=&width=&height=&theme=.
func (c *MetricChart) exportURL(ext string, m *chartModel, theme string) string {
	var id studio.RunID
	if c.Data != nil {
		id = c.Data.ID()
	}
	v := url.Values{}
	v.Set("name", c.Metric)
	if c.zoomed && m != nil {
		if from, to, ok := m.stepRange(); ok {
			v.Set("from", strconv.Itoa(from))
			v.Set("to", strconv.Itoa(to))
		}
	}
	v.Set("smooth", strconv.FormatFloat(c.View.Smooth, 'f', -1, 64))
	v.Set("log", strconv.FormatBool(c.logY))
	x := c.View.X
	if x == "" {
		x = xStep
	}
	v.Set("x", x.exportX())
	v.Set("width", strconv.Itoa(max(c.width, 200)))
	v.Set("height", strconv.Itoa(max(c.height(), 150)))
	if theme == "" {
		theme = "light"
	}
	v.Set("theme", theme)
	return "/api/runs/" + url.PathEscape(string(id)) + "/metrics/chart." + ext + "?" + v.Encode()
}

// onDownload points the link at the current theme before the browser
// follows it.
func (c *MetricChart) onDownload(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	ext := ctx.JSSrc().Get("dataset").Get("format").String()
	ctx.JSSrc().Call("setAttribute", "href", c.exportURL(ext, c.model, effectiveTheme()))
}

func (c *MetricChart) toggleLog(ctx app.Context, e app.Event) {
	c.logY = !c.logY
	c.saveURLState(ctx)
}

func (c *MetricChart) resetZoom(ctx app.Context, e app.Event) {
	c.unzoom()
	c.saveURLState(ctx)
}

// unzoom shows the whole series again (and drops a pending zoom).
func (c *MetricChart) unzoom() {
	c.zoomed, c.hasPending = false, false
	c.detail.Close()
	c.detailKey = ""
}

// fetchDetail asks for the zoomed range at full resolution (about two
// points per pixel) when the run state only holds a decimated copy of the
// series.
func (c *MetricChart) fetchDetail(ctx app.Context) {
	if !c.zoomed || c.Data == nil || c.Client == nil {
		return
	}
	sd, _ := c.Data.SeriesData(c.Metric)
	if !sd.Decimated || len(sd.Points) == 0 {
		return
	}
	from, to := int(math.Floor(c.zoomLo)), int(math.Ceil(c.zoomHi))
	if c.View.X == xRelative || c.View.X == xWall {
		i, _ := chart.NearestTime(sd.Points, chart.FromSeconds(c.zoomLo))
		j, _ := chart.NearestTime(sd.Points, chart.FromSeconds(c.zoomHi))
		from, to = sd.Points[max(i-1, 0)].Step, sd.Points[min(j+1, len(sd.Points)-1)].Step
	}
	from, to = max(from, 0), max(to, from+1)
	key := rundata.MetricRangeKey(c.Data.ID(), c.Metric, from, to, min(max(2*c.width, 400), api.MaxMetricPoints))
	if key == c.detailKey {
		return
	}
	c.detailKey = key
	c.gen++
	c.detail.Changed = func(app.Context) { c.gen++ }
	c.detail.Observe(ctx, c.Client, key)
}

// px formats a pixel length for CSS.
func px(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "px" }

// ensureDOM looks up the elements the hover and drag handlers update.
func (c *MetricChart) ensureDOM() bool {
	if c.dom.root != nil && c.dom.root.Truthy() && c.dom.tip.Truthy() && c.dom.tip.Get("isConnected").Bool() {
		return true
	}
	root := c.JSValue()
	if root == nil || !root.Truthy() {
		return false
	}
	q := func(sel string) app.Value { return root.Call("querySelector", sel) }
	c.dom = chartDOM{root: root, body: q(".mchart-body"), cross: q(".mchart-cross"), dot: q(".mchart-dot"), sel: q(".mchart-sel"), tip: q(".mchart-tip")}
	return c.dom.body.Truthy() && c.dom.cross.Truthy() && c.dom.tip.Truthy()
}

// mouseX returns the mouse position in the chart's coordinates.
func (c *MetricChart) mouseX(e app.Value) float64 {
	if c.dom.left == 0 { // no mouseenter yet (a synthetic event)
		c.dom.left = c.dom.body.Call("getBoundingClientRect").Get("left").Float()
	}
	return e.Get("clientX").Float() - c.dom.left
}

// onMove follows the mouse: it moves the drag selection and asks the
// crosshair group to show the step under the mouse on the next frame.
// Native listener: no go-app dispatch, no render.
func (c *MetricChart) onMove(e app.Value) {
	m := c.model
	if m == nil || m.empty {
		return
	}
	x := c.mouseX(e)
	if c.dragging {
		a, b := max(min(x, c.dragX), m.x0), min(max(x, c.dragX), m.x1)
		st := c.dom.sel.Get("style")
		st.Set("transform", "translateX("+px(a)+")")
		st.Set("width", px(max(b-a, 0)))
		st.Set("visibility", "visible")
	}
	if x < m.x0-4 || x > m.x1+4 {
		c.leave()
		return
	}
	h, ok := m.at(x)
	if !ok {
		return
	}
	if c.Sync != nil {
		c.Sync.hover(h.raw.Step, c.syncID)
		return
	}
	c.showHover(h.raw.Step, 0, true)
}

func (c *MetricChart) leave() {
	if c.Sync != nil {
		c.Sync.leave()
		return
	}
	c.showHover(0, 0, false)
}

func (c *MetricChart) onLeave(e app.Value) {
	if c.dragging {
		c.dragging = false
		c.dom.sel.Get("style").Set("visibility", "hidden")
	}
	c.leave()
}

func (c *MetricChart) onDown(e app.Value) {
	if e.Get("button").Int() != 0 || c.model == nil {
		return
	}
	c.dom.left = c.dom.body.Call("getBoundingClientRect").Get("left").Float()
	x := c.mouseX(e)
	if x < c.model.x0 || x > c.model.x1 {
		return
	}
	e.Call("preventDefault") // no text selection while dragging
	c.dragging, c.dragX = true, x
}

func (c *MetricChart) onUp(e app.Value) {
	if !c.dragging {
		return
	}
	c.dragging = false
	c.dom.sel.Get("style").Set("visibility", "hidden")
	if c.model == nil {
		return
	}
	lo, hi, ok := c.model.zoomTo(c.dragX, c.mouseX(e))
	if !ok {
		return
	}
	c.ctx.Dispatch(func(ctx app.Context) {
		c.hasPending = false
		c.zoomed, c.zoomLo, c.zoomHi, c.zoomX = true, lo, hi, c.axis()
		c.fetchDetail(ctx)
		c.saveURLState(ctx)
	})
}

func (c *MetricChart) onDblClick(e app.Value) {
	if !c.zoomed {
		return
	}
	c.ctx.Dispatch(func(ctx app.Context) {
		c.unzoom()
		c.saveURLState(ctx)
	})
}

// showHover draws the crosshair, dot and tooltip at step, or hides them.
// It moves HTML layers with transforms only: no render, no SVG repaint.
func (c *MetricChart) showHover(step, src int, ok bool) {
	if !c.ensureDOM() {
		return
	}
	m := c.model
	var h hit
	if ok && m != nil {
		h, ok = m.atStep(step)
	} else {
		ok = false
	}
	if !ok {
		if c.tipStep >= 0 {
			c.tipStep = -1
			c.dom.cross.Get("style").Set("visibility", "hidden")
			c.dom.dot.Get("style").Set("visibility", "hidden")
			c.dom.tip.Get("style").Set("visibility", "hidden")
			c.dom.root.Get("dataset").Set("hoverStep", "")
		}
		return
	}
	// Every chart draws its crosshair at the shared step (on a step axis;
	// time axes use the time of the nearest point), and its dot on its own
	// nearest point: decimated series hold different steps.
	cx := h.px
	if m.in.x == xStep {
		cx = m.sx.Map(float64(step))
	}
	cs := c.dom.cross.Get("style")
	cs.Set("transform", "translateX("+px(cx)+")")
	ds := c.dom.dot.Get("style")
	ds.Set("transform", "translate("+px(h.px)+","+px(h.py)+")")
	ts := c.dom.tip.Get("style")
	if c.tipStep != h.raw.Step {
		c.dom.tip.Set("textContent", c.tooltip(h))
	}
	// The tooltip sits beside the crosshair, on the side with more room.
	if h.px > (m.x0+m.x1)/2 {
		ts.Set("transform", "translateX(calc("+px(h.px-10)+" - 100%))")
	} else {
		ts.Set("transform", "translateX("+px(h.px+10)+")")
	}
	if c.tipStep < 0 {
		cs.Set("visibility", "visible")
		ds.Set("visibility", "visible")
		ts.Set("visibility", "visible")
	}
	c.tipStep = h.raw.Step
	c.dom.root.Get("dataset").Set("hoverStep", strconv.Itoa(step))
}

// tooltip is the text of the hover tooltip.
func (c *MetricChart) tooltip(h hit) string {
	var b strings.Builder
	f := chart.NumberFormat{Digits: 5, Unit: studio.MetricUnits[c.Metric]}
	b.WriteString(metricLabel(c.Metric))
	b.WriteString("  ")
	if c.View.Smooth > 0 {
		b.WriteString(f.Format(h.smoothed))
		b.WriteString("  (raw ")
		b.WriteString(f.Format(h.raw.Value))
		b.WriteString(")")
	} else {
		b.WriteString(f.Format(h.raw.Value))
	}
	b.WriteString("\nstep ")
	b.WriteString(format.Int(h.raw.Step))
	b.WriteString(" · ")
	switch c.View.X {
	case xRelative:
		if o := c.origin(); !o.IsZero() {
			b.WriteString(chart.FormatRelative(h.raw.Time.Sub(o), time.Second))
			break
		}
		fallthrough
	default:
		b.WriteString(h.raw.Time.Local().Format("Jan 2 15:04:05"))
	}
	return b.String()
}
