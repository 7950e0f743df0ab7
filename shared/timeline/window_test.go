package timeline

import (
	"math"
	"testing"
	"time"
)

// span is a 1000-second timeline with the whole span visible.
var span = NewWindow(at(0), at(1000))

// view returns span showing [from, to] seconds.
func view(from, to int64) Window {
	w := span
	w.From, w.To = at(from), at(to)
	return w
}

func TestWindowOperations(t *testing.T) {
	tests := []struct {
		name     string
		got      Window
		from, to float64 // seconds after t0
	}{
		{"new shows everything", span, 0, 1000},
		{"zoom in around the centre", span.Zoom(at(500), 2), 250, 750},
		{"zoom in keeps the point in place", view(0, 1000).Zoom(at(100), 4), 75, 325},
		{"zoom out around a point", view(400, 600).Zoom(at(500), 0.5), 300, 700},
		{"zoom out stops at the span", view(100, 300).Zoom(at(200), 0.01), 0, 1000},
		{"zoom out near an edge shifts inside", view(0, 200).Zoom(at(50), 0.25), 0, 800},
		{"zoom in stops at the minimum width", span.Zoom(at(500), 1e9), 499.5, 500.5},
		{"zoom at a point outside uses the edge", view(200, 400).Zoom(at(900), 2), 300, 400},
		{"zoom with an infinite factor", span.Zoom(at(0), math.Inf(1)), 0, 1},
		{"zoom with NaN does nothing", view(200, 400).Zoom(at(300), math.NaN()), 200, 400},
		{"zoom with zero does nothing", view(200, 400).Zoom(at(300), 0), 200, 400},
		{"pan later", view(200, 400).Pan(100 * time.Second), 300, 500},
		{"pan earlier", view(200, 400).Pan(-100 * time.Second), 100, 300},
		{"pan stops at the start", view(100, 300).Pan(-500 * time.Second), 0, 200},
		{"pan stops at the end", view(700, 900).Pan(500 * time.Second), 800, 1000},
		{"pan by a huge amount", view(700, 900).Pan(math.MaxInt64), 800, 1000},
		{"pan by a huge negative amount", view(700, 900).Pan(math.MinInt64), 0, 200},
		{"pan by a fraction of the width", view(200, 400).PanBy(0.1), 220, 420},
		{"pan the whole span does nothing", span.Pan(time.Hour), 0, 1000},
		{"brush on the overview strip", span.Brush(100, 300, 1000), 100, 300},
		{"brush right to left", span.Brush(300, 100, 1000), 100, 300},
		{"brush past the strip is clamped", span.Brush(-50, 2000, 500), 0, 1000},
		{"brush on a zoomed window still maps the span", view(0, 10).Brush(500, 750, 1000), 500, 750},
		{"brush narrower than the minimum widens", span.Brush(400, 400, 1000), 399.5, 400.5},
		{"brush with NaN does nothing", view(10, 20).Brush(math.NaN(), 5, 100), 10, 20},
		{"brush with no width does nothing", view(10, 20).Brush(1, 5, 0), 10, 20},
		{"select clips to the span", span.Select(at(-100), at(200)), 0, 200},
		{"select outside the span", span.Select(at(2000), at(3000)), 999, 1000},
		{"reset", view(10, 20).Reset(), 0, 1000},
		{"clamp reversed window", Window{Min: at(0), Max: at(1000), From: at(600), To: at(400)}.Clamp(), 400, 600},
		{"clamp window outside the span", Window{Min: at(0), Max: at(1000), From: at(1200), To: at(1500)}.Clamp(), 700, 1000},
		{"clamp too wide window", Window{Min: at(0), Max: at(1000), From: at(-50), To: at(2000)}.Clamp(), 0, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.From.Sub(t0).Seconds() != tt.from || tt.got.To.Sub(t0).Seconds() != tt.to {
				t.Errorf("window = [%v, %v]; want [%v, %v]", tt.got.From.Sub(t0).Seconds(), tt.got.To.Sub(t0).Seconds(), tt.from, tt.to)
			}
			checkWindow(t, tt.got)
		})
	}
}

func TestWindowShortSpan(t *testing.T) {
	w := NewWindow(at(5), at(5)) // a run that just started
	if got := w.Span(); got != DefaultMinWidth {
		t.Errorf("span of an empty run = %v; want %v", got, DefaultMinWidth)
	}
	w = Window{Min: at(10), Max: at(0), MinWidth: time.Minute}.Clamp()
	if !w.Min.Equal(at(0)) || w.Span() != time.Minute || w.Width() != time.Minute {
		t.Errorf("reversed short span = %+v; want [0, 60] fully visible", w)
	}
}

