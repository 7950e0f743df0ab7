package table

import (
	"fmt"
	"net/url"
	"testing"
)

func TestWindow(t *testing.T) {
	tests := []struct {
		name                                       string
		scrollTop, viewport, rowHeight, total, ovs int
		wantStart, wantEnd                         int
	}{
		{"top of a long list", 0, 600, 40, 10000, 8, 0, 32},
		{"first rows scrolled keep the window", 200, 600, 40, 10000, 8, 0, 32},
		{"crossing an overscan boundary moves it", 320, 600, 40, 10000, 8, 0, 40},
		{"middle", 40 * 5000, 600, 40, 10000, 8, 4992, 5032},
		{"bottom is clamped", 40*10000 - 600, 600, 40, 10000, 8, 9976, 10000},
		{"short list", 0, 600, 40, 5, 8, 0, 5},
		{"empty", 0, 600, 40, 0, 8, 0, 0},
		{"scrolled past the end after a filter", 40 * 5000, 600, 40, 20, 8, 12, 20},
		{"zero viewport renders at least a row", 0, 0, 40, 100, 8, 0, 18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end := Window(tt.scrollTop, tt.viewport, tt.rowHeight, tt.total, tt.ovs)
			if start != tt.wantStart || end != tt.wantEnd {
				t.Errorf("Window(%d, %d, %d, %d, %d) = %d, %d; want %d, %d",
					tt.scrollTop, tt.viewport, tt.rowHeight, tt.total, tt.ovs, start, end, tt.wantStart, tt.wantEnd)
			}
		})
	}
}

func TestWindowInvariants(t *testing.T) {
	const rh, vp, total, ovs = 36, 700, 10000, 8
	prevStart, prevEnd, changes := -1, -1, 0
	for top := 0; top <= total*rh-vp; top += 7 {
		start, end := Window(top, vp, rh, total, ovs)
		first, last := top/rh, min((top+vp-1)/rh, total-1)
		if start > first || end <= last {
			t.Fatalf("Window(%d) = [%d,%d) misses visible rows %d..%d", top, start, end, first, last)
		}
		if end-start >= 200 {
			t.Fatalf("Window(%d) renders %d rows; want < 200", top, end-start)
		}
		if start != prevStart || end != prevEnd {
			changes++
			prevStart, prevEnd = start, end
		}
	}
	// 10,000 rows scrolled 7px at a time: ~51k scroll events, but the
	// window changes only once per overscan rows.
	if max := total/ovs + 2; changes > max {
		t.Errorf("window changed %d times; want at most %d", changes, max)
	}
}

func TestScrollToShow(t *testing.T) {
	tests := []struct {
		row, top, want int
	}{
		{0, 0, 0},
		{5, 0, 0},      // visible
		{20, 0, 440},   // below: bottom-align (20*40+40-400)
		{2, 200, 80},   // above: top-align
		{12, 100, 100}, // fully visible (480..520 within 100..500)? no: 520 > 500
	}
	tests[4].want = 120
	for _, tt := range tests {
		if got := ScrollToShow(tt.row, tt.top, 400, 40); got != tt.want {
			t.Errorf("ScrollToShow(%d, %d) = %d; want %d", tt.row, tt.top, got, tt.want)
		}
	}
}

func TestMove(t *testing.T) {
	tests := []struct {
		key         string
		active, n   int
		want        int
		wantHandled bool
	}{
		{"ArrowDown", -1, 10, 0, true},
		{"ArrowDown", 3, 10, 4, true},
		{"ArrowDown", 9, 10, 9, true},
		{"ArrowUp", 0, 10, 0, true},
		{"ArrowUp", 5, 10, 4, true},
		{"PageDown", 2, 100, 12, true},
		{"PageUp", 5, 100, 0, true},
		{"Home", 50, 100, 0, true},
		{"End", 5, 100, 99, true},
		{"End", -1, 100, 99, true},
		{"a", 5, 100, 5, false},
		{"ArrowDown", -1, 0, -1, false},
	}
	for _, tt := range tests {
		got, ok := Move(tt.key, tt.active, tt.n, 10)
		if got != tt.want || ok != tt.wantHandled {
			t.Errorf("Move(%q, %d, %d) = %d, %v; want %d, %v", tt.key, tt.active, tt.n, got, ok, tt.want, tt.wantHandled)
		}
	}
}

func TestStateURLRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		state  State
		query  string
	}{
		{"default state leaves no parameters", "", State{}, ""},
		{"ascending sort", "", State{Sort: "name"}, "sort=name"},
		{"descending sort and filter", "", State{Sort: "loss", Desc: true, Filter: "lr 3e-4"}, "q=lr+3e-4&sort=-loss"},
		{"visible columns", "runs.", State{Columns: []string{"name", "status"}}, "runs.cols=name%2Cstatus"},
		{"no visible column", "", State{Columns: []string{}}, "cols=%2C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"tab": {"runs"}}
			tt.state.Encode(q, tt.prefix)
			q.Del("tab")
			if got := q.Encode(); got != tt.query {
				t.Errorf("Encode = %q; want %q", got, tt.query)
			}
			parsed, _ := url.ParseQuery(q.Encode())
			back := DecodeState(parsed, tt.prefix)
			if !back.Equal(tt.state) {
				t.Errorf("DecodeState(Encode(%+v)) = %+v", tt.state, back)
			}
		})
	}
}

func TestEncodeKeepsOtherParameters(t *testing.T) {
	q := url.Values{"tab": {"config"}, "sort": {"name"}}
	State{Filter: "x"}.Encode(q, "")
	if got := q.Encode(); got != "q=x&tab=config" {
		t.Errorf("Encode = %q; want the sort removed and tab kept", got)
	}
}

func TestMatcher(t *testing.T) {
	tests := []struct {
		filter, text string
		want         bool
	}{
		{"", "anything", true},
		{"LLAMA", "llama-ft-code\x00running", true},
		{"llama failed", "llama-ft-code\x00running", false},
		{"  ft   run ", "llama-ft-code\x00running", true},
	}
	for _, tt := range tests {
		if got := NewMatcher(tt.filter).Match(tt.text); got != tt.want {
			t.Errorf("Match(%q, %q) = %v; want %v", tt.filter, tt.text, got, tt.want)
		}
	}
}

func TestViewSortIsStableBothWays(t *testing.T) {
	vals := []int{3, 1, 2, 1, 3}
	cmp := func(i, j int) int { return vals[i] - vals[j] }
	if got := fmt.Sprint(View(5, nil, cmp, false)); got != "[1 3 2 0 4]" {
		t.Errorf("ascending = %s; want [1 3 2 0 4]", got)
	}
	if got := fmt.Sprint(View(5, nil, cmp, true)); got != "[0 4 2 1 3]" {
		t.Errorf("descending = %s; want [0 4 2 1 3]", got)
	}
	keepOdd := func(i int) bool { return vals[i]%2 == 1 }
	if got := fmt.Sprint(View(5, keepOdd, nil, false)); got != "[0 1 3 4]" {
		t.Errorf("filtered = %s; want [0 1 3 4]", got)
	}
}

func TestCountLabel(t *testing.T) {
	if got := CountLabel(1234, 10000, "runs"); got != "1,234 of 10,000 runs" {
		t.Errorf("CountLabel = %q", got)
	}
	if got := CountLabel(10000, 10000, "runs"); got != "10,000 runs" {
		t.Errorf("CountLabel = %q", got)
	}
}

func TestSlots(t *testing.T) {
	tests := []struct {
		start, end, n int
		want          string
	}{
		{0, 4, 4, "[0 1 2 3]"},
		{0, 3, 5, "[0 1 2 -1 -1]"},
		{2, 6, 4, "[4 5 2 3]"},
		{8, 12, 5, "[10 11 -1 8 9]"},
		{0, 0, 3, "[-1 -1 -1]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(Slots(tt.start, tt.end, tt.n)); got != tt.want {
			t.Errorf("Slots(%d, %d, %d) = %s; want %s", tt.start, tt.end, tt.n, got, tt.want)
		}
	}
}

func TestSlotsKeepRowsInPlace(t *testing.T) {
	// Scrolling by one overscan step changes only the slots of the rows
	// that enter the window: the point of slotting.
	const rh, vp, total, ovs = 40, 600, 10000, 8
	n := SlotCount(vp, rh, ovs)
	s0, e0 := Window(40*100, vp, rh, total, ovs)
	s1, e1 := Window(40*108, vp, rh, total, ovs)
	if e0-s0 > n || e1-s1 > n {
		t.Fatalf("window larger than SlotCount %d", n)
	}
	a, b := Slots(s0, e0, n), Slots(s1, e1, n)
	changed := 0
	for k := range a {
		if a[k] != b[k] {
			changed++
		}
	}
	if changed != ovs {
		t.Errorf("%d slots changed after scrolling %d rows; want %d", changed, ovs, ovs)
	}
}
