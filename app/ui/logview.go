package ui

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// longLine is the message length past which a row offers "expand".
const longLine = 160

// LogViewer is the virtualized log of a run ([data-testid=log-viewer],
// rows [data-testid=log-row][data-seq]). Only the rows in view plus a
// small overscan are in the DOM, whatever the log's size: a spacer as tall
// as the log (scaled past maxSpacerPx) gives the scrollbar its extent, and
// pages of lines are fetched by position as the user scrolls.
//
// It has line numbers, level colours, a level filter that counts the
// lines it keeps in the whole log ([data-testid=level-count]), a search
// over the whole log with a match count and next/previous (the browser's find
// cannot see rows that are not in the DOM), jumps to the start, the end, a
// line or a time, a follow mode that tails the live stream until the user
// scrolls up, wrapping, expansion of long lines, and links to a line
// (?tab=logs&line=N) that open scrolled to it and highlighted.
type LogViewer struct {
	app.Compo
	Data   *rundata.State
	Client *query.Client
	// Line is the line to open on (from the URL), -1 for none.
	Line int64

	of        *rundata.State
	cancel    func()
	onKey     app.Func
	mounted   bool
	viewH     float64
	scrollTop float64
	rng       logRange
	total     int64
	tailVer   uint64

	pages   *logPages
	list    logList
	listGen int // bumps when the filtered list is reset; stale pages are dropped
	filter  logFilter
	busy    int // filtered pages in flight
	listErr error
	anchor  int64 // seq the filtered list is (re)loaded around, -1 for the end

	search     *logSearch
	searchText string
	levelCount *levelCount // lines of the filtered levels in the whole log; nil without a level filter
	searchGen  int
	only       bool // show only the lines matching the search

	wrap      bool
	follow    bool
	expanded  map[int64]bool
	highlight int64
	opened    bool // the initial position was applied
	pending   bool // a scrollTop to apply after the next render
	fetchSet  bool
	moved     time.Time // when the rows in view last changed
	fetched   time.Time // when pages were last requested
	notice    string
	gotoLine  string
	gotoTime  string
	lineSeen  int64 // the Line prop last applied
	dom       logDOM
	painting  bool     // a paint is queued after the current render
	paintFn   app.Func // runs the queued paint
	fillCtx   rowFill  // shared by the row fills of one paint
}

// OnInit prepares the caches.
func (v *LogViewer) OnInit() {
	v.pages = newLogPages()
	v.expanded = make(map[int64]bool)
	v.highlight = -1
	v.viewH = 560
	v.anchor = 0
}

// OnMount subscribes to the run's data and measures the viewport.
func (v *LogViewer) OnMount(ctx app.Context) {
	v.mounted = true
	v.paintFn = app.FuncOf(func(app.Value, []app.Value) any {
		v.painting = false
		v.paint(true)
		return nil
	})
	v.subscribe(ctx)
	v.onKey = app.FuncOf(func(_ app.Value, args []app.Value) any {
		e := args[0]
		if (e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()) && strings.EqualFold(e.Get("key").String(), "f") {
			if el := app.Window().GetElementByID("log-search"); el.Truthy() {
				e.Call("preventDefault")
				el.Call("focus")
				el.Call("select")
			}
		}
		return nil
	})
	app.Window().Call("addEventListener", "keydown", v.onKey)
	ctx.Defer(func(ctx app.Context) {
		v.measure(ctx)
		v.open(ctx)
	})
}

// OnUpdate follows another run, or a new linked line.
func (v *LogViewer) OnUpdate(ctx app.Context) {
	v.subscribe(ctx)
	if v.opened && v.Line >= 0 && v.Line != v.lineSeen {
		v.lineSeen = v.Line
		v.highlight = v.Line
		v.jumpSeq(ctx, v.Line)
	}
}

// OnResize remeasures the viewport.
func (v *LogViewer) OnResize(ctx app.Context) { v.measure(ctx) }

// OnDismount ends the subscriptions.
func (v *LogViewer) OnDismount() {
	v.mounted = false
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	if v.onKey != nil {
		app.Window().Call("removeEventListener", "keydown", v.onKey)
		v.onKey.Release()
		v.onKey = nil
	}
	if v.paintFn != nil {
		v.paintFn.Release()
		v.paintFn = nil
	}
	v.of = nil
}

func (v *LogViewer) subscribe(ctx app.Context) {
	if v.Data == v.of {
		return
	}
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.of = v.Data
	if v.Data == nil {
		return
	}
	if v.levelCount != nil { // another run: count its lines
		v.levelCount = nil
		v.countLevels(ctx)
	}
	data := v.Data
	v.cancel = data.Subscribe(func() {
		ctx.Dispatch(func(ctx app.Context) {
			if v.of != data || !v.onData(ctx) {
				ctx.PreventUpdate()
			}
		})
	})
}

// logCount is the run's line count as the client state knows it.
func (v *LogViewer) logCount() int64 {
	if v.Data == nil {
		return 0
	}
	r, ok := v.Data.Run()
	if !ok {
		return 0
	}
	n := r.LogCount
	if _, last, ok := v.Data.TailBounds(); ok {
		n = max(n, last+1)
	}
	return n
}

// running reports whether the run still writes lines.
func (v *LogViewer) running() bool {
	if v.Data == nil {
		return false
	}
	r, ok := v.Data.Run()
	return ok && !r.Status.Terminal()
}

