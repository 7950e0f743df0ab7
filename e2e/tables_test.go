//go:build !wasm

package e2e

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/chromedp/chromedp"
)

// TestTablesShowAPIRows checks that the data tables render the rows the API
// returns: every rendered row is an item of the API list, and small lists
// are shown whole.
func TestTablesShowAPIRows(t *testing.T) {
	exps := listItems[studio.Experiment](t, srv.URL, "/api/experiments?limit=1000")
	if len(exps) == 0 {
		t.Fatal("no experiments")
	}
	exp := exps[0]
	runs := listItems[studio.Run](t, srv.URL, "/api/experiments/"+string(exp.ID)+"/runs?limit=1000")
	models := listItems[studio.Model](t, srv.URL, "/api/registry/models?limit=1000")
	deps := listItems[studio.Deployment](t, srv.URL, "/api/deployments?limit=1000")

	tests := []struct {
		name     string
		path     string
		dataPage string
		names    []string // what identifies each API item in its row
		whole    bool     // every item must be rendered (short lists)
	}{
		{"experiments", "/experiments", "experiments", mapNames(exps, func(e studio.Experiment) string { return e.Name }), true},
		{"runs of an experiment", "/experiments/" + string(exp.ID), "experiment", mapNames(runs, func(r studio.Run) string { return r.Name }), false},
		{"models", "/registry", "registry", mapNames(models, func(m studio.Model) string { return m.Name }), true},
		{"deployments", "/deployments", "deployments", mapNames(deps, func(d studio.Deployment) string { return d.Name }), true},
	}
	b := newBrowser(t, srv.URL)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.sub(t)
			if len(tt.names) == 0 {
				t.Fatalf("the API returned no items for %s", tt.path)
			}
			p.open(tt.path, tt.dataPage)
			p.waitFor("table rows", "document.querySelectorAll('[data-testid=table] [data-testid=row]').length > 0")
			if tt.whole {
				p.waitFor(fmt.Sprintf("%d rows", len(tt.names)),
					fmt.Sprintf("document.querySelectorAll('[data-testid=table] [data-testid=row]').length === %d", len(tt.names)))
			}
			rows := p.rows()
			if len(rows) > len(tt.names) {
				t.Errorf("%d rows rendered; the API has %d items", len(rows), len(tt.names))
			}
			seen := map[string]bool{}
			for i, row := range rows {
				name := matchName(row, tt.names)
				if name == "" {
					t.Errorf("row %d %q matches no API item", i, oneLine(row))
					continue
				}
				if seen[name] {
					t.Errorf("row %d repeats %q", i, name)
				}
				seen[name] = true
			}
			if tt.whole {
				for _, n := range tt.names {
					if !seen[n] {
						t.Errorf("API item %q is not in the table", n)
					}
				}
			}
		})
	}
}

// TestTableSortAndFilter sorts the experiments table by name both ways and
// filters it, and checks that the state lives in the URL (it survives a
// reload).
func TestTableSortAndFilter(t *testing.T) {
	exps := listItems[studio.Experiment](t, srv.URL, "/api/experiments?limit=1000")
	names := mapNames(exps, func(e studio.Experiment) string { return e.Name })
	if len(names) < 3 {
		t.Fatalf("%d experiments; want at least 3 to see an order", len(names))
	}
	p := newBrowser(t, srv.URL)
	p.open("/experiments", "experiments")
	allRows := fmt.Sprintf("document.querySelectorAll('[data-testid=table] [data-testid=row]').length === %d", len(names))
	p.waitFor("every experiment row", allRows)
	order := func() []string {
		var out []string
		for _, r := range p.rows() {
			out = append(out, matchName(r, names))
		}
		return out
	}

	t.Run("sort by name", func(t *testing.T) {
		p := p.sub(t)
		before := order()
		p.clickHeader("name")
		p.waitFor("the order to change", fmt.Sprintf(`(() => {
			const want = %s;
			const rows = Array.from(document.querySelectorAll('[data-testid=table] [data-testid=row]'), r => r.innerText);
			return rows.length === want.length && rows.some((r, i) => !r.includes(want[i]));
		})()`, jsArray(before)))
		first := order()
		dir := sortedDir(first)
		if dir == 0 {
			t.Fatalf("after sorting by name the rows are %q; want them sorted by name", first)
		}
		if loc := p.location(); !strings.Contains(loc, "?") {
			t.Errorf("sort state is not in the URL: %s", loc)
		}

		p.clickHeader("name")
		want := slices.Clone(first)
		slices.Reverse(want)
		p.waitFor("the order to reverse", rowsInOrder(want))
		if got := order(); sortedDir(got) != -dir {
			t.Errorf("second click: rows %q; want them sorted the other way", got)
		}

		p.do("reload", chromedp.Reload())
		p.waitPage("experiments")
		p.waitFor("the sorted rows after a reload", rowsInOrder(want))
	})

	t.Run("filter", func(t *testing.T) {
		p := p.sub(t)
		target := names[len(names)/2]
		p.focusFilter()
		p.press(target)
		p.waitFor("the filtered rows", fmt.Sprintf(`(() => {
			const rows = Array.from(document.querySelectorAll('[data-testid=table] [data-testid=row]'), r => r.innerText);
			return rows.length > 0 && rows.length < %d && rows.some(r => r.includes(%s));
		})()`, len(names), jsString(target)))
		n := p.count("[data-testid=table] [data-testid=row]")
		loc := p.location()
		u, _ := url.Parse(loc)
		if !strings.Contains(u.RawQuery, url.QueryEscape(target)) && !strings.Contains(u.RawQuery, url.PathEscape(target)) {
			t.Errorf("filter %q is not in the URL: %s", target, loc)
		}
		p.do("reload", chromedp.Reload())
		p.waitPage("experiments")
		p.waitFor("the same filtered rows after a reload", fmt.Sprintf(
			"document.querySelectorAll('[data-testid=table] [data-testid=row]').length === %d", n))
	})
}

