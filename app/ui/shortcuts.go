package ui

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// shortcut is one entry of the help overlay.
type shortcut struct {
	// keys are the keys that do it, as KeyboardEvent.key values ("j",
	// "ArrowLeft", " " for Space), or a modifier and a key
	// ("Shift+ArrowLeft", "Ctrl+f"), or "wheel" for the mouse wheel.
	// They are alternatives, unless seq says they are pressed in turn.
	keys []string
	seq  bool
	what string
}

// shortcutGroup is a titled section of the help overlay: the keys of one
// part of the app. note says where its keys work.
type shortcutGroup struct {
	title string
	note  string
	items []shortcut
}

// shortcutGroups lists every key binding of the app, grouped by where it
// works. The tests check each group against the code that handles the
// keys (shortcutFor, table.Move, tabKey, timelineKey...).
var shortcutGroups = []shortcutGroup{
	{title: "Anywhere", items: []shortcut{
		{[]string{"g", "d"}, true, "Go to the dashboard"},
		{[]string{"g", "e"}, true, "Go to experiments"},
		{[]string{"g", "r"}, true, "Go to the model registry"},
		{[]string{"g", "p"}, true, "Go to deployments"},
		{[]string{"g", "t"}, true, "Go to traces"},
		{[]string{"n"}, false, "New run"},
		{[]string{"/"}, false, "Focus the page's filter or search box"},
		{[]string{"?"}, false, "Show or hide this help"},
		{[]string{"Escape"}, false, "Close this help"},
	}},
	{title: "Tables", note: "With the focus in a table.", items: []shortcut{
		{[]string{"ArrowUp", "ArrowDown"}, false, "Move through the rows"},
		{[]string{"PageUp", "PageDown"}, false, "Move a page of rows"},
		{[]string{"Home", "End"}, false, "First or last row"},
		{[]string{"Enter"}, false, "Open the active row"},
		{[]string{" "}, false, "Select the active row (runs of an experiment, to compare)"},
	}},
	{title: "Run page tabs", note: "With the focus on a tab.", items: []shortcut{
		{[]string{"ArrowLeft", "ArrowRight"}, false, "Previous or next tab"},
		{[]string{"Home", "End"}, false, "First or last tab"},
	}},
	{title: "Log viewer", items: []shortcut{
		{[]string{"Ctrl+f", "Cmd+f"}, false, "Search the whole log"},
		{[]string{"Enter"}, false, "In the search box: search, then go to the next match"},
		{[]string{"Shift+Enter"}, false, "In the search box: previous match"},
		{[]string{"Escape"}, false, "In the search box: clear the search"},
		{[]string{"Enter"}, false, "In the line or time box: go to that line or time"},
	}},
	{title: "Timeline", note: "With the focus in the timeline: on an event, on the window brush, or on its background after a click.", items: []shortcut{
		{[]string{"ArrowLeft", "ArrowRight"}, false, "Pan by a tenth of the window"},
		{[]string{"Shift+ArrowLeft", "Shift+ArrowRight"}, false, "Pan by half a window"},
		{[]string{"PageUp", "PageDown"}, false, "Pan by half a window"},
		{[]string{"+", "="}, false, "Zoom in (around the focused event)"},
		{[]string{"-", "_"}, false, "Zoom out"},
		{[]string{"0"}, false, "Show the whole span"},
		{[]string{"Home"}, false, "Move the window to the start"},
		{[]string{"End"}, false, "Move the window to the end (the live edge)"},
		{[]string{"j"}, false, "Focus the next event, across lanes"},
		{[]string{"k"}, false, "Focus the previous event"},
		{[]string{"p"}, false, "Pin or unpin the focused event"},
		{[]string{"Enter", " "}, false, "Pin or unpin the focused event; on a count, zoom onto its events"},
		{[]string{"Escape"}, false, "Clear the hover readout"},
		{[]string{"Ctrl+wheel"}, false, "Zoom around the pointer (the overview zooms with the wheel alone)"},
		{[]string{"Shift+wheel"}, false, "Pan the detail view"},
	}},
	{title: "Trace waterfall", note: "With the focus in the span list.", items: []shortcut{
		{[]string{"ArrowUp", "ArrowDown"}, false, "Select the previous or next span"},
		{[]string{"PageUp", "PageDown"}, false, "Move a page of spans"},
		{[]string{"Home", "End"}, false, "First or last span"},
		{[]string{"ArrowRight"}, false, "Expand the span, or go to its first child"},
		{[]string{"ArrowLeft"}, false, "Collapse the span, or go to its parent"},
		{[]string{"Escape"}, false, "Clear the selection"},
		{[]string{"Enter", "Shift+Enter"}, false, "In the span search: next or previous match"},
	}},
}

