package chart

import (
	"errors"
	"math"
)

// Scale maps domain values to range coordinates (pixels) and back. Linear,
// Log and Time implement it.
type Scale interface {
	// Map returns the range coordinate of domain value v, or NaN when v
	// has no position (NaN, or a non-positive value on a log scale).
	Map(v float64) float64
	// Invert returns the domain value at range coordinate px.
	Invert(px float64) float64
}

// Tick is one axis tick, ready to draw.
type Tick struct {
	Value float64 `json:"value"` // domain value
	Pos   float64 `json:"pos"`   // range coordinate, in pixels
	Label string  `json:"label"` // "" for an unlabelled minor tick
	Minor bool    `json:"minor,omitempty"`
}

// Linear maps the domain [D0, D1] linearly onto the range [R0, R1]. Either
// interval may be reversed: a y axis usually maps [min, max] to
// [height, 0]. The zero Linear maps everything to 0.
type Linear struct {
	D0, D1 float64 // domain
	R0, R1 float64 // range, in pixels
	// Clamp restricts Map to the range and Invert to the domain.
	Clamp bool
}

// NewLinear returns the scale from [d0, d1] to [r0, r1].
func NewLinear(d0, d1, r0, r1 float64) Linear {
	return Linear{D0: d0, D1: d1, R0: r0, R1: r1}
}

// Map returns the range coordinate of v. An empty domain (D0 == D1) maps
// every value to the middle of the range. NaN maps to NaN; ±Inf maps to
// ±Inf unless Clamp is set.
func (s Linear) Map(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	if s.D0 == s.D1 {
		return (s.R0 + s.R1) / 2
	}
	t := (v - s.D0) / (s.D1 - s.D0)
	if s.Clamp {
		t = max(0, min(1, t))
	}
	return s.R0 + t*(s.R1-s.R0)
}

// Invert returns the domain value at range coordinate px: Map's inverse.
// An empty range (R0 == R1) inverts to D0.
func (s Linear) Invert(px float64) float64 {
	if math.IsNaN(px) {
		return px
	}
	if s.R0 == s.R1 {
		return s.D0
	}
	t := (px - s.R0) / (s.R1 - s.R0)
	if s.Clamp {
		t = max(0, min(1, t))
	}
	return s.D0 + t*(s.D1-s.D0)
}

// Nice returns s with its domain extended to nice tick boundaries for about
// n ticks (see NiceDomain). The domain keeps its direction.
func (s Linear) Nice(n int) Linear {
	lo, hi := NiceDomain(s.D0, s.D1, n)
	if s.D0 > s.D1 {
		lo, hi = hi, lo
	}
	s.D0, s.D1 = lo, hi
	return s
}

// Ticks returns about n ticks over the domain, labelled by f with its Step
// set to the tick spacing.
func (s Linear) Ticks(n int, f NumberFormat) []Tick {
	return s.AppendTicks(nil, n, f)
}

// AppendTicks is Ticks appending to dst.
func (s Linear) AppendTicks(dst []Tick, n int, f NumberFormat) []Tick {
	return s.appendTicks(dst, n, f, 0)
}

// IntTicks is Ticks for integer domains such as training steps: the
// spacing is never below 1, so no tick falls between two steps.
func (s Linear) IntTicks(n int, f NumberFormat) []Tick {
	return s.appendTicks(nil, n, f, 1)
}

func (s Linear) appendTicks(dst []Tick, n int, f NumberFormat, minStep float64) []Tick {
	lo, hi := min(s.D0, s.D1), max(s.D0, s.D1)
	f.Step = TickStep(lo, hi, n)
	if minStep > 0 && f.Step < minStep && finite(lo) && finite(hi) && n >= 1 {
		// Fewer integers than ticks asked for: one tick per integer.
		f.Step = minStep
		for v, i := math.Ceil(lo), 0; v <= hi && i <= 2*n+2; v, i = v+minStep, i+1 {
			dst = append(dst, Tick{Value: v, Pos: s.Map(v), Label: f.Format(v)})
		}
		return dst
	}
	var buf [64]float64
	for _, v := range AppendTicks(buf[:0], lo, hi, n) {
		dst = append(dst, Tick{Value: v, Pos: s.Map(v), Label: f.Format(v)})
	}
	return dst
}

// ErrLogDomain reports a log scale domain that is not positive and finite.
var ErrLogDomain = errors.New("log scale domain must be positive and finite")

// Log maps the domain [D0, D1] onto the range [R0, R1] by log10. Both
// domain bounds must be positive and finite; NewLog checks this. A Log with
// an invalid domain maps every value to NaN.
//
// Zero and negative values have no position on a log scale. Map returns
// NaN for them, so path builders break the line there, unless Clamp is set,
// in which case they map to the low end of the domain like any other value
// below it.
type Log struct {
	D0, D1 float64 // domain, both > 0
	R0, R1 float64 // range, in pixels
	// Clamp restricts Map to the range and Invert to the domain.
	Clamp bool
}

