package ui

import (
	"strconv"
	"time"

	"github.com/aiinfra/studio/app/live"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// WSStatus shows the state of a run's live connection
// ([data-testid=ws-status] with data-state connecting, live,
// reconnecting, offline or closed). While reconnecting it shows the
// attempt number and a countdown to the next retry. A finished run has no
// stream and shows "closed".
type WSStatus struct {
	app.Compo
	// Stream is the run's live connection; nil for a finished run.
	Stream *live.Stream
	// Status is the run's status, used when there is no stream.
	Status studio.RunStatus
	// Loaded is false while the run loads (nothing is shown).
	Loaded bool

	st      live.Status
	of      *live.Stream
	cancel  func()
	ticking bool
	now     time.Time
}

// OnMount subscribes to the stream.
func (w *WSStatus) OnMount(ctx app.Context) { w.watch(ctx) }

// OnUpdate follows a new stream.
func (w *WSStatus) OnUpdate(ctx app.Context) { w.watch(ctx) }

// OnDismount ends the subscription.
func (w *WSStatus) OnDismount() {
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
}

func (w *WSStatus) watch(ctx app.Context) {
	if w.of == w.Stream && (w.cancel != nil || w.Stream == nil) {
		return
	}
	w.OnDismount()
	w.of = w.Stream
	if w.Stream == nil {
		return
	}
	s := w.Stream
	w.st = s.Status()
	w.cancel = s.Subscribe(func(st live.Status) {
		ctx.Dispatch(func(ctx app.Context) {
			if w.of != s {
				return
			}
			w.st = st
			w.now = time.Now()
			w.tick(ctx)
		})
	})
	w.tick(ctx)
}

// tick re-renders every 200 ms while a retry countdown is shown.
func (w *WSStatus) tick(ctx app.Context) {
	if w.ticking || w.st.State != live.Reconnecting || w.st.RetryAt.IsZero() {
		return
	}
	w.ticking = true
	ctx.After(200*time.Millisecond, func(ctx app.Context) {
		w.ticking = false
		w.now = time.Now()
		w.tick(ctx)
	})
}

// view returns the displayed state, label and detail.
func (w *WSStatus) view() (state live.State, label, detail string) {
	if w.Stream == nil {
		switch {
		case w.Status == studio.RunQueued || w.Status == studio.RunRunning:
			return live.Connecting, "Connecting", "Opening the live stream"
		default:
			return live.Closed, "Not live", "The run has finished: its data is final"
		}
	}
	st := w.st
	switch st.State {
	case live.Live:
		return st.State, "Live", "Streaming · seq " + strconv.FormatInt(st.LastSeq, 10)
	case live.Reconnecting:
		label = "Reconnecting"
		if st.Attempt > 0 {
			label += " #" + strconv.Itoa(st.Attempt)
		}
		detail = "Connection lost"
		if st.Reason != "" {
			detail += " (" + st.Reason + ")"
		}
		if !st.RetryAt.IsZero() {
			if d := st.RetryAt.Sub(w.now); d > 0 {
				label += " in " + strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
			}
		}
		return st.State, label, detail
	case live.Offline:
		return st.State, "Offline", "The browser is offline; the stream resumes when the network is back"
	case live.Closed:
		return st.State, "Run ended", "The run finished; the stream is closed"
	}
	if st.Paused {
		return live.Connecting, "Paused", "The tab is hidden; the stream catches up when you come back"
	}
	return live.Connecting, "Connecting", "Opening the live stream"
}

// Render draws the badge.
func (w *WSStatus) Render() app.UI {
	if !w.Loaded {
		return app.Span().Class("ws-status ws-loading").Aria("hidden", true)
	}
	state, label, detail := w.view()
	el := app.Span().
		Class("ws-status", "ws-"+string(state)).
		DataSet("testid", "ws-status").
		DataSet("state", string(state)).
		Attr("role", "status").
		Aria("live", "polite").
		Title(detail).
		Body(
			app.Span().Class("ws-dot").Aria("hidden", true),
			app.Span().Class("ws-label").Text(label),
		)
	if w.Stream != nil {
		st := w.st
		el = el.DataSet("attempt", st.Attempt).DataSet("last-seq", st.LastSeq)
		if state == live.Reconnecting && !st.RetryAt.IsZero() {
			el = el.DataSet("retry-in-ms", max(st.RetryAt.Sub(w.now), 0).Milliseconds())
		}
	}
	return el
}
