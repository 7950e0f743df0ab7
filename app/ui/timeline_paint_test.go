package ui

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// tlEvents returns n events spread over [0, 1000) s across the lanes,
// bunched so that dense stretches need count badges.
func tlEvents(n int) []studio.Event {
	evs := make([]studio.Event, n)
	for i := range evs {
		// Half the events fall in [300, 310) s: a dense burst.
		sec := float64(i*997%1000) + float64(i%7)/10
		if i%2 == 0 {
			sec = 300 + float64(i%1000)/100
		}
		sev := studio.SeverityInfo
		if i%13 == 0 {
			sev = studio.SeverityCritical
		}
		evs[i] = studio.Event{
			ID:       studio.EventID("ev-" + strconv.Itoa(i)),
			Lane:     studio.Lanes[i%len(studio.Lanes)],
			Time:     tlAt(sec),
			Title:    "event " + strconv.Itoa(i),
			Severity: sev,
		}
	}
	return evs
}

var (
	reEventID = regexp.MustCompile(`data-event-id="([^"]*)"`)
	reCount   = regexp.MustCompile(`data-count="(\d+)"`)
	reTab0    = regexp.MustCompile(`tabindex="0"`)
)

func TestPaintFrameCountsEveryEvent(t *testing.T) {
	evs := tlEvents(3000)
	lanes := timeline.Group(evs)
	windows := [][2]float64{{0, 1000}, {290, 320}, {300, 300.5}, {999, 1000}, {500, 800}}
	for _, px := range []float64{300, 1000} {
		for _, win := range windows {
			m := newTimelineModel(tlSpan(0, 1000))
			m.setWindow(m.win.Select(tlAt(win[0]), tlAt(win[1])))
			sc := tlScene{Win: m.win, W: px, Lanes: lanes, Model: &m}
			f := paintFrame(&sc, &tlBufs{})
			tabbable := 0
			for i, lane := range lanes {
				want := 0
				for _, e := range lane.Events {
					if m.win.Contains(e.Time) {
						want++
					}
				}
				html := laneHTML(f.Marks[i])
				got := len(reEventID.FindAllString(html, -1))
				for _, c := range reCount.FindAllStringSubmatch(html, -1) {
					n, _ := strconv.Atoi(c[1])
					got += n
				}
				if got != want {
					t.Errorf("px %v window %v lane %s: markers and badges count %d events; want %d", px, win, lane.Lane, got, want)
				}
				if !strings.Contains(f.LaneARIA[i], strconv.Itoa(want)+" in view") {
					t.Errorf("lane %s aria-label %q does not say %d in view", lane.Lane, f.LaneARIA[i], want)
				}
				tabbable += len(reTab0.FindAllString(html, -1))
			}
			if tabbable > 1 {
				t.Errorf("px %v window %v: %d markers in the Tab order; want at most one (roving tabindex)", px, win, tabbable)
			}
		}
	}
}

func TestPaintFramePinsAndFocus(t *testing.T) {
	evs := []studio.Event{
		{ID: "a", Lane: studio.LaneCheckpoint, Time: tlAt(100), Title: `ckpt "best" <v2>`, Severity: studio.SeverityInfo},
		{ID: "b", Lane: studio.LaneAlert, Time: tlAt(500), Title: "loss spike", Severity: studio.SeverityCritical},
		{ID: "c", Lane: studio.LaneAlert, Time: tlAt(900), Title: "nan", Severity: studio.SeverityWarning},
	}
	lanes := timeline.Group(evs)
	byID := map[studio.EventID]studio.Event{}
	for _, e := range evs {
		byID[e.ID] = e
	}
	m := newTimelineModel(tlSpan(0, 1000))
	m.togglePin("b")
	m.focus = "c"
	sc := tlScene{Win: m.win, W: 1000, Lanes: lanes, Model: &m, ByID: byID}
	f := paintFrame(&sc, &tlBufs{})
	alert := laneHTML(f.Marks[2])
	for _, want := range []string{
		`class="tl-ev sev-critical pinned compared"`, `data-pin="A"`, `aria-pressed="true"`,
		`aria-label="loss spike, alert lane, Nov 20 01:08:20 UTC, critical, pinned A"`,
		`data-event-id="c" tabindex="0"`,
	} {
		if !strings.Contains(alert, want) {
			t.Errorf("alert lane lacks %s:\n%s", want, alert)
		}
	}
	if ck := laneHTML(f.Marks[1]); !strings.Contains(ck, `aria-label="ckpt &#34;best&#34; &lt;v2&gt;, checkpoint lane`) {
		t.Errorf("checkpoint title is not escaped:\n%s", ck)
	}
	if !strings.Contains(f.PinLines, `<span>A</span>`) || !strings.Contains(f.OverviewPins, ">A</i>") {
		t.Errorf("pin A is not drawn: %q / %q", f.PinLines, f.OverviewPins)
	}
	if f.BrushX != 0 || f.BrushW != 1000 {
		t.Errorf("brush of the whole span at [%v, +%v]; want [0, +1000]", f.BrushX, f.BrushW)
	}
}

