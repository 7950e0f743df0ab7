package viz

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// SparkPoints returns the SVG polyline points drawing values across a
// w×h box with pad pixels of margin, oldest value on the left and the
// largest at the top. Non-finite values are skipped. A single value draws
// a flat line; no values give "".
func SparkPoints(values []float64, w, h, pad float64) string {
	lo, hi, ok := Extent(values)
	if !ok {
		return ""
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	n := len(values)
	xs := Scale{D0: 0, D1: float64(max(n-1, 1)), R0: pad, R1: w - pad}
	ys := Scale{D0: lo, D1: hi, R0: h - pad, R1: pad}
	b := make([]byte, 0, n*10)
	first := true
	for i, v := range values {
		if v != v || v > 1e308 || v < -1e308 {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		x := xs.At(float64(i))
		if n == 1 {
			b = appendXY(b, pad, ys.At(v))
			b = append(b, ' ')
			x = w - pad
		}
		b = appendXY(b, x, ys.At(v))
	}
	return string(b)
}

// Sparkline is a small line chart without axes, for cards and tables.
type Sparkline struct {
	app.Compo

	// Values are drawn oldest first.
	Values []float64
	// Label is the accessible description, e.g. "GPU utilisation, last
	// 24 hours".
	Label string
	// Tone selects the colour: "accent" (default), "ok", "warn", "bad"
	// or "muted".
	Tone string
	// Width and Height are the viewBox size (default 120×32); the SVG
	// scales to its CSS box.
	Width, Height int
	// Fill shades the area under the line.
	Fill bool

	points string
	area   string
	sig    sparkSig
}

type sparkSig struct {
	ptr  *float64
	n    int
	w, h int
	last float64
}

func (s *Sparkline) size() (int, int) {
	w, h := s.Width, s.Height
	if w <= 0 {
		w = 120
	}
	if h <= 0 {
		h = 32
	}
	return w, h
}

// compute rebuilds the cached points when the values changed.
func (s *Sparkline) compute() {
	w, h := s.size()
	sig := sparkSig{n: len(s.Values), w: w, h: h}
	if len(s.Values) > 0 {
		sig.ptr, sig.last = &s.Values[0], s.Values[len(s.Values)-1]
	}
	if sig == s.sig && (s.points != "" || len(s.Values) == 0) {
		return
	}
	s.sig = sig
	s.points = SparkPoints(s.Values, float64(w), float64(h), 2)
	s.area = ""
	if s.points != "" {
		s.area = "M" + s.points + " L" + strconv.Itoa(w-2) + "," + strconv.Itoa(h) + " L2," + strconv.Itoa(h) + " Z"
	}
}

// Render draws the line, the optional area and a dot on the last value.
func (s *Sparkline) Render() app.UI {
	s.compute()
	w, h := s.size()
	tone := s.Tone
	if tone == "" {
		tone = "accent"
	}
	svg := El("svg").
		Class("spark", "tone-"+tone).
		Attr("viewBox", "0 0 "+strconv.Itoa(w)+" "+strconv.Itoa(h)).
		Attr("preserveAspectRatio", "none").
		Attr("role", "img").
		Attr("aria-label", s.Label)
	if s.points == "" {
		return svg.Body(El("line").Class("spark-empty").
			Attr("x1", 2).Attr("x2", w-2).Attr("y1", h/2).Attr("y2", h/2))
	}
	return svg.Body(
		app.If(s.Fill, func() app.UI {
			return El("path").Class("spark-area").Attr("d", s.area)
		}),
		El("polyline").Class("spark-line").Attr("points", s.points).Attr("vector-effect", "non-scaling-stroke"),
	)
}
