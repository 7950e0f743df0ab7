// Package viz draws the app's small SVG graphics: sparklines and line
// charts. Paths are built as one string per series (never one element per
// point) and cached until the data changes, so re-renders caused by other
// events cost nothing.
package viz

import (
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Namespace is the SVG XML namespace. go-app does not inherit namespaces,
// so every SVG element needs it (see El).
const Namespace = "http://www.w3.org/2000/svg"

// El returns an SVG element with the SVG namespace set, as every SVG
// element must have in go-app.
func El(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(Namespace) }

// Scale maps a data interval onto a pixel interval linearly.
type Scale struct {
	D0, D1 float64 // domain
	R0, R1 float64 // range
}

// At returns the pixel position of v. A degenerate domain maps every
// value to the middle of the range.
func (s Scale) At(v float64) float64 {
	if s.D1 == s.D0 {
		return (s.R0 + s.R1) / 2
	}
	return s.R0 + (v-s.D0)/(s.D1-s.D0)*(s.R1-s.R0)
}

// Invert returns the data value at pixel p.
func (s Scale) Invert(p float64) float64 {
	if s.R1 == s.R0 {
		return s.D0
	}
	return s.D0 + (p-s.R0)/(s.R1-s.R0)*(s.D1-s.D0)
}

// Extent returns the minimum and maximum of the finite values in vs, and
// false when there are none.
func Extent(vs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi, lo <= hi
}

// Ticks returns about n "nice" tick values (multiples of 1, 2 or 5 times a
// power of ten) covering [lo, hi]. It returns nil for an empty or
// non-finite interval and [lo] when lo == hi.
func Ticks(lo, hi float64, n int) []float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || hi < lo {
		return nil
	}
	if lo == hi {
		return []float64{lo}
	}
	n = max(n, 2)
	step := niceStep((hi - lo) / float64(n))
	// Round to the step's decimals so 3×0.2 prints as 0.6.
	pow := math.Pow(10, math.Max(0, -math.Floor(math.Log10(step))))
	var ticks []float64
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		ticks = append(ticks, math.Round(k*step*pow)/pow)
	}
	return ticks
}

// NiceDomain widens [lo, hi] outwards to tick multiples for about n ticks.
func NiceDomain(lo, hi float64, n int) (float64, float64) {
	if hi <= lo {
		pad := math.Max(math.Abs(lo)*0.1, 1)
		return lo - pad, hi + pad
	}
	step := niceStep((hi - lo) / float64(max(n, 2)))
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step
}

func niceStep(raw float64) float64 {
	exp := math.Floor(math.Log10(raw))
	base := math.Pow(10, exp)
	switch f := raw / base; {
	case f <= 1:
		return base
	case f <= 2:
		return 2 * base
	case f <= 5:
		return 5 * base
	default:
		return 10 * base
	}
}

// appendXY appends "x,y" with one decimal to b.
func appendXY(b []byte, x, y float64) []byte {
	b = strconv.AppendFloat(b, math.Round(x*10)/10, 'f', -1, 64)
	b = append(b, ',')
	return strconv.AppendFloat(b, math.Round(y*10)/10, 'f', -1, 64)
}