func TestPaintTrack(t *testing.T) {
	var pts []studio.Point
	for i := range 5000 {
		pts = append(pts, studio.Point{Step: i, Time: tlAt(float64(i) / 5), Value: float64(i % 100)})
	}
	m := newTimelineModel(tlSpan(0, 1000))
	m.setWindow(m.win.Select(tlAt(10), tlAt(990)))
	sc := tlScene{Win: m.win, W: 400, Model: &m, Tracks: []tlTrack{{Name: "loss", Points: pts}, {Name: "empty"}}}
	f := paintFrame(&sc, &tlBufs{})
	tr := f.Tracks[0]
	if tr.Empty || !strings.HasPrefix(tr.Line, "M") || tr.Area == "" {
		t.Fatalf("track 0 = %+v; want a line and an area", tr)
	}
	if n := strings.Count(tr.Line, "L") + 1; n > 400 {
		t.Errorf("track drawn with %d points over 400 px; want it decimated to at most 1 per px", n)
	}
	if tr.Hi != "99" || tr.Lo != "0" {
		t.Errorf("track extent labels %q..%q; want 0..99", tr.Lo, tr.Hi)
	}
	if !f.Tracks[1].Empty {
		t.Error("a track without points is not marked empty")
	}
	// Finer points are used once they cover the window.
	sc.Win = m.win.Select(tlAt(100), tlAt(200))
	detail := []studio.Point{{Time: tlAt(90), Value: 5}, {Time: tlAt(150), Value: 7}, {Time: tlAt(210), Value: 6}}
	sc.Tracks[0].Detail, sc.Tracks[0].DetailSpan = detail, tlSpan(50, 250)
	f = paintFrame(&sc, &tlBufs{})
	if f.Tracks[0].Hi != "7" || len(f.Tracks[0].Pts) != 3 {
		t.Errorf("with detail points the track shows %q max over %d points; want 7 over 3", f.Tracks[0].Hi, len(f.Tracks[0].Pts))
	}
}

func TestHoverAt(t *testing.T) {
	evs := []studio.Event{
		{ID: "a", Lane: studio.LaneCheckpoint, Time: tlAt(100), Title: "ckpt"},
		{ID: "b", Lane: studio.LaneAlert, Time: tlAt(600), Title: "spike <1>"},
	}
	ix := timeline.NewIndex(evs)
	pts := []studio.Point{{Step: 1, Time: tlAt(0), Value: 1}, {Step: 2, Time: tlAt(500), Value: 2}, {Step: 3, Time: tlAt(1000), Value: 3}}
	tracks := []tlTrack{{Name: "loss", Points: pts}, {Name: "accuracy", Unit: "%"}}
	m := newTimelineModel(tlSpan(0, 1000))
	h := hoverAt(450, m.win, 1000, ix, tracks, nil)
	if !h.T.Equal(tlAt(450)) || h.Near.ID != "b" || !h.HasNear {
		t.Errorf("hoverAt(450) = %v near %s; want 450 s near b", h.T.Sub(tlT0), h.Near.ID)
	}
	if r := h.Readings[0]; !r.OK || r.Point.Step != 2 {
		t.Errorf("loss reading = %+v; want the point at 500 s", r)
	}
	if h.Readings[1].OK {
		t.Error("an empty track has a reading")
	}
	html := readoutHTML(h, m.win.Width(), "B")
	for _, want := range []string{`data-event-id="b"`, "spike &lt;1&gt;", `<b class="tl-ro-pin">B</b>`, "alert · ", "+2m 30s", "<dd>—</dd>"} {
		if !strings.Contains(html, want) {
			t.Errorf("readout lacks %q:\n%s", want, html)
		}
	}
	if h := hoverAt(-50, m.win, 1000, nil, nil, nil); !h.T.Equal(tlAt(0)) || h.HasNear {
		t.Errorf("hoverAt(-50) without events = %v, %v; want the window start and no event", h.T.Sub(tlT0), h.HasNear)
	}
}