// clickHeader clicks the sort control of the column whose header text
// starts with label (case-insensitive).
func (p *page) clickHeader(label string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const table = document.querySelector('[data-testid=table]');
		if (!table) return "no table";
		const heads = table.querySelectorAll('[data-sort], th, [role=columnheader]');
		for (const h of heads) {
			if (!h.innerText.trim().toLowerCase().startsWith(%s)) continue;
			const ctl = h.matches('button, a') ? h : (h.querySelector('button, a, [data-sort]') || h);
			ctl.click();
			return "";
		}
		return "no header starting with " + %s + " among " + Array.from(heads, h => JSON.stringify(h.innerText.trim())).join(", ");
	})()`, jsString(strings.ToLower(label)), jsString(label))
	if msg := eval[string](p, js); msg != "" {
		p.t.Fatalf("click header %q: %s", label, msg)
	}
}

// focusFilter focuses the table's text filter with the "/" shortcut, or by
// clicking it when the shortcut does not focus a text field.
func (p *page) focusFilter() {
	p.t.Helper()
	p.press("/")
	const isText = `(() => { const e = document.activeElement; return !!e && (e.tagName === "INPUT" || e.tagName === "TEXTAREA") && e.type !== "checkbox"; })()`
	if eval[bool](p, isText) {
		return
	}
	p.t.Errorf(`the "/" shortcut did not focus a filter field`)
	js := `(() => {
		const e = document.querySelector('[data-testid=filter], [data-testid=table-filter], input[type=search]');
		if (!e) return false;
		e.focus();
		return true;
	})()`
	if !eval[bool](p, js) {
		p.t.Fatalf("no filter field ([data-testid=filter] or input[type=search])\n%s", p.state())
	}
}

// rowsInOrder is a JavaScript condition: the rendered rows contain want[i]
// in order.
func rowsInOrder(want []string) string {
	return fmt.Sprintf(`(() => {
		const want = %s;
		const rows = Array.from(document.querySelectorAll('[data-testid=table] [data-testid=row]'), r => r.innerText);
		return rows.length === want.length && rows.every((r, i) => r.includes(want[i]));
	})()`, jsArray(want))
}

// sortedDir returns 1 when names are in ascending order, -1 when
// descending, 0 otherwise. Case-insensitive byte order and a
// punctuation-insensitive order (as localeCompare gives) both count.
func sortedDir(names []string) int {
	for _, key := range []func(string) string{
		strings.ToLower,
		func(s string) string {
			return strings.Map(func(r rune) rune {
				if strings.ContainsRune("-_. ", r) {
					return -1
				}
				return r
			}, strings.ToLower(s))
		},
	} {
		keys := make([]string, len(names))
		for i, n := range names {
			keys[i] = key(n)
		}
		if slices.IsSorted(keys) {
			return 1
		}
		slices.Reverse(keys)
		if slices.IsSorted(keys) {
			return -1
		}
	}
	return 0
}

// matchName returns the longest of names that row contains, or "".
func matchName(row string, names []string) string {
	best := ""
	for _, n := range names {
		if len(n) > len(best) && strings.Contains(row, n) {
			best = n
		}
	}
	return best
}

func mapNames[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func jsArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = jsString(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}
