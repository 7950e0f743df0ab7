package viz

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/aiinfra/studio/app/format"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ChartSeries is one line of a LineChart: Y[i] at X[i], X ascending.
type ChartSeries struct {
	Label string
	X, Y  []float64
}

// chart margins in viewBox units.
const (
	marginLeft   = 56
	marginRight  = 16
	marginTop    = 12
	marginBottom = 28
)

// LineChart overlays series on shared axes, with a legend and a hover
// readout of the nearest point of each series. Its root carries
// data-testid="chart" and data-metric=Metric.
type LineChart struct {
	app.Compo

	// ID is unique on the page (DOM ids of the readout).
	ID     string
	Metric string
	// Series are drawn in order with the palette colours series-0…7.
	Series []ChartSeries
	// XLabel names the x axis ("step").
	XLabel string
	// Width and Height are the viewBox size (default 800×280).
	Width, Height int

	layout   chartLayout
	sig      []chartSig
	measured int // width of the chart's box in px, 0 before mounting
}

// OnMount sizes the chart to its box, so the viewBox maps 1:1 to pixels
// and text is never stretched.
func (c *LineChart) OnMount(ctx app.Context) { ctx.Defer(c.measure) }

// OnResize follows the box's width.
func (c *LineChart) OnResize(ctx app.Context) { c.measure(ctx) }

func (c *LineChart) measure(ctx app.Context) {
	el := c.JSValue()
	if el == nil || !el.Truthy() {
		return
	}
	if w := el.Get("clientWidth").Int(); w > 0 && w != c.measured {
		c.measured = w
		ctx.Update()
	}
}

type chartSig struct {
	ptr *float64
	n   int
}

// chartLayout is everything Render needs, computed once per data change.
type chartLayout struct {
	w, h   int
	xs, ys Scale
	paths  []string
	xTicks []tick
	yTicks []tick
	empty  bool
}

type tick struct {
	pos   float64
	label string
}

func (c *LineChart) size() (int, int) {
	w, h := c.Width, c.Height
	if c.measured > 0 {
		w = c.measured
	}
	if w <= 0 {
		w = 800
	}
	if h <= 0 {
		h = 280
	}
	return w, h
}

func (c *LineChart) signature() []chartSig {
	sig := make([]chartSig, len(c.Series)+1)
	w, h := c.size()
	sig[0] = chartSig{n: w*10000 + h}
	for i, s := range c.Series {
		if len(s.Y) > 0 {
			sig[i+1] = chartSig{ptr: &s.Y[0], n: len(s.Y)}
		}
	}
	return sig
}

func sigEqual(a, b []chartSig) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// computeLayout computes scales, ticks and one path per series for a w×h chart.
func computeLayout(series []ChartSeries, w, h int) chartLayout {
	l := chartLayout{w: w, h: h}
	var xlo, xhi, ylo, yhi = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range series {
		if lo, hi, ok := Extent(s.X); ok {
			xlo, xhi = min(xlo, lo), max(xhi, hi)
		}
		if lo, hi, ok := Extent(s.Y); ok {
			ylo, yhi = min(ylo, lo), max(yhi, hi)
		}
	}
	if xlo > xhi || ylo > yhi {
		l.empty = true
		return l
	}
	if xlo == xhi {
		xlo, xhi = xlo-1, xhi+1
	}
	ylo, yhi = NiceDomain(ylo, yhi, 5)
	l.xs = Scale{D0: xlo, D1: xhi, R0: marginLeft, R1: float64(w - marginRight)}
	l.ys = Scale{D0: ylo, D1: yhi, R0: float64(h - marginBottom), R1: marginTop}
	for _, v := range Ticks(ylo, yhi, 5) {
		l.yTicks = append(l.yTicks, tick{pos: l.ys.At(v), label: format.Metric(v)})
	}
	for _, v := range Ticks(xlo, xhi, 6) {
		l.xTicks = append(l.xTicks, tick{pos: l.xs.At(v), label: format.Metric(v)})
	}
	l.paths = make([]string, len(series))
	for i, s := range series {
		b := make([]byte, 0, len(s.Y)*12)
		pen := byte('M')
		for j := range min(len(s.X), len(s.Y)) {
			x, y := s.X[j], s.Y[j]
			if math.IsNaN(y) || math.IsInf(y, 0) {
				pen = 'M' // a gap
				continue
			}
			b = append(b, pen)
			b = appendXY(b, l.xs.At(x), l.ys.At(y))
			pen = 'L'
		}
		l.paths[i] = string(b)
	}
	return l
}