func TestWindowExtend(t *testing.T) {
	following := view(800, 1000).Extend(at(1200))
	if !following.From.Equal(at(1000)) || !following.To.Equal(at(1200)) || !following.Max.Equal(at(1200)) {
		t.Errorf("following window after Extend = [%v, %v]; want [1000, 1200]", following.From.Sub(t0), following.To.Sub(t0))
	}
	if !following.Following() {
		t.Error("Following() = false after following the edge")
	}
	parked := view(100, 300).Extend(at(1200))
	if !parked.From.Equal(at(100)) || !parked.To.Equal(at(300)) || !parked.Max.Equal(at(1200)) {
		t.Errorf("parked window after Extend = [%v, %v]; want [100, 300] unmoved", parked.From.Sub(t0), parked.To.Sub(t0))
	}
	if same := view(100, 300).Extend(at(900)); !same.Max.Equal(at(1000)) {
		t.Errorf("Extend to an earlier max changed Max to %v", same.Max)
	}
}

func TestWindowPixels(t *testing.T) {
	w := view(200, 400)
	if got := w.X(at(300), 1000); got != 500 {
		t.Errorf("X(300s) = %v; want 500", got)
	}
	if got := w.TimeAt(500, 1000); !got.Equal(at(300)) {
		t.Errorf("TimeAt(500) = %v; want +300s", got.Sub(t0))
	}
	if got := w.X(at(100), 1000); got != -500 {
		t.Errorf("X before the window = %v; want -500", got)
	}
	if got := w.SpanX(at(250), 400); got != 100 {
		t.Errorf("SpanX(250s) = %v; want 100", got)
	}
	if got := w.SpanTimeAt(100, 400); !got.Equal(at(250)) {
		t.Errorf("SpanTimeAt(100) = %v; want +250s", got.Sub(t0))
	}
	if got := w.SpanTimeAt(-10, 400); !got.Equal(at(0)) {
		t.Errorf("SpanTimeAt(-10) = %v; want the span start", got.Sub(t0))
	}
	if got := w.TimeAt(math.NaN(), 1000); !got.Equal(w.From) {
		t.Errorf("TimeAt(NaN) = %v; want From", got.Sub(t0))
	}
	if !w.Contains(at(200)) || !w.Contains(at(400)) || w.Contains(at(401)) {
		t.Error("Contains does not match [From, To]")
	}
}

// checkWindow fails unless w satisfies the window invariants.
func checkWindow(t *testing.T, w Window) {
	t.Helper()
	mw := w.minWidth()
	if w.From.Before(w.Min) || w.To.After(w.Max) {
		t.Fatalf("window [%v, %v] outside span [%v, %v]", w.From, w.To, w.Min, w.Max)
	}
	if !w.From.Before(w.To) {
		t.Fatalf("window From %v not before To %v", w.From, w.To)
	}
	if w.Width() < mw && w.Width() < w.Span() {
		t.Fatalf("window width %v below the minimum %v", w.Width(), mw)
	}
}

func FuzzWindow(f *testing.F) {
	f.Add(int64(0), int64(1000e9), int64(200e9), int64(400e9), int64(0), 2.0, int64(100e9), 100.0, 300.0)
	f.Add(int64(5e9), int64(5e9), int64(0), int64(0), int64(0), 0.5, int64(-1), -1.0, 1e9)
	f.Add(int64(0), int64(-1000e9), int64(3e18), int64(-3e18), int64(1), math.Inf(1), int64(math.MaxInt64), math.NaN(), 0.0)
	f.Add(int64(-9e18), int64(9e18), int64(0), int64(1), int64(3600e9), 1e-300, int64(math.MinInt64), 1e300, -1e300)
	f.Fuzz(func(t *testing.T, lo, hi, from, to, minWidth int64, factor float64, pan int64, x0, x1 float64) {
		w := Window{
			Min: time.Unix(0, lo), Max: time.Unix(0, hi),
			From: time.Unix(0, from), To: time.Unix(0, to),
			MinWidth: time.Duration(minWidth % int64(24*time.Hour)),
		}
		steps := []Window{
			w.Clamp(),
			w.Zoom(time.Unix(0, from/2+to/2), factor),
			w.Zoom(time.Unix(0, lo), 1/factor),
			w.Pan(time.Duration(pan)),
			w.PanBy(factor),
			w.Brush(x0, x1, 800),
			w.Select(time.Unix(0, from), time.Unix(0, to)),
			w.Extend(time.Unix(0, hi).Add(time.Duration(pan))),
			w.Reset(),
		}
		for i, got := range steps {
			if got.From.Before(got.Min) || got.To.After(got.Max) || !got.From.Before(got.To) {
				t.Fatalf("step %d: window [%v, %v] not within span [%v, %v] with From < To", i, got.From, got.To, got.Min, got.Max)
			}
			if got.Width() < got.minWidth() && got.Width() < got.Span() {
				t.Fatalf("step %d: width %v below the minimum %v", i, got.Width(), got.minWidth())
			}
			// A clamped window is a fixed point of Clamp.
			if again := got.Clamp(); again != got {
				t.Fatalf("step %d: Clamp is not idempotent: %+v then %+v", i, got, again)
			}
		}
	})
}