// onData reacts to new run data (a bigger log, streamed lines). It returns
// whether to re-render.
func (v *LogViewer) onData(ctx app.Context) bool {
	if !v.opened {
		v.open(ctx)
		return true
	}
	tv := v.Data.TailVersion()
	n := v.logCount()
	if !v.filter.active() && n == v.total && tv == v.tailVer {
		return false
	}
	v.tailVer = tv
	if v.filter.active() {
		v.recountLevels(ctx)
		if v.list.loaded && v.list.next == "" {
			last := int64(-1)
			if k := len(v.list.lines); k > 0 {
				last = v.list.lines[k-1].Seq
			}
			var add []studio.LogLine
			for _, l := range v.Data.TailSince(last + 1) {
				if v.filter.keeps(l) {
					add = append(add, l)
				}
			}
			if len(add) == 0 {
				return false
			}
			v.list.appendPage(add, "")
		} else {
			return false
		}
	}
	v.layout()
	if v.follow {
		v.scrollTo(ctx, v.window().End())
	} else {
		v.ensure(ctx)
		v.paint(false)
	}
	return false
}

// open applies the initial position once the log's size is known: the
// linked line, else the end of a running run (following), else the start.
func (v *LogViewer) open(ctx app.Context) {
	if v.opened || !v.mounted || v.Data == nil {
		return
	}
	if _, ok := v.Data.Run(); !ok {
		return
	}
	v.opened = true
	v.syncViewH()
	v.total = v.logCount()
	v.tailVer = v.Data.TailVersion()
	switch {
	case v.Line >= 0:
		v.lineSeen = v.Line
		v.highlight = min(v.Line, max(v.total-1, 0))
		v.jumpSeq(ctx, v.highlight)
	case v.running():
		v.follow = true
		v.layout()
		v.scrollTo(ctx, v.window().End())
	default:
		v.layout()
		v.ensure(ctx)
	}
	ctx.Update()
}

func (v *LogViewer) measure(ctx app.Context) {
	el := v.viewport()
	if !el.Truthy() {
		return
	}
	if h := el.Get("clientHeight").Float(); h > 0 && h != v.viewH {
		v.viewH = h
		v.layout()
		v.ensure(ctx)
		ctx.Update()
	}
}

func (v *LogViewer) viewport() app.Value {
	root := v.JSValue()
	if root == nil || !root.Truthy() {
		return app.Null()
	}
	return root.Call("querySelector", ".log-viewer")
}

// rowCount is the number of rows of the sequence shown.
func (v *LogViewer) rowCount() int64 {
	if v.filter.active() {
		return int64(len(v.list.lines))
	}
	return v.total
}

func (v *LogViewer) window() logWindow { return newLogWindow(v.rowCount(), v.viewH) }

// layout recomputes the rows in view.
func (v *LogViewer) layout() {
	if !v.filter.active() {
		v.total = v.logCount()
	}
	v.rng = v.window().Visible(v.scrollTop)
}

// syncViewH reads the viewport's height, so a jump computed before the
// first measurement still lands where it should.
func (v *LogViewer) syncViewH() {
	if el := v.viewport(); el.Truthy() {
		if h := el.Get("clientHeight").Float(); h > 0 {
			v.viewH = h
		}
	}
}

// scrollTo moves the viewport to scrollTop after the next render.
func (v *LogViewer) scrollTo(ctx app.Context, top float64) {
	v.scrollTop = top
	v.layout()
	v.ensure(ctx)
	if v.pending {
		return
	}
	v.pending = true
	ctx.Defer(func(ctx app.Context) { v.applyScroll(ctx, 0) })
}

// applyScroll sets the viewport's scrollTop to the state's. The spacer
// may not be tall enough yet in the frame the jump was made (the first
// render of a mounting viewer): then it tries again on the next frames.
func (v *LogViewer) applyScroll(ctx app.Context, attempt int) {
	v.paint(true)
	el := v.viewport()
	if el.Truthy() {
		el.Set("scrollTop", v.scrollTop)
		if got := el.Get("scrollTop").Float(); got >= v.scrollTop-1 || attempt >= 20 {
			v.pending = false
			if got < v.scrollTop-1 { // the log is shorter than thought
				v.scrollTop = got
				v.paint(false)
			}
			return
		}
	}
	ctx.After(16*time.Millisecond, func(ctx app.Context) {
		ctx.PreventUpdate()
		v.applyScroll(ctx, attempt+1)
	})
}

// onScroll follows the viewport: it moves and refills the recycled rows
// directly, without rendering any component (only a change of follow mode
// re-renders, for its button).
func (v *LogViewer) onScroll(ctx app.Context, e app.Event) {
	st := ctx.JSSrc().Get("scrollTop").Float()
	changed := false
	if v.pending {
		// A programmatic jump is being applied; its own paint follows.
		ctx.PreventUpdate()
		return
	}
	if v.follow && st < v.scrollTop-2 {
		v.follow = false // the user scrolled up
		changed = true
	} else if !v.follow && v.running() && !v.filter.active() && st >= v.window().End()-1 && st > v.scrollTop {
		v.follow = true // back at the bottom of a live log
		changed = true
	}
	v.scrollTop = st
	old := v.rng
	v.paint(false)
	if v.rng.First != old.First || v.rng.Last != old.Last {
		v.ensure(ctx)
	}
	if !changed {
		ctx.PreventUpdate()
	}
}

