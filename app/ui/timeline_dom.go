package ui

import (
	"math"
	"strconv"

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
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + "px"
}
