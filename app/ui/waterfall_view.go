package ui

import (
	"sort"
	"strconv"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/app/viz"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Waterfall geometry.
const (
	wfRowHeight = 26
	wfOverscan  = 10
	wfIndent    = 14 // px per tree level
	wfMaxIndent = 30 // levels; deeper spans stop indenting
)

// Waterfall is a trace's span waterfall: a tree (indentation,
// collapse/expand) beside bars on a shared time axis, coloured by service,
// errors marked, the critical path highlighted, search within the trace,
// and a detail panel with the selected span's attributes. Rows are
// virtualized, so a 10,000-span trace renders only the rows in view.
type Waterfall struct {
	app.Compo
	// Spans are the trace's spans (parents before children).
	Spans []studio.Span

	tree      *spanTree
	treeOf    *studio.Span
	collapsed map[int]bool
	rows      []int // visible spans
	rowsOK    bool
	top       int // scrollTop px
	height    int // measured viewport px
	selected  int // span index, -1 for none
	query     string
	hits      []int
	hit       int // index into hits, -1 for none
	critOnly  bool
	gen       uint64 // bumped when the visible rows or the tree change
}

// OnInit clears the selection.
func (w *Waterfall) OnInit() {
	w.selected, w.hit = -1, -1
}

// OnMount measures the viewport.
func (w *Waterfall) OnMount(ctx app.Context) { ctx.Defer(w.measure) }

// OnResize re-measures the viewport.
func (w *Waterfall) OnResize(ctx app.Context) { w.measure(ctx) }

func (w *Waterfall) measure(ctx app.Context) {
	if el := app.Window().GetElementByID("wf-scroll"); el.Truthy() {
		if h := el.Get("clientHeight").Int() - wfRowHeight; h > 0 && h != w.height {
			w.height = h
			ctx.Update()
		}
	}
}

func (w *Waterfall) viewport() int {
	if w.height > 0 {
		return w.height
	}
	return 600
}

// ensure builds the tree when the spans changed and the visible rows when
// the folding changed.
func (w *Waterfall) ensure() {
	var of *studio.Span
	if len(w.Spans) > 0 {
		of = &w.Spans[0]
	}
	if w.tree == nil || w.treeOf != of || len(w.tree.spans) != len(w.Spans) {
		w.tree, w.treeOf = buildSpanTree(w.Spans), of
		w.collapsed = map[int]bool{}
		w.rowsOK = false
		w.selected, w.hits, w.hit = -1, nil, -1
		if w.query != "" {
			w.hits = w.tree.matches(w.query)
		}
	}
	if !w.rowsOK {
		if w.critOnly {
			w.rows = w.rows[:0]
			for _, i := range w.tree.visible(w.collapsed) {
				if w.tree.critical[i] {
					w.rows = append(w.rows, i)
				}
			}
		} else {
			w.rows = w.tree.visible(w.collapsed)
		}
		w.rowsOK = true
		w.gen++
	}
}

// Render draws the toolbar, the axis, the visible rows and the detail
// panel.
func (w *Waterfall) Render() app.UI {
	w.ensure()
	t := w.tree
	start, end := table.Window(w.top, w.viewport(), wfRowHeight, len(w.rows), wfOverscan)
	isHit := make(map[int]bool, len(w.hits))
	for _, h := range w.hits {
		isHit[h] = true
	}
	// Rows sit in slots (visible row k in slot k mod n): scrolling
	// re-renders only the rows that enter the window.
	n := min(table.SlotCount(w.viewport(), wfRowHeight, wfOverscan), len(w.rows))
	slots := table.Slots(start, end, n)
	return app.Div().Class("wf").DataSet("testid", "waterfall").Body(
		w.toolbar(),
		app.Div().Class("wf-body").Body(
			app.Div().
				ID("wf-scroll").
				Class("wf-scroll").
				Attr("role", "tree").
				Aria("label", "Spans").
				Aria("activedescendant", w.activeID()).
				TabIndex(0).
				OnScroll(w.onScroll, app.PassiveEvent()).
				OnKeyDown(w.onKey).
				OnClick(w.onClick).
				Body(
					w.axis(),
					app.Div().Class("wf-spacer").Style("height", strconv.Itoa(len(w.rows)*wfRowHeight)+"px").Body(
						app.Range(slots).Slice(func(j int) app.UI {
							k := slots[j]
							if k < 0 {
								return app.Div().Class("wf-slot").Hidden(true)
							}
							i := w.rows[k]
							return &waterfallRow{W: w, K: k, Span: i, Gen: w.gen, Selected: i == w.selected, Hit: isHit[i]}
						}),
					),
				),
			app.If(w.selected >= 0 && w.selected < len(t.spans), func() app.UI { return w.detail(w.selected) }),
		),
	)
}

func (w *Waterfall) activeID() string {
	if w.selected < 0 {
		return ""
	}
	for k, i := range w.rows {
		if i == w.selected {
			return "wf-row-" + strconv.Itoa(k)
		}
	}
	return ""
}

func (w *Waterfall) toolbar() app.UI {
	t := w.tree
	hitLabel := ""
	switch {
	case w.query == "":
	case len(w.hits) == 0:
		hitLabel = "no match"
	case w.hit >= 0:
		hitLabel = format.Int(w.hit+1) + " of " + format.Int(len(w.hits))
	case len(w.hits) == 1:
		hitLabel = "1 match"
	default:
		hitLabel = format.Int(len(w.hits)) + " matches"
	}
	return app.Div().Class("wf-toolbar").Body(
		app.Label().Class("tbl-filter").For("wf-search").Body(
			app.Span().Class("sr-only").Text("Search spans"),
			app.Input().ID("wf-search").Type("search").Class("input").DataSet("filter", "trace").
				Placeholder("Search operation, service, attribute…  ( / )").
				AutoComplete(false).
				Value(w.query).
				OnInput(w.onSearch).
				OnKeyDown(w.onSearchKey),
		),
		app.Span().Class("wf-hits").Attr("aria-live", "polite").Text(hitLabel),
		app.Button().Type("button").Class("btn btn-sm").Aria("label", "Previous match").OnClick(w.prevHit).Text("↑"),
		app.Button().Type("button").Class("btn btn-sm").Aria("label", "Next match").OnClick(w.nextHit).Text("↓"),
		app.Span().Class("wf-sep"),
		app.Button().Type("button").Class("btn btn-ghost btn-sm").OnClick(w.expandAll).Text("Expand all"),
		app.Button().Type("button").Class("btn btn-ghost btn-sm").OnClick(w.collapseAll).Text("Collapse all"),
		app.Label().Class("check").Body(
			app.Input().Type("checkbox").Checked(w.critOnly).OnChange(w.toggleCritical),
			app.Text("Critical path only"),
		),
		app.Div().Class("wf-legend").Body(app.Range(t.services).Slice(func(i int) app.UI {
			return app.Span().Class("legend-item").Body(
				app.Span().Class("swatch svc-"+strconv.Itoa(i%10)).Aria("hidden", true),
				app.Text(t.services[i]),
			)
		})),
	)
}

// axis renders the sticky time axis above the bars.
func (w *Waterfall) axis() app.UI {
	total := max(w.tree.total, 1)
	ticks := viz.Ticks(0, float64(total), 6)
	return app.Div().Class("wf-axis").Aria("hidden", true).Body(
		app.Div().Class("wf-label wf-axis-label").Text(format.Count(len(w.tree.spans), "span")+" · "+format.Micros(total)),
		app.Div().Class("wf-track").Body(app.Range(ticks).Slice(func(i int) app.UI {
			pct := ticks[i] / float64(total) * 100
			return app.Span().Class("wf-tick").Style("left", strconv.FormatFloat(pct, 'f', 2, 64)+"%").Text(format.Micros(int64(ticks[i])))
		})),
	)
}

// waterfallRow is one rendered span row. Its props change only when its
// slot shows another row or the rows themselves change (Gen), so rows
// that stay in view are not re-rendered while scrolling.
type waterfallRow struct {
	app.Compo
	W        *Waterfall
	K        int // visible row index
	Span     int
	Gen      uint64
	Selected bool
	Hit      bool
}

// Render draws the row.
func (r *waterfallRow) Render() app.UI { return r.W.row(r.K, r.Span, r.Selected, r.Hit) }

// row renders visible row k, span i.
func (w *Waterfall) row(k, i int, selected, hit bool) app.UI {
	t := w.tree
	s := t.spans[i]
	total := float64(max(t.total, 1))
	left := float64(t.start[i]) / total * 100
	width := max(float64(t.end[i]-t.start[i])/total*100, 0.15)
	cls := "wf-row"
	if t.critical[i] {
		cls += " critical"
	}
	if s.Status == studio.SpanError {
		cls += " error"
	}
	if selected {
		cls += " selected"
	}
	if hit {
		cls += " hit"
	}
	hasKids := len(t.children[i]) > 0
	depth := min(t.depth[i], wfMaxIndent)
	id := "" // only the selected row needs an id (aria-activedescendant)
	if selected {
		id = "wf-row-" + strconv.Itoa(k)
	}
	r := app.Div().
		ID(id).
		Class(cls).
		Style("top", strconv.Itoa(k*wfRowHeight)+"px").
		Attr("role", "treeitem").
		Aria("level", t.depth[i]+1).
		Aria("selected", selected).
		DataSet("testid", "span-row").
		DataSet("index", k).
		DataSet("span", s.ID)
	if hasKids {
		r = r.Aria("expanded", !w.collapsed[i])
	}
	toggle := app.UI(app.Span().Class("wf-toggle-space"))
	if hasKids {
		label := "▾"
		if w.collapsed[i] {
			label = "▸"
		}
		toggle = app.Button().Type("button").Class("wf-toggle").TabIndex(-1).
			Aria("label", "Toggle children").DataSet("toggle", i).Text(label)
	}
	var badge app.UI
	if w.collapsed[i] && hasKids {
		b := app.Span().Class("wf-folded").Text("+" + format.Int(t.size[i]))
		if t.errBelow[i] && s.Status != studio.SpanError {
			b = b.Class("has-error").Title("contains failed spans")
		}
		badge = b
	}
	return r.Body(
		app.Div().Class("wf-label").Style("padding-left", strconv.Itoa(depth*wfIndent+4)+"px").Body(
			toggle,
			app.Span().Class("svc-dot svc-"+strconv.Itoa(t.service[i]%10)).Aria("hidden", true),
			app.Span().Class("wf-op").Title(s.Operation).Text(s.Operation),
			app.Span().Class("wf-svc").Text(s.Service),
			app.If(s.Status == studio.SpanError, func() app.UI {
				return app.Span().Class("wf-err").Title("error").Text("error")
			}),
			badge,
		),
		app.Div().Class("wf-track").Body(
			app.Div().Class("wf-bar svc-"+strconv.Itoa(t.service[i]%10)).
				Style("left", strconv.FormatFloat(left, 'f', 3, 64)+"%").
				Style("width", strconv.FormatFloat(width, 'f', 3, 64)+"%"),
			durLabel(left, width, format.Micros(s.DurationUS)),
		),
	)
}

// detail renders the selected span's panel.
func (w *Waterfall) detail(i int) app.UI {
	t := w.tree
	s := t.spans[i]
	keys := make([]string, 0, len(s.Attributes))
	for k := range s.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parent := "—"
	if p := t.parent[i]; p >= 0 {
		parent = t.spans[p].ID
	}
	return app.Aside().Class("wf-detail panel").Aria("label", "Span details").DataSet("testid", "span-detail").Body(
		app.Div().Class("panel-head").Body(
			app.H2().Text(s.Operation),
			app.Button().Type("button").Class("btn btn-ghost btn-icon").Aria("label", "Close details").OnClick(w.closeDetail).Text("×"),
		),
		kvList(
			kv{"Service", app.Span().Body(app.Span().Class("svc-dot svc-"+strconv.Itoa(t.service[i]%10)).Aria("hidden", true), app.Text(" "+s.Service))},
			kv{"Status", pill(spanStatusPill(s.Status))},
			kv{"Duration", app.Text(format.Micros(s.DurationUS))},
			kv{"Starts at", app.Text("+" + format.Micros(t.start[i]))},
			kv{"Span", mono(s.ID)},
			kv{"Parent", mono(parent)},
			kv{"Children", app.Text(format.Int(len(t.children[i])) + " (" + format.Int(t.size[i]) + " below)")},
			kv{"Critical path", app.Text(yesNo(t.critical[i]))},
		),
		app.H3().Text("Attributes"),
		app.If(len(keys) == 0, func() app.UI { return app.P().Class("muted").Text("No attributes.") }).Else(func() app.UI {
			return app.Table().Class("simple attrs").Body(app.TBody().Body(app.Range(keys).Slice(func(j int) app.UI {
				return app.Tr().Body(app.Td().Body(mono(keys[j])), app.Td().Class("mono").Text(s.Attributes[keys[j]]))
			})))
		}),
	)
}

func spanStatusPill(s studio.SpanStatus) string {
	if s == studio.SpanError {
		return "failed"
	}
	return "succeeded"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (w *Waterfall) onScroll(ctx app.Context, e app.Event) {
	// Only scrollTop is read: sizes would force a layout per event.
	top := ctx.JSSrc().Get("scrollTop").Int()
	s0, e0 := table.Window(w.top, w.viewport(), wfRowHeight, len(w.rows), wfOverscan)
	w.top = top
	s1, e1 := table.Window(w.top, w.viewport(), wfRowHeight, len(w.rows), wfOverscan)
	if s0 == s1 && e0 == e1 {
		ctx.PreventUpdate()
	}
}

// onClick handles the fold toggles and row selection with one delegated
// handler (rows are reused as the window scrolls).
func (w *Waterfall) onClick(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if !target.Truthy() {
		return
	}
	if btn := target.Call("closest", "[data-toggle]"); btn.Truthy() {
		if i, err := strconv.Atoi(btn.Get("dataset").Get("toggle").String()); err == nil {
			w.toggle(i)
		}
		return
	}
	row := target.Call("closest", "[data-testid=span-row]")
	if !row.Truthy() {
		ctx.PreventUpdate()
		return
	}
	k, err := strconv.Atoi(row.Get("dataset").Get("index").String())
	if err != nil || k < 0 || k >= len(w.rows) {
		return
	}
	w.selected = w.rows[k]
}

func (w *Waterfall) toggle(i int) {
	if i < 0 || i >= len(w.tree.spans) || len(w.tree.children[i]) == 0 {
		return
	}
	if w.collapsed[i] {
		delete(w.collapsed, i)
	} else {
		w.collapsed[i] = true
	}
	w.rowsOK = false
}

// onKey: arrows move the selection, Right/Left expand/collapse (or go to
// the first child/parent), Escape clears the selection.
func (w *Waterfall) onKey(ctx app.Context, e app.Event) {
	if t := e.Get("target"); t.Truthy() && t.Get("tagName").String() == "INPUT" {
		ctx.PreventUpdate()
		return
	}
	key := e.Get("key").String()
	t := w.tree
	k := w.rowOf(w.selected)
	switch key {
	case "ArrowRight":
		if w.selected >= 0 && len(t.children[w.selected]) > 0 {
			if w.collapsed[w.selected] {
				w.toggle(w.selected)
			} else {
				w.selected = t.children[w.selected][0]
			}
		}
	case "ArrowLeft":
		if w.selected >= 0 {
			if len(t.children[w.selected]) > 0 && !w.collapsed[w.selected] {
				w.toggle(w.selected)
			} else if p := t.parent[w.selected]; p >= 0 {
				w.selected = p
			}
		}
	case "Escape":
		w.selected = -1
	default:
		next, ok := table.Move(key, k, len(w.rows), w.viewport()/wfRowHeight)
		if !ok {
			ctx.PreventUpdate()
			return
		}
		w.selected = w.rows[next]
	}
	e.PreventDefault()
	w.ensure()
	w.scrollTo(ctx, w.rowOf(w.selected))
}

// rowOf returns the visible row of span i, -1 when hidden or none.
func (w *Waterfall) rowOf(i int) int {
	if i < 0 {
		return -1
	}
	for k, r := range w.rows {
		if r == i {
			return k
		}
	}
	return -1
}

// scrollTo scrolls row k into view.
func (w *Waterfall) scrollTo(ctx app.Context, k int) {
	if k < 0 {
		return
	}
	top := table.ScrollToShow(k, w.top, w.viewport(), wfRowHeight)
	if top != w.top {
		w.top = top
		if el := app.Window().GetElementByID("wf-scroll"); el.Truthy() {
			el.Set("scrollTop", top)
		}
	}
}

func (w *Waterfall) onSearch(ctx app.Context, e app.Event) {
	w.query = ctx.JSSrc().Get("value").String()
	w.hits = w.tree.matches(w.query)
	w.hit = -1
	if len(w.hits) > 0 {
		w.goToHit(ctx, 0)
	}
}

func (w *Waterfall) onSearchKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Enter" {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	if e.Get("shiftKey").Bool() {
		w.prevHit(ctx, e)
	} else {
		w.nextHit(ctx, e)
	}
}