// paint brings the recycled rows, the spacer and the status label in line
// with the state. force refills every row (after a change of highlight,
// search or expansion).
func (v *LogViewer) paint(force bool) {
	if !v.dom.bind(v.JSValue()) {
		return
	}
	w := v.window()
	r := w.Visible(v.scrollTop)
	v.rng = r
	v.dom.setHeight(w.Height())
	v.dom.place(r.Top, r.AtEnd)
	v.fillCtx = v.rowContext()
	v.dom.update(r.First, r.Last, v.fillRow, force)
	v.dom.setLabel(v.rangeLabel())
	ds := v.dom.viewport.Get("dataset")
	ds.Set("total", strconv.FormatInt(v.rowCount(), 10))
	ds.Set("first", strconv.FormatInt(r.First, 10))
	ds.Set("follow", strconv.FormatBool(v.follow))
	ds.Set("highlight", strconv.FormatInt(v.highlight, 10))
	ds.Set("scale", strconv.FormatFloat(w.Scale(), 'f', 3, 64))
}

// rowFill is what every row fill of one paint shares.
type rowFill struct {
	q        string
	cur      int64
	filtered bool
}

func (v *LogViewer) rowContext() rowFill {
	f := rowFill{cur: -1, filtered: v.filter.active()}
	if v.search != nil {
		f.q = v.search.q
		if v.search.cur >= 0 && v.search.cur < len(v.search.seqs) {
			f.cur = v.search.seqs[v.search.cur]
		}
	}
	return f
}

// lineAt returns the line shown in row (a seq, or an index into the
// filtered list).
func (v *LogViewer) lineAt(row int64) (studio.LogLine, bool) {
	if v.filter.active() {
		if row >= 0 && row < int64(len(v.list.lines)) {
			return v.list.lines[row], true
		}
		return studio.LogLine{Seq: -1}, false
	}
	if v.Data != nil {
		if l, ok := v.Data.TailLine(row); ok {
			return l, true
		}
	}
	if l, ok := v.pages.line(row); ok {
		return l, true
	}
	return studio.LogLine{Seq: row}, false
}

// fillRow writes line row into the recycled element r.
func (v *LogViewer) fillRow(r *logRowEl, row int64, force bool) {
	f := v.fillCtx
	ln, ok := v.lineAt(row)
	cls := "log-row loading"
	long, exp := false, false
	if ok {
		cls = "log-row lvl-" + string(ln.Level)
		if ln.Seq == v.highlight {
			cls += " hl"
		}
		if ln.Seq == f.cur {
			cls += " cur"
		}
		long = len(ln.Message) > longLine
		exp = long && v.expanded[ln.Seq]
		if exp {
			cls += " expanded"
		}
	}
	q := ""
	if ok && f.q != "" && containsFold(ln.Message, f.q) {
		q = f.q
	}
	key := strconv.FormatInt(ln.Seq, 10) + "|" + cls + "|" + q
	if !force && key == r.key {
		return
	}
	r.key = key
	r.el.Set("className", cls)
	r.el.Call("setAttribute", "data-seq", strconv.FormatInt(ln.Seq, 10))
	if ln.Seq == v.highlight {
		r.el.Call("setAttribute", "aria-current", "true")
	} else {
		r.el.Call("removeAttribute", "aria-current")
	}
	r.ln.Set("textContent", strconv.FormatInt(ln.Seq, 10))
	if !ok {
		r.lt.Set("textContent", "")
		r.lv.Set("textContent", "")
		r.ls.Set("textContent", "")
		r.lm.Set("textContent", "")
		r.lx.Get("style").Set("display", "none")
		r.lc.Get("style").Set("display", "none")
		return
	}
	r.lt.Set("textContent", ln.Time.Local().Format("15:04:05.000"))
	r.lv.Set("textContent", string(ln.Level))
	r.ls.Set("textContent", ln.Source)
	if q == "" {
		r.lm.Set("textContent", ln.Message)
	} else {
		r.lm.Set("textContent", "")
		doc := app.Window().Get("document")
		for i, part := range highlight(ln.Message, q) {
			if part == "" {
				continue
			}
			if i%2 == 1 {
				m := doc.Call("createElement", "mark")
				m.Set("textContent", part)
				r.lm.Call("appendChild", m)
			} else {
				r.lm.Call("appendChild", doc.Call("createTextNode", part))
			}
		}
	}
	if long {
		r.lx.Get("style").Set("display", "")
		label := "more"
		if exp {
			label = "less"
		}
		r.lx.Set("textContent", label)
		r.lx.Call("setAttribute", "aria-expanded", strconv.FormatBool(exp))
	} else {
		r.lx.Get("style").Set("display", "none")
	}
	r.lc.Get("style").Set("display", "")
	r.lc.Call("setAttribute", "aria-label", "Copy link to line "+strconv.FormatInt(ln.Seq, 10))
}

