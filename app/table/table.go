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
//
// Only the props and a few small accessors depend on R: the work is done by
// one grid type shared by every row type, so each Table[R] the app uses
// adds little to app.wasm.
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

	g grid
}

// sync copies the props into the grid, with accessors that reach the rows
// by index.
func (t *Table[R]) sync() *grid {
	g := &t.g
	g.id, g.label, g.noun, g.empty = t.ID, t.Label, t.Noun, t.Empty
	g.rowHeightProp, g.heightProp = t.RowHeight, t.Height
	g.param, g.defaultSort, g.defaultDesc = t.Param, t.DefaultSort, t.DefaultDesc
	g.selectable, g.selected, g.onSelect = t.Selectable, t.Selected, t.OnSelect
	g.whereKey = t.WhereKey
	g.nrows = len(t.Rows)
	g.firstRow = nil
	if len(t.Rows) > 0 {
		g.firstRow = &t.Rows[0]
	}
	g.columns = g.columns[:0]
	for i, c := range t.Columns {
		g.columns = append(g.columns, colSpec{
			index: i, ID: c.ID, Header: c.Header, Width: c.Width, Align: c.Align, Class: c.Class,
			hasCell: c.Cell != nil, hasText: c.Text != nil, sortable: c.Compare != nil,
			Hidden: c.Hidden, Required: c.Required,
		})
	}
	g.hasWhere, g.hasKey, g.hasHref, g.hasClass = t.Where != nil, t.RowKey != nil, t.RowHref != nil, t.RowClass != nil
	if g.rows == nil {
		g.rows = t
	}
	return g
}

// rowAccess reaches the rows and the per-row props of a Table by index.
// Table[R] implements it; grid calls it only for what sync reported set.
type rowAccess interface {
	where(i int) bool
	text(col, i int) string
	cell(col, i int) app.UI
	compare(col, i, j int) int
	key(i int) string
	href(i int) string
	class(i int) string
}

func (t *Table[R]) where(i int) bool          { return t.Where(t.Rows[i]) }
func (t *Table[R]) text(col, i int) string    { return t.Columns[col].Text(t.Rows[i]) }
func (t *Table[R]) cell(col, i int) app.UI    { return t.Columns[col].Cell(t.Rows[i]) }
func (t *Table[R]) compare(col, i, j int) int { return t.Columns[col].Compare(t.Rows[i], t.Rows[j]) }
func (t *Table[R]) key(i int) string          { return t.RowKey(t.Rows[i]) }
func (t *Table[R]) href(i int) string         { return t.RowHref(t.Rows[i]) }
func (t *Table[R]) class(i int) string        { return t.RowClass(t.Rows[i]) }

// OnInit sets the initial state.
func (t *Table[R]) OnInit() { t.sync().init() }

// OnMount reads the view state from the URL and measures the viewport.
func (t *Table[R]) OnMount(ctx app.Context) {
	g := t.sync()
	g.readURL(ctx)
	ctx.Defer(g.measure)
}

// OnNav re-reads the view state when the URL changes (back/forward, a
// link with other query parameters).
func (t *Table[R]) OnNav(ctx app.Context) { t.sync().readURL(ctx) }

// OnResize re-measures the viewport.
func (t *Table[R]) OnResize(ctx app.Context) { t.sync().measure(ctx) }

// Render draws the toolbar and the visible window of rows.
func (t *Table[R]) Render() app.UI { return t.sync().render() }

// ViewLen returns how many rows pass the filters.
func (t *Table[R]) ViewLen() int {
	g := t.sync()
	g.ensureView()
	return len(g.view)
}

// State returns the current view state.
func (t *Table[R]) State() State { return t.g.state }

// SetState replaces the view state, as a restored URL would.
func (t *Table[R]) SetState(s State) {
	t.g.state = s
	t.g.active = -1
}

// colSpec is what the grid knows of a Column: everything but the
// functions, which it reaches through rowAccess by the column's index.
type colSpec struct {
	index                      int // in Table.Columns
	ID, Header, Width, Class   string
	Align                      Align
	hasCell, hasText, sortable bool
	Hidden, Required           bool
}

func (c colSpec) width() string {
	if c.Width == "" {
		return "minmax(120px,1fr)"
	}
	return c.Width
}

