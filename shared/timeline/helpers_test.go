package timeline

import (
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// t0 is the fixed instant the tests count from.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// at returns t0 plus sec seconds.
func at(sec int64) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

// ev returns an event in lane l at t0+sec.
func ev(id string, l studio.Lane, sec int64) studio.Event {
	return studio.Event{ID: studio.EventID(id), Lane: l, Time: at(sec), Severity: studio.SeverityInfo}
}

// ids returns the IDs of events, in order.
func ids(events []studio.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.ID)
	}
	return out
}
