package ui

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

var tlT0 = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

func tlAt(sec float64) time.Time { return tlT0.Add(time.Duration(sec * float64(time.Second))) }

func tlSpan(from, to float64) timeline.Span { return timeline.Span{From: tlAt(from), To: tlAt(to)} }

func TestTimelineQueryRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		tq   timelineQuery
	}{
		{"empty", timelineQuery{}},
		{"window only", timelineQuery{From: tlAt(60.125), To: tlAt(3600)}},
		{"window, pins, one compared, duration", timelineQuery{
			From: tlAt(0), To: tlAt(90), Pins: []studio.EventID{"ev-run-0001-0003", "ev-run-0001-0009"},
			Cmp: []studio.EventID{"ev-run-0001-0009"}, Dur: 5 * time.Minute,
		}},
		{"two compared", timelineQuery{Pins: []studio.EventID{"a", "b", "c"}, Cmp: []studio.EventID{"c", "a"}, Dur: 90 * time.Second}},
		{"pins, none compared", timelineQuery{Pins: []studio.EventID{"a", "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"tab": {"timeline"}}
			tt.tq.encode(q)
			u := "/runs/run-0001?" + q.Encode()
			parsed, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			got := parseTimelineQuery(parsed.Query())
			if !got.From.Equal(tt.tq.From) || !got.To.Equal(tt.tq.To) || !reflect.DeepEqual(got.Pins, tt.tq.Pins) ||
				!reflect.DeepEqual(got.Cmp, tt.tq.Cmp) || got.Dur != tt.tq.Dur {
				t.Errorf("parseTimelineQuery(encode(%+v)) = %+v (URL %s)", tt.tq, got, u)
			}
			if parsed.Query().Get("tab") != "timeline" {
				t.Errorf("encode dropped the tab: %s", u)
			}
		})
	}
}

