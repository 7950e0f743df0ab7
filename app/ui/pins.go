package ui

import (
	"strconv"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// pinRow is one entry of the pins panel.
type pinRow struct {
	ID       studio.EventID
	Letter   string
	Event    studio.Event
	Known    bool // false for a pin from a link whose event is not loaded
	Compared bool
}

// pinRows lists the pins of m in pin order with their events.
func pinRows(m *timelineModel, byID map[studio.EventID]studio.Event) []pinRow {
	rows := make([]pinRow, len(m.pins))
	for i, id := range m.pins {
		e, ok := byID[id]
		rows[i] = pinRow{ID: id, Letter: string(rune('A' + i)), Event: e, Known: ok, Compared: m.compared(id)}
	}
	return rows
}

// renderPins draws the pins panel: each pin with its letter, title, lane
// and time, a button that centres the window on it, a checkbox that puts it
// in the comparison, and a remove button. The buttons carry the pin's id
// in data-pin-id, which the (shared) handlers read, so a row that moves up
// after a removal never acts on the pin that was there before.
func (c *Timeline) renderPins() app.UI {
	rows := pinRows(&c.m, c.byID)
	return app.Aside().Class("tl-side").Body(
		app.Section().Class("tl-pins").DataSet("testid", "pins").Aria("labelledby", c.id("pins-title")).Body(
			app.Div().Class("tl-side-head").Body(
				app.H3().ID(c.id("pins-title")).Body(
					app.Text("Pins "),
					app.Span().Class("tl-count num").Text(strconv.Itoa(len(rows))),
				),
				app.If(len(rows) > 0, func() app.UI {
					return app.Button().Type("button").Class("btn btn-ghost btn-sm").DataSet("action", "clear-pins").OnClick(c.clearPins).Text("Clear")
				}),
			),
			app.If(len(rows) == 0, func() app.UI {
				return app.P().Class("tl-pins-empty muted").Body(
					app.Text("Click an event, or focus it and press "), app.Kbd().Text("p"),
					app.Text(", to pin it. Pin one to compare before and after it, two to compare them."),
				)
			}),
			app.Ol().Class("tl-pin-list").Body(app.Range(rows).Slice(func(i int) app.UI {
				return c.renderPin(rows[i])
			})),
		),
	)
}

func (c *Timeline) renderPin(r pinRow) app.UI {
	cls := "tl-pin"
	if r.Compared {
		cls += " compared"
	}
	title, meta := string(r.ID), "not in this timeline"
	if r.Known {
		title = r.Event.Title
		meta = r.Event.Time.UTC().Format("Jan 2 15:04:05")
	}
	lane := studio.Lane("none")
	if r.Known {
		lane = r.Event.Lane
	}
	return app.Li().Class(cls).DataSet("testid", "pin").DataSet("event-id", string(r.ID)).DataSet("pin", r.Letter).Body(
		app.Span().Class("tl-pin-letter").Aria("hidden", true).Text(r.Letter),
		app.Div().Class("tl-pin-main").Body(
			app.Button().Type("button").Class("tl-pin-title").
				DataSet("pin-id", string(r.ID)).
				DataSet("action", "jump").
				Disabled(!r.Known).
				Title(title).
				Aria("label", "Pin "+r.Letter+": "+title+". Centre the window on it").
				OnClick(c.jumpToPin).
				Text(title),
			app.Div().Class("tl-pin-meta").Body(
				app.Span().Class("lane-dot", "lane-"+string(lane)).Aria("hidden", true),
				app.Span().Class("tl-pin-when").Title(laneLabelPlural(lane)).Text(meta),
				app.Label().Class("tl-pin-cmp check").Title("Include in the comparison").Body(
					app.Input().Type("checkbox").
						DataSet("pin-id", string(r.ID)).
						Checked(r.Compared).
						Disabled(!r.Known).
						Aria("label", "Compare pin "+r.Letter).
						OnChange(c.toggleCompared),
					app.Span().Aria("hidden", true).Text("compare"),
				),
			),
		),
		app.Button().Type("button").Class("btn btn-ghost btn-icon btn-sm tl-pin-remove").
			DataSet("pin-id", string(r.ID)).
			DataSet("action", "unpin").
			Aria("label", "Remove pin "+r.Letter).
			Title("Remove pin").
			OnClick(c.removePin).
			Text("×"),
	)
}
