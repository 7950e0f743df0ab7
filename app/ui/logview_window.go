package ui

import "math"

// Log viewer geometry.
const (
	// logRowHeight is the height of one (unwrapped) log row in pixels.
	logRowHeight = 20
	// logOverscan is the number of rows rendered beyond each edge of the
	// viewport, so a fast scroll shows rows before they are re-rendered.
	logOverscan = 12
	// maxLogRows bounds the rows in the DOM, whatever the viewport.
	maxLogRows = 200
	// maxSpacerPx is the tallest spacer the viewer makes. Browsers cap
	// element heights (Firefox near 17.9 M px, Chromium near 33.5 M px);
	// past this the scroll position is scaled onto the rows.
	maxSpacerPx = 10_000_000
)

// logWindow is the virtualization math of the log viewer: which rows of
// Total are in the DOM for a scroll position, where they sit, and which
// scroll position shows a given row. Rows have a fixed nominal height.
// When Total rows would be taller than MaxPx, the spacer is MaxPx tall and
// the scroll position maps linearly onto the rows (Scale > 1).
type logWindow struct {
	Total    int64   // rows in the sequence shown
	RowH     float64 // row height, px
	ViewH    float64 // viewport height, px
	MaxPx    float64 // spacer height cap, px
	Overscan int     // rows beyond each edge
}

// newLogWindow returns the window for total rows in a viewport viewH
// pixels tall, with the viewer's constants.
func newLogWindow(total int64, viewH float64) logWindow {
	return logWindow{Total: max(total, 0), RowH: logRowHeight, ViewH: max(viewH, logRowHeight), MaxPx: maxSpacerPx, Overscan: logOverscan}
}

// Height returns the spacer height: every row, capped at MaxPx.
func (w logWindow) Height() float64 {
	return min(float64(w.Total)*w.RowH, w.MaxPx)
}

// maxScroll is the largest scrollTop.
func (w logWindow) maxScroll() float64 { return max(w.Height()-w.ViewH, 0) }

// virtualMax is the largest scroll offset over the unscaled rows.
func (w logWindow) virtualMax() float64 { return max(float64(w.Total)*w.RowH-w.ViewH, 0) }

// Scale returns how many row pixels one scrolled pixel covers: 1 unless
// the rows are taller than MaxPx.
func (w logWindow) Scale() float64 {
	ms := w.maxScroll()
	if ms <= 0 {
		return 1
	}
	return max(w.virtualMax()/ms, 1)
}

// rowsInView is the number of rows that fit the viewport (rounded up, plus
// one for a partly shown row).
func (w logWindow) rowsInView() int64 { return int64(math.Ceil(w.ViewH/w.RowH)) + 1 }

// Range is the rows in the DOM for a scroll position: rows [First, Last)
// stacked from Top (px, in spacer coordinates). AtEnd is true when the
// view is scrolled to the bottom: the rows then end exactly at the
// spacer's bottom (a viewer with variable row heights anchors them there).
type logRange struct {
	First, Last int64
	Top         float64
	AtEnd       bool
}

// Visible returns the rows to render at scrollTop. It never returns more
// than maxLogRows rows.
func (w logWindow) Visible(scrollTop float64) logRange {
	if w.Total <= 0 {
		return logRange{}
	}
	ms := w.maxScroll()
	scrollTop = min(max(scrollTop, 0), ms)
	virtual := scrollTop * w.Scale()
	first := int64(virtual / w.RowH)
	frac := virtual - float64(first)*w.RowH
	over := int64(w.Overscan)
	inView := w.rowsInView()
	start := max(first-over, 0)
	end := min(first+inView+over, w.Total)
	if end-start > maxLogRows {
		// A very tall viewport: keep the rows in view, trim the overscan.
		start = max(first-max((maxLogRows-inView)/2, 0), 0)
		end = min(start+maxLogRows, w.Total)
	}
	top := scrollTop - frac - float64(first-start)*w.RowH
	return logRange{First: start, Last: end, Top: top, AtEnd: ms > 0 && scrollTop >= ms-0.5 || ms == 0 && end == w.Total}
}

// ScrollFor returns the scrollTop that shows row at the top of the
// viewport, or in its middle when center is set. Rows past the ends are
// clamped.
func (w logWindow) ScrollFor(row int64, center bool) float64 {
	row = min(max(row, 0), max(w.Total-1, 0))
	virtual := float64(row) * w.RowH
	if center {
		virtual -= (w.ViewH - w.RowH) / 2
	}
	virtual = min(max(virtual, 0), w.virtualMax())
	return virtual / w.Scale()
}

// RowAt returns the row at viewport offset y (px from the viewport's top)
// for scrollTop.
func (w logWindow) RowAt(scrollTop, y float64) int64 {
	if w.Total <= 0 {
		return 0
	}
	virtual := min(max(scrollTop, 0), w.maxScroll())*w.Scale() + y
	return min(max(int64(virtual/w.RowH), 0), w.Total-1)
}

// End returns the scrollTop of the bottom.
func (w logWindow) End() float64 { return w.maxScroll() }