// grid is the row-type-independent part of a Table: the props sync copied,
// the view state and the rendering. Rows are known by index.
type grid struct {
	// Props, copied by Table.sync.
	id, label, noun, empty              string
	columns                             []colSpec
	nrows                               int
	firstRow                            any // pointer to the first row
	whereKey                            string
	rowHeightProp, heightProp           int
	param, defaultSort                  string
	defaultDesc                         bool
	selectable                          bool
	selected                            []string
	onSelect                            func(ctx app.Context, keys []string)
	hasWhere, hasKey, hasHref, hasClass bool
	rows                                rowAccess

	state   State
	top     int // scrollTop in px
	view    []int
	total   int // rows that pass Where
	viewSig signature
	texts   []string // lowercased filter text per row
	textSig signature
	active  int       // index into view, -1 for none
	height  int       // measured viewport height in px, 0 before measuring
	cols    []colSpec // visible columns of the current render
	gen     uint64    // bumped when what rows show changes
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

func (t *grid) init() {
	t.active = -1
	t.state.Sort, t.state.Desc = t.defaultSort, t.defaultDesc
}

func (t *grid) rowHeight() int {
	if t.rowHeightProp > 0 {
		return t.rowHeightProp
	}
	return DefaultRowHeight
}

func (t *grid) maxHeight() int {
	if t.heightProp > 0 {
		return t.heightProp
	}
	return DefaultHeight
}

// viewport returns the height in px of the rows' visible area.
func (t *grid) viewport() int {
	if t.height > 0 {
		return t.height
	}
	return t.maxHeight() - t.rowHeight() // minus the sticky header
}

func (t *grid) readURL(ctx app.Context) {
	s := DecodeState(ctx.Page().URL().Query(), t.param)
	if s.Sort == "" {
		s.Sort, s.Desc = t.defaultSort, t.defaultDesc
	}
	if !s.Equal(t.state) {
		t.state = s
		t.active = -1
	}
}

func (t *grid) measure(ctx app.Context) {
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
func (t *grid) writeURL(ctx app.Context) {
	u := *ctx.Page().URL()
	q := u.Query()
	s := t.state
	if s.Sort == t.defaultSort && s.Desc == t.defaultDesc {
		s.Sort = "" // the default needs no parameter
	}
	s.Encode(q, t.param)
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(&u)
}

// visibleColumns returns the visible columns.
func (t *grid) visibleColumns() []colSpec {
	cols := make([]colSpec, 0, len(t.columns))
	for _, c := range t.columns {
		if t.visible(c) {
			cols = append(cols, c)
		}
	}
	return cols
}

func (t *grid) visible(c colSpec) bool {
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

func (t *grid) column(id string) (colSpec, bool) {
	for _, c := range t.columns {
		if c.ID == id {
			return c, true
		}
	}
	return colSpec{}, false
}

// ensureView recomputes the filtered, sorted row order when its inputs
// changed.
func (t *grid) ensureView() {
	tsig := signature{rows: t.firstRow, n: t.nrows, ncols: len(t.columns)}
	if t.texts == nil || t.textSig != tsig {
		t.texts = make([]string, t.nrows)
		var b strings.Builder
		for i := range t.texts {
			b.Reset()
			for _, c := range t.columns {
				if c.hasText {
					b.WriteString(strings.ToLower(t.rows.text(c.index, i)))
					b.WriteByte('\x00')
				}
			}
			t.texts[i] = b.String()
		}
		t.textSig = tsig
		t.viewSig = signature{}
	}
	sortCol, sortable := t.column(t.state.Sort)
	sortable = sortable && sortCol.sortable
	vsig := signature{
		rows:   t.firstRow,
		n:      t.nrows,
		state:  t.state.Sort + "\x00" + strconv.FormatBool(t.state.Desc) + "\x00" + t.state.Filter,
		where:  t.whereKey,
		ncols:  len(t.columns),
		sorted: sortable,
	}
	if t.view != nil && t.viewSig == vsig {
		return
	}
	m := NewMatcher(t.state.Filter)
	keep := func(i int) bool {
		if t.hasWhere && !t.rows.where(i) {
			return false
		}
		return m.Empty() || m.Match(t.texts[i])
	}
	var cmp func(i, j int) int
	if sortable {
		col := sortCol.index
		cmp = func(i, j int) int { return t.rows.compare(col, i, j) }
	}
	t.view = View(t.nrows, keep, cmp, t.state.Desc)
	t.viewSig = vsig
	t.total = t.nrows
	if t.hasWhere {
		t.total = 0
		for i := range t.nrows {
			if t.rows.where(i) {
				t.total++
			}
		}
	}
	if t.active >= len(t.view) {
		t.active = len(t.view) - 1
	}
}

func (t *grid) gridID() string { return t.id + "-grid" }

func (t *grid) rowID(i int) string { return t.id + "-row-" + strconv.Itoa(i) }

func (t *grid) nounOrRows() string {
	if t.noun == "" {
		return "rows"
	}
	return t.noun
}

// CountLabel returns the row count line: "10,000 runs", or "1,234 of
// 10,000 runs" when filters hide some.
func CountLabel(shown, total int, noun string) string {
	if shown == total {
		return format.Int(total) + " " + noun
	}
	return format.Int(shown) + " of " + format.Int(total) + " " + noun
}

// render draws the toolbar and the visible window of rows.
func (t *grid) render() app.UI {
	t.ensureView()
	cols := t.visibleColumns()
	t.cols = cols
	t.bumpGen()
	rh := t.rowHeight()
	start, end := Window(t.top, t.viewport(), rh, len(t.view), overscan)

	tracks := make([]string, 0, len(cols)+1)
	if t.selectable {
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

	return app.Div().Class("tbl").ID(t.id).Body(
		&tableToolbar{G: t, Gen: t.gen, Filter: t.state.Filter, Count: CountLabel(len(t.view), t.total, t.nounOrRows())},
		app.Div().
			ID(t.gridID()).
			Class("tbl-grid").
			DataSet("testid", "table").
			Attr("role", "grid").
			Attr("aria-label", t.label).
			Attr("aria-rowcount", len(t.view)+1).
			Attr("aria-colcount", len(tracks)).
			Attr("aria-activedescendant", activeID).
			Attr("aria-multiselectable", t.selectable).
			TabIndex(0).
			Attr("style", gridStyle).
			OnScroll(t.onScroll, app.PassiveEvent()).
			OnKeyDown(t.onKeyDown).
			OnClick(t.onClick).
			OnChange(t.onCheck).
			Body(
				&tableHead{G: t, Gen: t.gen, Sort: t.state.Sort, Desc: t.state.Desc},
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
							return &tableRow{
								G:        t,
								Index:    vi,
								Gen:      t.gen,
								Active:   vi == t.active,
								Selected: t.selectable && t.isSelected(t.keyAt(vi)),
							}
						}))
				}),
			),
	)
}