// rangeLabel describes the rows in view.
func (v *LogViewer) rangeLabel() string {
	total := v.logCount()
	w := v.window()
	switch {
	case v.filter.active():
		n := int64(len(v.list.lines))
		if n == 0 {
			return "No matching lines loaded"
		}
		a, b := w.RowAt(v.scrollTop, 0), min(w.RowAt(v.scrollTop, v.viewH-1), n-1)
		shown := formatCount(n) + " loaded"
		if c := v.levelCount; c != nil && c.done && v.filter.q == "" {
			shown = formatCount(max(c.count, n)) + " matching"
		}
		return "Matching lines " + formatCount(v.list.lines[a].Seq) + "–" + formatCount(v.list.lines[b].Seq) + " (" + shown + ") of " + formatCount(total) + " lines"
	case total > 0:
		a, b := w.RowAt(v.scrollTop, 0), min(w.RowAt(v.scrollTop, v.viewH-1), total-1)
		return "Lines " + formatCount(a) + "–" + formatCount(b) + " of " + formatCount(total)
	}
	return "No lines yet"
}

// ensure fetches what the rows in view need, shortly after scrolling
// settles (a fast scroll through a million lines fetches nothing on the
// way).
func (v *LogViewer) ensure(ctx app.Context) {
	if v.Client == nil || v.Data == nil || app.IsServer {
		return
	}
	if v.filter.active() {
		v.ensureList(ctx)
		return
	}
	v.moved = time.Now()
	if v.fetchSet {
		return
	}
	v.fetchSet = true
	v.fetchLater(ctx)
}

// fetchLater fetches the pages in view once the view has stayed put for
// 40 ms, or every 200 ms during a long scroll: a fast scroll through a
// million lines decodes a few pages, not every page it passes.
func (v *LogViewer) fetchLater(ctx app.Context) {
	ctx.After(40*time.Millisecond, func(ctx app.Context) {
		if time.Since(v.moved) < 35*time.Millisecond && time.Since(v.fetched) < 200*time.Millisecond {
			ctx.PreventUpdate()
			v.fetchLater(ctx)
			return
		}
		v.fetchSet = false
		v.fetched = time.Now()
		if !v.fetchPages(ctx) {
			ctx.PreventUpdate()
		}
	})
}

// fetchPages starts the fetches of the pages in view; it returns false
// when nothing was needed.
func (v *LogViewer) fetchPages(ctx app.Context) bool {
	r := v.rng
	tailStart := int64(1) << 62
	if first, _, ok := v.Data.TailBounds(); ok {
		tailStart = first
	}
	started := false
	for i, pg := range v.pages.missing(r.First, min(r.Last, tailStart), v.total) {
		if i >= 3 || len(v.pages.inflight) >= 4 {
			break
		}
		v.pages.start(pg)
		started = true
		u := v.logsURL() + "&from_seq=" + strconv.FormatInt(pg*logPageSize, 10) + "&limit=" + strconv.Itoa(logPageSize)
		pages, run := v.pages, v.Data
		v.getPage(ctx, u, func(ctx app.Context, p api.LogPage, err error) {
			if v.pages != pages || v.Data != run {
				ctx.PreventUpdate()
				return
			}
			if err != nil {
				pages.fail(pg)
				v.notice = "Couldn't load lines: " + studio.ErrorMessage(err)
				ctx.After(2*time.Second, func(ctx app.Context) { v.ensure(ctx) })
				return
			}
			pages.put(pg, p.Lines)
			hadNotice := v.notice != ""
			v.notice = ""
			if p.Total > v.total && !v.filter.active() {
				v.layout()
			}
			// The rows are filled directly: no render.
			if !hadNotice {
				ctx.PreventUpdate()
			}
			v.paint(false)
			v.ensure(ctx)
		})
	}
	v.pages.touch(r.First, r.Last)
	return started
}

// logsURL is the run's log endpoint with the level filter applied.
func (v *LogViewer) logsURL() string {
	return rundata.RunKey(v.Data.ID()) + "/logs?" + v.filterQuery()
}

// filterQuery is level=…&q=… for the current filter (may be empty).
func (v *LogViewer) filterQuery() string {
	q := url.Values{}
	for _, l := range v.filter.levels {
		q.Add("level", string(l))
	}
	if v.filter.q != "" {
		q.Set("q", v.filter.q)
	}
	return q.Encode()
}

// getPage fetches a log page off the UI goroutine and applies it on it.
func (v *LogViewer) getPage(ctx app.Context, u string, apply func(app.Context, api.LogPage, error)) {
	fetchJSON(ctx, v.Client, u, apply)
}

// fetchJSON gets u with client off the UI goroutine, decodes the JSON
// body into a T and calls apply with it on the UI goroutine.
func fetchJSON[T any](ctx app.Context, client *query.Client, u string, apply func(app.Context, T, error)) {
	ctx.Async(func() {
		body, err := client.Do(ctx, query.Request{URL: u})
		var v T
		if err == nil {
			err = json.Unmarshal(body, &v)
		}
		ctx.Dispatch(func(ctx app.Context) { apply(ctx, v, err) })
	})
}

// searchURL is the whole-log search for q (empty: count the filtered
// levels) with the level filter, from seq from, at most limit seqs.
func (v *LogViewer) searchURL(q string, from int64, limit int) string {
	vals := url.Values{}
	if q != "" {
		vals.Set("q", q)
	}
	for _, l := range v.filter.levels {
		vals.Add("level", string(l))
	}
	vals.Set("from_seq", strconv.FormatInt(from, 10))
	vals.Set("limit", strconv.Itoa(limit))
	return rundata.RunKey(v.Data.ID()) + "/logs/search?" + vals.Encode()
}

