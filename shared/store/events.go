package store

import (
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// eventFilter is a parsed api.EventQuery.
type eventFilter struct {
	lanes    []studio.Lane
	from, to time.Time // zero when absent
}

func parseEventQuery(q api.EventQuery) (eventFilter, error) {
	f := eventFilter{lanes: q.Lanes}
	for _, l := range q.Lanes {
		if !l.Valid() {
			return f, studio.Errorf(studio.CodeInvalid, "unknown lane %q (valid: deploy, checkpoint, alert, log_spike, commit)", l)
		}
	}
	var err error
	if q.From != "" {
		if f.from, err = time.Parse(time.RFC3339Nano, q.From); err != nil {
			return f, studio.Errorf(studio.CodeInvalid, "from must be an RFC 3339 time, not %q", truncate(q.From, 40))
		}
	}
	if q.To != "" {
		if f.to, err = time.Parse(time.RFC3339Nano, q.To); err != nil {
			return f, studio.Errorf(studio.CodeInvalid, "to must be an RFC 3339 time, not %q", truncate(q.To, 40))
		}
	}
	if !f.from.IsZero() && !f.to.IsZero() && f.to.Before(f.from) {
		return f, studio.Errorf(studio.CodeInvalid, "to must not be before from")
	}
	return f, nil
}

func (f eventFilter) keep(e studio.Event) bool {
	if len(f.lanes) > 0 && !slices.Contains(f.lanes, e.Lane) {
		return false
	}
	if !f.from.IsZero() && e.Time.Before(f.from) {
		return false
	}
	return f.to.IsZero() || !e.Time.After(f.to)
}

// page returns the events f keeps (a fresh slice) and the span from..to
// widened to include every event of the subject.
func (f eventFilter) page(evs []studio.Event, from, to time.Time) api.EventPage {
	p := api.EventPage{Events: []studio.Event{}, From: from, To: to}
	for _, e := range evs {
		if e.Time.Before(p.From) {
			p.From = e.Time
		}
		if e.Time.After(p.To) {
			p.To = e.Time
		}
		if f.keep(e) {
			e.Links = append([]studio.Link{}, e.Links...)
			p.Events = append(p.Events, e)
		}
	}
	p.Total = len(p.Events)
	return p
}

// RunEvents returns run id's timeline events, sorted by time: checkpoints,
// alerts and log spikes up to its current step, the commits it was built
// from and, once it has finished, deploys of model versions it trained.
// q.Lanes keeps events in any of the lanes; q.From/q.To (RFC 3339,
// inclusive) bound their times. EventPage.From/To span the run: from its
// start (creation while queued) to its end (its last step while running,
// now while queued), widened to include all of its events.
func (s *Store) RunEvents(id studio.RunID, q api.EventQuery) (api.EventPage, error) {
	f, err := parseEventQuery(q)
	if err != nil {
		return api.EventPage{}, err
	}
	now := s.now()
	v, err := s.view(id)
	if err != nil {
		return api.EventPage{}, err
	}
	from, to := v.plan.Run.CreatedAt, now
	var evs []studio.Event
	if v.plan.Started() {
		from = v.plan.StartTime()
		to = v.plan.StepTime(max(v.steps-1, 0))
		if v.status.Terminal() {
			to = v.plan.StepTime(v.steps)
		}
		evs = v.plan.Events(v.steps, v.status.Terminal())
	}
	return f.page(evs, from, to), nil
}

// DeploymentEvents returns deployment id's timeline events, sorted by
// time: one per history entry (LaneDeploy, or LaneAlert for incidents).
// EventPage.From/To span the deployment's health history up to now.
func (s *Store) DeploymentEvents(id studio.DeploymentID, q api.EventQuery) (api.EventPage, error) {
	f, err := parseEventQuery(q)
	if err != nil {
		return api.EventPage{}, err
	}
	now := s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.depIndex[id]
	if !ok {
		return api.EventPage{}, studio.Errorf(studio.CodeNotFound, "deployment %q not found", id)
	}
	d := s.deps[i]
	from := now
	if hh := d.plan.Deployment.HealthHistory; len(hh) > 0 {
		from = hh[0].Time
	}
	return f.page(d.events, from, now), nil
}