func TestPaintOverview(t *testing.T) {
	evs := tlEvents(500)
	m := newTimelineModel(tlSpan(0, 1000))
	ov := paintOverview(m.win, 600, timeline.Group(evs), []tlTrack{{Name: "loss", Points: []studio.Point{{Time: tlAt(0), Value: 1}, {Time: tlAt(1000), Value: 2}}}})
	if ov.Bars == "" || ov.Alerts == "" || !strings.HasPrefix(ov.Spark, "M0 ") {
		t.Errorf("overview = %+v; want bars, alert bars and a sparkline from x=0", ov)
	}
	if got := paintOverview(m.win, 0, nil, nil); got != (tlOverview{}) {
		t.Errorf("overview at width 0 = %+v; want nothing", got)
	}
}

func TestTimelineRender(t *testing.T) {
	evs := tlEvents(40)
	tl := &Timeline{
		ID: "run-0001", Label: "Timeline of r", Events: evs, Version: 1, Span: tlSpan(0, 1000), Live: true,
		Tracks: []studio.Series{{Name: "loss"}, {Name: "accuracy", Unit: "%"}},
		Report: "/api/runs/run-0001/report.pdf",
	}
	tl.OnInit()
	tl.m.togglePin(evs[0].ID)
	tl.m.togglePin("ev-missing")
	html := app.HTMLString(tl)
	for _, want := range []string{
		`data-testid="timeline"`, `aria-label="Timeline of r"`,
		`data-lane="deploy"`, `data-lane="checkpoint"`, `data-lane="alert"`, `data-lane="log_spike"`, `data-lane="commit"`,
		`role="list"`, `role="listitem"`, `role="group"`, `data-testid="lane-count"`,
		`data-testid="brush"`, `role="slider"`, `data-handle="l"`, `data-handle="r"`,
		`data-metric="loss"`, `data-metric="accuracy"`,
		`data-testid="pins"`, `data-testid="pin"`, `data-pin="A"`, `data-pin="B"`, "not in this timeline",
		`data-testid="export-report"`, `download="run-0001-timeline-report.pdf"`,
		`data-action="follow"`, `data-testid="compare-duration"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("timeline HTML lacks %s", want)
		}
	}
	// The lane label counts say how many events each lane has.
	for _, l := range timeline.Group(evs) {
		if !strings.Contains(html, ">"+laneLabelPlural(l.Lane)+"<") {
			t.Errorf("no label for lane %s", l.Lane)
		}
	}
}

func TestTimelineReportHref(t *testing.T) {
	tl := &Timeline{ID: "x", Span: tlSpan(0, 1000), Report: "/api/runs/x/report.pdf", Version: 1}
	tl.OnInit()
	tl.m.setWindow(tl.m.win.Select(tlAt(60), tlAt(120)))
	tl.m.togglePin("a")
	tl.m.togglePin("b")
	want := "/api/runs/x/report.pdf?from=2026-11-20T01%3A01%3A00Z&pins=a%2Cb&to=2026-11-20T01%3A02%3A00Z"
	if got := tl.reportHref(); got != want {
		t.Errorf("reportHref() = %s; want %s", got, want)
	}
}

func TestMedianSpacing(t *testing.T) {
	var pts []studio.Point
	for i := range 100 {
		pts = append(pts, studio.Point{Time: tlAt(float64(i) * 2)})
	}
	if got := medianSpacing(pts); got != 2*time.Second {
		t.Errorf("medianSpacing = %v; want 2s", got)
	}
	if got := medianSpacing(pts[:1]); got != 0 {
		t.Errorf("medianSpacing(one point) = %v; want 0", got)
	}
}

func TestCompactCount(t *testing.T) {
	for n, want := range map[int]string{7: "7", 999: "999", 1000: "1k", 1250: "1.2k", 9999: "9.9k", 12345: "12k"} {
		if got := compactCount(n); got != want {
			t.Errorf("compactCount(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestAppendTrackPath(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		xs, ys []float64
		want   string
		broken bool
	}{
		{"plain", []float64{0, 1.25, 2}, []float64{10, 9.96, -0.04}, "M0 10L1.3 10L2 0", false},
		{"negative", []float64{-3.46}, []float64{-0.5}, "M-3.5 -0.5", false},
		{"a NaN breaks the line", []float64{0, 1, 2, 3}, []float64{1, nan, 2, 3}, "M0 1M2 2L3 3", true},
		{"leading NaN is no break", []float64{0, 1}, []float64{nan, 2}, "M1 2", false},
		{"empty", nil, nil, "", false},
	}
	for _, tt := range tests {
		got, broken := appendTrackPath(nil, tt.xs, tt.ys)
		if string(got) != tt.want || broken != tt.broken {
			t.Errorf("%s: appendTrackPath = %q, %v; want %q, %v", tt.name, got, broken, tt.want, tt.broken)
		}
	}
}

func TestPaintFrameFastPanKeepsKeys(t *testing.T) {
	lanes := timeline.Group(tlEvents(3000))
	m := newTimelineModel(tlSpan(0, 1000))
	m.setWindow(m.win.Select(tlAt(302), tlAt(306))) // inside the burst
	keys := func(w timeline.Window) map[string]bool {
		sc := tlScene{Win: w, W: 200, Lanes: lanes, Model: &m, Fast: true, Pan: true, Anchor: m.win.From.Add(-m.win.Width())}
		f := paintFrame(&sc, &tlBufs{})
		out := map[string]bool{}
		for _, lane := range f.Marks {
			for _, o := range lane {
				out[o.Key] = true
			}
		}
		return out
	}
	a := keys(m.win)
	b := keys(m.win.Pan(time.Duration(float64(m.win.Width()) * 3 / 200))) // 3 px
	same := 0
	for k := range b {
		if a[k] {
			same++
		}
	}
	if same*10 < len(b)*9 {
		t.Errorf("a 3 px pan kept %d of %d mark keys; want at least 90%% so the elements are reused", same, len(b))
	}
	// A full paint of the same window lays out exactly the window.
	sc := tlScene{Win: m.win, W: 1000, Lanes: lanes, Model: &m}
	f := paintFrame(&sc, &tlBufs{})
	for i, lane := range f.Marks {
		for _, o := range lane {
			if o.X < -10 || o.X > 1000 {
				t.Errorf("lane %d: full paint has a mark at x=%v outside the window", i, o.X)
			}
		}
	}
}

func TestTimelineDefaultWindow(t *testing.T) {
	tl := &Timeline{ID: "d", Span: tlSpan(0, 1000), Default: tlSpan(600, 1000), Version: 1}
	tl.OnInit()
	if !tl.m.win.From.Equal(tlAt(600)) || !tl.m.win.To.Equal(tlAt(1000)) || tl.m.whole {
		t.Errorf("window [%v, %v] whole=%v; want the default [600 s, 1000 s]", tl.m.win.From.Sub(tlT0), tl.m.win.To.Sub(tlT0), tl.m.whole)
	}
	// The default window sits at the live edge, so it follows it.
	tl.Span, tl.Version = tlSpan(0, 1200), 2
	tl.sync()
	if !tl.m.win.To.Equal(tlAt(1200)) || tl.m.win.Width() != 400*time.Second {
		t.Errorf("after the span grew the window is [%v, %v]; want [800 s, 1200 s]", tl.m.win.From.Sub(tlT0), tl.m.win.To.Sub(tlT0))
	}
}

func TestDeploymentWindow(t *testing.T) {
	d := studio.Deployment{
		HealthHistory: []studio.HealthSample{{Time: tlAt(5000)}, {Time: tlAt(9000)}},
		History:       []studio.HistoryEntry{{Action: "start", Time: tlAt(100)}, {Action: "advance", Time: tlAt(200)}, {Action: "start", Time: tlAt(4000)}},
	}
	span := tlSpan(0, 9500)
	if got, want := deploymentWindow(d, span), tlSpan(4000-1800, 9500); got != want {
		t.Errorf("deploymentWindow = %v; want the health history widened to the last rollout start %v", got, want)
	}
	if got := deploymentWindow(studio.Deployment{}, span); got != (timeline.Span{}) {
		t.Errorf("deploymentWindow without health = %v; want none", got)
	}
	tracks := healthTracks([]studio.HealthSample{{Time: tlAt(1), Health: studio.Health{LatencyP50: 10, LatencyP99: 40, ErrorRate: 0.02, RPS: 300}}})
	if len(tracks) != 4 || tracks[2].Name != trackErrorRate || tracks[2].Points[0].Value != 2 || tracks[1].Unit != "ms" {
		t.Errorf("healthTracks = %+v; want p50, p99, error rate in %% and rps", tracks)
	}
}

func TestFmtMetric(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit string
		want string
	}{{2698.5, "ms", "2.699 s"}, {86.9, "ms", "86.9 ms"}, {1234, "req/s", "1.234k req/s"}, {5.38, "%", "5.38%"}} {
		if got := fmtMetric(tt.v, tt.unit, 4); got != tt.want {
			t.Errorf("fmtMetric(%v, %q) = %q; want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func TestPaintFrameWideTracks(t *testing.T) {
	var pts []studio.Point
	for i := range 1000 {
		pts = append(pts, studio.Point{Step: i, Time: tlAt(float64(i)), Value: float64(i)})
	}
	m := newTimelineModel(tlSpan(0, 1000))
	m.setWindow(m.win.Select(tlAt(400), tlAt(500)))
	tracks := []tlTrack{{Name: "a", Points: pts}, {Name: "b", Points: pts}}
	sc := tlScene{Win: m.win, W: 100, Model: &m, Tracks: tracks, Fast: true, Pan: true, TrackWide: true, Reuse: []bool{false, true}}
	f := paintFrame(&sc, &tlBufs{})
	if got, want := f.Tracks[0].Cover, tlSpan(300, 600); got != want {
		t.Errorf("wide track covers %v; want a window more on each side %v", got, want)
	}
	// The wide drawing runs from x=-100 to x=200 (plus the neighbour
	// point on each side) and scales to its own extent (values 299..601).
	if !strings.HasPrefix(f.Tracks[0].Line, "M-101 ") || f.Tracks[0].Hi != "601" {
		t.Errorf("wide track line starts %q, max %q; want x=-101 and 601", f.Tracks[0].Line[:12], f.Tracks[0].Hi)
	}
	if !f.Tracks[1].Reused || f.Tracks[1].Line != "" {
		t.Errorf("track 1 = %+v; want it left to the previous drawing", f.Tracks[1])
	}
}

// benchScene is 10,000 events over a 10,000 s span with four 2,400-point
// tracks, the perf target's size, viewed 1100 px wide.
func benchScene(b *testing.B) (tlScene, *timelineModel) {
	b.Helper()
	evs := make([]studio.Event, 10000)
	for i := range evs {
		evs[i] = studio.Event{ID: studio.EventID("ev-" + strconv.Itoa(i)), Lane: studio.Lanes[i%5], Time: tlAt(float64(i*7919%10000) + float64(i%10)/10), Severity: studio.SeverityInfo}
	}
	tracks := make([]tlTrack, 4)
	for k := range tracks {
		pts := make([]studio.Point, 2400)
		for i := range pts {
			pts[i] = studio.Point{Step: i, Time: tlAt(float64(i) * 10000 / 2400), Value: float64((i * (k + 3)) % 97)}
		}
		tracks[k] = tlTrack{Name: "m" + strconv.Itoa(k), Points: pts}
	}
	m := newTimelineModel(tlSpan(0, 10000))
	m.setWindow(m.win.Select(tlAt(2000), tlAt(5000)))
	return tlScene{Win: m.win, W: 1100, Lanes: timeline.Group(evs), Tracks: tracks, Model: &m}, &m
}

func BenchmarkPaintFrame10k(b *testing.B) {
	for _, mode := range []struct {
		name      string
		fast, pan bool
	}{{"full", false, false}, {"drag-zoom", true, false}, {"drag-pan", true, true}} {
		b.Run(mode.name, func(b *testing.B) {
			sc, _ := benchScene(b)
			sc.Fast, sc.Pan, sc.TrackWide = mode.fast, mode.pan, mode.pan
			var bufs tlBufs
			for b.Loop() {
				sc.Win = sc.Win.Pan(time.Second)
				paintFrame(&sc, &bufs)
			}
		})
	}
}

func BenchmarkHoverAt10k(b *testing.B) {
	sc, _ := benchScene(b)
	var evs []studio.Event
	for _, l := range sc.Lanes {
		evs = append(evs, l.Events...)
	}
	ix := timeline.NewIndex(evs)
	var reads []timeline.Reading
	x := 0.0
	for b.Loop() {
		x = math.Mod(x+7, 1100)
		h := hoverAt(x, sc.Win, 1100, ix, sc.Tracks, reads)
		reads = h.Readings
		_ = readoutHTML(h, sc.Win.Width(), "")
	}
}

func TestPaintFrameMarkCacheFollowsState(t *testing.T) {
	evs := tlEvents(200)
	lanes := timeline.Group(evs)
	m := newTimelineModel(tlSpan(0, 1000))
	var bufs tlBufs
	sc := tlScene{Win: m.win, W: 1000, Lanes: lanes, Model: &m}
	before := laneHTML(paintFrame(&sc, &bufs).Marks[1])
	id := studio.EventID("ev-1") // lane 1, at 997 s: drawn on its own
	if !strings.Contains(before, `data-event-id="ev-1"`) || strings.Contains(before, "pinned") {
		t.Fatalf("lane 1 before pinning:\n%s", before)
	}
	m.togglePin(id)
	after := laneHTML(paintFrame(&sc, &bufs).Marks[1])
	if !strings.Contains(after, `pinned compared" data-testid="timeline-event" data-event-id="ev-1"`) {
		t.Errorf("after pinning with the same buffers the marker is not pinned:\n%s", after)
	}
	m.focus = id
	focused := laneHTML(paintFrame(&sc, &bufs).Marks[1])
	if !strings.Contains(focused, `data-event-id="ev-1" data-pin="A" tabindex="0"`) {
		t.Errorf("the focused marker is not the tabbable one:\n%s", focused)
	}
}