// ensureList loads the filtered list around its anchor, and more of it
// when the view nears either end.
func (v *LogViewer) ensureList(ctx app.Context) {
	if v.busy > 0 {
		return
	}
	gen := v.listGen
	base := v.logsURL() + "&limit=" + strconv.Itoa(logPageSize)
	switch {
	case !v.list.loaded:
		anchor := v.anchor
		u := base + "&from_seq=" + strconv.FormatInt(max(anchor, 0), 10)
		if anchor < 0 { // the end: the last matching lines
			u = base + "&dir=backward&from_seq=" + strconv.FormatInt(v.logCount(), 10)
		}
		v.busy++
		v.getPage(ctx, u, func(ctx app.Context, p api.LogPage, err error) {
			v.busy--
			if gen != v.listGen {
				ctx.PreventUpdate()
				return
			}
			if v.listErr = err; err != nil {
				return
			}
			if anchor < 0 {
				v.list = logList{next: ""}
				v.list.prependPage(p.Lines, p.Prev)
				v.layout()
				v.scrollTo(ctx, v.window().End())
			} else {
				v.list = logList{prev: p.Prev}
				v.list.appendPage(p.Lines, p.Next)
				i, _ := v.list.index(anchor)
				v.layout()
				v.scrollTo(ctx, v.window().ScrollFor(int64(i), v.highlight >= 0))
			}
			v.ensureList(ctx)
		})
	case v.list.prev != "" && v.rng.First < 40:
		u := base + "&cursor=" + url.QueryEscape(v.list.prev)
		if v.list.prev == "c" && len(v.list.lines) > 0 { // trimmed: continue before the first line
			u = base + "&dir=backward&from_seq=" + strconv.FormatInt(v.list.lines[0].Seq, 10)
		}
		v.busy++
		v.getPage(ctx, u, func(ctx app.Context, p api.LogPage, err error) {
			v.busy--
			if gen != v.listGen {
				ctx.PreventUpdate()
				return
			}
			if v.listErr = err; err != nil {
				return
			}
			added := v.list.prependPage(p.Lines, p.Prev)
			// Keep the lines in view where they are.
			v.scrollTo(ctx, v.scrollTop+float64(added)*logRowHeight)
			v.ensureList(ctx)
		})
	case v.list.next != "" && v.rng.Last > int64(len(v.list.lines))-40:
		u := base + "&cursor=" + url.QueryEscape(v.list.next)
		if v.list.next == "c" && len(v.list.lines) > 0 {
			u = base + "&from_seq=" + strconv.FormatInt(v.list.lines[len(v.list.lines)-1].Seq+1, 10)
		}
		v.busy++
		v.getPage(ctx, u, func(ctx app.Context, p api.LogPage, err error) {
			v.busy--
			if gen != v.listGen {
				ctx.PreventUpdate()
				return
			}
			if v.listErr = err; err != nil {
				return
			}
			v.list.appendPage(p.Lines, p.Next)
			v.layout()
			v.paint(false)
			v.ensureList(ctx)
		})
	}
}

// resetList drops the filtered list and reloads it around seq (-1: the
// end).
func (v *LogViewer) resetList(ctx app.Context, seq int64) {
	v.listGen++
	v.busy = 0
	v.list = logList{}
	v.listErr = nil
	v.anchor = seq
	v.scrollTop = 0
	v.layout()
	v.ensure(ctx)
}

// topSeq is the seq of the first row in view.
func (v *LogViewer) topSeq() int64 {
	row := v.window().RowAt(v.scrollTop, 0)
	if v.filter.active() {
		if row < int64(len(v.list.lines)) {
			return v.list.lines[row].Seq
		}
		return 0
	}
	return row
}

// jumpSeq scrolls line seq to the middle of the view.
func (v *LogViewer) jumpSeq(ctx app.Context, seq int64) {
	v.follow = false
	v.syncViewH()
	if v.filter.active() {
		if i, ok := v.list.index(seq); ok {
			v.scrollTo(ctx, v.window().ScrollFor(int64(i), true))
			return
		}
		v.resetList(ctx, seq)
		return
	}
	v.total = v.logCount()
	v.scrollTo(ctx, v.window().ScrollFor(seq, true))
}

func (v *LogViewer) jumpStart(ctx app.Context, e app.Event) {
	v.follow = false
	if v.filter.active() && v.list.prev != "" {
		v.resetList(ctx, 0)
		return
	}
	v.scrollTo(ctx, 0)
}

func (v *LogViewer) jumpEnd(ctx app.Context, e app.Event) {
	if v.filter.active() {
		if v.list.next != "" {
			v.resetList(ctx, -1)
			return
		}
		v.scrollTo(ctx, v.window().End())
		return
	}
	v.follow = v.running()
	v.layout()
	v.scrollTo(ctx, v.window().End())
}

func (v *LogViewer) toggleFollow(ctx app.Context, e app.Event) {
	if v.follow {
		v.follow = false
		return
	}
	if v.filter.active() {
		v.filter = logFilter{}
		v.only = false
		v.levelCount = nil
	}
	v.follow = true
	v.layout()
	v.scrollTo(ctx, v.window().End())
}

