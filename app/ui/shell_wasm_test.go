//go:build js && wasm

package ui

import (
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// TestShellInBrowser mounts the shell in a real document: #app-ready
// appears once mounted, the theme toggle sets data-theme and persists it,
// and "?" opens the shortcuts overlay, which Escape closes.
func TestShellInBrowser(t *testing.T) {
	doc := app.Window().Get("document")
	if !doc.Truthy() {
		t.Skip("no DOM: run with wasmbrowsertest")
	}
	app.Window().Get("localStorage").Call("removeItem", themeKey)
	s := &Shell{Page: pageNotFound}
	e := app.NewTestEngine()
	if err := e.Load(s); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	e.ConsumeAll()
	if !doc.Call("getElementById", "app-ready").Truthy() {
		t.Fatal("#app-ready is missing after mount")
	}
	if !doc.Call("querySelector", `[data-page="not-found"]`).Truthy() {
		t.Error("the page root is missing")
	}

	html := doc.Get("documentElement")
	before := effectiveTheme()
	doc.Call("querySelector", "[data-testid=theme-toggle]").Call("click")
	e.ConsumeAll()
	after := html.Call("getAttribute", "data-theme").String()
	if after == before || (after != "dark" && after != "light") {
		t.Errorf("theme toggle: data-theme %q, was %q", after, before)
	}
	if stored := app.Window().Get("localStorage").Call("getItem", themeKey).String(); stored != after {
		t.Errorf("stored theme = %q; want %q", stored, after)
	}

	key := func(k string) {
		ev := app.Window().Get("KeyboardEvent").New("keydown", map[string]any{"key": k, "bubbles": true})
		doc.Get("body").Call("dispatchEvent", ev)
		e.ConsumeAll()
	}
	key("?")
	if !doc.Call("querySelector", "[data-testid=shortcut-help]").Truthy() {
		t.Fatal(`"?" did not open the shortcuts overlay`)
	}
	if active := doc.Get("activeElement").Get("id").String(); active != "shortcut-help-close" {
		t.Errorf("focus is on %q; want the overlay's close button", active)
	}
	key("Escape")
	if doc.Call("querySelector", "[data-testid=shortcut-help]").Truthy() {
		t.Error("Escape did not close the overlay")
	}
	app.Window().Get("localStorage").Call("removeItem", themeKey)
	html.Call("removeAttribute", "data-theme")
}
