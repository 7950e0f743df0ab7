// Package table provides Table, the one data table of the app (TanStack
// Table's role): sortable columns, a text filter, a column chooser, a row
// count, keyboard navigation and virtualized rows, with the sort, filter
// and visible columns kept in the page URL.
//
// Test contract: the grid carries data-testid="table" and each rendered
// row data-testid="row".
package table

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aiinfra/studio/app/format"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Align is the horizontal alignment of a column's cells.
type Align int

// Alignments. Numbers read best right-aligned (AlignEnd).
const (
	AlignStart Align = iota
	AlignEnd
	AlignCenter
)

// Column describes one column of a Table of rows of type R.
type Column[R any] struct {
	// ID identifies the column in the URL ("sort=-loss", "cols=name,loss").
	ID     string
	Header string
	// Width is the CSS grid track of the column (default
	// "minmax(120px,1fr)"), e.g. "90px" or "minmax(200px,2fr)".
	Width string
	Align Align
	// Class is added to every cell of the column (e.g. "mono").
	Class string
	// Cell renders the cell content; nil renders Text(row).
	Cell func(r R) app.UI
	// Text is the plain text of the cell: what the filter searches (nil:
	// the column is not searched) and what is shown when Cell is nil.
	Text func(r R) string
	// Compare orders two rows by this column; nil makes it unsortable.
	Compare func(a, b R) int
	// Hidden hides the column until the user shows it.
	Hidden bool
	// Required columns cannot be hidden.
	Required bool
}

func (c Column[R]) width() string {
	if c.Width == "" {
		return "minmax(120px,1fr)"
	}
	return c.Width
}

// Defaults of Table's props.
const (
	DefaultRowHeight = 40
	DefaultHeight    = 560
	overscan         = 12
)

// Table renders rows of type R as a virtualized grid. Only the rows in
// view (plus overscan) are in the DOM, each in a fixed slot, so their DOM
// order follows the window rather than the sort; aria-rowindex gives each
// row's position. Pass the same Rows
// slice for as long as the data is unchanged: the table re-sorts and
// re-filters only when the slice (or Where/WhereKey) changes, and go-app
// compares the prop with reflect.DeepEqual, which is instant for the same
// slice and costly for an equal copy.
type Table[R any] struct {
	app.Compo

	// ID is unique on the page; it prefixes DOM ids.
	ID string
	// Label is the grid's accessible name, e.g. "Runs of llama-ft-code".
	Label string
	// Noun is the plural of what a row is, for the count ("runs").
	Noun    string
	Columns []Column[R]
	Rows    []R
	// Where, when set, keeps only the rows it accepts (a page's status
	// filter, say); WhereKey must change whenever Where's behaviour does.
	Where    func(r R) bool
	WhereKey string
	// RowKey identifies a row (selection, data-key); RowHref is where
	// Enter or a click on the row navigates; RowClass adds classes.
	RowKey   func(r R) string
	RowHref  func(r R) string
	RowClass func(r R) string
	// RowHeight is the fixed row height in px; Height the maximum height
	// of the scrolling area in px.
	RowHeight int
	Height    int
	// Param prefixes the URL query parameters of this table (several
	// tables on one page need distinct prefixes).
	Param string
	// DefaultSort is the column sorted by when the URL names none.
	DefaultSort string
	DefaultDesc bool
	// Selectable adds a checkbox column; Selected holds the selected row
	// keys and OnSelect receives the new selection.
	Selectable bool
	Selected   []string
	OnSelect   func(ctx app.Context, keys []string)
	// Empty is shown when there are no rows at all.
	Empty string

	state   State
	top     int // scrollTop in px
	view    []int
	total   int // rows that pass Where
	viewSig signature
	texts   []string // lowercased filter text per row
	textSig signature
	active  int         // index into view, -1 for none
	height  int         // measured viewport height in px, 0 before measuring
	cols    []Column[R] // visible columns of the current render
	gen     uint64      // bumped when what rows show changes
	genKey  string
}

// signature identifies the inputs a derived slice was computed from.
type signature struct {
	rows   any // pointer to the first row
	n      int
	state  string
	where  string
	ncols  int
	sorted bool
}

func (t *Table[R]) rowHeight() int {
	if t.RowHeight > 0 {
		return t.RowHeight
	}
	return DefaultRowHeight
}

func (t *Table[R]) maxHeight() int {
	if t.Height > 0 {
		return t.Height
	}
	return DefaultHeight
}

