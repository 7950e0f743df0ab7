package rundata

import (
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Defaults for Attach.
const (
	// DefaultMaxPoints is the max_points asked for each series: about two
	// points per pixel column of a chart in the metrics grid (a zoom fetches
	// its range finer).
	DefaultMaxPoints = 1200
	// DefaultTailLines is the number of latest log lines fetched.
	DefaultTailLines = 200
)

// RunKey is the query key (and URL) of the run: GET /api/runs/{id}.
func RunKey(id studio.RunID) string { return "/api/runs/" + url.PathEscape(string(id)) }

// EventsKey is the query key of the run's timeline events.
func EventsKey(id studio.RunID) string { return RunKey(id) + "/events" }

// MetricsKey is the query key of series name of the run decimated to
// maxPoints points (0: every point).
func MetricsKey(id studio.RunID, name string, maxPoints int) string {
	return RunKey(id) + "/metrics?name=" + url.QueryEscape(name) + "&max_points=" + strconv.Itoa(maxPoints)
}

// MetricRangeKey is the query key of one series between steps from and to
// (inclusive) decimated to maxPoints: what a zoomed chart fetches.
func MetricRangeKey(id studio.RunID, name string, from, to, maxPoints int) string {
	return RunKey(id) + "/metrics?name=" + url.QueryEscape(name) + "&from=" + strconv.Itoa(from) +
		"&to=" + strconv.Itoa(to) + "&max_points=" + strconv.Itoa(maxPoints)
}

// TailKey is the query key of the run's latest n log lines.
func TailKey(id studio.RunID, n int) string {
	return RunKey(id) + "/logs?tail=" + strconv.Itoa(n)
}

// Prefix is the key prefix of every query about run id; invalidating it
// refetches all of them (after a stream gap, say).
func Prefix(id studio.RunID) string { return RunKey(id) }

// AttachOptions says what Attach loads. The zero value loads everything
// with the defaults.
type AttachOptions struct {
	// MaxPoints per series (default DefaultMaxPoints).
	MaxPoints int
	// TailLines is the number of latest log lines (default
	// DefaultTailLines); negative skips the tail.
	TailLines int
}

// Attach fills s from the query client c and keeps it filled: it
// subscribes to the run, its events, its series (one request per metric
// of studio.MetricNames, so each chart draws as soon as its series
// arrives and no single response takes long to decode) and its latest log
// lines, and merges every new response into s (a refetch after
// Invalidate, a background refresh). The returned function ends the
// subscriptions.
func (s *State) Attach(c *query.Client, opts AttachOptions) (cancel func()) {
	if opts.MaxPoints <= 0 {
		opts.MaxPoints = DefaultMaxPoints
	}
	if opts.TailLines == 0 {
		opts.TailLines = DefaultTailLines
	}
	var cancels []func()
	cancels = append(cancels,
		subscribeNew(c, RunKey(s.id), s.SetRun),
		subscribeNew(c, EventsKey(s.id), s.SetEvents),
	)
	for _, name := range studio.MetricNames {
		cancels = append(cancels, subscribeNew(c, MetricsKey(s.id, name, opts.MaxPoints), func(m api.MetricsResponse) {
			for _, sr := range m.Series {
				s.SetSeries(sr)
			}
		}))
	}
	if opts.TailLines > 0 {
		cancels = append(cancels, subscribeNew(c, TailKey(s.id, opts.TailLines), func(p api.LogPage) { s.SetTail(p.Lines) }))
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			for _, f := range cancels {
				f()
			}
		})
	}
}

// subscribeNew subscribes to key and calls apply with each response not
// applied yet (the query client also notifies on fetch start and errors).
func subscribeNew[T any](c *query.Client, key string, apply func(T)) func() {
	var mu sync.Mutex
	var last time.Time
	return query.Subscribe(c, key, func(r query.Result[T]) {
		if !r.HasData {
			return
		}
		mu.Lock()
		fresh := !r.UpdatedAt.Equal(last)
		last = r.UpdatedAt
		mu.Unlock()
		if fresh {
			apply(r.Data)
		}
	})
}
