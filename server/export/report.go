package export

import (
	"image/color"
	"strconv"

	"github.com/tdewolff/canvas"
)

// Report pages are A4 landscape, laid out in CSS pixels.
const (
	pageW      = 297 / mmPerPx // 1122.5 px
	pageH      = 210 / mmPerPx // 793.7 px
	pageMargin = 36.0
	footerH    = 18.0
	rowH       = 18.0
)

// Text sizes of reports, in pixels.
var (
	docTitleText   = textStyle{size: 22, bold: true}
	docKickerText  = textStyle{size: 11, bold: true}
	headingText    = textStyle{size: 15, bold: true}
	subheadingText = textStyle{size: 12, bold: true}
	bodyText       = textStyle{size: 11}
	cellText       = textStyle{size: 10.5}
	cellBoldText   = textStyle{size: 10.5, bold: true}
	footerText     = textStyle{size: 9}
)

// report is a multi-page document being laid out top to bottom: blocks
// are placed at the cursor y and start a new page when they do not fit.
// It stops at MaxReportPages; what did not fit is dropped and the last
// page says so.
type report struct {
	fs     *fontSet
	pal    palette
	pages  []*sheet
	y      float64
	footer string
	full   bool
}

func newReport(fs *fontSet, footer string) *report {
	r := &report{fs: fs, pal: palettes[ThemeLight], footer: footer}
	r.newPage()
	return r
}

func (r *report) page() *sheet { return r.pages[len(r.pages)-1] }

// width is the width of the text column.
func (r *report) width() float64 { return pageW - 2*pageMargin }

// bottom is the lowest y content may reach.
func (r *report) bottom() float64 { return pageH - pageMargin - footerH }

// newPage starts a page; it returns false when the report is full.
func (r *report) newPage() bool {
	if len(r.pages) == MaxReportPages {
		r.full = true
		return false
	}
	s := newSheet(pageW, pageH, r.fs, r.pal)
	s.fillRect(0, 0, pageW, pageH, r.pal.background)
	r.pages = append(r.pages, s)
	r.y = pageMargin
	return true
}

// pageBreak starts a new page unless the current one is still empty.
func (r *report) pageBreak() bool {
	if r.full {
		return false
	}
	if r.y <= pageMargin {
		return true
	}
	return r.newPage()
}

// reserve makes room for h pixels at the cursor, starting a new page when
// the current one has less left. It returns false when the report is full.
func (r *report) reserve(h float64) bool {
	if r.full {
		return false
	}
	if r.y+h > r.bottom() && r.y > pageMargin {
		return r.newPage()
	}
	return true
}

// block reserves h pixels and calls draw with their rectangle.
func (r *report) block(h float64, draw func(s *sheet, box rect)) {
	if !r.reserve(h) {
		return
	}
	draw(r.page(), rect{X: pageMargin, Y: r.y, W: r.width(), H: h})
	r.y += h
}

// heading writes a section title, kept on the page of what follows it.
func (r *report) heading(text string, keep float64) {
	if !r.reserve(30 + keep) {
		return
	}
	s := r.page()
	s.text(pageMargin, r.y+17, s.fit(text, headingText, r.width()), withColor(headingText, r.pal.text), canvas.Left)
	r.y += 28
}

// subheading writes a smaller title, kept with keep pixels after it.
func (r *report) subheading(text string, keep float64) {
	if !r.reserve(24 + keep) {
		return
	}
	s := r.page()
	s.text(pageMargin, r.y+14, s.fit(text, subheadingText, r.width()), withColor(subheadingText, r.pal.text), canvas.Left)
	r.y += 22
}

// note writes one line of muted text.
func (r *report) note(text string) {
	if !r.reserve(18) {
		return
	}
	s := r.page()
	s.text(pageMargin, r.y+12, s.fit(text, bodyText, r.width()), withColor(bodyText, r.pal.muted), canvas.Left)
	r.y += 18
}

// gap moves the cursor down.
func (r *report) gap(h float64) { r.y += h }

