package chart

// Sparkline draws a small line chart of values, without axes, in a box of
// Width x Height pixels. Values are spread evenly across the width (index
// i at x = Pad + i*(Width-2*Pad)/(n-1)) and scaled so the smallest finite
// value touches the bottom inset and the largest the top one. It uses the
// same Linear scales and Path as full charts.
type Sparkline struct {
	Width, Height float64
	// Pad insets the line on every side, leaving room for the stroke.
	Pad float64
	// Prec is the number of decimals per coordinate (see Path.Prec).
	Prec int
}

// Scales returns the x scale (index to pixels) and y scale (value to
// pixels) for values. A constant series is drawn across the middle; with
// no finite value the y domain is [0, 1].
func (s Sparkline) Scales(values []float64) (x, y Linear) {
	x = Linear{D0: 0, D1: float64(max(len(values)-1, 0)), R0: s.Pad, R1: s.Width - s.Pad}
	lo, hi, ok := Extent(values)
	if !ok {
		lo, hi = 0, 1
	}
	y = Linear{D0: lo, D1: hi, R0: s.Height - s.Pad, R1: s.Pad}
	return x, y
}

// AppendPath appends the sparkline's path data to dst. NaN and infinite
// values break the line.
func (s Sparkline) AppendPath(dst []byte, values []float64) []byte {
	x, y := s.Scales(values)
	p := Path{Buf: dst, Prec: s.Prec}
	for i, v := range values {
		p.Point(x.Map(float64(i)), y.Map(v))
	}
	return p.Buf
}

// Path returns the sparkline's path data.
func (s Sparkline) Path(values []float64) string {
	return string(s.AppendPath(nil, values))
}

// AppendArea appends the closed area under the sparkline, down to the
// bottom inset, for a filled sparkline drawn under its line.
func (s Sparkline) AppendArea(dst []byte, values []float64) []byte {
	x, y := s.Scales(values)
	p := Path{Buf: dst, Prec: s.Prec}
	base := s.Height - s.Pad
	n := len(values)
	for i := 0; i < n; {
		for i < n && !finite(values[i]) {
			i++
		}
		if i == n {
			break
		}
		start := i
		for i < n && finite(values[i]) {
			i++
		}
		p.Break()
		p.Point(x.Map(float64(start)), base)
		for j := start; j < i; j++ {
			p.Point(x.Map(float64(j)), y.Map(values[j]))
		}
		p.Point(x.Map(float64(i-1)), base)
		p.Buf = append(p.Buf, 'Z')
	}
	return p.Buf
}