// viewport returns the height in px of the rows' visible area.
func (t *Table[R]) viewport() int {
	if t.height > 0 {
		return t.height
	}
	return t.maxHeight() - t.rowHeight() // minus the sticky header
}

func (t *Table[R]) firstRowPtr() any {
	if len(t.Rows) == 0 {
		return nil
	}
	return &t.Rows[0]
}

// OnInit sets the initial state.
func (t *Table[R]) OnInit() {
	t.active = -1
	t.state.Sort, t.state.Desc = t.DefaultSort, t.DefaultDesc
}

// OnMount reads the view state from the URL and measures the viewport.
func (t *Table[R]) OnMount(ctx app.Context) {
	t.readURL(ctx)
	ctx.Defer(t.measure)
}

// OnNav re-reads the view state when the URL changes (back/forward, a
// link with other query parameters).
func (t *Table[R]) OnNav(ctx app.Context) { t.readURL(ctx) }

// OnResize re-measures the viewport.
func (t *Table[R]) OnResize(ctx app.Context) { t.measure(ctx) }

func (t *Table[R]) readURL(ctx app.Context) {
	s := DecodeState(ctx.Page().URL().Query(), t.Param)
	if s.Sort == "" {
		s.Sort, s.Desc = t.DefaultSort, t.DefaultDesc
	}
	if !s.Equal(t.state) {
		t.state = s
		t.active = -1
	}
}

func (t *Table[R]) measure(ctx app.Context) {
	grid := app.Window().GetElementByID(t.gridID())
	if !grid.Truthy() {
		return
	}
	if h := grid.Get("clientHeight").Int() - t.rowHeight(); h > 0 && h != t.height {
		t.height = h
		ctx.Update()
	}
}

// writeURL mirrors the state into the page URL without navigating.
func (t *Table[R]) writeURL(ctx app.Context) {
	u := *ctx.Page().URL()
	q := u.Query()
	s := t.state
	if s.Sort == t.DefaultSort && s.Desc == t.DefaultDesc {
		s.Sort = "" // the default needs no parameter
	}
	s.Encode(q, t.Param)
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(&u)
}

// columns returns the visible columns.
func (t *Table[R]) columns() []Column[R] {
	cols := make([]Column[R], 0, len(t.Columns))
	for _, c := range t.Columns {
		if t.visible(c) {
			cols = append(cols, c)
		}
	}
	return cols
}

func (t *Table[R]) visible(c Column[R]) bool {
	if c.Required {
		return true
	}
	if t.state.Columns == nil {
		return !c.Hidden
	}
	for _, id := range t.state.Columns {
		if id == c.ID {
			return true
		}
	}
	return false
}

func (t *Table[R]) column(id string) (Column[R], bool) {
	for _, c := range t.Columns {
		if c.ID == id {
			return c, true
		}
	}
	return Column[R]{}, false
}

// ensureView recomputes the filtered, sorted row order when its inputs
// changed.
func (t *Table[R]) ensureView() {
	ptr := t.firstRowPtr()
	tsig := signature{rows: ptr, n: len(t.Rows), ncols: len(t.Columns)}
	if t.texts == nil || t.textSig != tsig {
		t.texts = make([]string, len(t.Rows))
		var b strings.Builder
		for i, r := range t.Rows {
			b.Reset()
			for _, c := range t.Columns {
				if c.Text != nil {
					b.WriteString(strings.ToLower(c.Text(r)))
					b.WriteByte('\x00')
				}
			}
			t.texts[i] = b.String()
		}
		t.textSig = tsig
		t.viewSig = signature{}
	}
	sortCol, sortable := t.column(t.state.Sort)
	sortable = sortable && sortCol.Compare != nil
	vsig := signature{
		rows:   ptr,
		n:      len(t.Rows),
		state:  t.state.Sort + "\x00" + strconv.FormatBool(t.state.Desc) + "\x00" + t.state.Filter,
		where:  t.WhereKey,
		ncols:  len(t.Columns),
		sorted: sortable,
	}
	if t.view != nil && t.viewSig == vsig {
		return
	}
	m := NewMatcher(t.state.Filter)
	keep := func(i int) bool {
		if t.Where != nil && !t.Where(t.Rows[i]) {
			return false
		}
		return m.Empty() || m.Match(t.texts[i])
	}
	var cmp func(i, j int) int
	if sortable {
		cmp = func(i, j int) int { return sortCol.Compare(t.Rows[i], t.Rows[j]) }
	}
	t.view = View(len(t.Rows), keep, cmp, t.state.Desc)
	t.viewSig = vsig
	t.total = len(t.Rows)
	if t.Where != nil {
		t.total = 0
		for _, r := range t.Rows {
			if t.Where(r) {
				t.total++
			}
		}
	}
	if t.active >= len(t.view) {
		t.active = len(t.view) - 1
	}
}