// keyModifiers are the prefixes a shortcut key may carry.
var keyModifiers = []string{"Ctrl+", "Cmd+", "Shift+", "Alt+"}

// keyCaps splits a shortcut key into what its <kbd> elements show:
// "Shift+ArrowLeft" is "Shift", "←".
func keyCaps(k string) []string {
	var caps []string
	for again := true; again; {
		again = false
		for _, m := range keyModifiers {
			if len(k) > len(m) && strings.HasPrefix(k, m) {
				caps = append(caps, keyLabel(strings.TrimSuffix(m, "+")))
				k = k[len(m):]
				again = true
			}
		}
	}
	return append(caps, keyLabel(k))
}

// keyLabel is how the help shows key k.
func keyLabel(k string) string {
	switch k {
	case "ArrowLeft":
		return "←"
	case "ArrowRight":
		return "→"
	case "ArrowUp":
		return "↑"
	case "ArrowDown":
		return "↓"
	case "Escape":
		return "Esc"
	case " ":
		return "Space"
	case "PageUp":
		return "PgUp"
	case "PageDown":
		return "PgDn"
	case "-":
		return "−"
	case "Cmd":
		return "⌘"
	}
	return k
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
				Style("width", "min(1000px, 100%)").
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
					// Two columns where the window allows: the groups are short.
					app.Div().Class("shortcut-groups").
						Style("display", "grid").
						Style("grid-template-columns", "repeat(auto-fit, minmax(420px, 1fr))").
						Style("gap", "var(--s-4) var(--s-5)").
						Style("align-items", "start").
						Body(app.Range(shortcutGroups).Slice(func(i int) app.UI { return shortcutSection(shortcutGroups[i]) })),
				),
		),
	)
}

// shortcutSection renders one group of the help: a heading, where its
// keys work, and a table of keys and what they do.
func shortcutSection(g shortcutGroup) app.UI {
	return app.Section().Class("shortcut-group").DataSet("group", g.title).Aria("label", g.title).Body(
		app.H3().Style("margin-bottom", "4px").Text(g.title),
		app.If(g.note != "", func() app.UI { return app.P().Class("muted small").Style("margin", "0 0 4px").Text(g.note) }),
		app.Table().Class("shortcuts").Body(app.TBody().Body(
			app.Range(g.items).Slice(func(i int) app.UI {
				sc := g.items[i]
				return app.Tr().Body(app.Td().Class("keys").Body(shortcutKeys(sc)...), app.Td().Text(sc.what))
			}),
		)),
	)
}

// shortcutKeys renders a shortcut's keys: "g then d", "← or →", "Shift + ←".
func shortcutKeys(sc shortcut) []app.UI {
	var out []app.UI
	for i, k := range sc.keys {
		if i > 0 {
			sep := " or "
			if sc.seq {
				sep = " then "
			}
			out = append(out, app.Span().Class("muted").Text(sep))
		}
		for j, c := range keyCaps(k) {
			if j > 0 {
				out = append(out, app.Text("+"))
			}
			if c == "wheel" {
				out = append(out, app.Span().Text("wheel"))
				continue
			}
			out = append(out, app.Kbd().Text(c))
		}
	}
	return out
}
