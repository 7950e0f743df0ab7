package ui

import (
	"math"
	"testing"
)

func TestLogWindowVisible(t *testing.T) {
	tests := []struct {
		name      string
		total     int64
		viewH     float64
		scrollTop float64
		wantFirst int64
		wantLast  int64
		wantTop   float64
		wantEnd   bool
	}{
		{"empty log", 0, 600, 0, 0, 0, 0, false},
		{"top of a short log", 10, 600, 0, 0, 10, 0, true},
		{"top of a long log", 1000, 600, 0, 0, 31 + 12, 0, false},
		{"scrolled one and a half rows", 1000, 600, 30, 0, 1 + 31 + 12, 0, false},
		{"deep inside", 1000, 600, 10000, 500 - 12, 500 + 31 + 12, 10000 - 12*20, false},
		{"partial row", 1000, 600, 10005, 500 - 12, 500 + 31 + 12, 10000 - 12*20, false},
		{"bottom", 1000, 600, 1000*20 - 600, 970 - 12, 1000, (970 - 12) * 20, true},
		{"past the bottom clamps", 1000, 600, 1e9, 970 - 12, 1000, (970 - 12) * 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newLogWindow(tt.total, tt.viewH)
			r := w.Visible(tt.scrollTop)
			if r.First != tt.wantFirst || r.Last != tt.wantLast || math.Abs(r.Top-tt.wantTop) > 1e-6 || r.AtEnd != tt.wantEnd {
				t.Errorf("Visible(%v) = %+v; want first %d last %d top %v end %v", tt.scrollTop, r, tt.wantFirst, tt.wantLast, tt.wantTop, tt.wantEnd)
			}
		})
	}
}

// TestLogWindowScaled checks a million rows: the spacer stays under the
// cap, any scroll position renders at most maxLogRows rows, the rows
// cover the viewport, and the last row ends at the spacer's bottom.
func TestLogWindowScaled(t *testing.T) {
	w := newLogWindow(1_000_000, 640)
	if h := w.Height(); h != maxSpacerPx {
		t.Fatalf("Height = %v; want %v", h, float64(maxSpacerPx))
	}
	if s := w.Scale(); s < 1.99 || s > 2.01 {
		t.Fatalf("Scale = %v; want about 2", s)
	}
	for _, st := range []float64{0, 1, 12345.6, w.End() / 2, w.End() - 3, w.End()} {
		r := w.Visible(st)
		if n := r.Last - r.First; n <= 0 || n > maxLogRows {
			t.Errorf("Visible(%v) renders %d rows; want 1..%d", st, n, maxLogRows)
		}
		// The rendered block covers the viewport [st, st+ViewH].
		bottom := r.Top + float64(r.Last-r.First)*w.RowH
		if r.Top > st+1e-6 || bottom < st+w.ViewH-1e-6 {
			t.Errorf("Visible(%v) block [%v, %v] does not cover the viewport", st, r.Top, bottom)
		}
	}
	end := w.Visible(w.End())
	if end.Last != 1_000_000 || !end.AtEnd {
		t.Errorf("Visible(End) = %+v; want last row 1000000 and AtEnd", end)
	}
	if bottom := end.Top + float64(end.Last-end.First)*w.RowH; math.Abs(bottom-w.Height()) > 1e-6 {
		t.Errorf("rows end at %v; want the spacer bottom %v", bottom, w.Height())
	}
}

func TestLogWindowScrollFor(t *testing.T) {
	for _, total := range []int64{1000, 1_000_000} {
		w := newLogWindow(total, 600)
		for _, row := range []int64{0, 1, 499, total / 2, total - 40, total - 1} {
			st := w.ScrollFor(row, true)
			r := w.Visible(st)
			if row < r.First || row >= r.Last {
				t.Errorf("total %d: ScrollFor(%d) = %v renders rows [%d, %d) without it", total, row, st, r.First, r.Last)
			}
			// The row is inside the viewport, not just the overscan.
			mid := w.RowAt(st, w.ViewH/2)
			if d := mid - row; total > 1000 && row > 100 && row < total-100 && (d < -1 || d > 1) {
				t.Errorf("total %d: row at the middle after ScrollFor(%d) = %d", total, row, mid)
			}
		}
		if top := w.Visible(w.ScrollFor(0, false)); top.First != 0 {
			t.Errorf("ScrollFor(0) shows from row %d", top.First)
		}
	}
}

func TestLogWindowTallViewport(t *testing.T) {
	w := newLogWindow(1_000_000, 8000) // 400 rows tall
	r := w.Visible(w.End() / 3)
	if n := r.Last - r.First; n > maxLogRows {
		t.Errorf("a tall viewport renders %d rows; want at most %d", n, maxLogRows)
	}
}