func (v *LogViewer) onGotoLine(ctx app.Context, e app.Event) {
	v.gotoLine = ctx.JSSrc().Get("value").String()
	ctx.PreventUpdate()
}

func (v *LogViewer) submitLine(ctx app.Context, e app.Event) {
	e.PreventDefault()
	n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(v.gotoLine, ",", "")), 10, 64)
	if err != nil || n < 0 {
		v.notice = "Line must be a number from 0 to " + formatCount(max(v.logCount()-1, 0))
		return
	}
	n = min(n, max(v.logCount()-1, 0))
	v.notice = ""
	v.highlight = n
	v.setURLLine(ctx, n)
	v.jumpSeq(ctx, n)
}

func (v *LogViewer) onGotoTime(ctx app.Context, e app.Event) {
	v.gotoTime = ctx.JSSrc().Get("value").String()
	ctx.PreventUpdate()
}

// submitTime jumps to the first line at or after the entered local time.
func (v *LogViewer) submitTime(ctx app.Context, e app.Event) {
	e.PreventDefault()
	t, err := time.ParseInLocation("2006-01-02T15:04:05", v.gotoTime, time.Local)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04", v.gotoTime, time.Local)
	}
	if err != nil {
		v.notice = "Enter a date and time to jump to"
		return
	}
	u := v.logsURL() + "&limit=1&from_time=" + url.QueryEscape(t.UTC().Format(time.RFC3339))
	v.getPage(ctx, u, func(ctx app.Context, p api.LogPage, err error) {
		switch {
		case err != nil:
			v.notice = "Couldn't find that time: " + studio.ErrorMessage(err)
		case len(p.Lines) == 0:
			v.notice = "No line at or after " + t.Format("Jan 2 15:04:05")
			v.jumpEnd(ctx, e)
		default:
			v.notice = ""
			v.highlight = p.Lines[0].Seq
			v.setURLLine(ctx, v.highlight)
			v.jumpSeq(ctx, v.highlight)
		}
	})
}

func (v *LogViewer) toggleWrap(ctx app.Context, e app.Event) { v.wrap = !v.wrap }

// toggleLevel adds or removes a level from the filter, keeping the line
// in view.
func (v *LogViewer) toggleLevel(ctx app.Context, e app.Event) {
	lv := studio.LogLevel(ctx.JSSrc().Get("dataset").Get("level").String())
	top := v.topSeq()
	var next []studio.LogLevel
	found := false
	for _, l := range v.filter.levels {
		if l == lv {
			found = true
			continue
		}
		next = append(next, l)
	}
	if !found {
		next = append(next, lv)
	}
	v.setFilter(ctx, logFilter{levels: next, q: v.filter.q}, top)
	if v.search != nil && v.search.q != "" {
		v.runSearch(ctx, v.search.q, false)
	}
}

// setFilter applies a new filter around line seq.
func (v *LogViewer) setFilter(ctx app.Context, f logFilter, seq int64) {
	v.filter = f
	v.follow = false
	v.countLevels(ctx)
	if f.active() {
		v.resetList(ctx, seq)
		return
	}
	v.total = v.logCount()
	v.jumpSeq(ctx, seq)
}

func (v *LogViewer) onSearchInput(ctx app.Context, e app.Event) {
	v.searchText = ctx.JSSrc().Get("value").String()
	v.searchGen++
	gen := v.searchGen
	ctx.PreventUpdate()
	ctx.After(400*time.Millisecond, func(ctx app.Context) {
		if gen != v.searchGen {
			ctx.PreventUpdate()
			return
		}
		v.runSearch(ctx, strings.TrimSpace(v.searchText), true)
	})
}

func (v *LogViewer) onSearchKey(ctx app.Context, e app.Event) {
	switch e.Get("key").String() {
	case "Enter":
		e.PreventDefault()
		v.searchGen++
		q := strings.TrimSpace(ctx.JSSrc().Get("value").String())
		v.searchText = q
		if v.search != nil && v.search.q == q && q != "" && v.search.levels == v.levelKey() {
			if e.Get("shiftKey").Bool() {
				v.step(ctx, -1)
			} else {
				v.step(ctx, 1)
			}
			return
		}
		v.runSearch(ctx, q, true)
	case "Escape":
		v.searchGen++
		v.searchText = ""
		ctx.JSSrc().Set("value", "")
		v.runSearch(ctx, "", false)
	default:
		ctx.PreventUpdate()
	}
}

func (v *LogViewer) levelKey() string {
	var b strings.Builder
	for _, l := range v.filter.levels {
		b.WriteString(string(l) + ",")
	}
	return b.String()
}

// runSearch searches the whole log for q (with the level filter) and,
// when jump is set, moves to the first match at or after the view.
func (v *LogViewer) runSearch(ctx app.Context, q string, jump bool) {
	if v.only && v.filter.q != q {
		v.setFilter(ctx, logFilter{levels: v.filter.levels, q: q}, v.topSeq())
	}
	if q == "" {
		v.search = nil
		return
	}
	s := &logSearch{q: q, levels: v.levelKey(), cur: -1, busy: true}
	v.search = s
	from := v.topSeq()
	v.loadMatches(ctx, s, func(ctx app.Context) {
		if jump {
			v.seek(ctx, s, from, 1)
		}
	})
}

