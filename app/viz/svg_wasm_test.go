//go:build js && wasm

package viz

import (
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// mount mounts c into the document and returns the engine.
func mount(t *testing.T, c app.Composer) app.TestEngine {
	t.Helper()
	if !app.Window().Get("document").Truthy() {
		t.Skip("no DOM: run with wasmbrowsertest")
	}
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	return e
}

// TestSVGNamespace checks that every SVG element is created in the SVG
// namespace (go-app does not inherit it; without it the element is an
// invisible HTMLUnknownElement) and that the lines have a size.
func TestSVGNamespace(t *testing.T) {
	type wrapper struct {
		app.Compo
	}
	spark := &Sparkline{Values: []float64{1, 3, 2, 5}, Fill: true, Label: "test"}
	mount(t, spark)
	checkSVG(t, "spark", ".spark-line")

	chart := &LineChart{ID: "tchart", Metric: "loss", Series: []ChartSeries{
		{Label: "a", X: []float64{0, 1, 2}, Y: []float64{3, 2, 1}},
		{Label: "b", X: []float64{0, 1, 2}, Y: []float64{1, 2, 3}},
	}}
	mount(t, chart)
	checkSVG(t, "chart-svg", ".series")
}

func checkSVG(t *testing.T, class, drawn string) {
	t.Helper()
	doc := app.Window().Get("document")
	svg := doc.Call("querySelector", "svg."+class)
	if !svg.Truthy() {
		t.Fatalf("no svg.%s in the document", class)
	}
	all := svg.Call("querySelectorAll", "*")
	for i := 0; i < all.Length(); i++ {
		el := all.Index(i)
		if ns := el.Get("namespaceURI").String(); ns != Namespace {
			t.Errorf("<%s> is in namespace %q; want the SVG namespace", el.Get("tagName").String(), ns)
		}
	}
	line := svg.Call("querySelector", drawn)
	if !line.Truthy() {
		t.Fatalf("no %s in svg.%s", drawn, class)
	}
	box := line.Call("getBBox")
	if box.Get("width").Float() <= 0 {
		t.Errorf("%s has an empty bounding box: it is not drawn", drawn)
	}
}
