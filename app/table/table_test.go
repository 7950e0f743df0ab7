package table

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

type testRow struct {
	Name string
	N    int
}

func testRows(n int) []testRow {
	rows := make([]testRow, n)
	for i := range rows {
		rows[i] = testRow{Name: "row-" + strconv.Itoa(i), N: (i * 7919) % n}
	}
	return rows
}

func testTable(rows []testRow) *Table[testRow] {
	t := &Table[testRow]{
		ID:    "t",
		Label: "Test rows",
		Noun:  "rows",
		Rows:  rows,
		Columns: []Column[testRow]{
			{ID: "name", Header: "Name", Text: func(r testRow) string { return r.Name }, Compare: func(a, b testRow) int { return strings.Compare(a.Name, b.Name) }, Required: true},
			{ID: "n", Header: "N", Align: AlignEnd, Text: func(r testRow) string { return strconv.Itoa(r.N) }, Compare: func(a, b testRow) int { return cmp.Compare(a.N, b.N) }},
			{ID: "secret", Header: "Secret", Hidden: true, Text: func(r testRow) string { return "hidden-" + r.Name }},
		},
		RowKey:  func(r testRow) string { return r.Name },
		RowHref: func(r testRow) string { return "/rows/" + r.Name },
	}
	t.OnInit()
	return t
}

var (
	rowRe   = regexp.MustCompile(`data-testid="row"`)
	keyRe   = regexp.MustCompile(`data-key="([^"]*)"`)
	countRe = regexp.MustCompile(`<span[^>]*class="tbl-count"[^>]*>([^<]*)</span>`)
)

func render(t *Table[testRow]) (html string, rows int, keys []string, count string) {
	html = app.HTMLString(t)
	rows = len(rowRe.FindAllString(html, -1))
	for _, m := range keyRe.FindAllStringSubmatch(html, -1) {
		keys = append(keys, m[1])
	}
	if m := countRe.FindStringSubmatch(html); m != nil {
		count = m[1]
	}
	return
}

func TestTableVirtualizesTenThousandRows(t *testing.T) {
	tbl := testTable(testRows(10000))
	html, rows, _, count := render(tbl)
	if rows == 0 || rows >= 200 {
		t.Fatalf("rendered %d rows for 10,000; want 1..199", rows)
	}
	if count != "10,000 rows" {
		t.Errorf("count = %q; want %q", count, "10,000 rows")
	}
	if !strings.Contains(html, `data-testid="table"`) || !strings.Contains(html, `aria-rowcount="10001"`) {
		t.Errorf("grid lacks its test id or row count")
	}
	if !strings.Contains(html, "height:400000px") {
		t.Errorf("spacer does not size the full list")
	}

	// Scrolled to the middle, the window follows.
	tbl.g.top = 40 * 5000
	_, rows, keys, _ := render(tbl)
	lo, hi := 1<<30, -1
	for _, k := range keys {
		n, _ := strconv.Atoi(strings.TrimPrefix(k, "row-"))
		lo, hi = min(lo, n), max(hi, n)
	}
	start, end := Window(tbl.g.top, tbl.g.viewport(), DefaultRowHeight, 10000, overscan)
	if rows >= 200 || lo != start || hi != end-1 || rows != end-start {
		t.Errorf("scrolled window: %d rows %d..%d; want <200 rows %d..%d", rows, lo, hi, start, end-1)
	}
	if start > 5000 || end <= 5000+tbl.g.viewport()/DefaultRowHeight {
		t.Errorf("window %d..%d misses the visible rows from 5000", start, end)
	}
}