// loadMatches fetches the next chunk of s's match seqs, then calls done.
func (v *LogViewer) loadMatches(ctx app.Context, s *logSearch, done func(app.Context)) {
	if v.Data == nil || v.Client == nil {
		return
	}
	from := int64(0)
	if n := len(s.seqs); n > 0 {
		from = s.seqs[n-1] + 1
	}
	s.busy = true
	fetchJSON(ctx, v.Client, v.searchURL(s.q, from, api.MaxSearchSeqs), func(ctx app.Context, res api.LogSearch, err error) {
		if v.search != s {
			ctx.PreventUpdate()
			return
		}
		s.busy = false
		if err != nil {
			s.err = err
			return
		}
		s.count = res.Count
		s.seqs = append(s.seqs, res.Seqs...)
		s.more = res.More
		done(ctx)
	})
}

// seek moves to the first match at or after seq (dir 1) or the last one
// before it (dir -1), loading more matches when needed.
func (v *LogViewer) seek(ctx app.Context, s *logSearch, seq int64, dir int) {
	var i int
	if dir > 0 {
		var ok bool
		if i, ok = s.firstFrom(seq); !ok {
			if s.more {
				v.loadMatches(ctx, s, func(ctx app.Context) { v.seek(ctx, s, seq, dir) })
				return
			}
			i = 0 // wrap to the first match
		}
	} else if i = s.lastBefore(seq); i < 0 {
		if s.more { // wrapping back needs every match: load them
			v.loadMatches(ctx, s, func(ctx app.Context) { v.seek(ctx, s, seq, dir) })
			return
		}
		i = len(s.seqs) - 1
	}
	if i < 0 || i >= len(s.seqs) {
		return
	}
	s.cur = i
	v.highlight = s.seqs[i]
	v.jumpSeq(ctx, s.seqs[i])
}

// step moves to the next (+1) or previous (-1) match.
func (v *LogViewer) step(ctx app.Context, dir int) {
	s := v.search
	if s == nil || s.busy || s.count == 0 {
		return
	}
	if s.cur < 0 {
		v.seek(ctx, s, v.topSeq(), dir)
		return
	}
	cur := s.seqs[s.cur]
	if dir > 0 {
		v.seek(ctx, s, cur+1, 1)
	} else {
		v.seek(ctx, s, cur, -1)
	}
}

func (v *LogViewer) nextMatch(ctx app.Context, e app.Event) { v.step(ctx, 1) }
func (v *LogViewer) prevMatch(ctx app.Context, e app.Event) { v.step(ctx, -1) }

func (v *LogViewer) toggleOnly(ctx app.Context, e app.Event) {
	v.only = !v.only
	q := ""
	if v.only && v.search != nil {
		q = v.search.q
	}
	v.setFilter(ctx, logFilter{levels: v.filter.levels, q: q}, v.topSeq())
}

// onRowClick handles the row controls (delegated: one handler for every
// row, so recycled rows never run a stale closure).
func (v *LogViewer) onRowClick(ctx app.Context, e app.Event) {
	t := e.Get("target")
	if !t.Truthy() || t.Get("closest").IsUndefined() {
		ctx.PreventUpdate()
		return
	}
	btn := t.Call("closest", "[data-act]")
	row := t.Call("closest", "[data-seq]")
	if !btn.Truthy() || !row.Truthy() {
		ctx.PreventUpdate()
		return
	}
	seq, err := strconv.ParseInt(row.Get("dataset").Get("seq").String(), 10, 64)
	if err != nil {
		ctx.PreventUpdate()
		return
	}
	switch btn.Get("dataset").Get("act").String() {
	case "expand":
		v.expanded[seq] = !v.expanded[seq]
	case "line":
		v.highlight = seq
		v.setURLLine(ctx, seq)
	case "copy":
		v.highlight = seq
		link := v.setURLLine(ctx, seq)
		if cb := app.Window().Get("navigator").Get("clipboard"); cb.Truthy() {
			cb.Call("writeText", link)
		}
		v.notice = "Link to line " + formatCount(seq) + " copied"
		ctx.After(2500*time.Millisecond, func(app.Context) { v.notice = "" })
	default:
		ctx.PreventUpdate()
	}
}

// setURLLine puts ?tab=logs&line=seq in the address bar and returns the
// absolute link.
func (v *LogViewer) setURLLine(ctx app.Context, seq int64) string {
	u := ctx.Page().URL()
	q := u.Query()
	q.Set("tab", "logs")
	q.Set("line", strconv.FormatInt(seq, 10))
	u.RawQuery = q.Encode()
	ctx.Page().ReplaceURL(u)
	return u.String()
}

