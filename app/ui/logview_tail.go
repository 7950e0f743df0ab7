package ui

import (
	"strconv"

	"github.com/aiinfra/studio/app/rundata"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// LogTail shows a run's latest log lines and follows the live stream (the
// overview tab's log panel). Each line links to it in the log viewer.
type LogTail struct {
	app.Compo
	Data *rundata.State
	// Lines is the number of lines shown (default 10).
	Lines int

	of      *rundata.State
	cancel  func()
	version uint64
}

// OnMount subscribes to the run's log tail.
func (l *LogTail) OnMount(ctx app.Context) { l.subscribe(ctx) }

// OnUpdate follows another run.
func (l *LogTail) OnUpdate(ctx app.Context) { l.subscribe(ctx) }

// OnDismount ends the subscription.
func (l *LogTail) OnDismount() {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.of = nil
}

func (l *LogTail) subscribe(ctx app.Context) {
	if l.Data == l.of {
		return
	}
	l.OnDismount()
	l.of = l.Data
	if l.Data == nil {
		return
	}
	data := l.Data
	l.cancel = data.Subscribe(func() {
		v := data.TailVersion()
		ctx.Dispatch(func(ctx app.Context) {
			if l.of != data || v == l.version {
				ctx.PreventUpdate()
			}
		})
	})
}

// Render draws the latest lines, newest last.
func (l *LogTail) Render() app.UI {
	n := l.Lines
	if n <= 0 {
		n = 10
	}
	var lines []studio.LogLine
	if l.Data != nil {
		l.version = l.Data.TailVersion()
		lines = l.Data.Tail()
		if len(lines) > n {
			lines = lines[len(lines)-n:]
		}
	}
	if len(lines) == 0 {
		return app.Div().Class("log-tail log-tail-empty muted").DataSet("testid", "log-tail").Text("No log lines yet.")
	}
	id := l.Data.ID()
	return app.Div().Class("log-tail").DataSet("testid", "log-tail").Body(app.Range(lines).Slice(func(i int) app.UI {
		ln := lines[i]
		return app.A().
			Class("log-tail-row", "lvl-"+string(ln.Level)).
			Href(hrefRun(id)+"?tab=logs&line="+strconv.FormatInt(ln.Seq, 10)).
			DataSet("seq", ln.Seq).
			Body(
				app.Span().Class("lt-num").Text(strconv.FormatInt(ln.Seq, 10)),
				app.Span().Class("lt-time").Text(ln.Time.Local().Format("15:04:05")),
				app.Span().Class("lt-lvl").Text(string(ln.Level)),
				app.Span().Class("lt-msg").Text(ln.Message),
			)
	}))
}
