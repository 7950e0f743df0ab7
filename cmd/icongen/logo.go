package main

import (
	"image/color"

	"github.com/tdewolff/canvas"
)

// Brand colours of AI Infra Studio. The app's theme colour is Brand.
var (
	// Brand is the indigo of the icon background and the manifest theme.
	Brand = color.RGBA{0x43, 0x38, 0xca, 0xff} // #4338ca
	// Window is the lighter indigo of the brush window behind the lanes.
	Window = color.RGBA{0x5b, 0x54, 0xe8, 0xff} // #5b54e8
	// Lane is the colour of the timeline lanes and their events.
	Lane = color.RGBA{0xff, 0xff, 0xff, 0xff}
	// Pin is the amber of the time cursor and the pinned event.
	Pin = color.RGBA{0xfb, 0xbf, 0x24, 0xff} // #fbbf24
)

// shape selects how the background is drawn.
type shape int

const (
	// rounded is a rounded square with transparent corners ("any" icons).
	rounded shape = iota
	// fullBleed fills the whole square; the mark is shrunk into the maskable
	// safe zone (a centred circle of radius 0.4).
	fullBleed
)

// logo describes one rendering of the mark.
type logo struct {
	size  float64 // edge length in canvas units (1 unit = 1 px in the PNGs)
	shape shape
	// scale shrinks the mark around the centre (1 = as designed).
	scale float64
	// bold thickens strokes and enlarges dots for tiny sizes such as a favicon.
	bold bool
}

// draw paints the logo on ctx, which must be size x size with the default
// coordinate system (origin bottom-left, y up).
//
// The mark is a Time Warp Timeline in miniature: three lanes with events on
// them, a brush window selecting part of the time axis and an amber cursor
// through the pinned event.
func (l logo) draw(ctx *canvas.Context) {
	s := l.size
	ctx.SetStrokeColor(canvas.Transparent)
	ctx.SetFillColor(Brand)
	switch l.shape {
	case fullBleed:
		ctx.DrawPath(0, 0, canvas.Rectangle(s, s))
	default:
		ctx.DrawPath(0, 0, canvas.RoundedRectangle(s, s, 0.22*s))
	}

	// u maps a unit length of the design to canvas units; p maps a design
	// point (x right, y down, centre 0.5,0.5) to canvas coordinates.
	u := func(v float64) float64 { return v * s * l.scale }
	p := func(x, y float64) (float64, float64) {
		return s * (0.5 + (x-0.5)*l.scale), s * (1 - (0.5 + (y-0.5)*l.scale))
	}

	// Design in unit coordinates (0 top or left, 1 bottom or right).
	lanes := [3]float64{0.34, 0.50, 0.66}
	stroke, dot, pin := 0.050, 0.060, 0.078
	cursorStroke := 0.0275
	left, right := 0.20, 0.80
	cursor := 0.64
	events := [][2]float64{{0.32, lanes[0]}, {0.44, lanes[2]}}
	if l.bold {
		// Fewer, heavier parts: at 32 px the lanes need 3 px gaps.
		lanes = [3]float64{0.27, 0.50, 0.73}
		stroke, dot, pin = 0.10, 0.10, 0.135
		left, right = 0.18, 0.82
		cursor = 0.64
		cursorStroke = 0.07
		events = [][2]float64{{0.33, lanes[0]}, {0.40, lanes[2]}}
	} else {
		// Brush window: a lighter rounded rectangle spanning every lane.
		ctx.SetFillColor(Window)
		x0, y0 := p(0.53, 0.22)
		ctx.DrawPath(x0, y0-u(0.56), canvas.RoundedRectangle(u(0.22), u(0.56), u(0.06)))
	}

	// Lanes.
	ctx.SetFillColor(canvas.Transparent)
	ctx.SetStrokeColor(Lane)
	ctx.SetStrokeWidth(u(stroke))
	ctx.SetStrokeCapper(canvas.RoundCap)
	ctx.SetStrokeJoiner(canvas.MiterJoin)
	for _, y := range lanes {
		path := &canvas.Path{}
		path.MoveTo(p(left, y))
		path.LineTo(p(right, y))
		ctx.DrawPath(0, 0, path)
	}

	// Time cursor through the pinned event.
	ctx.SetStrokeColor(Pin)
	ctx.SetStrokeWidth(u(cursorStroke))
	cur := &canvas.Path{}
	cur.MoveTo(p(cursor, lanes[0]-0.15))
	cur.LineTo(p(cursor, lanes[2]+0.15))
	ctx.DrawPath(0, 0, cur)

	// Events: white beads on the lanes, and the pinned one in amber.
	ctx.SetStrokeColor(canvas.Transparent)
	ctx.SetFillColor(Lane)
	for _, e := range events {
		x, y := p(e[0], e[1])
		ctx.DrawPath(x, y, canvas.Circle(u(dot)))
	}
	ctx.SetFillColor(Pin)
	x, y := p(cursor, lanes[1])
	ctx.DrawPath(x, y, canvas.Circle(u(pin)))
}