func (t *grid) renderToolbar() app.UI {
	total := t.total
	return app.Div().Class("tbl-toolbar").Body(
		app.Label().Class("tbl-filter").For(t.id+"-filter").Body(
			app.Span().Class("sr-only").Text("Filter "+t.nounOrRows()),
			app.Input().
				ID(t.id+"-filter").
				Type("search").
				Class("input").
				DataSet("filter", t.id).
				Placeholder("Filter "+t.nounOrRows()+"…  ( / )").
				AutoComplete(false).
				Attr("aria-controls", t.gridID()).
				Value(t.state.Filter).
				OnInput(t.onFilter),
		),
		app.Span().Class("tbl-count").Attr("aria-live", "polite").Text(CountLabel(len(t.view), total, t.nounOrRows())),
		app.Details().Class("tbl-cols menu").Body(
			app.Summary().Class("btn btn-ghost btn-sm").Text("Columns"),
			app.Div().Class("menu-panel").Attr("role", "group").Attr("aria-label", "Visible columns").OnChange(t.onColumnToggle).Body(
				app.Range(t.columns).Slice(func(i int) app.UI {
					c := t.columns[i]
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

func (t *grid) renderHeader(cols []colSpec) app.UI {
	cells := make([]app.UI, 0, len(cols)+1)
	if t.selectable {
		cells = append(cells, app.Div().Class("th th-check").Attr("role", "columnheader").Body(
			app.Span().Class("sr-only").Text("Selected"),
		))
	}
	for _, c := range cols {
		sortState := "none"
		arrow := ""
		if c.ID == t.state.Sort && c.sortable {
			sortState, arrow = "ascending", "↑"
			if t.state.Desc {
				sortState, arrow = "descending", "↓"
			}
		}
		var content app.UI
		if c.sortable {
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

func (t *grid) renderRow(cols []colSpec, vi int, active, selected bool) app.UI {
	ri := t.view[vi]
	key := ""
	if t.hasKey {
		key = t.rows.key(ri)
	}
	cells := make([]app.UI, 0, len(cols)+1)
	if t.selectable {
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
		case c.hasCell:
			content = t.rows.cell(c.index, ri)
		case c.hasText:
			content = app.Text(t.rows.text(c.index, ri))
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
	if t.hasClass {
		class += " " + t.rows.class(ri)
	}
	if t.hasHref {
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

func (t *grid) renderEmpty() app.UI {
	if t.nrows == 0 {
		msg := t.empty
		if msg == "" {
			msg = "No " + t.nounOrRows() + " yet."
		}
		return app.Div().Class("tbl-empty").Text(msg)
	}
	return app.Div().Class("tbl-empty").Body(
		app.P().Text("No "+t.nounOrRows()+" match the current filters."),
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

func (t *grid) isSelected(key string) bool {
	for _, k := range t.selected {
		if k == key {
			return true
		}
	}
	return false
}

// onScroll moves the rendered window; scroll events that leave it
// unchanged skip the render of the table and its ancestors.
func (t *grid) onScroll(ctx app.Context, e app.Event) {
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
func (t *grid) onKeyDown(ctx app.Context, e app.Event) {
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
		if t.selectable && t.active >= 0 && t.active < len(t.view) {
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
func (t *grid) onClick(ctx app.Context, e app.Event) {
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
func (t *grid) onCheck(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if !target.Truthy() || !target.Get("classList").Call("contains", "row-check").Bool() {
		ctx.PreventUpdate()
		return
	}
	t.toggle(ctx, target.Get("dataset").Get("key").String())
}

func (t *grid) keyAt(vi int) string {
	if !t.hasKey {
		return ""
	}
	return t.rows.key(t.view[vi])
}

func (t *grid) toggle(ctx app.Context, key string) {
	if key == "" || t.onSelect == nil {
		return
	}
	keys := make([]string, 0, len(t.selected)+1)
	found := false
	for _, k := range t.selected {
		if k == key {
			found = true
			continue
		}
		keys = append(keys, k)
	}
	if !found {
		keys = append(keys, key)
	}
	t.onSelect(ctx, keys)
}

func (t *grid) open(ctx app.Context, vi int) {
	if !t.hasHref {
		return
	}
	if href := t.rows.href(t.view[vi]); href != "" {
		ctx.Navigate(href)
	}
}

// sortBy cycles the sort of column id: ascending, then descending, then
// back to ascending.
func (t *grid) sortBy(ctx app.Context, id string) {
	if c, ok := t.column(id); !ok || !c.sortable {
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

func (t *grid) onFilter(ctx app.Context, e app.Event) {
	t.setFilter(ctx, ctx.JSSrc().Get("value").String())
}

func (t *grid) setFilter(ctx app.Context, f string) {
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

func (t *grid) onColumnToggle(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if !target.Truthy() {
		return
	}
	id := target.Get("dataset").Get("col").String()
	show := target.Get("checked").Bool()
	vis := make([]string, 0, len(t.columns))
	for _, c := range t.columns {
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

func (t *grid) isDefaultColumns(vis []string) bool {
	var def []string
	for _, c := range t.columns {
		if !c.Hidden || c.Required {
			def = append(def, c.ID)
		}
	}
	return strings.Join(def, ",") == strings.Join(vis, ",")
}

// bumpGen advances t.gen when anything the rows, header or toolbar show
// (other than a row's index, activity and selection, which are their own
// props) may have changed: data, sort, filter, visible columns, size.
// Sub-components whose props are unchanged are not re-rendered, so a
// scroll re-renders only the rows that enter the window.
func (t *grid) bumpGen() {
	var b strings.Builder
	fmt.Fprintf(&b, "%p|%d|%s|%t|%s|%s|%d|%t|%d", t.firstRow, t.nrows, t.state.Sort, t.state.Desc,
		t.state.Filter, t.whereKey, t.rowHeight(), t.selectable, len(t.columns))
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
type tableRow struct {
	app.Compo
	G        *grid
	Index    int
	Gen      uint64
	Active   bool
	Selected bool
}

// Render draws the row's cells.
func (r *tableRow) Render() app.UI {
	t := r.G
	if r.Index < 0 || r.Index >= len(t.view) {
		return app.Div().Class("tr-slot").Hidden(true)
	}
	return t.renderRow(t.cols, r.Index, r.Active, r.Selected)
}

// tableHead is the header row; it re-renders when the sort or the
// generation changes.
type tableHead struct {
	app.Compo
	G    *grid
	Gen  uint64
	Sort string
	Desc bool
}

// Render draws the column headers.
func (h *tableHead) Render() app.UI { return h.G.renderHeader(h.G.cols) }

// tableToolbar holds the filter, the row count and the column menu.
type tableToolbar struct {
	app.Compo
	G      *grid
	Gen    uint64
	Filter string
	Count  string
}

// Render draws the toolbar.
func (b *tableToolbar) Render() app.UI { return b.G.renderToolbar() }