func TestParseTimelineQueryIgnoresBadValues(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  timelineQuery
	}{
		{"to before from", "from=2026-11-20T02:00:00Z&to=2026-11-20T01:00:00Z", timelineQuery{}},
		{"unparsable time", "from=yesterday&to=2026-11-20T01:00:00Z", timelineQuery{}},
		{"offset times become UTC", "from=2026-11-20T03:00:00%2B02:00&to=2026-11-20T01:30:00Z",
			timelineQuery{From: tlAt(0), To: tlAt(1800)}},
		{"repeated and empty pins", "pins=a,,b,a,%20c%20&cmp=", timelineQuery{Pins: []studio.EventID{"a", "b", "c"}}},
		{"pins without cmp compare the first two", "pins=a,b,c", timelineQuery{Pins: []studio.EventID{"a", "b", "c"}, Cmp: []studio.EventID{"a", "b"}}},
		{"compared pin must be pinned", "pins=a,b&cmp=b,zz", timelineQuery{Pins: []studio.EventID{"a", "b"}, Cmp: []studio.EventID{"b"}}},
		{"bad durations", "d=-5m", timelineQuery{}},
		{"absurd duration", "d=100000h", timelineQuery{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			got := parseTimelineQuery(q)
			if !got.From.Equal(tt.want.From) || !got.To.Equal(tt.want.To) || !reflect.DeepEqual(got.Pins, tt.want.Pins) ||
				!reflect.DeepEqual(got.Cmp, tt.want.Cmp) || got.Dur != tt.want.Dur {
				t.Errorf("parseTimelineQuery(%q) = %+v; want %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestParseTimelineQueryBoundsPins(t *testing.T) {
	ids := make([]string, 40)
	for i := range ids {
		ids[i] = "ev-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	got := parseTimelineQuery(url.Values{qPins: {strings.Join(ids, ",")}})
	if len(got.Pins) != maxPins {
		t.Errorf("parseTimelineQuery kept %d pins; want at most %d", len(got.Pins), maxPins)
	}
}

func TestModelURLRestoresView(t *testing.T) {
	m := newTimelineModel(tlSpan(0, 3600))
	m.setWindow(m.win.Select(tlAt(600.5), tlAt(1200.25)))
	m.togglePin("a")
	m.togglePin("b")
	m.dur = 2 * time.Minute
	q := url.Values{}
	m.query().encode(q)

	restored := newTimelineModel(tlSpan(0, 3600))
	restored.applyQuery(parseTimelineQuery(q))
	if !restored.win.From.Equal(m.win.From) || !restored.win.To.Equal(m.win.To) {
		t.Errorf("restored window [%v, %v]; want [%v, %v]", restored.win.From, restored.win.To, m.win.From, m.win.To)
	}
	if !reflect.DeepEqual(restored.pins, m.pins) || !reflect.DeepEqual(restored.sel, m.sel) || restored.dur != m.dur {
		t.Errorf("restored pins %v sel %v dur %v; want %v %v %v", restored.pins, restored.sel, restored.dur, m.pins, m.sel, m.dur)
	}
	if restored.whole {
		t.Error("a restored zoomed window counts as the whole span")
	}
}

func TestModelWholeWindowStaysOutOfURL(t *testing.T) {
	m := newTimelineModel(tlSpan(0, 3600))
	q := url.Values{}
	m.query().encode(q)
	if q.Has(qFrom) || q.Has(qTo) {
		t.Errorf("whole-span window wrote %v; want no from/to, so the link follows the run", q)
	}
}

func TestTogglePin(t *testing.T) {
	tests := []struct {
		name     string
		toggles  []studio.EventID
		wantPins []studio.EventID
		wantSel  []studio.EventID
	}{
		{"first pin is compared", []studio.EventID{"a"}, []studio.EventID{"a"}, []studio.EventID{"a"}},
		{"second pin makes a pair", []studio.EventID{"a", "b"}, []studio.EventID{"a", "b"}, []studio.EventID{"a", "b"}},
		{"third pin is not compared", []studio.EventID{"a", "b", "c"}, []studio.EventID{"a", "b", "c"}, []studio.EventID{"a", "b"}},
		{"toggling unpins", []studio.EventID{"a", "b", "a"}, []studio.EventID{"b"}, []studio.EventID{"b"}},
		{"a freed slot takes the next pin", []studio.EventID{"a", "b", "a", "c"}, []studio.EventID{"b", "c"}, []studio.EventID{"b", "c"}},
		{"empty id does nothing", []studio.EventID{""}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m timelineModel
			for _, id := range tt.toggles {
				m.togglePin(id)
			}
			if !reflect.DeepEqual(m.pins, tt.wantPins) || !reflect.DeepEqual(m.sel, tt.wantSel) {
				t.Errorf("after toggling %v: pins %v, compared %v; want %v, %v", tt.toggles, m.pins, m.sel, tt.wantPins, tt.wantSel)
			}
		})
	}
}

func TestTogglePinLimitAndLetters(t *testing.T) {
	var m timelineModel
	for i := range maxPins + 3 {
		m.togglePin(studio.EventID("ev" + string(rune('A'+i))))
	}
	if len(m.pins) != maxPins {
		t.Fatalf("pinned %d events; want at most %d", len(m.pins), maxPins)
	}
	if got := m.pinLetter(m.pins[0]); got != "A" {
		t.Errorf("pinLetter(first) = %q; want A", got)
	}
	if got := m.pinLetter(m.pins[maxPins-1]); got != "Z" {
		t.Errorf("pinLetter(last) = %q; want Z", got)
	}
	if got := m.pinLetter("nope"); got != "" {
		t.Errorf("pinLetter(unpinned) = %q; want empty", got)
	}
}

func TestSetCompared(t *testing.T) {
	var m timelineModel
	for _, id := range []studio.EventID{"a", "b", "c"} {
		m.togglePin(id)
	}
	m.setCompared("c", true) // drops the oldest compared pin
	if want := []studio.EventID{"b", "c"}; !reflect.DeepEqual(m.sel, want) {
		t.Errorf("compared %v; want %v", m.sel, want)
	}
	m.setCompared("b", false)
	if want := []studio.EventID{"c"}; !reflect.DeepEqual(m.sel, want) {
		t.Errorf("compared %v; want %v", m.sel, want)
	}
	m.setCompared("zz", true) // not pinned
	if want := []studio.EventID{"c"}; !reflect.DeepEqual(m.sel, want) {
		t.Errorf("comparing an unpinned event changed the comparison to %v", m.sel)
	}
}

func TestTimelineKey(t *testing.T) {
	type mods struct{ shift, ctrl, alt, meta bool }
	tests := []struct {
		key  string
		mods mods
		want timelineCmd
	}{
		{"ArrowLeft", mods{}, cmdPanLeft},
		{"ArrowRight", mods{}, cmdPanRight},
		{"ArrowLeft", mods{shift: true}, cmdPageLeft},
		{"ArrowRight", mods{shift: true}, cmdPageRight},
		{"+", mods{shift: true}, cmdZoomIn},
		{"=", mods{}, cmdZoomIn},
		{"-", mods{}, cmdZoomOut},
		{"j", mods{}, cmdNext},
		{"k", mods{}, cmdPrev},
		{"p", mods{}, cmdPin},
		{"Escape", mods{}, cmdClear},
		{"0", mods{}, cmdReset},
		{"Home", mods{}, cmdStart},
		{"End", mods{}, cmdEnd},
		{"+", mods{ctrl: true}, cmdNone}, // the browser's page zoom
		{"j", mods{meta: true}, cmdNone},
		{"ArrowLeft", mods{alt: true}, cmdNone}, // history back
		{"x", mods{}, cmdNone},
		{"Enter", mods{}, cmdNone}, // the focused marker's own click
	}
	for _, tt := range tests {
		if got := timelineKey(tt.key, tt.mods.shift, tt.mods.ctrl, tt.mods.alt, tt.mods.meta); got != tt.want {
			t.Errorf("timelineKey(%q, %+v) = %v; want %v", tt.key, tt.mods, got, tt.want)
		}
	}
}

func TestApplyCommands(t *testing.T) {
	span := tlSpan(0, 1000)
	start := func() timelineModel {
		m := newTimelineModel(span)
		m.setWindow(m.win.Select(tlAt(400), tlAt(600)))
		return m
	}
	tests := []struct {
		cmd      timelineCmd
		at       time.Time
		from, to float64
	}{
		{cmdPanLeft, time.Time{}, 380, 580},
		{cmdPanRight, time.Time{}, 420, 620},
		{cmdPageLeft, time.Time{}, 300, 500},
		{cmdPageRight, time.Time{}, 500, 700},
		{cmdZoomIn, tlAt(500), 500 - 100/zoomStep, 500 + 100/zoomStep},
		{cmdZoomOut, tlAt(500), 500 - 100*zoomStep, 500 + 100*zoomStep},
		{cmdReset, time.Time{}, 0, 1000},
		{cmdStart, time.Time{}, 0, 200},
		{cmdEnd, time.Time{}, 800, 1000},
	}
	for _, tt := range tests {
		m := start()
		if !m.apply(tt.cmd, tt.at) {
			t.Errorf("apply(%v) reported no change", tt.cmd)
		}
		near := func(a, b time.Time) bool { d := a.Sub(b); return d < time.Millisecond && d > -time.Millisecond }
		if !near(m.win.From, tlAt(tt.from)) || !near(m.win.To, tlAt(tt.to)) {
			t.Errorf("apply(%v) window = [%v, %v]; want [%v, %v]", tt.cmd,
				m.win.From.Sub(tlT0), m.win.To.Sub(tlT0), tlAt(tt.from).Sub(tlT0), tlAt(tt.to).Sub(tlT0))
		}
	}
	m := start()
	if m.apply(cmdNext, time.Time{}) {
		t.Error("apply(cmdNext) changed the window; event commands belong to the component")
	}
}

func TestSetSpanLive(t *testing.T) {
	tests := []struct {
		name     string
		window   [2]float64 // [from, to]; nil-like {-1,-1} means whole
		grow     float64    // new span end
		from, to float64
	}{
		{"whole span keeps showing all of it", [2]float64{-1, -1}, 1500, 0, 1500},
		{"a window at the live edge follows it", [2]float64{800, 1000}, 1500, 1300, 1500},
		{"a window in the past stays put", [2]float64{200, 400}, 1500, 200, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTimelineModel(tlSpan(0, 1000))
			if tt.window[0] >= 0 {
				m.setWindow(m.win.Select(tlAt(tt.window[0]), tlAt(tt.window[1])))
			}
			m.setSpan(tlSpan(0, tt.grow))
			if !m.win.From.Equal(tlAt(tt.from)) || !m.win.To.Equal(tlAt(tt.to)) {
				t.Errorf("window after the span grew = [%v, %v]; want [%v, %v]",
					m.win.From.Sub(tlT0), m.win.To.Sub(tlT0), tlAt(tt.from).Sub(tlT0), tlAt(tt.to).Sub(tlT0))
			}
			if !m.win.Max.Equal(tlAt(tt.grow)) {
				t.Errorf("span end = %v; want %v", m.win.Max.Sub(tlT0), tlAt(tt.grow).Sub(tlT0))
			}
		})
	}
}

func TestReveal(t *testing.T) {
	// Ten events one second apart in one lane: at 1000 px over 1000 s
	// they share one badge (a second is one pixel).
	var lane []studio.Event
	for i := range 10 {
		lane = append(lane, studio.Event{ID: studio.EventID("e" + string(rune('0'+i))), Lane: studio.LaneAlert, Time: tlAt(float64(100 + i))})
	}
	lane = append(lane, studio.Event{ID: "far", Lane: studio.LaneAlert, Time: tlAt(900)})
	const px = 1000.0
	tests := []struct {
		name string
		idx  int
		win  [2]float64
	}{
		{"inside a cluster", 4, [2]float64{0, 1000}},
		{"outside the window", 10, [2]float64{0, 200}},
		{"already single stays put", 10, [2]float64{0, 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTimelineModel(tlSpan(0, 1000))
			m.setWindow(m.win.Select(tlAt(tt.win[0]), tlAt(tt.win[1])))
			before := m.win
			m.reveal(lane, tt.idx, px, tlMinGap)
			if !m.win.Contains(lane[tt.idx].Time) {
				t.Fatalf("reveal left event %d outside [%v, %v]", tt.idx, m.win.From.Sub(tlT0), m.win.To.Sub(tlT0))
			}
			if !markSingle(lane, tt.idx, m.win, px, tlMinGap) {
				t.Errorf("after reveal, event %d still shares a badge in [%v, %v]", tt.idx, m.win.From.Sub(tlT0), m.win.To.Sub(tlT0))
			}
			if tt.name == "already single stays put" && (m.win.From != before.From || m.win.To != before.To) {
				t.Errorf("reveal moved a window that already showed the event on its own")
			}
		})
	}
}

func TestDurationChoices(t *testing.T) {
	got := durationChoices(12*time.Hour, 0)
	if got[0] < 12*time.Hour/500 || got[len(got)-1] > 6*time.Hour {
		t.Errorf("durationChoices(12h) = %v; want lengths between a 500th and half of the span", got)
	}
	tiny := durationChoices(5*time.Second, 0)
	if len(tiny) < 3 {
		t.Errorf("durationChoices(5s) = %v; want at least three choices", tiny)
	}
	withChosen := durationChoices(12*time.Hour, 24*time.Hour)
	if withChosen[len(withChosen)-1] != 24*time.Hour {
		t.Errorf("durationChoices(12h, 24h) = %v; want the chosen length kept", withChosen)
	}
}

func TestDefaultCompareDuration(t *testing.T) {
	tests := []struct {
		span, sample, want time.Duration
	}{
		{12 * time.Hour, 300 * time.Millisecond, 15 * time.Minute}, // a long run
		{24 * time.Hour, 30 * time.Minute, 2 * time.Hour},          // deployment health every 30 min
		{10 * time.Minute, time.Second, 10 * time.Second},          // a short run
		{time.Second, 0, 10 * time.Second},                         // smallest offered
	}
	for _, tt := range tests {
		if got := defaultCompareDuration(tt.span, tt.sample); got != tt.want {
			t.Errorf("defaultCompareDuration(%v, %v) = %v; want %v", tt.span, tt.sample, got, tt.want)
		}
	}
}

func TestCompareSpans(t *testing.T) {
	a := studio.Event{ID: "a", Time: tlAt(100)}
	b := studio.Event{ID: "b", Time: tlAt(130)}
	before, after, ok := compareSpans([]studio.Event{a}, time.Minute)
	if !ok || before != tlSpan(40, 100) || after != tlSpan(100, 160) {
		t.Errorf("compareSpans(one pin) = %v, %v, %v", before, after, ok)
	}
	before, after, ok = compareSpans([]studio.Event{a, b}, time.Minute)
	if !ok || before != tlSpan(100, 130) || after != tlSpan(130, 190) {
		t.Errorf("compareSpans(two pins) = %v, %v, %v; want the first window cut at the second pin", before, after, ok)
	}
	if _, _, ok := compareSpans(nil, time.Minute); ok {
		t.Error("compareSpans(no pins) ok")
	}
}
