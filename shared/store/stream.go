package store

import (
	"encoding/json"
	"fmt"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// QueuedTicks is the number of ticks a queued run waits before it starts.
const QueuedTicks = 2

// Tick advances run id by one tick and returns the new stream messages,
// with consecutive seqs after the run's latest, which it also buffers for
// Since. A queued run starts on its QueuedTicks-th tick (a status message;
// earlier ticks return no messages). A running run produces one step: a
// metric_point per metric, its log lines, the timeline events of that
// step, and a status message when the run ends (at its final step, as
// succeeded, or failed for runs planned to fail). The data is exactly what
// Metrics, Logs and RunEvents return for those indexes afterwards.
// Ticking a terminal run returns (nil, nil).
func (s *Store) Tick(id studio.RunID) ([]api.Message, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.runLocked(id)
	if err != nil {
		return nil, err
	}
	var msgs []api.Message
	var merr error
	add := func(typ string, data any) {
		b, err := json.Marshal(data)
		if err != nil && merr == nil { // only a time outside years 0-9999 can fail
			merr = fmt.Errorf("marshal %s of run %s: %w", typ, id, err)
		}
		msgs = append(msgs, api.Message{Type: typ, Data: b})
	}
	switch st.status {
	case studio.RunQueued:
		st.ticks++
		if st.ticks < QueuedTicks {
			return []api.Message{}, nil
		}
		plan := st.plan
		plan.Start(now)
		st.plan, st.status = plan, studio.RunRunning
		s.changes.Add(1)
		add(api.TypeStatus, api.Status{Status: st.status, Steps: st.steps, LogCount: st.logCount()})
	case studio.RunRunning:
		p := &st.plan
		step := st.steps
		summary := make(map[string]float64, len(studio.MetricNames))
		t := p.StepTime(step)
		for m, name := range studio.MetricNames {
			v := p.Metric(m, step)
			summary[name] = v
			add(api.TypeMetricPoint, api.MetricPoint{Metric: name, Point: studio.Point{Step: step, Time: t, Value: v}})
		}
		l := int64(p.LinesPerStep)
		for seq := int64(step) * l; seq < int64(step+1)*l; seq++ {
			add(api.TypeLogLine, p.LogLine(seq))
		}
		for _, e := range p.EventsAtStep(step) {
			add(api.TypeTimelineEvent, e)
		}
		st.steps++
		st.summary = summary
		s.steps.Add(1)
		if st.steps >= p.FinalSteps {
			end := p.EndTime()
			st.status, st.endedAt = p.FinalStatus, &end
			s.changes.Add(1)
			add(api.TypeStatus, api.Status{Status: st.status, Steps: st.steps, LogCount: st.logCount(), EndedAt: &end})
		}
	default:
		return nil, nil
	}
	if merr != nil {
		return nil, merr
	}
	for i := range msgs {
		st.seq++
		msgs[i].Seq = st.seq
		st.buf.push(msgs[i], s.bufSize)
	}
	return msgs, nil
}

// Since returns run id's buffered messages with seq > since, in order, and
// the run's latest seq. gap is true, and msgs nil, when messages after
// since were evicted from the buffer (since < oldest-1) or since is newer
// than latest (a seq from another store): the client must refetch over
// REST and continue from latest. A negative since returns no messages and
// no gap.
func (s *Store) Since(id studio.RunID, since int64) (msgs []api.Message, latest int64, gap bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.runLocked(id)
	if err != nil {
		return nil, 0, false, err
	}
	latest = st.seq
	oldest := latest - int64(st.buf.len()) + 1
	switch {
	case since < 0:
		return nil, latest, false, nil
	case since > latest || since < oldest-1:
		return nil, latest, true, nil
	}
	msgs = make([]api.Message, 0, latest-since)
	for i := int(since - oldest + 1); i < st.buf.len(); i++ {
		msgs = append(msgs, st.buf.at(i))
	}
	return msgs, latest, false, nil
}

// StreamBounds returns the oldest buffered seq and the latest seq of run
// id. With nothing buffered, oldest is latest+1.
func (s *Store) StreamBounds(id studio.RunID) (oldest, latest int64, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.runLocked(id)
	if err != nil {
		return 0, 0, err
	}
	return st.seq - int64(st.buf.len()) + 1, st.seq, nil
}
