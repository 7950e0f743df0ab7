package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// shortcut is one entry of the help overlay.
type shortcut struct {
	keys []string
	what string
}

var shortcutList = []shortcut{
	{[]string{"g", "d"}, "Go to the dashboard"},
	{[]string{"g", "e"}, "Go to experiments"},
	{[]string{"g", "r"}, "Go to the model registry"},
	{[]string{"g", "p"}, "Go to deployments"},
	{[]string{"g", "t"}, "Go to traces"},
	{[]string{"n"}, "New run"},
	{[]string{"/"}, "Focus the filter"},
	{[]string{"↑", "↓"}, "Move through table rows"},
	{[]string{"Enter"}, "Open the active row"},
	{[]string{"?"}, "Show this help"},
	{[]string{"Esc"}, "Close dialogs"},
}

// gTimeout is how long "g" waits for its second key.
const gTimeout = 1500 * time.Millisecond

// keyAction is what a key press does.
type keyAction struct {
	navigate string // path to open
	help     int    // +1 open, -1 close, 0 nothing
	focus    bool   // focus the page's filter
}

// shortcutFor maps a key press to its action. pendingG says whether "g"
// was pressed just before; inField whether the focus is in a text field,
// where only Escape counts. It returns the action, whether the key was
// handled, and the new pendingG.
func shortcutFor(key string, pendingG, inField, helpOpen bool) (keyAction, bool, bool) {
	if key == "Escape" {
		if helpOpen {
			return keyAction{help: -1}, true, false
		}
		return keyAction{}, false, false
	}
	if inField {
		return keyAction{}, false, false
	}
	if pendingG {
		for _, it := range navItems {
			if key == it.key {
				return keyAction{navigate: it.href}, true, false
			}
		}
		// Any other key cancels the sequence and is handled normally.
	}
	switch key {
	case "g":
		return keyAction{}, true, true
	case "?":
		if helpOpen {
			return keyAction{help: -1}, true, false
		}
		return keyAction{help: 1}, true, false
	case "/":
		return keyAction{focus: true}, true, false
	case "n":
		return keyAction{navigate: "/runs/new"}, true, false
	}
	return keyAction{}, false, false
}

// Shortcuts listens to global key presses and renders the "?" help
// overlay.
type Shortcuts struct {
	app.Compo
	open     bool
	pendingG bool
	gAt      time.Time
	keyFn    app.Func
}

// OnMount installs the window keydown listener and the help action.
func (s *Shortcuts) OnMount(ctx app.Context) {
	ctx.Handle(actionHelp, func(ctx app.Context, a app.Action) { s.setOpen(ctx, true) })
	s.keyFn = app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) > 0 {
			s.onKey(ctx, args[0])
		}
		return nil
	})
	app.Window().Call("addEventListener", "keydown", s.keyFn)
}

// OnDismount removes the listener.
func (s *Shortcuts) OnDismount() {
	if s.keyFn != nil {
		app.Window().Call("removeEventListener", "keydown", s.keyFn)
		s.keyFn.Release()
		s.keyFn = nil
	}
}

// onKey runs inside the browser's event dispatch, so preventDefault takes
// effect; state changes go through Dispatch.
func (s *Shortcuts) onKey(ctx app.Context, e app.Value) {
	if e.Get("defaultPrevented").Bool() || e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
		return
	}
	key := e.Get("key").String()
	inField := false
	if t := e.Get("target"); t.Truthy() {
		switch t.Get("tagName").String() {
		case "INPUT", "TEXTAREA", "SELECT":
			inField = true
		default:
			inField = t.Get("isContentEditable").Bool()
		}
	}
	pending := s.pendingG && time.Since(s.gAt) < gTimeout
	helpOpen := app.Window().GetElementByID("shortcut-help").Truthy()
	act, handled, nextG := shortcutFor(key, pending, inField, helpOpen)
	s.pendingG = nextG
	if nextG {
		s.gAt = time.Now()
	}
	if !handled {
		return
	}
	e.Call("preventDefault")
	switch {
	case act.navigate != "":
		ctx.Dispatch(func(ctx app.Context) {
			s.open = false
			ctx.Navigate(act.navigate)
		})
	case act.help != 0:
		ctx.Dispatch(func(ctx app.Context) { s.setOpen(ctx, act.help > 0) })
	case act.focus:
		doc := app.Window().Get("document")
		if el := doc.Call("querySelector", "[data-filter], input[type=search]"); el.Truthy() {
			el.Call("focus")
			el.Call("select")
		}
	}
}

func (s *Shortcuts) setOpen(ctx app.Context, open bool) {
	s.open = open
	if open {
		ctx.Defer(func(app.Context) {
			if btn := app.Window().GetElementByID("shortcut-help-close"); btn.Truthy() {
				btn.Call("focus")
			}
		})
	}
}

func (s *Shortcuts) close(ctx app.Context, e app.Event) { s.open = false }

// closeOnBackdrop closes the overlay when the click lands outside the
// dialog.
func (s *Shortcuts) closeOnBackdrop(ctx app.Context, e app.Event) {
	if t := e.Get("target"); t.Truthy() && t.Get("id").String() == "shortcut-help" {
		s.open = false
		return
	}
	ctx.PreventUpdate()
}

// Render draws the overlay when open.
func (s *Shortcuts) Render() app.UI {
	if !s.open {
		return app.Div().Class("overlay-slot")
	}
	return app.Div().Class("overlay-slot").Body(
		app.Div().ID("shortcut-help").Class("overlay").OnClick(s.closeOnBackdrop).Body(
			app.Div().
				Class("dialog").
				Attr("role", "dialog").
				Aria("modal", true).
				Aria("labelledby", "shortcut-help-title").
				DataSet("testid", "shortcut-help").
				Body(
					app.Div().Class("dialog-head").Body(
						app.H2().ID("shortcut-help-title").Text("Keyboard shortcuts"),
						app.Button().
							ID("shortcut-help-close").
							Type("button").
							Class("btn btn-ghost btn-icon").
							Aria("label", "Close").
							OnClick(s.close).
							Text("×"),
					),
					app.Table().Class("shortcuts").Body(app.TBody().Body(
						app.Range(shortcutList).Slice(func(i int) app.UI {
							sc := shortcutList[i]
							return app.Tr().Body(
								app.Td().Class("keys").Body(app.Range(sc.keys).Slice(func(j int) app.UI {
									return app.Kbd().Text(sc.keys[j])
								})),
								app.Td().Text(sc.what),
							)
						}),
					)),
				),
		),
	)
}
