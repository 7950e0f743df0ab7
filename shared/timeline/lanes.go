package timeline

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/aiinfra/studio/shared/studio"
)

// LaneEvents is one timeline lane and its events, sorted by time.
type LaneEvents struct {
	Lane   studio.Lane    `json:"lane"`
	Events []studio.Event `json:"events"`
}

// laneRank orders lanes: studio.Lanes first in display order, then any
// other lane.
func laneRank(l studio.Lane) int {
	for i, v := range studio.Lanes {
		if v == l {
			return i
		}
	}
	return len(studio.Lanes)
}

// compareEvents orders events by time, then lane display order, then ID:
// the order of the timeline's keyboard focus.
func compareEvents(a, b studio.Event) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	if c := cmp.Compare(laneRank(a.Lane), laneRank(b.Lane)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Lane, b.Lane); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Group splits events into lanes. It returns one LaneEvents for every
// entry of studio.Lanes, in display order and even when empty (so a lane
// label can say 0), followed by one per unknown lane in name order, so no
// event is dropped. Each lane's events are sorted by time, then ID. events
// is not modified; the lanes share one new backing array.
func Group(events []studio.Event) []LaneEvents {
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b studio.Event) int {
		if c := cmp.Compare(laneRank(a.Lane), laneRank(b.Lane)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Lane, b.Lane); c != 0 {
			return c
		}
		return compareEvents(a, b)
	})
	lanes := make([]LaneEvents, 0, len(studio.Lanes)+1)
	for _, l := range studio.Lanes {
		lanes = append(lanes, LaneEvents{Lane: l, Events: []studio.Event{}})
	}
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].Lane == sorted[i].Lane {
			j++
		}
		group := sorted[i:j:j]
		if r := laneRank(sorted[i].Lane); r < len(studio.Lanes) {
			lanes[r].Events = group
		} else {
			lanes = append(lanes, LaneEvents{Lane: sorted[i].Lane, Events: group})
		}
		i = j
	}
	return lanes
}

// DeploymentEvents returns the timeline events of a deployment: every
// history entry (start, advance, rollback, incident, complete) as a deploy
// marker, and every incident as an alert, plus a second alert when it
// closed. Events are sorted by time and have stable IDs such as
// "ev-dep-code-assist-prod-h3" and "ev-dep-code-assist-prod-inc-7".
func DeploymentEvents(d studio.Deployment) []studio.Event {
	events := make([]studio.Event, 0, len(d.History)+2*len(d.Incidents))
	prefix := "ev-" + string(d.ID) + "-"
	link := []studio.Link{{Kind: "deployment", Label: d.Name, Href: "/deployments/" + string(d.ID)}}
	for _, h := range d.History {
		events = append(events, studio.Event{
			ID:       studio.EventID(prefix + "h" + strconv.Itoa(h.Seq)),
			Lane:     studio.LaneDeploy,
			Time:     h.Time,
			Title:    historyTitle(h),
			Detail:   historyDetail(h),
			Severity: historySeverity(h),
			Subject:  string(d.ID),
			Links:    link,
		})
	}
	for _, inc := range d.Incidents {
		events = append(events, studio.Event{
			ID:       studio.EventID(prefix + inc.ID),
			Lane:     studio.LaneAlert,
			Time:     inc.OpenedAt,
			Title:    inc.Title,
			Detail:   "incident opened",
			Severity: inc.Severity,
			Subject:  string(d.ID),
			Links:    link,
		})
		if inc.ClosedAt != nil {
			events = append(events, studio.Event{
				ID:       studio.EventID(prefix + inc.ID + "-closed"),
				Lane:     studio.LaneAlert,
				Time:     *inc.ClosedAt,
				Title:    "Resolved: " + inc.Title,
				Detail:   "incident closed",
				Severity: studio.SeverityInfo,
				Subject:  string(d.ID),
				Links:    link,
			})
		}
	}
	slices.SortStableFunc(events, compareEvents)
	return events
}

func historyTitle(h studio.HistoryEntry) string {
	switch h.Action {
	case studio.ActionAdvance:
		return "Canary advanced to " + strconv.Itoa(h.Percent) + "%"
	case studio.ActionRollback:
		return "Rolled back"
	case studio.ActionSimulateIncident:
		return "Incident simulated"
	case "start":
		return "Rollout started at " + strconv.Itoa(h.Percent) + "%"
	case "complete":
		return "Rollout completed"
	}
	return string(h.Action)
}

func historyDetail(h studio.HistoryEntry) string {
	s := string(h.From) + " → " + string(h.To)
	if h.Actor != "" {
		s += " by " + h.Actor
	}
	if h.Note != "" {
		s += ": " + h.Note
	}
	return s
}

func historySeverity(h studio.HistoryEntry) studio.Severity {
	switch {
	case h.Action == studio.ActionSimulateIncident || h.To == studio.DeployDegraded:
		return studio.SeverityCritical
	case h.Action == studio.ActionRollback || h.To == studio.DeployRolledBack || h.To == studio.DeployPaused:
		return studio.SeverityWarning
	}
	return studio.SeverityInfo
}