// NewLog returns the log scale from [d0, d1] to [r0, r1], or ErrLogDomain
// when d0 or d1 is not positive and finite (see PositiveExtent for a
// domain that skips non-positive data).
func NewLog(d0, d1, r0, r1 float64) (Log, error) {
	s := Log{D0: d0, D1: d1, R0: r0, R1: r1}
	if !s.Valid() {
		return s, ErrLogDomain
	}
	return s, nil
}

// Valid reports whether the domain is positive and finite.
func (s Log) Valid() bool {
	return s.D0 > 0 && s.D1 > 0 && !math.IsInf(s.D0, 1) && !math.IsInf(s.D1, 1)
}

// Map returns the range coordinate of v; see Log for non-positive v.
func (s Log) Map(v float64) float64 {
	if !s.Valid() || math.IsNaN(v) {
		return math.NaN()
	}
	if v <= 0 {
		if !s.Clamp {
			return math.NaN()
		}
		v = min(s.D0, s.D1)
	}
	l0, l1 := math.Log10(s.D0), math.Log10(s.D1)
	if l0 == l1 {
		return (s.R0 + s.R1) / 2
	}
	t := (math.Log10(v) - l0) / (l1 - l0)
	if s.Clamp {
		t = max(0, min(1, t))
	}
	return s.R0 + t*(s.R1-s.R0)
}

// Invert returns the domain value at range coordinate px, or NaN for an
// invalid domain.
func (s Log) Invert(px float64) float64 {
	if !s.Valid() || math.IsNaN(px) {
		return math.NaN()
	}
	if s.R0 == s.R1 {
		return s.D0
	}
	t := (px - s.R0) / (s.R1 - s.R0)
	if s.Clamp {
		t = max(0, min(1, t))
	}
	l0, l1 := math.Log10(s.D0), math.Log10(s.D1)
	return math.Pow(10, l0+t*(l1-l0))
}

// Nice returns s with its domain extended to powers of ten: [0.0013, 0.47]
// becomes [0.001, 1]. An invalid domain is returned unchanged.
func (s Log) Nice() Log {
	if !s.Valid() {
		return s
	}
	lo, hi := min(s.D0, s.D1), max(s.D0, s.D1)
	lo = math.Pow10(pow10Floor(lo))
	if p := pow10Floor(hi); math.Pow10(p) < hi {
		hi = math.Pow10(p + 1)
	}
	if lo == hi {
		hi = lo * 10
	}
	if s.D0 > s.D1 {
		lo, hi = hi, lo
	}
	s.D0, s.D1 = lo, hi
	return s
}

// Ticks returns ticks for about n labels over the domain. Powers of ten
// are major ticks. When the domain spans at most n/2 decades, 2× and 5×
// multiples are added as minor ticks, labelled when the domain spans at
// most two decades. When it spans more than n decades only every k-th
// power is kept. A domain inside one decade (no power of ten or just one)
// gets linear nice ticks instead. Labels use f with Step 0, so 1e-4, 0.01,
// 1 and 10k read naturally. An invalid domain has no ticks.
func (s Log) Ticks(n int, f NumberFormat) []Tick {
	return s.AppendTicks(nil, n, f)
}

// AppendTicks is Ticks appending to dst.
func (s Log) AppendTicks(dst []Tick, n int, f NumberFormat) []Tick {
	if !s.Valid() || n < 1 {
		return dst
	}
	n = min(n, maxTickCount)
	lo, hi := min(s.D0, s.D1), max(s.D0, s.D1)
	p0 := pow10Floor(lo)
	if math.Pow10(p0) < lo {
		p0++
	}
	p1 := pow10Floor(hi)
	decades := p1 - p0
	if decades < 1 {
		lin := Linear{D0: s.D0, D1: s.D1, R0: s.R0, R1: s.R1, Clamp: s.Clamp}
		return lin.AppendTicks(dst, n, f)
	}
	f.Step = 0
	stride := 1
	if decades > n {
		stride = (decades + n - 1) / n
	}
	minors := decades <= n/2
	labelMinors := decades <= 2
	add := func(v float64, minor bool) {
		if v < lo || v > hi {
			return
		}
		t := Tick{Value: v, Pos: s.Map(v), Minor: minor}
		if !minor || labelMinors {
			t.Label = f.Format(v)
		}
		dst = append(dst, t)
	}
	if minors {
		// Multiples below the first power of ten: 0.2 and 0.5 for [0.15, 10].
		add(2*math.Pow10(p0-1), true)
		add(5*math.Pow10(p0-1), true)
	}
	for p := p0; p <= p1; p++ {
		if (p-p0)%stride != 0 {
			continue
		}
		add(math.Pow10(p), false)
		if minors {
			add(2*math.Pow10(p), true)
			add(5*math.Pow10(p), true)
		}
	}
	return dst
}

// The scales a path builder accepts.
var (
	_ Scale = Linear{}
	_ Scale = Log{}
	_ Scale = Time{}
)