// table writes t, splitting it across pages with its header repeated.
func (r *report) table(t *table) {
	rows := t.rows
	for first := true; first || len(rows) > 0; first = false {
		head := 0.0
		if t.header {
			head = rowH + 2
		}
		if !r.reserve(head + rowH*float64(min(len(rows), 3))) {
			return
		}
		fit := max(1, int((r.bottom()-r.y-head)/rowH))
		n := min(fit, len(rows))
		h := drawTable(r.page(), pageMargin, r.y, r.width(), t, rows[:n])
		r.y += h
		rows = rows[n:]
		if len(rows) > 0 && !r.newPage() {
			return
		}
	}
	r.y += 10
}

// finish writes every page's footer, and a note on the last page when
// content was dropped.
func (r *report) finish() {
	n := len(r.pages)
	for i, s := range r.pages {
		y := pageH - pageMargin + 4
		s.line(pageMargin, y-12, pageW-pageMargin, y-12, 0.75, r.pal.grid)
		st := withColor(footerText, r.pal.muted)
		s.text(pageMargin, y, s.fit(r.footer, footerText, r.width()-120), st, canvas.Left)
		s.text(pageW-pageMargin, y, "page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(n), st, canvas.Right)
	}
	if r.full {
		s := r.pages[n-1]
		s.text(pageW/2, pageH-pageMargin+4, "report cut at "+strconv.Itoa(MaxReportPages)+" pages: narrow the window or pin fewer events", withColor(footerText, r.pal.critical), canvas.Center)
	}
}

// column is one table column: its title, its share of the table width
// and its alignment.
type column struct {
	title string
	width float64
	align canvas.TextAlign
}

// cell is one table cell. The zero color means the text colour.
type cell struct {
	text  string
	color color.RGBA
	bold  bool
	muted bool
}

// table is a grid of text with an optional header row.
type table struct {
	cols   []column
	rows   [][]cell
	header bool
}

// kvTable returns a two-column table of labels and values.
func kvTable(pairs ...[2]string) *table {
	t := &table{cols: []column{{width: 0.34}, {width: 0.66}}}
	for _, p := range pairs {
		t.rows = append(t.rows, []cell{{text: p[0], muted: true}, {text: p[1]}})
	}
	return t
}

// drawTable draws t's header (if any) and rows at (x, y), w wide, and
// returns the height used.
func drawTable(s *sheet, x, y, w float64, t *table, rows [][]cell) float64 {
	pal := s.pal
	y0 := y
	half := s.capHeight(cellText) / 2
	const pad = 6.0
	colX := make([]float64, len(t.cols)+1)
	colX[0] = x
	for i, c := range t.cols {
		colX[i+1] = colX[i] + c.width*w
	}
	put := func(i int, c cell, st textStyle, rowY float64) {
		col := t.cols[i]
		cw := colX[i+1] - colX[i] - 2*pad
		txt := s.fit(c.text, st, cw)
		tx := colX[i] + pad
		switch col.align {
		case canvas.Right:
			tx = colX[i+1] - pad
		case canvas.Center:
			tx = (colX[i] + colX[i+1]) / 2
		}
		s.text(tx, rowY+rowH/2+half, txt, st, col.align)
	}
	if t.header {
		s.fillRect(x, y, w, rowH+2, pal.panel)
		for i, c := range t.cols {
			put(i, cell{text: c.title}, withColor(cellBoldText, pal.muted), y+1)
		}
		y += rowH + 2
		s.line(x, y, x+w, y, 0.75, pal.axis)
	}
	for r, row := range rows {
		if r%2 == 1 {
			s.fillRect(x, y, w, rowH, withAlpha(pal.panel, 0.6))
		}
		for i, c := range row {
			if i >= len(t.cols) {
				break
			}
			st := cellText
			if c.bold {
				st = cellBoldText
			}
			switch {
			case c.color != (color.RGBA{}):
				st.color = c.color
			case c.muted:
				st.color = pal.muted
			default:
				st.color = pal.text
			}
			put(i, c, st, y)
		}
		y += rowH
	}
	s.line(x, y, x+w, y, 0.75, pal.grid)
	return y - y0
}

// tableHeight returns the height drawTable uses for t.
func tableHeight(t *table) float64 {
	h := rowH * float64(len(t.rows))
	if t.header {
		h += rowH + 2
	}
	return h
}
