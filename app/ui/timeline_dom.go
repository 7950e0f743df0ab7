package ui

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// tlDOM writes the elements the timeline's painter owns: containers that
// go-app renders empty and never updates, whose content and attributes the
// painter sets directly, so a drag or a hover repaints without a go-app
// render. Every write is skipped when the value is the one written last,
// so an unchanged lane costs nothing.
type tlDOM struct {
	nodes map[string]*tlNode
	// gen counts go-app renders of the timeline; a node looked up in an
	// older generation is looked up again, in case go-app replaced it.
	gen uint64
}

type tlNode struct {
	el   app.Value
	gen  uint64
	vals map[string]string
}

// invalidate makes the next writes look their elements up again.
func (d *tlDOM) invalidate() { d.gen++ }

// reset forgets every element and value: the next paint writes
// everything.
func (d *tlDOM) reset() { d.nodes = nil }

// node returns the element with DOM id, or nil when it is not in the
// document.
func (d *tlDOM) node(id string) *tlNode {
	if !app.IsClient {
		return nil
	}
	if d.nodes == nil {
		d.nodes = make(map[string]*tlNode)
	}
	n := d.nodes[id]
	if n != nil && n.gen == d.gen {
		return n
	}
	el := app.Window().GetElementByID(id)
	if !el.Truthy() {
		delete(d.nodes, id)
		return nil
	}
	if n == nil || !n.el.Equal(el) {
		n = &tlNode{el: el, vals: make(map[string]string)}
		d.nodes[id] = n
	}
	n.gen = d.gen
	return n
}

// el returns the element with DOM id, or nil.
func (d *tlDOM) el(id string) app.Value {
	if n := d.node(id); n != nil {
		return n.el
	}
	return nil
}

// set writes one property of the element id unless it already holds v.
// key is "html" (innerHTML), "text" (textContent), "style:prop" (a style
// property) or an attribute name.
func (d *tlDOM) set(id, key, v string) {
	n := d.node(id)
	if n == nil {
		return
	}
	if old, ok := n.vals[key]; ok && old == v {
		return
	}
	n.vals[key] = v
	switch {
	case key == "html":
		n.el.Set("innerHTML", v)
	case key == "text":
		n.el.Set("textContent", v)
	case len(key) > 6 && key[:6] == "style:":
		n.el.Get("style").Call("setProperty", key[6:], v)
	default:
		n.el.Call("setAttribute", key, v)
	}
}

// tlPx formats a CSS pixel length with one decimal.
func tlPx(v float64) string {
	var b [24]byte
	return string(append(appendTenths(b[:0], v), "px"...))
}

// tlLaneDOM keeps the elements of one lane's marks by key. A full paint
// writes the lane's markup in time order (the order a screen reader reads
// and Tab follows). A fast paint, once per frame of a drag, reuses the
// elements already there and creates or removes only the marks that
// entered or left the window: parsing and styling new elements every
// frame is what made a drag over 10,000 events slow. While the zoom stays
// the same (the brush is moved, the view panned) the marks keep their
// places in a wrapper that is translated as a whole, so a pan restyles one
// element instead of hundreds.
type tlLaneDOM struct {
	wrapper app.Value
	full    string   // markup of the last full paint, "" after a fast one
	order   []string // keys in DOM order after the last full paint
	els     map[string]*tlMarkEl
	stale   bool // els must be rebuilt from the wrapper's children
	gen     uint64
	// origin and k (px per ns) place the wrapper: marks sit at their x in
	// a window that started at origin, and the wrapper moves left by the
	// distance the window moved since.
	origin time.Time
	k      float64
	shift  string // the wrapper's transform
}

// tlMarkEl is one mark's element and what it shows.
type tlMarkEl struct {
	el    app.Value
	css   app.Value // el.style, looked up once: every JS value costs a finalizer
	sig   string    // Open + Body
	style string
	gen   uint64
}

