package ui

import (
	"math"
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

// chartX is what a metric chart's x axis shows.
type chartX string

// X axis modes; the values are what ?x= holds in the page URL.
const (
	xStep     chartX = "step"
	xRelative chartX = "relative" // time since the run started
	xWall     chartX = "wall"     // wall-clock time
)

// exportX is the x= value of the chart export endpoint for m.
func (m chartX) exportX() string {
	if m == xWall {
		return "time"
	}
	return string(m)
}

// parseChartX reads ?x=, defaulting to steps.
func parseChartX(s string) chartX {
	switch chartX(s) {
	case xRelative, xWall:
		return chartX(s)
	}
	return xStep
}

// xfunc returns the x coordinate of a point in the mode's domain units.
func (m chartX) xfunc() chart.XFunc {
	if m == xStep {
		return chart.ByStep
	}
	return chart.ByTime
}

// Chart margins around the plot, in pixels.
const (
	chartMarginLeft   = 52
	chartMarginRight  = 14
	chartMarginTop    = 10
	chartMarginBottom = 24
)

// chartInput is everything a chart's geometry depends on. Two equal
// inputs give the same chartModel, so the model is cached by input.
type chartInput struct {
	// points is the series (sorted by step) and version its rundata
	// version: a new version means new data even at the same length.
	points  []studio.Point
	version uint64
	width   int
	height  int
	x       chartX
	logY    bool
	smooth  float64
	// zoomed selects [zoomLo, zoomHi] (x domain units) instead of the
	// whole series.
	zoomed         bool
	zoomLo, zoomHi float64
	// origin is the run's start, the zero of the relative time axis.
	origin time.Time
	unit   string
}

// same reports whether a and b give the same model.
func (a chartInput) same(b chartInput) bool {
	return len(a.points) == len(b.points) && a.version == b.version &&
		(len(a.points) == 0 || &a.points[0] == &b.points[0]) &&
		a.width == b.width && a.height == b.height && a.x == b.x && a.logY == b.logY &&
		a.smooth == b.smooth && a.zoomed == b.zoomed && a.zoomLo == b.zoomLo && a.zoomHi == b.zoomHi &&
		a.origin.Equal(b.origin) && a.unit == b.unit
}

// chartModel is the drawable geometry of one metric chart.
type chartModel struct {
	in chartInput
	// plot area in pixels.
	x0, y0, x1, y1 float64
	// lo and hi are the x domain shown.
	lo, hi float64
	sx     chart.Linear // x domain units to pixels (time modes: Unix seconds)
	sy     chart.Scale
	logY   bool // the y scale is a Log (false when the data cannot be drawn on one)
	xTicks []chart.Tick
	yTicks []chart.Tick
	// raw and smooth are the SVG path data; smooth is "" when smoothing
	// is off.
	raw, smooth string
	// drawn is the number of points in the raw path after decimation.
	drawn int
	// vis are the visible points (not decimated) and svals their
	// smoothed values (nil when smoothing is off), for hover lookups.
	vis   []studio.Point
	svals []float64
	empty bool
}

// seriesArrays are a series' x coordinates and values as float64 slices
// (what decimation and smoothing run over), kept until the data or the x
// mode change.
type seriesArrays struct {
	points  []studio.Point
	version uint64
	x       chartX
	xs, ys  []float64
	// smooth is ys smoothed with weight w.
	w      float64
	smooth []float64
	valid  bool
}

// get fills the arrays from points, unless they already hold them.
func (a *seriesArrays) get(points []studio.Point, version uint64, x chartX) {
	if a.valid && a.version == version && a.x == x && len(a.points) == len(points) &&
		(len(points) == 0 || &a.points[0] == &points[0]) {
		return
	}
	xf := x.xfunc()
	a.xs = slices.Grow(a.xs[:0], len(points))
	a.ys = slices.Grow(a.ys[:0], len(points))
	for _, p := range points {
		a.xs = append(a.xs, xf(p))
		a.ys = append(a.ys, p.Value)
	}
	a.points, a.version, a.x, a.valid = points, version, x, true
	a.smooth, a.w = a.smooth[:0], -1
}

// smoothed returns ys smoothed by the debiased EMA with weight w, or nil
// when w is 0.
func (a *seriesArrays) smoothed(w float64) []float64 {
	if w <= 0 {
		return nil
	}
	if a.w != w || len(a.smooth) != len(a.ys) {
		a.smooth = chart.AppendEMA(slices.Grow(a.smooth[:0], len(a.ys)), a.ys, w)
		a.w = w
	}
	return a.smooth
}

// chartModelCache builds chart models and keeps the last one.
type chartModelCache struct {
	arrays seriesArrays
	last   *chartModel
	// builds counts the models built (not served from the cache).
	builds int
	path   []byte
	dx, dy []float64
}

// model returns the model of in, rebuilding it only when in differs from
// the last input.
func (c *chartModelCache) model(in chartInput) *chartModel {
	if c.last != nil && c.last.in.same(in) {
		return c.last
	}
	c.builds++
	m := c.build(in)
	c.last = m
	return m
}

func (c *chartModelCache) build(in chartInput) *chartModel {
	m := &chartModel{in: in,
		x0: chartMarginLeft, y0: chartMarginTop,
		x1: float64(max(in.width-chartMarginRight, chartMarginLeft+10)),
		y1: float64(max(in.height-chartMarginBottom, chartMarginTop+10)),
	}
	xf := in.x.xfunc()
	pts := in.points
	if len(pts) == 0 || in.width <= 0 {
		m.empty = true
		m.sx = chart.NewLinear(0, 1, m.x0, m.x1)
		m.sy = chart.NewLinear(0, 1, m.y1, m.y0)
		return m
	}
	m.lo, m.hi = xf(pts[0]), xf(pts[len(pts)-1])
	if in.zoomed && in.zoomHi > in.zoomLo {
		m.lo, m.hi = in.zoomLo, in.zoomHi
	}
	if m.hi <= m.lo {
		m.hi = m.lo + 1
	}
	m.sx = chart.NewLinear(m.lo, m.hi, m.x0, m.x1)
	c.arrays.get(pts, in.version, in.x)
	i, j := chart.VisibleRange(pts, xf, m.lo, m.hi)
	m.vis = pts[i:j]
	if sm := c.arrays.smoothed(in.smooth); sm != nil {
		m.svals = sm[i:j]
	}
	// The y domain comes from the raw values in view (the raw line is
	// drawn too).
	xs, ys := c.arrays.xs[i:j], c.arrays.ys[i:j]
	plotH := m.y1 - m.y0
	nY := max(int(plotH/40), 2)
	// Only "%" fits on every tick label; other units are in the header.
	yf := chart.NumberFormat{}
	if in.unit == "%" {
		yf.Unit = "%"
	}
	if in.logY {
		if lo, hi, ok := chart.PositiveExtent(ys); ok {
			if hi == lo {
				lo, hi = lo/2, hi*2
			}
			if ls, err := chart.NewLog(lo, hi, m.y1, m.y0); err == nil {
				ls = ls.Nice()
				m.sy, m.logY = ls, true
				m.yTicks = ls.Ticks(nY, yf)
			}
		}
	}
	if !m.logY {
		lo, hi, ok := chart.Extent(ys)
		if !ok {
			lo, hi = 0, 1
		}
		lo, hi = chart.NiceDomain(lo, hi, nY)
		ly := chart.NewLinear(lo, hi, m.y1, m.y0)
		m.sy = ly
		m.yTicks = ly.Ticks(nY, yf)
	}

	// x ticks.
	plotW := m.x1 - m.x0
	nX := max(int(plotW/90), 2)
	switch in.x {
	case xStep:
		m.xTicks = m.sx.IntTicks(nX, chart.NumberFormat{})
	default:
		ts := chart.NewTime(chart.FromSeconds(m.lo), chart.FromSeconds(m.hi), m.x0, m.x1)
		if in.x == xRelative {
			origin := in.origin
			if origin.IsZero() {
				origin = pts[0].Time
			}
			m.xTicks = ts.RelativeTicks(nX, origin)
		} else {
			ts.Location = time.Local
			m.xTicks = ts.WallTicks(nX)
		}
	}

	// Paths: decimated to about two points per pixel column, keeping each
	// column's first, minimum, maximum and last point.
	buckets := max(int(plotW/2), 1)
	c.dx, c.dy = chart.AppendDecimatedXY(c.dx[:0], c.dy[:0], xs, ys, buckets)
	m.drawn = len(c.dx)
	m.raw = c.line(m)
	if m.svals != nil {
		c.dx, c.dy = chart.AppendDecimatedXY(c.dx[:0], c.dy[:0], xs, m.svals, buckets)
		m.smooth = c.line(m)
	}
	return m
}

// line maps the decimated points in c.dx, c.dy to pixels and returns
// their path data. Values the y scale cannot show (NaN, or non-positive
// on a log scale) break the line.
func (c *chartModelCache) line(m *chartModel) string {
	for k := range c.dx {
		c.dx[k] = m.sx.Map(c.dx[k])
		c.dy[k] = m.sy.Map(c.dy[k])
	}
	c.path = chart.AppendLine(c.path[:0], c.dx, c.dy, chart.DefaultPrecision)
	return string(c.path)
}

// hit is the point under the cursor.
type hit struct {
	i        int // index in vis
	raw      studio.Point
	smoothed float64
	px, py   float64 // position of the drawn (smoothed or raw) point
}

// at returns the visible point whose x is nearest to pixel px.
func (m *chartModel) at(px float64) (hit, bool) {
	if m.empty || len(m.vis) == 0 {
		return hit{}, false
	}
	return m.nearest(m.in.x.xfunc(), m.sx.Invert(px))
}

// atStep returns the visible point nearest to step (another chart's
// hover); ok is false when step is outside the visible range.
func (m *chartModel) atStep(step int) (hit, bool) {
	if m.empty || len(m.vis) == 0 {
		return hit{}, false
	}
	i, ok := chart.NearestStep(m.vis, step)
	if !ok {
		return hit{}, false
	}
	h := m.hitAt(i)
	if h.px < m.x0-1 || h.px > m.x1+1 {
		return hit{}, false
	}
	return h, true
}

func (m *chartModel) nearest(xf chart.XFunc, target float64) (hit, bool) {
	i, ok := chart.NearestIndex(m.vis, xf, target)
	if !ok {
		return hit{}, false
	}
	return m.hitAt(i), true
}

func (m *chartModel) hitAt(i int) hit {
	p := m.vis[i]
	h := hit{i: i, raw: p, smoothed: p.Value}
	if i < len(m.svals) {
		h.smoothed = m.svals[i]
	}
	h.px = m.sx.Map(m.in.x.xfunc()(p))
	h.py = m.sy.Map(h.smoothed)
	if math.IsNaN(h.py) || math.IsInf(h.py, 0) {
		h.py = m.y1
	}
	return h
}

// zoomTo returns the x domain range between pixels a and b, and false when
// the drag is too short to mean a zoom (under 5 px).
func (m *chartModel) zoomTo(a, b float64) (lo, hi float64, ok bool) {
	if math.Abs(a-b) < 5 || m.empty {
		return 0, 0, false
	}
	a = min(max(a, m.x0), m.x1)
	b = min(max(b, m.x0), m.x1)
	lo, hi = m.sx.Invert(min(a, b)), m.sx.Invert(max(a, b))
	if m.in.x == xStep {
		lo, hi = math.Floor(lo), math.Ceil(hi)
		if hi-lo < 2 {
			return 0, 0, false
		}
	}
	return lo, hi, hi > lo
}

// stepRange returns the steps of the points at the edges of the shown x
// range: the from and to of a finer fetch or an export.
func (m *chartModel) stepRange() (from, to int, ok bool) {
	if m.empty || len(m.vis) == 0 {
		return 0, 0, false
	}
	if m.in.x == xStep {
		return max(int(math.Floor(m.lo)), 0), max(int(math.Ceil(m.hi)), 0), true
	}
	return m.vis[0].Step, m.vis[len(m.vis)-1].Step, true
}