// ViewLen returns how many rows pass the filters.
func (t *Table[R]) ViewLen() int {
	t.ensureView()
	return len(t.view)
}

func (t *Table[R]) gridID() string { return t.ID + "-grid" }

func (t *Table[R]) rowID(i int) string { return t.ID + "-row-" + strconv.Itoa(i) }

func (t *Table[R]) noun() string {
	if t.Noun == "" {
		return "rows"
	}
	return t.Noun
}

// CountLabel returns the row count line: "10,000 runs", or "1,234 of
// 10,000 runs" when filters hide some.
func CountLabel(shown, total int, noun string) string {
	if shown == total {
		return format.Int(total) + " " + noun
	}
	return format.Int(shown) + " of " + format.Int(total) + " " + noun
}

// Render draws the toolbar and the visible window of rows.
func (t *Table[R]) Render() app.UI {
	t.ensureView()
	cols := t.columns()
	t.cols = cols
	t.bumpGen()
	rh := t.rowHeight()
	start, end := Window(t.top, t.viewport(), rh, len(t.view), overscan)

	tracks := make([]string, 0, len(cols)+1)
	if t.Selectable {
		tracks = append(tracks, "40px")
	}
	for _, c := range cols {
		tracks = append(tracks, c.width())
	}
	gridStyle := "--tbl-cols:" + strings.Join(tracks, " ") + ";--tbl-row:" + strconv.Itoa(rh) + "px;max-height:" + strconv.Itoa(t.maxHeight()) + "px"

	activeID := ""
	if t.active >= 0 && t.active < len(t.view) {
		activeID = t.rowID(t.active)
	}

	return app.Div().Class("tbl").ID(t.ID).Body(
		&tableToolbar[R]{T: t, Gen: t.gen, Filter: t.state.Filter, Count: CountLabel(len(t.view), t.total, t.noun())},
		app.Div().
			ID(t.gridID()).
			Class("tbl-grid").
			DataSet("testid", "table").
			Attr("role", "grid").
			Attr("aria-label", t.Label).
			Attr("aria-rowcount", len(t.view)+1).
			Attr("aria-colcount", len(tracks)).
			Attr("aria-activedescendant", activeID).
			Attr("aria-multiselectable", t.Selectable).
			TabIndex(0).
			Attr("style", gridStyle).
			OnScroll(t.onScroll, app.PassiveEvent()).
			OnKeyDown(t.onKeyDown).
			OnClick(t.onClick).
			OnChange(t.onCheck).
			Body(
				&tableHead[R]{T: t, Gen: t.gen, Sort: t.state.Sort, Desc: t.state.Desc},
				app.If(len(t.view) == 0, func() app.UI { return t.renderEmpty() }).Else(func() app.UI {
					// Rows sit in slots (row i in slot i mod n), positioned
					// absolutely: scrolling rewrites only the rows that
					// enter the window, not every rendered row.
					n := min(SlotCount(t.viewport(), rh, overscan), len(t.view))
					slots := Slots(start, end, n)
					return app.Div().
						Class("tbl-body").
						Attr("role", "rowgroup").
						Style("height", strconv.Itoa(len(t.view)*rh)+"px").
						Body(app.Range(slots).Slice(func(k int) app.UI {
							vi := slots[k]
							if vi < 0 {
								return app.Div().Class("tr-slot").Hidden(true)
							}
							return &tableRow[R]{
								T:        t,
								Index:    vi,
								Gen:      t.gen,
								Active:   vi == t.active,
								Selected: t.Selectable && t.isSelected(t.keyAt(vi)),
							}
						}))
				}),
			),
	)
}

