//go:build js && wasm

package table

import (
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// host renders a Table in a fixed-size container.
type host struct {
	app.Compo
	T *Table[testRow]
}

func (h *host) Render() app.UI {
	return app.Div().Style("width", "900px").Body(h.T)
}

func mountTable(t *testing.T, rows int) (*Table[testRow], app.TestEngine, app.Value) {
	t.Helper()
	doc := app.Window().Get("document")
	if !doc.Truthy() {
		t.Skip("no DOM: run with wasmbrowsertest")
	}
	if !doc.Call("getElementById", "table-test-css").Truthy() {
		// The layout rules of web/app.css the virtualization relies on.
		style := doc.Call("createElement", "style")
		style.Set("id", "table-test-css")
		style.Set("textContent", `.tbl-grid{overflow:auto;position:relative}
.tbl-grid .tr{display:grid;grid-template-columns:var(--tbl-cols);height:var(--tbl-row)}
.tbl-head{position:sticky;top:0}
.tbl-body{position:relative}
.tbl-body>.tr{position:absolute;left:0;right:0}`)
		doc.Get("head").Call("appendChild", style)
	}
	tbl := testTable(testRows(rows))
	tbl.Height = 400
	e := app.NewTestEngine()
	if err := e.Load(&host{T: tbl}); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	grid := doc.Call("querySelector", "[data-testid=table]")
	if !grid.Truthy() {
		t.Fatal("no [data-testid=table] in the document")
	}
	return tbl, e, grid
}

func domRows() []string {
	rows := app.Window().Get("document").Call("querySelectorAll", "[data-testid=table] [data-testid=row]")
	keys := make([]string, rows.Length())
	for i := range keys {
		keys[i] = rows.Index(i).Get("dataset").Get("key").String()
	}
	return keys
}

func TestTableInBrowser(t *testing.T) {
	tbl, e, grid := mountTable(t, 10000)
	if n := len(domRows()); n == 0 || n >= 200 {
		t.Fatalf("%d rows in the DOM for 10,000; want 1..199", n)
	}

	// Scroll to the middle: the rows in view are rendered.
	grid.Set("scrollTop", 40*5000)
	grid.Call("dispatchEvent", app.Window().Get("Event").New("scroll"))
	e.ConsumeAll()
	found := false
	for _, k := range domRows() {
		found = found || k == "row-5003"
	}
	if !found || len(domRows()) >= 200 {
		t.Errorf("after scrolling to row 5000 (scrollTop %d, top %d, viewport %d), DOM rows = %v", grid.Get("scrollTop").Int(), tbl.g.top, tbl.g.viewport(), domRows())
	}

	// Sort by clicking the header button, twice.
	grid.Set("scrollTop", 0)
	grid.Call("dispatchEvent", app.Window().Get("Event").New("scroll"))
	e.ConsumeAll()
	btn := grid.Call("querySelector", "button[data-col=n]")
	btn.Call("click")
	e.ConsumeAll()
	if tbl.State().Sort != "n" || tbl.State().Desc {
		t.Fatalf("after one click the state is %+v; want sort by n ascending", tbl.State())
	}
	btn.Call("click")
	e.ConsumeAll()
	if !tbl.State().Desc {
		t.Fatalf("after two clicks the state is %+v; want descending", tbl.State())
	}
	if th := btn.Call("closest", "[role=columnheader]"); th.Call("getAttribute", "aria-sort").String() != "descending" {
		t.Error("header does not announce the descending sort")
	}
	if !strings.Contains(app.Window().URL().RawQuery, "sort=-n") {
		t.Errorf("URL query %q lacks sort=-n", app.Window().URL().RawQuery)
	}

	// Keyboard: ArrowDown twice makes the second row active.
	grid.Call("focus")
	for range 2 {
		ev := app.Window().Get("KeyboardEvent").New("keydown", map[string]any{"key": "ArrowDown", "bubbles": true})
		grid.Call("dispatchEvent", ev)
		e.ConsumeAll()
	}
	active := grid.Call("getAttribute", "aria-activedescendant").String()
	if active != "t-row-1" || !app.Window().GetElementByID(active).Truthy() {
		t.Errorf("aria-activedescendant = %q; want t-row-1 naming a row", active)
	}

	// The filter narrows the rows and the count.
	in := app.Window().Get("document").Call("querySelector", "input[data-filter]")
	in.Set("value", "row-999")
	in.Call("dispatchEvent", app.Window().Get("Event").New("input", map[string]any{"bubbles": true}))
	e.ConsumeAll()
	if got := len(domRows()); got != 11 {
		t.Errorf("filter row-999: %d rows; want 11", got)
	}
	count := app.Window().Get("document").Call("querySelector", ".tbl-count").Get("textContent").String()
	if count != "11 of 10,000 rows" {
		t.Errorf("count = %q", count)
	}
	if !strings.Contains(app.Window().URL().RawQuery, "q=row-999") {
		t.Errorf("URL query %q lacks the filter", app.Window().URL().RawQuery)
	}
	_ = strconv.Itoa
}