// Render draws the axes, the series, the legend and the hover layer.
func (c *LineChart) Render() app.UI {
	if sig := c.signature(); !sigEqual(sig, c.sig) {
		w, h := c.size()
		c.layout = computeLayout(c.Series, w, h)
		c.sig = sig
	}
	l := c.layout
	root := app.Div().Class("chart").ID(c.ID).DataSet("testid", "chart").DataSet("metric", c.Metric)
	if l.empty {
		return root.Body(app.Div().Class("chart-empty").Text("No data for " + c.Metric))
	}
	vb := "0 0 " + strconv.Itoa(l.w) + " " + strconv.Itoa(l.h)
	bottom := float64(l.h - marginBottom)
	return root.Body(
		El("svg").
			Class("chart-svg").
			Attr("viewBox", vb).
			Style("height", strconv.Itoa(l.h)+"px").
			Attr("role", "img").
			Attr("aria-label", c.Metric+" by "+c.xLabel()+" for "+strconv.Itoa(len(c.Series))+" series").
			OnMouseMove(c.onHover).
			OnMouseLeave(c.onLeave).
			Body(
				El("g").Class("chart-grid").Body(
					app.Range(l.yTicks).Slice(func(i int) app.UI {
						t := l.yTicks[i]
						return El("g").Body(
							El("line").Attr("x1", marginLeft).Attr("x2", l.w-marginRight).Attr("y1", t.pos).Attr("y2", t.pos),
							El("text").Class("chart-ylabel").Attr("x", marginLeft-8).Attr("y", t.pos+4).Attr("text-anchor", "end").Text(t.label),
						)
					}),
					app.Range(l.xTicks).Slice(func(i int) app.UI {
						t := l.xTicks[i]
						return El("text").Class("chart-xlabel").Attr("x", t.pos).Attr("y", bottom+18).Attr("text-anchor", "middle").Text(t.label)
					}),
					El("line").Class("chart-axis").Attr("x1", marginLeft).Attr("x2", l.w-marginRight).Attr("y1", bottom).Attr("y2", bottom),
				),
				El("g").Class("chart-series").Body(
					app.Range(l.paths).Slice(func(i int) app.UI {
						return El("path").
							Class("series", "series-"+strconv.Itoa(i%8)).
							DataSet("series", c.Series[i].Label).
							Attr("d", l.paths[i]).
							Attr("vector-effect", "non-scaling-stroke")
					}),
				),
				El("line").ID(c.ID+"-cursor").Class("chart-cursor").Attr("visibility", "hidden").
					Attr("x1", marginLeft).Attr("x2", marginLeft).Attr("y1", marginTop).Attr("y2", bottom),
			),
		app.Div().Class("chart-legend").Body(
			app.Range(c.Series).Slice(func(i int) app.UI {
				return app.Span().Class("legend-item").Body(
					app.Span().Class("swatch", "series-"+strconv.Itoa(i%8)).Attr("aria-hidden", true),
					app.Text(c.Series[i].Label),
				)
			}),
			app.Span().ID(c.ID+"-readout").Class("chart-readout").Attr("aria-live", "off"),
		),
	)
}

func (c *LineChart) xLabel() string {
	if c.XLabel == "" {
		return "step"
	}
	return c.XLabel
}

// Nearest returns the index of the X value closest to x in ascending xs,
// or -1 when xs is empty.
func Nearest(xs []float64, x float64) int {
	if len(xs) == 0 {
		return -1
	}
	i := sort.SearchFloat64s(xs, x)
	switch {
	case i == 0:
		return 0
	case i == len(xs):
		return len(xs) - 1
	case x-xs[i-1] <= xs[i]-x:
		return i - 1
	}
	return i
}

// Readout returns the hover text at data x: the x value and each series'
// nearest value.
func Readout(series []ChartSeries, x float64, xLabel string) string {
	var b strings.Builder
	b.WriteString(xLabel + " " + format.Metric(math.Round(x)))
	for _, s := range series {
		i := Nearest(s.X, x)
		if i < 0 || i >= len(s.Y) {
			continue
		}
		b.WriteString(" · " + s.Label + " " + format.Metric(s.Y[i]))
	}
	return b.String()
}

// onHover moves the cursor line and rewrites the readout directly in the
// DOM: mouse moves never re-render the chart or its ancestors.
func (c *LineChart) onHover(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	l := c.layout
	if l.empty {
		return
	}
	rect := ctx.JSSrc().Call("getBoundingClientRect")
	width := rect.Get("width").Float()
	if width <= 0 {
		return
	}
	px := (e.Get("clientX").Float() - rect.Get("left").Float()) * float64(l.w) / width
	px = math.Min(math.Max(px, l.xs.R0), l.xs.R1)
	x := l.xs.Invert(px)
	if cur := app.Window().GetElementByID(c.ID + "-cursor"); cur.Truthy() {
		cur.Call("setAttribute", "x1", px)
		cur.Call("setAttribute", "x2", px)
		cur.Call("setAttribute", "visibility", "visible")
	}
	if ro := app.Window().GetElementByID(c.ID + "-readout"); ro.Truthy() {
		ro.Set("textContent", Readout(c.Series, x, c.xLabel()))
	}
}

func (c *LineChart) onLeave(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if cur := app.Window().GetElementByID(c.ID + "-cursor"); cur.Truthy() {
		cur.Call("setAttribute", "visibility", "hidden")
	}
	if ro := app.Window().GetElementByID(c.ID + "-readout"); ro.Truthy() {
		ro.Set("textContent", "")
	}
}
