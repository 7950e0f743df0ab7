package export

import (
	"image/color"
	"math"
	"time"

	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

// XAxis is the quantity on a chart's x axis.
type XAxis string

// X axes.
const (
	XStep     XAxis = "step"     // training step
	XTime     XAxis = "time"     // wall-clock time, UTC
	XRelative XAxis = "relative" // time since the run started
)

// Text sizes of a plot, in pixels.
var (
	titleText    = textStyle{size: 16, bold: true}
	subtitleText = textStyle{size: 12}
	legendText   = textStyle{size: 12}
	tickText     = textStyle{size: 11}
	axisText     = textStyle{size: 12}
	markText     = textStyle{size: 10, bold: true}
)

// plotLine is one series of a plot. line is drawn in full colour; raw,
// when set (smoothing is on), is drawn faintly underneath, as the browser
// does. Both hold every point in range: the plot decimates them to its
// pixel width before drawing.
type plotLine struct {
	name  string
	unit  string
	color color.RGBA
	line  []studio.Point
	raw   []studio.Point
}

// plotMark is a labelled vertical line, such as a pin, at x in domain
// units (a step, or Unix seconds on a time axis).
type plotMark struct {
	x     float64
	label string
}

// plotBand is a shaded x range in domain units.
type plotBand struct{ from, to float64 }

// plotSpec is everything a chart shows.
type plotSpec struct {
	title, subtitle string
	lines           []plotLine
	x               XAxis
	origin          time.Time // zero of XRelative
	log             bool
	yLabel          string
	// fixedX sets the x domain to [xFrom, xTo] instead of the data's.
	fixedX     bool
	xFrom, xTo float64
	marks      []plotMark
	bands      []plotBand
	// noLegend hides the legend (a report chart of one metric).
	noLegend bool
}

// rect is a rectangle in sheet pixels.
type rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

func (r rect) right() float64  { return r.X + r.W }
func (r rect) bottom() float64 { return r.Y + r.H }

// legendItem is one legend entry placed on the sheet.
type legendItem struct {
	X     float64    `json:"x"`
	Y     float64    `json:"y"` // baseline
	Label string     `json:"label"`
	Color color.RGBA `json:"-"`
}

// plotLayout is a laid-out plot: where everything goes, before drawing.
// Its JSON form is the golden file that guards layout regressions.
type plotLayout struct {
	Title    string       `json:"title"`
	Subtitle string       `json:"subtitle"`
	Legend   []legendItem `json:"legend"`
	Plot     rect         `json:"plot"`
	XLabel   string       `json:"x_label"`
	YLabel   string       `json:"y_label"`
	XTicks   []chart.Tick `json:"x_ticks"`
	YTicks   []chart.Tick `json:"y_ticks"`
	// Drawn counts the points of each line after decimation, raw lines
	// after the smoothed ones.
	Drawn []int `json:"drawn"`
	Empty bool  `json:"empty"`

	titleY, subtitleY float64
	left              float64 // left edge of the content, inside the padding
	sx                chart.Linear
	sy                chart.Scale
	lines             []plotLine // decimated copies of spec.lines
}

const (
	plotPad     = 12.0
	legendRow   = 18.0
	legendSwath = 18.0
)

// xFunc returns the x value of a point on axis a.
func xFunc(a XAxis) chart.XFunc {
	if a == XStep {
		return chart.ByStep
	}
	return chart.ByTime
}

// errNoPositive reports a log scale over data with no positive value.
var errNoPositive = studio.Errorf(studio.CodeInvalid, "log scale needs positive values: every point in range is zero or negative")

// layoutPlot places the spec in r: title, legend, plot area, scales,
// ticks, and each line decimated to two points per pixel column. It fails
// only for a log scale over data with no positive value.
func layoutPlot(s *sheet, r rect, spec *plotSpec) (*plotLayout, error) {
	l := &plotLayout{Title: spec.title, YLabel: spec.yLabel, left: r.X + plotPad}
	top := r.Y + plotPad
	// A short chart keeps its height for the plot: no subtitle, and no
	// legend for a single series (the title names it).
	compact := r.H < 260
	if spec.title != "" {
		l.Title = s.fit(spec.title, titleText, r.W-2*plotPad)
		l.titleY = top + 15
		top += 22
	}
	if spec.subtitle != "" && !compact {
		l.Subtitle = s.fit(spec.subtitle, subtitleText, r.W-2*plotPad)
		l.subtitleY = top + 12
		top += 18
	}
	if !spec.noLegend && len(spec.lines) > 0 && !(compact && len(spec.lines) == 1) {
		x, y := r.X+plotPad, top+13
		for _, ln := range spec.lines {
			label := ln.name
			if ln.unit != "" {
				label += " (" + ln.unit + ")"
			}
			label = s.fit(label, legendText, r.W/2)
			w := legendSwath + 6 + s.textWidth(label, legendText)
			if x > r.X+plotPad && x+w > r.right()-plotPad {
				x, y = r.X+plotPad, y+legendRow
			}
			l.Legend = append(l.Legend, legendItem{X: x, Y: y, Label: label, Color: ln.color})
			x += w + 16
		}
		top = y + 9
	}
	if len(spec.marks) > 0 {
		top += 16 // mark badges sit above the plot
	}
	top += 6
	bottom := r.bottom() - plotPad - 16 - 18 // x tick labels, x axis title

	// Domains. Extents over every point equal those of the decimated
	// points (decimation keeps each bucket's minimum and maximum), so they
	// are computed before decimating, which needs the plot's width.
	xf := xFunc(spec.x)
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi, seen := math.Inf(1), math.Inf(-1), false
	for _, ln := range spec.lines {
		for _, pts := range [][]studio.Point{ln.line, ln.raw} {
			if len(pts) == 0 {
				continue
			}
			xlo, xhi = min(xlo, xf(pts[0])), max(xhi, xf(pts[len(pts)-1]))
			for _, p := range pts {
				v := p.Value
				if math.IsNaN(v) || math.IsInf(v, 0) {
					continue
				}
				seen = true
				if spec.log && v <= 0 {
					continue
				}
				ylo, yhi = min(ylo, v), max(yhi, v)
			}
		}
	}
	if spec.fixedX {
		xlo, xhi = spec.xFrom, spec.xTo
	}
	ok := ylo <= yhi // as chart.Extent, or chart.PositiveExtent on a log scale
	if spec.log && !ok && seen {
		return nil, errNoPositive
	}
	if !ok || xlo > xhi {
		l.Empty = true
		ylo, yhi = 0, 1
		if xlo > xhi {
			xlo, xhi = 0, 1
		}
	}
	if xlo == xhi {
		d := 1.0
		if spec.x != XStep {
			d = 30
		}
		xlo, xhi = xlo-d, xhi+d
	}

	// Y ticks first: their label widths set the left edge of the plot.
	ny := max(2, min(10, int((bottom-top)/48)))
	var sy chart.Scale
	var yticks []chart.Tick
	if spec.log {
		ls := chart.Log{D0: ylo, D1: yhi, R0: bottom, R1: top}.Nice()
		sy, yticks = ls, ls.Ticks(ny, chart.NumberFormat{})
	} else {
		ls := chart.Linear{D0: ylo, D1: yhi, R0: bottom, R1: top}.Nice(ny)
		sy, yticks = ls, ls.Ticks(ny, chart.NumberFormat{})
	}
	labelW := 0.0
	for _, t := range yticks {
		labelW = max(labelW, s.textWidth(t.Label, tickText))
	}
	left := r.X + plotPad
	if spec.yLabel != "" {
		left += 18
	}
	left += labelW + 8
	right := r.right() - plotPad - 8
	l.Plot = rect{X: left, Y: top, W: max(right-left, 1), H: max(bottom-top, 1)}
	l.sy = sy
	l.YTicks = yticks

	sx := chart.Linear{D0: xlo, D1: xhi, R0: left, R1: left + l.Plot.W}
	l.sx = sx
	nx := max(2, min(12, int(l.Plot.W/110)))
	switch spec.x {
	case XStep:
		l.XLabel = "step"
		l.XTicks = sx.IntTicks(nx, chart.NumberFormat{})
	case XTime:
		l.XLabel = "time (UTC)"
		l.XTicks = chart.Time{From: chart.FromSeconds(xlo), To: chart.FromSeconds(xhi), R0: sx.R0, R1: sx.R1}.WallTicks(nx)
	case XRelative:
		l.XLabel = "time since start"
		l.XTicks = chart.Time{From: chart.FromSeconds(xlo), To: chart.FromSeconds(xhi), R0: sx.R0, R1: sx.R1}.RelativeTicks(nx, spec.origin)
	}

	// Decimate to about two points per pixel column before drawing.
	buckets := max(1, int(l.Plot.W/2))
	l.lines = make([]plotLine, len(spec.lines))
	for i, ln := range spec.lines {
		d := ln
		d.line = chart.Decimate(ln.line, xf, buckets)
		if ln.raw != nil {
			d.raw = chart.Decimate(ln.raw, xf, buckets)
		}
		l.lines[i] = d
		l.Drawn = append(l.Drawn, len(d.line))
	}
	for _, d := range l.lines {
		if d.raw != nil {
			l.Drawn = append(l.Drawn, len(d.raw))
		}
	}
	return l, nil
}

// drawPlot draws a laid-out plot of spec.
func drawPlot(s *sheet, l *plotLayout, spec *plotSpec) {
	pal := s.pal
	p := l.Plot
	if l.Title != "" {
		s.text(l.left, l.titleY, l.Title, withColor(titleText, pal.text), canvas.Left)
	}
	if l.Subtitle != "" {
		s.text(l.left, l.subtitleY, l.Subtitle, withColor(subtitleText, pal.muted), canvas.Left)
	}
	for _, it := range l.Legend {
		mid := it.Y - s.capHeight(legendText)/2
		s.line(it.X, mid, it.X+legendSwath, mid, 2.5, it.Color)
		s.text(it.X+legendSwath+6, it.Y, it.Label, withColor(legendText, pal.text), canvas.Left)
	}

	// Bands, then grid, then data, then axes on top.
	for _, b := range spec.bands {
		x0 := max(p.X, min(p.right(), l.sx.Map(b.from)))
		x1 := max(p.X, min(p.right(), l.sx.Map(b.to)))
		s.fillRect(x0, p.Y, x1-x0, p.H, pal.shade)
	}
	for _, t := range l.YTicks {
		if !inRange(t.Pos, p.Y-0.5, p.bottom()+0.5) {
			continue
		}
		col := pal.grid
		if t.Minor {
			col = pal.gridMinor
		}
		s.line(p.X, t.Pos, p.right(), t.Pos, 1, col)
	}
	for _, t := range l.XTicks {
		if inRange(t.Pos, p.X-0.5, p.right()+0.5) {
			s.line(t.Pos, p.Y, t.Pos, p.bottom(), 1, pal.gridMinor)
		}
	}

	xf := xFunc(spec.x)
	var buf []byte
	for _, ln := range l.lines {
		if ln.raw != nil {
			buf = strokeSeries(s, buf, ln.raw, xf, l, 1, withAlpha(ln.color, 0.3))
		}
	}
	for _, ln := range l.lines {
		buf = strokeSeries(s, buf, ln.line, xf, l, 1.5, ln.color)
	}

	s.line(p.X, p.Y, p.X, p.bottom(), 1, pal.axis)
	s.line(p.X, p.bottom(), p.right(), p.bottom(), 1, pal.axis)

	tick := withColor(tickText, pal.muted)
	half := s.capHeight(tickText) / 2
	for _, t := range l.YTicks {
		if t.Label != "" && inRange(t.Pos, p.Y-0.5, p.bottom()+0.5) {
			s.text(p.X-6, t.Pos+half, t.Label, tick, canvas.Right)
		}
	}
	lastRight := math.Inf(-1)
	for _, t := range l.XTicks {
		if t.Label == "" || !inRange(t.Pos, p.X-0.5, p.right()+0.5) {
			continue
		}
		w := s.textWidth(t.Label, tickText)
		x0 := max(t.Pos-w/2, l.left)
		if x0 < lastRight+8 || x0+w > p.right()+plotPad {
			continue // would overlap its neighbour or leave the chart
		}
		s.text(x0, p.bottom()+16, t.Label, tick, canvas.Left)
		lastRight = x0 + w
	}
	axis := withColor(axisText, pal.muted)
	s.text(p.X+p.W/2, p.bottom()+34, l.XLabel, axis, canvas.Center)
	if l.YLabel != "" {
		s.vtext(l.left+12, p.Y+p.H/2, s.fit(l.YLabel, axisText, p.H), axis, canvas.Center)
	}

	for _, m := range spec.marks {
		x := l.sx.Map(m.x)
		if !inRange(x, p.X-0.5, p.right()+0.5) {
			continue
		}
		s.line(x, p.Y, x, p.bottom(), 1.25, pal.pin, 4, 3)
		w := s.textWidth(m.label, markText) + 8
		s.roundRect(x-w/2, p.Y-17, w, 14, 3, pal.pin)
		s.text(x, p.Y-6.5, m.label, withColor(markText, pal.background), canvas.Center)
	}

	if l.Empty {
		s.text(p.X+p.W/2, p.Y+p.H/2, "no data in range", withColor(axisText, pal.muted), canvas.Center)
	}
}

// rasterChunk is the number of points per path when a sheet is
// rasterized: the scanline rasterizer (srwiley/scanx) keeps each pixel
// row's cells in a linked list searched linearly, so one path crossing
// thousands of columns costs O(width²) per row; short overlapping chunks
// keep it linear (a 4000x3000 PNG went from 1.9 s to well under a second).
const rasterChunk = 128

// strokeSeries strokes one series through chart.AppendSeries, the
// browser's path builder (NaN and values a log scale cannot show break
// the line; far-away coordinates are clamped), reusing buf. On a raster
// sheet the series is stroked in chunks of rasterChunk points that share
// their end points.
func strokeSeries(s *sheet, buf []byte, pts []studio.Point, xf chart.XFunc, l *plotLayout, width float64, col color.RGBA) []byte {
	step := len(pts)
	if s.raster {
		step = rasterChunk
	}
	for i := 0; i < len(pts); i += step {
		part := pts[i:min(len(pts), i+step+1)] // shares its last point with the next chunk
		buf = chart.AppendSeries(buf[:0], part, xf, l.sx, l.sy, 2)
		if p, err := canvas.ParseSVGPath(string(buf)); err == nil && len(buf) > 0 {
			s.strokePath(p, width, col) // AppendSeries writes only M and L: err is always nil
		}
		if i+step >= len(pts)-1 {
			break
		}
	}
	return buf
}

func withColor(st textStyle, c color.RGBA) textStyle {
	st.color = c
	return st
}

func inRange(v, lo, hi float64) bool { return v >= lo && v <= hi }
