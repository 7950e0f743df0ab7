package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// logRowEl is one recycled row element of the log viewer and its parts.
type logRowEl struct {
	el, ln, lt, lv, ls, lm, lx, lc app.Value
	// key describes what the row shows; a fill with the same key does
	// nothing.
	key string
}

// logDOM keeps the log viewer's rows in the DOM without go-app: go-app
// renders the viewport, the spacer and an empty row block, and logDOM
// owns the spacer's height, the block's position and its children. Rows
// are recycled: scrolling by k rows moves k elements from one end of the
// block to the other and refills them, so a scroll costs a few DOM writes
// and no component render. Rows stay in seq order in the DOM, so wrapped
// or expanded rows of any height stack correctly.
type logDOM struct {
	root, viewport, spacer, win, label app.Value
	rows                               []*logRowEl // in DOM order, rows [start, end)
	pool                               []*logRowEl // detached, for reuse
	start, end                         int64
	height, top                        float64
	atEnd                              bool
	placed                             bool
}

// bind finds the viewer's elements under root (the component's root
// element); it returns false before they exist.
func (d *logDOM) bind(root app.Value) bool {
	if root == nil || !root.Truthy() {
		return false
	}
	if d.root != nil && d.root.Truthy() && d.root.Equal(root) && d.win.Truthy() && d.win.Get("isConnected").Bool() {
		return true
	}
	d.root = root
	d.viewport = root.Call("querySelector", ".log-viewer")
	d.spacer = root.Call("querySelector", ".log-spacer")
	d.win = root.Call("querySelector", ".log-window")
	d.label = root.Call("querySelector", ".log-range")
	d.rows, d.pool, d.start, d.end, d.height, d.placed = nil, nil, 0, 0, -1, false
	return d.viewport.Truthy() && d.spacer.Truthy() && d.win.Truthy()
}

// setHeight sets the spacer's height.
func (d *logDOM) setHeight(h float64) {
	if h == d.height {
		return
	}
	d.height = h
	d.spacer.Get("style").Set("height", strconv.FormatFloat(h, 'f', 0, 64)+"px")
}

// place positions the row block: at top px, or against the spacer's
// bottom when atEnd.
func (d *logDOM) place(top float64, atEnd bool) {
	if d.placed && top == d.top && atEnd == d.atEnd {
		return
	}
	st := d.win.Get("style")
	if atEnd != d.atEnd || !d.placed {
		if atEnd {
			d.win.Get("classList").Call("add", "at-end")
		} else {
			d.win.Get("classList").Call("remove", "at-end")
		}
	}
	if atEnd {
		st.Set("transform", "none")
	} else {
		st.Set("transform", "translateY("+strconv.FormatFloat(top, 'f', 2, 64)+"px)")
	}
	d.top, d.atEnd, d.placed = top, atEnd, true
}

// update makes the block hold rows [first, last), calling fill for every
// row (fill skips rows whose content is unchanged unless force).
func (d *logDOM) update(first, last int64, fill func(r *logRowEl, row int64, force bool), force bool) {
	if last < first {
		last = first
	}
	if len(d.rows) == 0 || first >= d.end || last <= d.start {
		// No overlap: reuse the elements in place.
		n := int(last - first)
		for len(d.rows) > n {
			r := d.rows[len(d.rows)-1]
			d.rows = d.rows[:len(d.rows)-1]
			r.el.Call("remove")
			d.pool = append(d.pool, r)
		}
		for len(d.rows) < n {
			r := d.get()
			d.win.Call("appendChild", r.el)
			d.rows = append(d.rows, r)
		}
		d.start, d.end = first, last
		for i, r := range d.rows {
			fill(r, first+int64(i), force)
		}
		return
	}
	for d.start < first {
		r := d.rows[0]
		d.rows = d.rows[1:]
		r.el.Call("remove")
		d.pool = append(d.pool, r)
		d.start++
	}
	for d.end > last {
		r := d.rows[len(d.rows)-1]
		d.rows = d.rows[:len(d.rows)-1]
		r.el.Call("remove")
		d.pool = append(d.pool, r)
		d.end--
	}
	for i, r := range d.rows {
		fill(r, d.start+int64(i), force)
	}
	for d.start > first {
		d.start--
		r := d.get()
		fill(r, d.start, true)
		if len(d.rows) > 0 {
			d.win.Call("insertBefore", r.el, d.rows[0].el)
		} else {
			d.win.Call("appendChild", r.el)
		}
		d.rows = append([]*logRowEl{r}, d.rows...)
	}
	for d.end < last {
		r := d.get()
		fill(r, d.end, true)
		d.win.Call("appendChild", r.el)
		d.rows = append(d.rows, r)
		d.end++
	}
}

// get returns a detached row element, from the pool or new.
func (d *logDOM) get() *logRowEl {
	if n := len(d.pool); n > 0 {
		r := d.pool[n-1]
		d.pool = d.pool[:n-1]
		r.key = ""
		return r
	}
	doc := app.Window().Get("document")
	el := func(tag, class string) app.Value {
		e := doc.Call("createElement", tag)
		e.Set("className", class)
		return e
	}
	r := &logRowEl{
		el: el("div", "log-row"),
		ln: el("button", "ln"),
		lt: el("span", "lt"),
		lv: el("span", "lv"),
		ls: el("span", "ls"),
		lm: el("span", "lm"),
		lx: el("button", "lx"),
		lc: el("button", "lc"),
	}
	r.el.Call("setAttribute", "data-testid", "log-row")
	r.el.Call("setAttribute", "role", "listitem")
	for _, b := range []app.Value{r.ln, r.lx, r.lc} {
		b.Set("type", "button")
	}
	r.ln.Call("setAttribute", "data-act", "line")
	r.ln.Set("title", "Select this line (puts it in the URL)")
	r.lx.Call("setAttribute", "data-act", "expand")
	r.lc.Call("setAttribute", "data-act", "copy")
	r.lc.Set("title", "Copy a link to this line")
	r.lc.Set("textContent", "🔗")
	for _, c := range []app.Value{r.ln, r.lt, r.lv, r.ls, r.lm, r.lx, r.lc} {
		r.el.Call("appendChild", c)
	}
	return r
}

// setLabel writes the range label of the status line.
func (d *logDOM) setLabel(s string) {
	if d.label.Truthy() && d.label.Get("textContent").String() != s {
		d.label.Set("textContent", s)
	}
}