// Render draws the toolbar, the viewport and the status line. The rows
// are not rendered here: paint keeps them in the DOM directly (see
// logDOM), so scrolling renders no component.
func (v *LogViewer) Render() app.UI {
	if v.pages == nil {
		v.OnInit()
	}
	if v.paintFn != nil && !v.painting {
		// Refill the rows once go-app has patched the DOM: a microtask
		// runs when the render hands control back to the browser.
		v.painting = true
		app.Window().Call("queueMicrotask", v.paintFn)
	}
	filtered := v.filter.active()
	mode := "all"
	if filtered {
		mode = "filtered"
	}
	viewer := app.Div().
		Class("log-viewer").
		DataSet("testid", "log-viewer").
		DataSet("mode", mode).
		TabIndex(0).
		Attr("role", "list").
		Aria("label", "Log lines").
		OnScroll(v.onScroll, app.PassiveEvent()).
		OnClick(v.onRowClick).
		Body(
			app.Div().Class("log-spacer").Body(
				app.Div().Class("log-window"),
			),
		)
	if v.wrap {
		viewer = viewer.Class("wrap")
	}
	return app.Div().Class("logview").Body(
		v.toolbar(),
		app.Div().Class("log-frame").Body(
			viewer,
			app.If(!v.follow && v.running() && !filtered, func() app.UI {
				return app.Button().Type("button").Class("btn btn-sm btn-primary log-follow-btn").
					DataSet("action", "follow").OnClick(v.toggleFollow).Text("↓ Follow")
			}),
		),
		v.statusLine(),
	)
}

// toolbar renders the level filter, search, jumps and view toggles.
func (v *LogViewer) toolbar() app.UI {
	chip := func(l studio.LogLevel) app.UI {
		on := false
		for _, x := range v.filter.levels {
			on = on || x == l
		}
		return app.Button().Type("button").Class("chip-btn", "lvl-"+string(l)).
			Aria("pressed", on).DataSet("level", string(l)).OnClick(v.toggleLevel).Text(string(l))
	}
	label := v.search.label()
	has := v.search != nil && v.search.count > 0
	return app.Div().Class("log-toolbar").Body(
		app.Div().Class("log-levels").Attr("role", "group").Aria("label", "Show levels").Body(
			app.Span().Class("muted tb-label").Text("Levels"),
			chip(studio.LevelDebug), chip(studio.LevelInfo), chip(studio.LevelWarn), chip(studio.LevelError),
			app.Span().Class("search-count num").DataSet("testid", "level-count").Aria("live", "polite").Text(v.levelCount.label()),
		),
		app.Div().Class("log-search").Attr("role", "search").Body(
			app.Input().Type("search").ID("log-search").Class("input").
				Placeholder("Search the whole log (Ctrl+F)").
				Aria("label", "Search the log").
				DataSet("testid", "log-search").
				Value(v.searchText).
				OnInput(v.onSearchInput).
				OnKeyDown(v.onSearchKey),
			app.Span().Class("search-count num").DataSet("testid", "search-count").Aria("live", "polite").Text(label),
			app.Button().Type("button").Class("btn btn-sm").Disabled(!has).Title("Previous match (Shift+Enter)").
				DataSet("action", "prev-match").OnClick(v.prevMatch).Text("↑"),
			app.Button().Type("button").Class("btn btn-sm").Disabled(!has).Title("Next match (Enter)").
				DataSet("action", "next-match").OnClick(v.nextMatch).Text("↓"),
			app.Label().Class("check").Body(
				app.Input().Type("checkbox").Checked(v.only).OnChange(v.toggleOnly),
				app.Text("only matches"),
			),
		),
		app.Div().Class("log-jumps").Body(
			app.Button().Type("button").Class("btn btn-sm").DataSet("action", "log-start").OnClick(v.jumpStart).Text("Start"),
			app.Button().Type("button").Class("btn btn-sm").DataSet("action", "log-end").OnClick(v.jumpEnd).Text("End"),
			app.Form().Class("goto").OnSubmit(v.submitLine).Body(
				app.Input().Type("text").Class("input input-sm").Attr("inputmode", "numeric").
					Placeholder("line").Aria("label", "Go to line").DataSet("testid", "goto-line").
					Value(v.gotoLine).OnInput(v.onGotoLine),
			),
			app.Form().Class("goto").OnSubmit(v.submitTime).Body(
				app.Input().Type("datetime-local").Class("input input-sm").Step(1).
					Aria("label", "Go to time").DataSet("testid", "goto-time").
					Value(v.gotoTime).OnInput(v.onGotoTime),
				app.Button().Type("submit").Class("btn btn-sm").Text("Go"),
			),
			app.Button().Type("button").Class("btn btn-sm btn-ghost").Aria("pressed", v.wrap).
				DataSet("action", "wrap").OnClick(v.toggleWrap).Text("wrap"),
			app.Button().Type("button").Class("btn btn-sm btn-ghost").Aria("pressed", v.follow).
				DataSet("action", "toggle-follow").OnClick(v.toggleFollow).Text("follow"),
		),
	)
}

// statusLine shows the rows in view (written by paint), the filter state
// and notices.
func (v *LogViewer) statusLine() app.UI {
	var extra []string
	if v.filter.active() {
		switch {
		case v.listErr != nil:
			extra = append(extra, "couldn't load: "+studio.ErrorMessage(v.listErr))
		case v.busy > 0 || !v.list.loaded:
			extra = append(extra, "loading…")
		}
	}
	if v.follow {
		extra = append(extra, "following")
	}
	return app.Div().Class("log-status muted").DataSet("testid", "log-status").Body(
		app.Span().Body(
			app.Span().Class("log-range"),
			app.If(len(extra) > 0, func() app.UI { return app.Span().Text(" · " + strings.Join(extra, " · ")) }),
		),
		app.If(v.notice != "", func() app.UI { return app.Span().Class("log-notice").Attr("role", "status").Text(v.notice) }),
	)
}