func (t *Table[R]) renderToolbar() app.UI {
	total := t.total
	return app.Div().Class("tbl-toolbar").Body(
		app.Label().Class("tbl-filter").For(t.ID+"-filter").Body(
			app.Span().Class("sr-only").Text("Filter "+t.noun()),
			app.Input().
				ID(t.ID+"-filter").
				Type("search").
				Class("input").
				DataSet("filter", t.ID).
				Placeholder("Filter "+t.noun()+"…  ( / )").
				AutoComplete(false).
				Attr("aria-controls", t.gridID()).
				Value(t.state.Filter).
				OnInput(t.onFilter),
		),
		app.Span().Class("tbl-count").Attr("aria-live", "polite").Text(CountLabel(len(t.view), total, t.noun())),
		app.Details().Class("tbl-cols menu").Body(
			app.Summary().Class("btn btn-ghost btn-sm").Text("Columns"),
			app.Div().Class("menu-panel").Attr("role", "group").Attr("aria-label", "Visible columns").OnChange(t.onColumnToggle).Body(
				app.Range(t.Columns).Slice(func(i int) app.UI {
					c := t.Columns[i]
					box := app.Input().
						Type("checkbox").
						DataSet("col", c.ID).
						Checked(t.visible(c))
					if c.Required {
						box = box.Disabled(true)
					}
					return app.Label().Class("menu-check").Body(box, app.Text(c.Header))
				}),
			),
		),
	)
}

func (t *Table[R]) renderHeader(cols []Column[R]) app.UI {
	cells := make([]app.UI, 0, len(cols)+1)
	if t.Selectable {
		cells = append(cells, app.Div().Class("th th-check").Attr("role", "columnheader").Body(
			app.Span().Class("sr-only").Text("Selected"),
		))
	}
	for _, c := range cols {
		sortState := "none"
		arrow := ""
		if c.ID == t.state.Sort && c.Compare != nil {
			sortState, arrow = "ascending", "↑"
			if t.state.Desc {
				sortState, arrow = "descending", "↓"
			}
		}
		var content app.UI
		if c.Compare != nil {
			content = app.Button().
				Type("button").
				Class("th-sort").
				DataSet("col", c.ID).
				Title("Sort by "+c.Header).
				Body(app.Span().Text(c.Header), app.Span().Class("th-arrow").Attr("aria-hidden", true).Text(arrow))
		} else {
			content = app.Span().Text(c.Header)
		}
		cells = append(cells, app.Div().
			Class("th", alignClass(c.Align)).
			Attr("role", "columnheader").
			Attr("aria-sort", sortState).
			Body(content))
	}
	return app.Div().Class("tbl-head tr").Attr("role", "row").Attr("aria-rowindex", 1).Body(cells...)
}

func (t *Table[R]) renderRow(cols []Column[R], vi int, active, selected bool) app.UI {
	r := t.Rows[t.view[vi]]
	key := ""
	if t.RowKey != nil {
		key = t.RowKey(r)
	}
	cells := make([]app.UI, 0, len(cols)+1)
	if t.Selectable {
		cells = append(cells, app.Div().Class("td td-check").Attr("role", "gridcell").Body(
			app.Input().
				Type("checkbox").
				Class("row-check").
				DataSet("key", key).
				Checked(selected).
				TabIndex(-1).
				Attr("aria-label", "Select "+key),
		))
	}
	for _, c := range cols {
		var content app.UI
		switch {
		case c.Cell != nil:
			content = c.Cell(r)
		case c.Text != nil:
			content = app.Text(c.Text(r))
		}
		cells = append(cells, app.Div().Class("td", alignClass(c.Align), c.Class).Attr("role", "gridcell").Body(content))
	}
	class := "tr"
	if active {
		class += " active"
	}
	if selected {
		class += " selected"
	}
	if t.RowClass != nil {
		class += " " + t.RowClass(r)
	}
	if t.RowHref != nil {
		class += " linked"
	}
	id := "" // only the active row needs an id (aria-activedescendant)
	if active {
		id = t.rowID(vi)
	}
	return app.Div().
		ID(id).
		Class(class).
		Style("top", strconv.Itoa(vi*t.rowHeight())+"px").
		Attr("role", "row").
		Attr("aria-rowindex", vi+2).
		Attr("aria-selected", selected).
		DataSet("testid", "row").
		DataSet("index", vi).
		DataSet("key", key).
		Body(cells...)
}

func (t *Table[R]) renderEmpty() app.UI {
	if len(t.Rows) == 0 {
		msg := t.Empty
		if msg == "" {
			msg = "No " + t.noun() + " yet."
		}
		return app.Div().Class("tbl-empty").Text(msg)
	}
	return app.Div().Class("tbl-empty").Body(
		app.P().Text("No "+t.noun()+" match the current filters."),
		app.If(t.state.Filter != "", func() app.UI {
			return app.Button().Type("button").Class("btn btn-sm").DataSet("action", "clear-filter").Text("Clear filter")
		}),
	)
}

