package ui

import (
	"strconv"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/viz"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Render draws the frame the painter fills.
func (c *Timeline) Render() app.UI {
	c.dom.invalidate()
	c.sync()
	label := c.Label
	if label == "" {
		label = "Timeline"
	}
	return app.Section().
		ID(c.id("root")).
		Class("tl").
		TabIndex(-1).
		DataSet("testid", "timeline").
		Aria("label", label).
		OnKeyDown(c.onKey).
		Body(
			c.renderToolbar(),
			app.Div().Class("tl-body").Body(
				app.Div().Class("tl-main").Body(
					c.renderOverview(),
					app.Div().Class("tl-row tl-axisrow").Aria("hidden", true).Body(
						app.Div().Class("tl-label"),
						app.Div().ID(c.id("axis")).Class("tl-axis"),
					),
					c.renderDetail(),
					app.P().Class("tl-hint").Body(
						app.Kbd().Text("←"), app.Kbd().Text("→"), app.Text(" pan · "),
						app.Kbd().Text("+"), app.Kbd().Text("−"), app.Text(" zoom · "),
						app.Kbd().Text("j"), app.Kbd().Text("k"), app.Text(" next/previous event · "),
						app.Kbd().Text("p"), app.Text(" pin · "),
						app.Kbd().Text("Esc"), app.Text(" clear hover · drag the overview to choose a window, Ctrl+wheel to zoom"),
					),
				),
				c.renderPins(),
			),
			c.renderCompare(),
		)
}

func (c *Timeline) renderToolbar() app.UI {
	reportName := c.ID + "-timeline-report.pdf"
	return app.Div().Class("tl-toolbar").Body(
		app.Div().Class("tl-range-wrap").Body(
			app.Span().Class("tl-range-label").Text("Window"),
			app.Span().ID(c.id("range")).Class("tl-range num"),
		),
		app.Div().Class("tl-tools").Body(
			app.Button().Type("button").Class("btn btn-sm btn-icon").Aria("label", "Zoom out").Title("Zoom out (−)").OnClick(c.zoomOut).Text("−"),
			app.Button().Type("button").Class("btn btn-sm btn-icon").Aria("label", "Zoom in").Title("Zoom in (+)").OnClick(c.zoomIn).Text("+"),
			app.Button().Type("button").Class("btn btn-sm").DataSet("action", "reset-window").Title("Show the whole span (0)").OnClick(c.resetWindow).Text("All"),
			app.If(c.Live, func() app.UI {
				return app.Button().ID(c.id("follow")).Type("button").Class("btn btn-sm tl-follow").
					DataSet("action", "follow").Title("Keep the window at the live edge (End)").
					OnClick(c.follow).Body(app.Span().Class("tl-live-dot").Aria("hidden", true), app.Text("Live"))
			}),
			app.If(c.Report != "", func() app.UI {
				return app.A().ID(c.id("export")).Class("btn btn-sm").
					DataSet("testid", "export-report").
					Attr("download", reportName).
					Title("Download a PDF report of this window with its pins").
					Text("Export report")
			}),
		),
	)
}

func (c *Timeline) renderOverview() app.UI {
	return app.Div().Class("tl-row tl-ovrow").Body(
		app.Div().Class("tl-label tl-ov-label").Text("Overview"),
		app.Div().
			ID(c.id("ov")).
			Class("tl-overview").
			On("pointerdown", c.onOverviewDown).
			On("pointermove", c.onOverviewMove).
			On("pointerup", c.onOverviewUp).
			On("pointercancel", c.onOverviewUp).
			OnWheel(c.onOverviewWheel).
			OnDblClick(c.onOverviewDblClick).
			Body(
				viz.El("svg").ID(c.id("ovsvg")).Class("tl-ov-svg").Attr("preserveAspectRatio", "none").Aria("hidden", true).Body(
					viz.El("path").ID(c.id("ovbars")).Class("tl-ov-bars"),
					viz.El("path").ID(c.id("ovalerts")).Class("tl-ov-alerts"),
					viz.El("path").ID(c.id("ovspark")).Class("tl-ov-spark"),
				),
				app.Div().ID(c.id("ovpins")).Class("tl-ov-pins").Aria("hidden", true),
				app.Div().ID(c.id("diml")).Class("tl-dim tl-dim-l").Aria("hidden", true),
				app.Div().ID(c.id("dimr")).Class("tl-dim tl-dim-r").Aria("hidden", true),
				app.Div().
					ID(c.id("brush")).
					Class("tl-brush").
					DataSet("testid", "brush").
					Attr("role", "slider").
					TabIndex(0).
					Aria("label", "Visible window: drag to move, drag a handle to resize; arrow keys pan, + and − zoom").
					Aria("valuemin", c.m.win.Min.Unix()).
					Aria("valuemax", c.m.win.Max.Unix()).
					Body(
						app.Div().Class("tl-handle tl-handle-l").DataSet("handle", "l"),
						app.Div().Class("tl-handle tl-handle-r").DataSet("handle", "r"),
					),
			),
	)
}

func (c *Timeline) renderDetail() app.UI {
	return app.Div().
		ID(c.id("detail")).
		Class("tl-detail").
		On("pointerdown", c.onDetailDown).
		On("pointermove", c.onDetailMove).
		On("pointerup", c.onDetailUp).
		On("pointercancel", c.onDetailUp).
		On("pointerleave", c.onDetailLeave).
		OnWheel(c.onDetailWheel).
		Body(
			app.Div().Class("tl-layer").Aria("hidden", true).Body(
				app.Div().ID(c.id("grid")).Class("tl-grid"),
				app.Div().ID(c.id("shade")).Class("tl-shades"),
			),
			app.Div().
				ID(c.id("lanes")).
				Class("tl-lanes").
				Attr("role", "list").
				Aria("label", "Lanes").
				OnClick(c.onLanesClick).
				On("focusin", c.onFocusIn).
				Body(app.Range(c.lanes).Slice(func(i int) app.UI {
					l := c.lanes[i]
					return app.Div().Class("tl-row tl-lane").DataSet("lane", string(l.Lane)).Attr("role", "listitem").Body(
						app.Div().Class("tl-label").ID(c.id("lanelabel-"+strconv.Itoa(i))).Body(
							app.Span().Class("lane-dot", "lane-"+string(l.Lane)).Aria("hidden", true),
							app.Span().Class("tl-lane-name").Text(laneLabelPlural(l.Lane)),
							app.Span().Class("tl-count num").DataSet("testid", "lane-count").Text(format.Int(len(l.Events))),
						),
						app.Div().
							ID(c.id("lane-"+strconv.Itoa(i))).
							Class("tl-lane-track", "tl-lane-"+string(l.Lane)).
							Attr("role", "group").
							Body(app.Div().ID(c.id("marks-"+strconv.Itoa(i))).Class("tl-marks")),
					)
				})),
			app.Div().Class("tl-tracks").Body(app.Range(c.tracks).Slice(func(i int) app.UI {
				t := c.tracks[i]
				k := strconv.Itoa(i)
				return app.Div().Class("tl-row tl-track").DataSet("metric", t.Name).Body(
					app.Div().Class("tl-label").Body(
						app.Div().Class("tl-track-head").Body(
							app.Span().Class("tl-sw tl-c"+k).Aria("hidden", true),
							app.Span().Class("tl-track-name").Title(t.Name).Text(t.Name),
						),
						app.Span().ID(c.id("tval-"+k)).Class("tl-val num"),
					),
					app.Div().Class("tl-plot").Body(
						viz.El("svg").ID(c.id("tsvg-"+k)).Class("tl-track-svg", "tl-c"+k).Attr("preserveAspectRatio", "none").
							Attr("role", "img").Aria("label", t.Name+" over the window").Body(
							viz.El("path").ID(c.id("tarea-"+k)).Class("tl-area"),
							viz.El("path").ID(c.id("tline-"+k)).Class("tl-line"),
						),
						app.Div().ID(c.id("tdot-"+k)).Class("tl-dot", "tl-c"+k).Aria("hidden", true),
						app.Span().ID(c.id("thi-"+k)).Class("tl-yhi num").Aria("hidden", true),
						app.Span().ID(c.id("tlo-"+k)).Class("tl-ylo num").Aria("hidden", true),
					),
				)
			})),
			app.Div().Class("tl-layer tl-layer-top").Aria("hidden", true).Body(
				app.Div().ID(c.id("pins")).Class("tl-pinlines"),
				app.Div().ID(c.id("cross")).Class("tl-cross"),
				app.Div().ID(c.id("readout")).Class("tl-readout").DataSet("testid", "timeline-readout"),
			),
		)
}