func TestPaintFramePanReusesMarks(t *testing.T) {
	lanes := timeline.Group(tlEvents(3000))
	m := newTimelineModel(tlSpan(0, 1000))
	m.setWindow(m.win.Select(tlAt(302), tlAt(306)))
	anchor := m.win.From.Add(-m.win.Width())
	var bufs tlBufs
	frame := func(w timeline.Window) tlFrame {
		sc := tlScene{Win: w, W: 200, Lanes: lanes, Model: &m, Fast: true, Pan: true, Anchor: anchor, StateKey: "s"}
		return paintFrame(&sc, &bufs)
	}
	a := frame(m.win)
	panned := m.win.Pan(time.Duration(float64(m.win.Width()) * 10 / 200)) // 10 px
	b := frame(panned)
	// The second frame reuses the first's marks, moved 10 px left.
	fresh := tlBufs{}
	sc := tlScene{Win: panned, W: 200, Lanes: lanes, Model: &m, Fast: true, Pan: true, Anchor: anchor}
	want := paintFrame(&sc, &fresh)
	for i := range want.Marks {
		if len(b.Marks[i]) != len(want.Marks[i]) || len(a.Marks[i]) != len(b.Marks[i]) {
			t.Fatalf("lane %d: %d marks reused, %d laid out afresh", i, len(b.Marks[i]), len(want.Marks[i]))
		}
		for j := range want.Marks[i] {
			if got, w := b.Marks[i][j], want.Marks[i][j]; got.Key != w.Key || math.Abs(got.X-w.X) > 1e-6 || got.Open != w.Open {
				t.Fatalf("lane %d mark %d: reused %+v; laid out afresh %+v", i, j, got, w)
			}
		}
	}
	if a.LaneARIA[0] == "" || b.LaneARIA[0] != want.LaneARIA[0] {
		t.Errorf("reused frame's lane label %q; want %q", b.LaneARIA[0], want.LaneARIA[0])
	}
}