func TestTableSortAndFilter(t *testing.T) {
	tests := []struct {
		name      string
		state     State
		where     func(testRow) bool
		wantFirst string
		wantCount string
	}{
		{"natural order", State{}, nil, "row-0", "1,000 rows"},
		{"sort by n ascending", State{Sort: "n"}, nil, "row-0", "1,000 rows"},
		{"sort by n descending", State{Sort: "n", Desc: true}, nil, "row-" + strconv.Itoa(maxAt(1000)), "1,000 rows"},
		{"sort by name descending", State{Sort: "name", Desc: true}, nil, "row-999", "1,000 rows"},
		{"filter", State{Filter: "ROW-99"}, nil, "row-99", "11 of 1,000 rows"},
		{"filter on a hidden column still searches it", State{Filter: "hidden-row-5"}, nil, "row-5", "111 of 1,000 rows"},
		{"where narrows the total", State{}, func(r testRow) bool { return r.N < 100 }, "row-0", "100 rows"},
		{"where and filter", State{Filter: "row-1"}, func(r testRow) bool { return r.N < 100 }, "", ""},
		{"unsortable column keeps order", State{Sort: "secret"}, nil, "row-0", "1,000 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl := testTable(testRows(1000))
			tbl.SetState(tt.state)
			tbl.Where = tt.where
			tbl.WhereKey = tt.name
			_, _, keys, count := render(tbl)
			if tt.wantFirst == "" {
				// Compute the expectation by brute force.
				n, total := 0, 0
				for _, r := range testRows(1000) {
					if tt.where(r) {
						total++
						if strings.Contains(r.Name, "row-1") {
							n++
						}
					}
				}
				tt.wantCount = CountLabel(n, total, "rows")
				tt.wantFirst = keys[0]
			}
			if len(keys) == 0 || keys[0] != tt.wantFirst {
				t.Errorf("first row = %v; want %q", keys[:min(len(keys), 3)], tt.wantFirst)
			}
			if count != tt.wantCount {
				t.Errorf("count = %q; want %q", count, tt.wantCount)
			}
		})
	}
}

func maxAt(n int) int {
	best, at := -1, 0
	for i, r := range testRows(n) {
		if r.N > best {
			best, at = r.N, i
		}
	}
	return at
}

func TestTableColumns(t *testing.T) {
	tbl := testTable(testRows(3))
	html, _, _, _ := render(tbl)
	if strings.Contains(html, "hidden-row-0") {
		t.Error("hidden column rendered by default")
	}
	if !strings.Contains(html, `aria-sort="none"`) {
		t.Error("sortable header lacks aria-sort")
	}
	tbl.SetState(State{Columns: []string{"secret"}, Sort: "n", Desc: true})
	html, _, _, _ = render(tbl)
	if !strings.Contains(html, "hidden-row-0") {
		t.Error("column shown through the state is missing")
	}
	if strings.Contains(html, `<div class="td num"`) {
		t.Error("column hidden through the state is rendered")
	}
	if !strings.Contains(html, ">row-0<") {
		t.Error("required column was hidden")
	}
	if !strings.Contains(html, `--tbl-cols:minmax(120px,1fr) minmax(120px,1fr)`) {
		t.Errorf("grid tracks do not follow the visible columns")
	}
}

func TestTableEmptyStates(t *testing.T) {
	tbl := testTable(nil)
	tbl.Empty = "No rows in this experiment."
	if html := app.HTMLString(tbl); !strings.Contains(html, "No rows in this experiment.") {
		t.Error("empty table does not show its Empty message")
	}
	tbl = testTable(testRows(10))
	tbl.SetState(State{Filter: "zzz"})
	html := app.HTMLString(tbl)
	if !strings.Contains(html, "match the current filters") || !strings.Contains(html, `data-action="clear-filter"`) {
		t.Error("filtered-out table lacks the no-match message and clear button")
	}
}

func TestTableSelection(t *testing.T) {
	tbl := testTable(testRows(5))
	tbl.Selectable = true
	tbl.Selected = []string{"row-2"}
	var got []string
	tbl.OnSelect = func(_ app.Context, keys []string) { got = keys }
	html := app.HTMLString(tbl)
	if n := strings.Count(html, `class="row-check"`); n != 5 {
		t.Errorf("rendered %d row checkboxes; want 5", n)
	}
	if !regexp.MustCompile(`aria-selected[ >]`).MatchString(html) { // SSR writes true as a bare attribute
		t.Error("selected row is not marked")
	}
	tbl.sync().ensureView()
	tbl.g.toggle(app.Context{}, "row-3")
	if strings.Join(got, ",") != "row-2,row-3" {
		t.Errorf("toggle on = %v; want [row-2 row-3]", got)
	}
	tbl.g.toggle(app.Context{}, "row-2")
	if strings.Join(got, ",") != "" {
		t.Errorf("toggle off = %v; want []", got)
	}
}