// paint draws marks, the lane of window [from, ...] at k px per ns, into
// wrapper: fully (markup in time order) or fast (reusing elements).
func (l *tlLaneDOM) paint(wrapper app.Value, marks []tlMarkOut, from time.Time, k float64, fast bool) {
	same := l.wrapper != nil && l.wrapper.Equal(wrapper) && l.els != nil
	if !fast || !same {
		l.paintFull(wrapper, marks, from, k)
		return
	}
	shift := 0.0
	if k == l.k {
		shift = float64(from.Sub(l.origin)) * k
	} else {
		l.origin, l.k = from, k
	}
	l.paintFast(wrapper, marks, shift)
}

// paintFull writes marks as the lane's markup.
func (l *tlLaneDOM) paintFull(wrapper app.Value, marks []tlMarkOut, from time.Time, k float64) {
	l.origin, l.k = from, k
	l.setShift(wrapper, 0)
	html := laneHTML(marks)
	if l.wrapper != nil && l.wrapper.Equal(wrapper) && html == l.full {
		return
	}
	wrapper.Set("innerHTML", html)
	l.wrapper, l.full, l.stale = wrapper, html, true
	l.order = l.order[:0]
	l.els = make(map[string]*tlMarkEl, len(marks))
	for _, o := range marks {
		l.order = append(l.order, o.Key)
		l.els[o.Key] = &tlMarkEl{sig: o.Open + o.Body, style: o.style(0)}
	}
}

// setShift moves the wrapper shift px to the left.
func (l *tlLaneDOM) setShift(wrapper app.Value, shift float64) {
	v := "none"
	if shift != 0 {
		v = "translateX(" + tlPx(-shift) + ")"
	}
	if v != l.shift || l.wrapper == nil || !l.wrapper.Equal(wrapper) {
		wrapper.Get("style").Set("transform", v)
		l.shift = v
	}
}

// paintFast updates the lane to marks, placed shift px to the right in a
// wrapper moved shift px to the left.
func (l *tlLaneDOM) paintFast(wrapper app.Value, marks []tlMarkOut, shift float64) {
	if l.stale {
		children := wrapper.Get("children")
		for i, k := range l.order {
			if e := l.els[k]; e != nil {
				e.el = children.Index(i)
			}
		}
		l.stale = false
	}
	// When most marks are new (the zoom changed), one parse of the whole
	// lane is cheaper than an insertion per mark.
	reused := 0
	for _, o := range marks {
		if e := l.els[o.Key]; e != nil && e.sig == o.Open+o.Body {
			reused++
		}
	}
	if reused*2 < len(marks) {
		var b strings.Builder
		for _, o := range marks {
			b.WriteString(o.html(shift))
		}
		l.setShift(wrapper, shift)
		wrapper.Set("innerHTML", b.String())
		l.full, l.stale = "", true
		l.order = l.order[:0]
		l.els = make(map[string]*tlMarkEl, len(marks))
		for _, o := range marks {
			l.order = append(l.order, o.Key)
			l.els[o.Key] = &tlMarkEl{sig: o.Open + o.Body, style: o.style(shift)}
		}
		return
	}
	l.setShift(wrapper, shift)
	l.full = ""
	l.gen++
	for _, o := range marks {
		sig := o.Open + o.Body
		e := l.els[o.Key]
		if e != nil && e.sig != sig {
			e.el.Call("remove")
			e = nil
		}
		st := o.style(shift)
		if e == nil {
			wrapper.Call("insertAdjacentHTML", "beforeend", o.html(shift))
			e = &tlMarkEl{el: wrapper.Get("lastElementChild"), sig: sig, style: st}
			l.els[o.Key] = e
		} else if st != e.style {
			// Setting the properties through CSSOM skips reparsing the
			// whole style attribute.
			if e.css == nil {
				e.css = e.el.Get("style")
			}
			e.css.Set("translate", tlPx(o.X+shift)+" 0")
			if o.W > 0 {
				e.css.Set("width", tlPx(o.W))
			}
			e.style = st
		}
		e.gen = l.gen
	}
	for k, e := range l.els {
		if e.gen != l.gen {
			e.el.Call("remove")
			delete(l.els, k)
		}
	}
}