func (w *Waterfall) nextHit(ctx app.Context, e app.Event) {
	if len(w.hits) > 0 {
		w.goToHit(ctx, (w.hit+1)%len(w.hits))
	}
}

func (w *Waterfall) prevHit(ctx app.Context, e app.Event) {
	if len(w.hits) > 0 {
		w.goToHit(ctx, (w.hit-1+len(w.hits))%len(w.hits))
	}
}

// goToHit selects match n, unfolding its ancestors and scrolling to it.
func (w *Waterfall) goToHit(ctx app.Context, n int) {
	w.hit = n
	i := w.hits[n]
	for _, a := range w.tree.ancestors(i) {
		if w.collapsed[a] {
			delete(w.collapsed, a)
			w.rowsOK = false
		}
	}
	if w.critOnly && !w.tree.critical[i] {
		w.critOnly = false
		w.rowsOK = false
	}
	w.selected = i
	w.ensure()
	w.scrollTo(ctx, w.rowOf(i))
}

func (w *Waterfall) expandAll(ctx app.Context, e app.Event) {
	w.collapsed = map[int]bool{}
	w.rowsOK = false
}

// collapseAll folds every span below the roots' children, leaving the
// top two levels.
func (w *Waterfall) collapseAll(ctx app.Context, e app.Event) {
	w.collapsed = map[int]bool{}
	for i := range w.tree.spans {
		if w.tree.depth[i] == 1 && len(w.tree.children[i]) > 0 {
			w.collapsed[i] = true
		}
	}
	w.rowsOK = false
	w.top = 0
	if el := app.Window().GetElementByID("wf-scroll"); el.Truthy() {
		el.Set("scrollTop", 0)
	}
}

func (w *Waterfall) toggleCritical(ctx app.Context, e app.Event) {
	w.critOnly = ctx.JSSrc().Get("checked").Bool()
	w.rowsOK = false
	w.top = 0
	if el := app.Window().GetElementByID("wf-scroll"); el.Truthy() {
		el.Set("scrollTop", 0)
	}
}

func (w *Waterfall) closeDetail(ctx app.Context, e app.Event) { w.selected = -1 }

// durLabel places a span's duration after its bar, or inside the bar's
// right end when the bar reaches the right edge of the track.
func durLabel(left, width float64, text string) app.UI {
	if end := left + width; end > 85 && width > 12 {
		return app.Span().Class("wf-dur inside").
			Style("right", strconv.FormatFloat(100-end, 'f', 3, 64)+"%").
			Text(text)
	}
	return app.Span().Class("wf-dur").
		Style("left", strconv.FormatFloat(min(left+width, 88), 'f', 3, 64)+"%").
		Text(text)
}