func alignClass(a Align) string {
	switch a {
	case AlignEnd:
		return "num"
	case AlignCenter:
		return "center"
	}
	return ""
}

func (t *Table[R]) isSelected(key string) bool {
	for _, k := range t.Selected {
		if k == key {
			return true
		}
	}
	return false
}

// onScroll moves the rendered window; scroll events that leave it
// unchanged skip the render of the table and its ancestors.
func (t *Table[R]) onScroll(ctx app.Context, e app.Event) {
	// Only scrollTop is read: reading sizes here would force a layout on
	// every event. The viewport is measured on mount and resize.
	top := ctx.JSSrc().Get("scrollTop").Int()
	rh := t.rowHeight()
	oldStart, oldEnd := Window(t.top, t.viewport(), rh, len(t.view), overscan)
	t.top = top
	start, end := Window(t.top, t.viewport(), rh, len(t.view), overscan)
	if start == oldStart && end == oldEnd {
		ctx.PreventUpdate()
	}
}

// onKeyDown moves the active row with the arrow, page, Home and End keys,
// opens it with Enter and toggles its selection with Space.
func (t *Table[R]) onKeyDown(ctx app.Context, e app.Event) {
	key := e.Get("key").String()
	target := e.Get("target")
	if target.Truthy() && target.Get("tagName").String() == "INPUT" {
		ctx.PreventUpdate()
		return // keys typed in the filter or a checkbox
	}
	rh := t.rowHeight()
	page := t.viewport() / rh
	switch key {
	case "Enter":
		if t.active >= 0 && t.active < len(t.view) {
			e.PreventDefault()
			t.open(ctx, t.active)
		}
		return
	case " ":
		if t.Selectable && t.active >= 0 && t.active < len(t.view) {
			e.PreventDefault()
			t.toggle(ctx, t.keyAt(t.active))
		}
		return
	}
	next, ok := Move(key, t.active, len(t.view), page)
	if !ok {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	t.active = next
	top := ScrollToShow(next, t.top, t.viewport(), rh)
	if top != t.top {
		t.top = top
		ctx.JSSrc().Set("scrollTop", top)
	}
}

// onClick handles clicks anywhere in the grid: sort buttons in the
// header, the clear-filter button, and rows (which open). Reading the
// target's data attributes avoids per-row handlers, whose closures go-app
// would not rebind when the window scrolls.
func (t *Table[R]) onClick(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if !target.Truthy() {
		return
	}
	if btn := target.Call("closest", "button[data-col]"); btn.Truthy() {
		t.sortBy(ctx, btn.Get("dataset").Get("col").String())
		return
	}
	if btn := target.Call("closest", "button[data-action=clear-filter]"); btn.Truthy() {
		t.setFilter(ctx, "")
		return
	}
	if target.Call("closest", "a,button,input,label,select,textarea").Truthy() {
		ctx.PreventUpdate()
		return
	}
	row := target.Call("closest", "[data-testid=row]")
	if !row.Truthy() {
		ctx.PreventUpdate()
		return
	}
	vi, err := strconv.Atoi(row.Get("dataset").Get("index").String())
	if err != nil || vi < 0 || vi >= len(t.view) {
		return
	}
	t.active = vi
	t.open(ctx, vi)
}

// onCheck toggles the selection of the row whose checkbox changed.
func (t *Table[R]) onCheck(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if !target.Truthy() || !target.Get("classList").Call("contains", "row-check").Bool() {
		ctx.PreventUpdate()
		return
	}
	t.toggle(ctx, target.Get("dataset").Get("key").String())
}

func (t *Table[R]) keyAt(vi int) string {
	if t.RowKey == nil {
		return ""
	}
	return t.RowKey(t.Rows[t.view[vi]])
}

func (t *Table[R]) toggle(ctx app.Context, key string) {
	if key == "" || t.OnSelect == nil {
		return
	}
	keys := make([]string, 0, len(t.Selected)+1)
	found := false
	for _, k := range t.Selected {
		if k == key {
			found = true
			continue
		}
		keys = append(keys, k)
	}
	if !found {
		keys = append(keys, key)
	}
	t.OnSelect(ctx, keys)
}

func (t *Table[R]) open(ctx app.Context, vi int) {
	if t.RowHref == nil {
		return
	}
	if href := t.RowHref(t.Rows[t.view[vi]]); href != "" {
		ctx.Navigate(href)
	}
}

// SortBy cycles the sort of column id: ascending, then descending, then
// back to ascending.
func (t *Table[R]) sortBy(ctx app.Context, id string) {
	if c, ok := t.column(id); !ok || c.Compare == nil {
		return
	}
	if t.state.Sort == id {
		t.state.Desc = !t.state.Desc
	} else {
		t.state.Sort, t.state.Desc = id, false
	}
	t.active = -1
	t.writeURL(ctx)
}

func (t *Table[R]) onFilter(ctx app.Context, e app.Event) {
	t.setFilter(ctx, ctx.JSSrc().Get("value").String())
}

func (t *Table[R]) setFilter(ctx app.Context, f string) {
	if f == t.state.Filter {
		return
	}
	t.state.Filter = f
	t.active = -1
	t.top = 0
	if grid := app.Window().GetElementByID(t.gridID()); grid.Truthy() {
		grid.Set("scrollTop", 0)
	}
	t.writeURL(ctx)
}

func (t *Table[R]) onColumnToggle(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if !target.Truthy() {
		return
	}
	id := target.Get("dataset").Get("col").String()
	show := target.Get("checked").Bool()
	vis := make([]string, 0, len(t.Columns))
	for _, c := range t.Columns {
		if c.ID == id {
			if show {
				vis = append(vis, c.ID)
			}
			continue
		}
		if t.visible(c) {
			vis = append(vis, c.ID)
		}
	}
	t.state.Columns = vis
	if t.isDefaultColumns(vis) {
		t.state.Columns = nil
	}
	t.writeURL(ctx)
}

func (t *Table[R]) isDefaultColumns(vis []string) bool {
	var def []string
	for _, c := range t.Columns {
		if !c.Hidden || c.Required {
			def = append(def, c.ID)
		}
	}
	return strings.Join(def, ",") == strings.Join(vis, ",")
}

// State returns the current view state.
func (t *Table[R]) State() State { return t.state }

// SetState replaces the view state, as a restored URL would.
func (t *Table[R]) SetState(s State) {
	t.state = s
	t.active = -1
}

// bumpGen advances t.gen when anything the rows, header or toolbar show
// (other than a row's index, activity and selection, which are their own
// props) may have changed: data, sort, filter, visible columns, size.
// Sub-components whose props are unchanged are not re-rendered, so a
// scroll re-renders only the rows that enter the window.
func (t *Table[R]) bumpGen() {
	var b strings.Builder
	fmt.Fprintf(&b, "%p|%d|%s|%t|%s|%s|%d|%t|%d", t.firstRowPtr(), len(t.Rows), t.state.Sort, t.state.Desc,
		t.state.Filter, t.WhereKey, t.rowHeight(), t.Selectable, len(t.Columns))
	for _, c := range t.cols {
		b.WriteString("|" + c.ID)
	}
	if key := b.String(); key != t.genKey {
		t.genKey = key
		t.gen++
	}
}

// tableRow is one rendered row. Its props change only when the row's
// slot shows another row, or when the table's generation moves.
type tableRow[R any] struct {
	app.Compo
	T        *Table[R]
	Index    int
	Gen      uint64
	Active   bool
	Selected bool
}

// Render draws the row's cells.
func (r *tableRow[R]) Render() app.UI {
	t := r.T
	if r.Index < 0 || r.Index >= len(t.view) {
		return app.Div().Class("tr-slot").Hidden(true)
	}
	return t.renderRow(t.cols, r.Index, r.Active, r.Selected)
}

// tableHead is the header row; it re-renders when the sort or the
// generation changes.
type tableHead[R any] struct {
	app.Compo
	T    *Table[R]
	Gen  uint64
	Sort string
	Desc bool
}

// Render draws the column headers.
func (h *tableHead[R]) Render() app.UI { return h.T.renderHeader(h.T.cols) }

// tableToolbar holds the filter, the row count and the column menu.
type tableToolbar[R any] struct {
	app.Compo
	T      *Table[R]
	Gen    uint64
	Filter string
	Count  string
}

// Render draws the toolbar.
func (b *tableToolbar[R]) Render() app.UI { return b.T.renderToolbar() }
