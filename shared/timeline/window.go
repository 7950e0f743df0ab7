package timeline

import (
	"math"
	"time"
)

// DefaultMinWidth is the narrowest visible window when Window.MinWidth is 0.
const DefaultMinWidth = time.Second

// Window is the visible part [From, To] of a timeline whose whole span is
// [Min, Max]: the detail view shows [From, To] and the overview strip shows
// [Min, Max] with a brush over [From, To].
//
// Every method returns a clamped window: Min <= From < To <= Max and
// To-From >= MinWidth. A span shorter than MinWidth (a run that just
// started) is widened at its end. Methods never modify the receiver.
type Window struct {
	Min  time.Time `json:"min"`
	Max  time.Time `json:"max"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// MinWidth is the narrowest the window zooms to; 0 means
	// DefaultMinWidth.
	MinWidth time.Duration `json:"min_width,omitempty"`
}

// NewWindow returns the window over [min, max] showing all of it.
func NewWindow(min, max time.Time) Window {
	return Window{Min: min, Max: max, From: min, To: max}.Clamp()
}

func (w Window) minWidth() time.Duration {
	if w.MinWidth <= 0 {
		return DefaultMinWidth
	}
	return w.MinWidth
}

// Width returns To - From.
func (w Window) Width() time.Duration { return w.To.Sub(w.From) }

// Span returns Max - Min.
func (w Window) Span() time.Duration { return w.Max.Sub(w.Min) }

// Contains reports whether t is inside [From, To].
func (w Window) Contains(t time.Time) bool { return !t.Before(w.From) && !t.After(w.To) }

// Clamp returns w made valid: Min before Max, the span at least MinWidth
// wide, From and To in order, the width between MinWidth and the span, and
// [From, To] moved inside [Min, Max] (keeping its width where it can).
func (w Window) Clamp() Window {
	mw := w.minWidth()
	if w.Max.Before(w.Min) {
		w.Min, w.Max = w.Max, w.Min
	}
	if w.Max.Sub(w.Min) < mw {
		w.Max = w.Min.Add(mw)
	}
	if w.To.Before(w.From) {
		w.From, w.To = w.To, w.From
	}
	lo := w.offset(w.From)
	return w.place(lo, satSub(w.offset(w.To), lo))
}

// offset returns t - Min in nanoseconds, saturating.
func (w Window) offset(t time.Time) int64 { return int64(t.Sub(w.Min)) }

// place sets [From, To] to Min + [lo, lo+width] nanoseconds, with the
// width clamped to [MinWidth, span] and the window moved inside the span.
// The span must already be at least MinWidth.
func (w Window) place(lo, width int64) Window {
	span := int64(w.Max.Sub(w.Min))
	width = max(int64(w.minWidth()), min(width, span))
	if lo < 0 {
		lo = 0
	}
	if lo > span-width {
		lo = span - width
	}
	w.From = w.Min.Add(time.Duration(lo))
	w.To = w.From.Add(time.Duration(width))
	return w
}

// Reset returns the window showing the whole span.
func (w Window) Reset() Window {
	w.From, w.To = w.Min, w.Max
	return w.Clamp()
}

// Zoom returns the window scaled by factor around at: factor 2 halves the
// width, 0.5 doubles it, and at keeps its place on screen (its fraction of
// the way from From to To; an at outside the window counts as the nearer
// edge). The width stays between MinWidth and the span. A factor that is
// NaN, zero or negative leaves the window as it is; +Inf zooms to MinWidth.
func (w Window) Zoom(at time.Time, factor float64) Window {
	w = w.Clamp()
	if math.IsNaN(factor) || factor <= 0 {
		return w
	}
	lo, hi := w.offset(w.From), w.offset(w.To)
	width := float64(hi - lo)
	r := max(0, min(1, (float64(w.offset(at))-float64(lo))/width))
	nw := math.Max(float64(w.minWidth()), math.Min(width/factor, float64(w.Span())))
	a := float64(lo) + r*width
	return w.place(roundNanos(a-r*nw), roundNanos(nw))
}

// Pan returns the window moved by d (negative is earlier), stopping at the
// span's edges with its width unchanged.
func (w Window) Pan(d time.Duration) Window {
	w = w.Clamp()
	return w.place(satAdd(w.offset(w.From), int64(d)), int64(w.Width()))
}

// PanBy returns the window moved by frac of its width: -0.1 moves it a
// tenth of a screen earlier (the arrow keys). NaN leaves it as it is.
func (w Window) PanBy(frac float64) Window {
	w = w.Clamp()
	if math.IsNaN(frac) {
		return w
	}
	return w.Pan(time.Duration(roundNanos(frac * float64(w.Width()))))
}

// Select returns the window showing [from, to] (in either order), clipped
// to the span and widened around its centre to MinWidth.
func (w Window) Select(from, to time.Time) Window {
	w = w.Clamp()
	if to.Before(from) {
		from, to = to, from
	}
	lo, hi := max(w.offset(from), 0), min(w.offset(to), int64(w.Span()))
	if hi < lo { // entirely outside the span
		if lo > 0 {
			lo = hi
		} else {
			hi = lo
		}
	}
	if mw := int64(w.minWidth()); hi-lo < mw {
		lo += (hi-lo)/2 - mw/2
		hi = lo + mw
	}
	return w.place(lo, hi-lo)
}

// Brush returns the window selected by dragging from pixel x0 to pixel x1
// on the overview strip, which shows the whole span over px pixels.
// Pixels outside the strip are clamped to it; a drag narrower than
// MinWidth is widened around its centre. A NaN pixel, or px <= 0, leaves
// the window as it is.
func (w Window) Brush(x0, x1, px float64) Window {
	w = w.Clamp()
	if math.IsNaN(x0) || math.IsNaN(x1) || !(px > 0) {
		return w
	}
	return w.Select(w.SpanTimeAt(x0, px), w.SpanTimeAt(x1, px))
}

// Extend returns the window over a span that now ends at max (live data
// arrived). A window that showed the live edge (To == Max) keeps its width
// and follows the new edge; any other window stays where the user put it.
// A max before the current Max is ignored.
func (w Window) Extend(max time.Time) Window {
	w = w.Clamp()
	if !max.After(w.Max) {
		return w
	}
	following := w.To.Equal(w.Max)
	width := w.Width()
	w.Max = max
	if following {
		w.To = max
		w.From = max.Add(-width)
	}
	return w.Clamp()
}

// Following reports whether the window shows the live edge of the span.
func (w Window) Following() bool { return w.To.Equal(w.Max) }

// X returns the pixel x of t in a detail view px pixels wide showing
// [From, To]. Times outside the window fall outside [0, px].
func (w Window) X(t time.Time, px float64) float64 {
	width := w.To.Sub(w.From)
	if width <= 0 {
		return px / 2
	}
	return float64(t.Sub(w.From)) / float64(width) * px
}

// TimeAt returns the time at pixel x of a detail view px pixels wide
// showing [From, To]: X's inverse. px <= 0 or a NaN x give From.
func (w Window) TimeAt(x, px float64) time.Time {
	return timeAt(w.From, w.To, x, px)
}

// SpanX returns the pixel x of t on an overview strip px pixels wide
// showing [Min, Max].
func (w Window) SpanX(t time.Time, px float64) float64 {
	span := w.Max.Sub(w.Min)
	if span <= 0 {
		return px / 2
	}
	return float64(t.Sub(w.Min)) / float64(span) * px
}

// SpanTimeAt returns the time at pixel x of an overview strip px pixels
// wide showing [Min, Max], clamped to the span.
func (w Window) SpanTimeAt(x, px float64) time.Time {
	return timeAt(w.Min, w.Max, max(0, min(px, x)), px)
}

func timeAt(from, to time.Time, x, px float64) time.Time {
	if !(px > 0) || math.IsNaN(x) {
		return from
	}
	return from.Add(time.Duration(roundNanos(x / px * float64(to.Sub(from)))))
}

// roundNanos rounds v to an int64, saturating at the int64 bounds.
func roundNanos(v float64) int64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return int64(math.Round(v))
}

func satAdd(a, b int64) int64 {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

func satSub(a, b int64) int64 {
	if b == math.MinInt64 {
		if a >= 0 {
			return math.MaxInt64
		}
		return a - b
	}
	return satAdd(a, -b)
}
