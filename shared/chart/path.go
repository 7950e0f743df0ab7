package chart

import (
	"strconv"

	"github.com/aiinfra/studio/shared/studio"
)

// DefaultPrecision is the number of decimals path coordinates keep: a
// tenth of a pixel is finer than any screen draws.
const DefaultPrecision = 1

// maxCoord bounds the coordinates written to a path. Points mapped further
// out (a zoomed chart with far-away outliers) are clamped, because SVG
// renderers misdraw huge coordinates; use VisibleRange to skip most of
// them.
const maxCoord = 1e7

// Path builds SVG path data ("M1 2L3 4L5 6") in a byte slice, one series
// per path. A point with a NaN or infinite coordinate is skipped and ends
// the current segment, so the next finite point starts a new "M". The zero
// Path is ready to use and writes whole pixels.
type Path struct {
	// Buf holds the path data written so far.
	Buf []byte
	// Prec is the number of decimals per coordinate; trailing zeros are
	// dropped. 0 writes whole pixels; a negative Prec means
	// DefaultPrecision.
	Prec int
	pen  bool // a segment is open: the next point is an L
}

// NewPath returns a Path writing prec decimals into buf[:0].
func NewPath(buf []byte, prec int) *Path {
	return &Path{Buf: buf[:0], Prec: prec}
}

// Point adds (x, y) in pixels: "M" after a break or at the start, else
// "L". A NaN or infinite coordinate ends the segment instead.
func (p *Path) Point(x, y float64) {
	if !finite(x) || !finite(y) {
		p.pen = false
		return
	}
	if p.pen {
		p.Buf = append(p.Buf, 'L')
	} else {
		if len(p.Buf) > 0 {
			p.Buf = append(p.Buf, ' ')
		}
		p.Buf = append(p.Buf, 'M')
		p.pen = true
	}
	p.Buf = p.appendCoord(p.Buf, x)
	p.Buf = append(p.Buf, ' ')
	p.Buf = p.appendCoord(p.Buf, y)
}

// Break ends the current segment: the next point starts with "M".
func (p *Path) Break() { p.pen = false }

// Reset empties the path, keeping its buffer.
func (p *Path) Reset() {
	p.Buf = p.Buf[:0]
	p.pen = false
}

// String returns the path data.
func (p *Path) String() string { return string(p.Buf) }

func (p *Path) appendCoord(dst []byte, v float64) []byte {
	prec := p.Prec
	if prec < 0 {
		prec = DefaultPrecision
	}
	v = max(-maxCoord, min(maxCoord, v))
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', prec, 64)
	dst = trimZeros(dst, start)
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// AppendLine appends the path through pixel coordinates (xs[i], ys[i]) to
// dst with prec decimals (see Path.Prec) and returns the extended slice.
// The shorter slice sets the length; a NaN or infinite coordinate breaks
// the line.
func AppendLine(dst []byte, xs, ys []float64, prec int) []byte {
	p := Path{Buf: dst, Prec: prec}
	for i := range min(len(xs), len(ys)) {
		p.Point(xs[i], ys[i])
	}
	return p.Buf
}

// AppendSeries appends the path of points to dst: x(point) mapped by sx
// and the value mapped by sy, with prec decimals. NaN values, and values a
// log scale cannot show, break the line.
func AppendSeries(dst []byte, points []studio.Point, x XFunc, sx, sy Scale, prec int) []byte {
	p := Path{Buf: dst, Prec: prec}
	for _, pt := range points {
		p.Point(sx.Map(x(pt)), sy.Map(pt.Value))
	}
	return p.Buf
}

// AppendSeriesLinear is AppendSeries for two linear scales, the common
// case, without interface calls per point.
func AppendSeriesLinear(dst []byte, points []studio.Point, x XFunc, sx, sy Linear, prec int) []byte {
	p := Path{Buf: dst, Prec: prec}
	for _, pt := range points {
		p.Point(sx.Map(x(pt)), sy.Map(pt.Value))
	}
	return p.Buf
}

// AppendArea appends a closed area under the line through (xs[i], ys[i])
// down to the pixel row base, one closed shape per unbroken segment, for
// filled sparklines.
func AppendArea(dst []byte, xs, ys []float64, base float64, prec int) []byte {
	p := Path{Buf: dst, Prec: prec}
	n := min(len(xs), len(ys))
	for i := 0; i < n; {
		for i < n && (!finite(xs[i]) || !finite(ys[i])) {
			i++
		}
		if i == n {
			break
		}
		start := i
		for i < n && finite(xs[i]) && finite(ys[i]) {
			i++
		}
		p.Break()
		p.Point(xs[start], base)
		for j := start; j < i; j++ {
			p.Point(xs[j], ys[j])
		}
		p.Point(xs[i-1], base)
		p.Buf = append(p.Buf, 'Z')
	}
	return p.Buf
}
