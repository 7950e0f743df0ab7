package rundata

import (
	"encoding/json"
	"fmt"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Apply merges one stream message into the State: a metric point, a log
// line, a timeline event or a status. Hello messages and unknown types
// change nothing (the stream client handles hello). It returns whether the
// State changed, and an error when the message's data does not decode.
// Apply does not look at Seq: ordering and deduplication by seq are the
// stream client's job; Apply deduplicates by step, seq and event ID.
func (s *State) Apply(m api.Message) (changed bool, err error) {
	switch m.Type {
	case api.TypeMetricPoint:
		var p api.MetricPoint
		if err := json.Unmarshal(m.Data, &p); err != nil {
			return false, fmt.Errorf("decode %s seq %d: %w", m.Type, m.Seq, err)
		}
		if p.Metric == "" {
			return false, fmt.Errorf("decode %s seq %d: no metric name", m.Type, m.Seq)
		}
		return s.AddPoint(p.Metric, p.Point), nil
	case api.TypeLogLine:
		var l studio.LogLine
		if err := json.Unmarshal(m.Data, &l); err != nil {
			return false, fmt.Errorf("decode %s seq %d: %w", m.Type, m.Seq, err)
		}
		return s.AddLog(l), nil
	case api.TypeTimelineEvent:
		var e studio.Event
		if err := json.Unmarshal(m.Data, &e); err != nil {
			return false, fmt.Errorf("decode %s seq %d: %w", m.Type, m.Seq, err)
		}
		if e.ID == "" {
			return false, fmt.Errorf("decode %s seq %d: no event id", m.Type, m.Seq)
		}
		return s.AddEvent(e), nil
	case api.TypeStatus:
		var st api.Status
		if err := json.Unmarshal(m.Data, &st); err != nil {
			return false, fmt.Errorf("decode %s seq %d: %w", m.Type, m.Seq, err)
		}
		s.ApplyStatus(st)
		return true, nil
	}
	return false, nil
}
