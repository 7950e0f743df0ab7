package export

import (
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tdewolff/canvas"
)

// sheet draws on a canvas.Canvas in CSS pixels with y pointing down, the
// browser's convention. canvas itself is y-up; sheet flips every
// coordinate, so layout code reads like the SVG the browser draws. The
// canvas unit is one CSS pixel: the SVG is written in pixels, the PNG is
// rasterized at one dot per unit and the PDF is scaled to millimetres when
// rendered (see encode.go).
type sheet struct {
	c     *canvas.Canvas
	ctx   *canvas.Context
	w, h  float64
	faces *faces
	pal   palette
	// raster is set when the sheet will be rasterized (PNG), which
	// changes how long paths are split (see rasterChunk).
	raster bool
}

func newSheet(w, h float64, fs *fontSet, pal palette) *sheet {
	c := canvas.New(w, h)
	ctx := canvas.NewContext(c)
	ctx.SetStrokeJoiner(canvas.MiterJoin) // never RoundJoin: quadratic in the rasterizer
	ctx.SetStrokeCapper(canvas.ButtCap)
	return &sheet{c: c, ctx: ctx, w: w, h: h, faces: newFaces(fs), pal: pal}
}

// flip is the transform from sheet pixels (y down) to canvas units (y up).
func (s *sheet) flip() canvas.Matrix { return canvas.Identity.Translate(0, s.h).Scale(1, -1) }

func (s *sheet) fillStyle(fill color.RGBA) {
	s.ctx.SetFillColor(fill)
	s.ctx.SetStrokeColor(canvas.Transparent)
	s.ctx.SetDashes(0)
}

func (s *sheet) strokeStyle(width float64, col color.RGBA, dash []float64) {
	s.ctx.SetFillColor(canvas.Transparent)
	s.ctx.SetStrokeColor(col)
	s.ctx.SetStrokeWidth(width)
	s.ctx.SetDashes(0, dash...)
}

// fillRect fills the rectangle with top-left corner (x, y).
func (s *sheet) fillRect(x, y, w, h float64, fill color.RGBA) {
	if !(w > 0 && h > 0) {
		return
	}
	s.fillStyle(fill)
	s.ctx.DrawPath(x, s.h-y-h, canvas.Rectangle(w, h))
}

// roundRect fills a rectangle with rounded corners of radius r.
func (s *sheet) roundRect(x, y, w, h, r float64, fill color.RGBA) {
	if !(w > 0 && h > 0) {
		return
	}
	s.fillStyle(fill)
	s.ctx.DrawPath(x, s.h-y-h, canvas.RoundedRectangle(w, h, min(r, w/2, h/2)))
}

// circle fills a disc centred on (cx, cy).
func (s *sheet) circle(cx, cy, r float64, fill color.RGBA) {
	s.fillStyle(fill)
	s.ctx.DrawPath(cx, s.h-cy, canvas.Circle(r))
}

// line strokes a segment; dash, when given, alternates dash and gap
// lengths.
func (s *sheet) line(x1, y1, x2, y2, width float64, col color.RGBA, dash ...float64) {
	s.strokeStyle(width, col, dash)
	p := &canvas.Path{}
	p.MoveTo(x1, s.h-y1)
	p.LineTo(x2, s.h-y2)
	s.ctx.DrawPath(0, 0, p)
}

// strokePath strokes p, given in sheet pixels; p is transformed in place.
func (s *sheet) strokePath(p *canvas.Path, width float64, col color.RGBA, dash ...float64) {
	if p.Empty() {
		return
	}
	s.strokeStyle(width, col, dash)
	s.ctx.DrawPath(0, 0, p.Transform(s.flip()))
}

// text draws str with its baseline at y; align says whether x is its
// left edge, centre or right edge.
func (s *sheet) text(x, y float64, str string, st textStyle, align canvas.TextAlign) {
	if str = printable(str); str == "" {
		return
	}
	s.ctx.DrawText(x, s.h-y, canvas.NewTextLine(s.faces.face(st), str, align))
}

// vtext draws str rotated a quarter turn counter-clockwise (reading
// upwards) with its baseline at x, aligned around y as text aligns around
// x.
func (s *sheet) vtext(x, y float64, str string, st textStyle, align canvas.TextAlign) {
	if str = printable(str); str == "" {
		return
	}
	s.ctx.Push()
	s.ctx.ComposeView(canvas.Identity.Translate(x, s.h-y).Rotate(90))
	s.ctx.DrawText(0, 0, canvas.NewTextLine(s.faces.face(st), str, align))
	s.ctx.Pop()
}

// textWidth returns the advance width of str in pixels.
func (s *sheet) textWidth(str string, st textStyle) float64 {
	if str == "" {
		return 0
	}
	return s.faces.face(st).TextWidth(str)
}

// capHeight returns the height of capital letters in pixels, to centre
// text vertically on a row.
func (s *sheet) capHeight(st textStyle) float64 {
	return s.faces.face(st).Metrics().CapHeight
}

// fit returns str shortened with an ellipsis so that it is at most maxW
// pixels wide. Long inputs are cut to maxRunes first so that fitting a
// hostile string stays cheap.
func (s *sheet) fit(str string, st textStyle, maxW float64) string {
	const maxRunes = 160
	if utf8.RuneCountInString(str) > maxRunes {
		str = string([]rune(str)[:maxRunes]) + "…"
	}
	if maxW <= 0 {
		return ""
	}
	if s.textWidth(str, st) <= maxW {
		return str
	}
	r := []rune(strings.TrimRight(str, "…"))
	// Binary search the longest prefix that fits with the ellipsis.
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.textWidth(string(r[:mid])+"…", st) <= maxW {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}

// printable replaces control characters (a newline in an event title)
// with spaces, so every text is one line.
func printable(str string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, str)
}
