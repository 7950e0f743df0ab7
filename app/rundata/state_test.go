package rundata

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func pt(step int, v float64) studio.Point {
	return studio.Point{Step: step, Time: t0.Add(time.Duration(step) * time.Second), Value: v}
}

func steps(pts []studio.Point) []int {
	out := make([]int, len(pts))
	for i, p := range pts {
		out[i] = p.Step
	}
	return out
}

func equalInts[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func msg(t *testing.T, typ string, seq int64, data any) api.Message {
	t.Helper()
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return api.Message{Type: typ, Seq: seq, Data: b}
}

func TestSeriesMerge(t *testing.T) {
	tests := []struct {
		name      string
		rest      []int // steps of the REST response, applied first
		stream    []int // steps streamed after it
		restAfter []int // a second REST response (refetch), nil for none
		want      []int
		wantTotal int
	}{
		{"rest then stream appends", []int{0, 1, 2}, []int{3, 4}, nil, []int{0, 1, 2, 3, 4}, 5},
		{"stream overlapping the snapshot is ignored", []int{0, 1, 2}, []int{2, 3, 3, 1, 4}, nil, []int{0, 1, 2, 3, 4}, 5},
		{"stream before rest is kept after it", nil, []int{5, 6}, nil, []int{5, 6}, 2},
		{"refetch keeps newer streamed points", []int{0, 1}, []int{2, 3, 4}, []int{0, 1, 2, 3}, []int{0, 1, 2, 3, 4}, 5},
		{"refetch covering everything replaces", []int{0, 1}, []int{2}, []int{0, 1, 2, 3}, []int{0, 1, 2, 3}, 4},
		{"unsorted rest with duplicates", []int{2, 0, 1, 1}, []int{3}, nil, []int{0, 1, 2, 3}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New("run-1", Options{})
			toSeries := func(st []int) studio.Series {
				sr := studio.Series{Name: "loss"}
				for _, x := range st {
					sr.Points = append(sr.Points, pt(x, float64(x)))
				}
				sr.Total = len(sr.Points)
				return sr
			}
			if tt.rest != nil {
				s.SetSeries(toSeries(tt.rest))
			}
			for _, x := range tt.stream {
				s.AddPoint("loss", pt(x, float64(x)))
			}
			if tt.restAfter != nil {
				s.SetSeries(toSeries(tt.restAfter))
			}
			sd, ok := s.SeriesData("loss")
			if !ok {
				t.Fatal("SeriesData(loss) not found")
			}
			if got := steps(sd.Points); !equalInts(got, tt.want) {
				t.Errorf("steps = %v; want %v", got, tt.want)
			}
			if sd.Total != tt.wantTotal {
				t.Errorf("Total = %d; want %d", sd.Total, tt.wantTotal)
			}
		})
	}
}

func TestDecimatedTotal(t *testing.T) {
	s := New("run-1", Options{})
	s.SetSeries(studio.Series{Name: "loss", Points: []studio.Point{pt(0, 1), pt(50, 2), pt(99, 3)}, Total: 100, Decimated: true})
	s.AddPoint("loss", pt(100, 4))
	s.AddPoint("loss", pt(99, 4)) // duplicate of the snapshot's last step
	sd, _ := s.SeriesData("loss")
	if sd.Total != 101 || sd.LastStep() != 100 || !sd.Decimated {
		t.Errorf("SeriesData = total %d last %d decimated %v; want 101, 100, true", sd.Total, sd.LastStep(), sd.Decimated)
	}
}

func TestEventsMerge(t *testing.T) {
	ev := func(id string, sec int) studio.Event {
		return studio.Event{ID: studio.EventID(id), Time: t0.Add(time.Duration(sec) * time.Second), Lane: studio.LaneAlert}
	}
	ids := func(evs []studio.Event) []studio.EventID {
		out := make([]studio.EventID, len(evs))
		for i, e := range evs {
			out[i] = e.ID
		}
		return out
	}
	s := New("run-1", Options{})
	if !s.AddEvent(ev("late", 50)) {
		t.Fatal("AddEvent(late) = false")
	}
	s.SetEvents(api.EventPage{Events: []studio.Event{ev("a", 10), ev("b", 20)}, From: t0, To: t0.Add(30 * time.Second)})
	if s.AddEvent(ev("a", 10)) {
		t.Error("AddEvent(duplicate a) = true; want false")
	}
	s.AddEvent(ev("mid", 15))
	s.AddEvent(ev("tie", 20))
	want := []studio.EventID{"a", "mid", "b", "tie", "late"}
	if got := ids(s.Events()); !equalInts(got, want) {
		t.Errorf("Events = %v; want %v", got, want)
	}
	sp := s.Span()
	if !sp.From.Equal(t0) || !sp.To.Equal(t0.Add(50*time.Second)) {
		t.Errorf("Span = %v..%v; want %v..%v", sp.From, sp.To, t0, t0.Add(50*time.Second))
	}
	// A refetch that now includes "late" does not duplicate it.
	s.SetEvents(api.EventPage{Events: []studio.Event{ev("a", 10), ev("mid", 15), ev("b", 20), ev("tie", 20), ev("late", 50)}, From: t0, To: t0.Add(50 * time.Second)})
	if got := ids(s.Events()); !equalInts(got, want) {
		t.Errorf("Events after refetch = %v; want %v", got, want)
	}
}

func TestTail(t *testing.T) {
	line := func(seq int64) studio.LogLine { return studio.LogLine{Seq: seq, Message: "m"} }
	s := New("run-1", Options{TailCapacity: 5})
	s.SetTail([]studio.LogLine{line(3), line(4), line(5)})
	for _, q := range []int64{6, 5, 7, 2, 8, 9} {
		s.AddLog(line(q))
	}
	var got []int64
	for _, l := range s.Tail() {
		got = append(got, l.Seq)
	}
	if want := []int64{5, 6, 7, 8, 9}; !equalInts(got, want) {
		t.Errorf("Tail seqs = %v; want %v", got, want)
	}
	if s.AddLog(line(1)) {
		t.Error("AddLog(older than a full window) = true; want false")
	}
	if l, ok := s.TailLine(7); !ok || l.Seq != 7 {
		t.Errorf("TailLine(7) = %d, %v; want 7, true", l.Seq, ok)
	}
	if _, ok := s.TailLine(4); ok {
		t.Error("TailLine(4) found a dropped line")
	}
	if first, last, ok := s.TailBounds(); !ok || first != 5 || last != 9 {
		t.Errorf("TailBounds = %d, %d, %v; want 5, 9, true", first, last, ok)
	}
	if n := len(s.TailSince(8)); n != 2 {
		t.Errorf("len(TailSince(8)) = %d; want 2", n)
	}
}

func TestApplyAndRunCounters(t *testing.T) {
	s := New("run-1", Options{})
	start := t0
	s.SetRun(studio.Run{ID: "run-1", Status: studio.RunRunning, StartedAt: &start, Steps: 3, LogCount: 30,
		Metrics: []studio.MetricInfo{{Name: "loss", Points: 3}}, Summary: map[string]float64{"loss": 2}})
	for i, m := range []api.Message{
		msg(t, api.TypeMetricPoint, 1, api.MetricPoint{Metric: "loss", Point: pt(3, 1.5)}),
		msg(t, api.TypeLogLine, 2, studio.LogLine{Seq: 30, Time: t0.Add(time.Minute), Message: "x"}),
		msg(t, api.TypeTimelineEvent, 3, studio.Event{ID: "e1", Time: t0}),
		msg(t, api.TypeHello, 4, api.Hello{}),
	} {
		changed, err := s.Apply(m)
		if err != nil {
			t.Fatalf("Apply(%d) error: %v", i, err)
		}
		if want := m.Type != api.TypeHello; changed != want {
			t.Errorf("Apply(%s) changed = %v; want %v", m.Type, changed, want)
		}
	}
	r, _ := s.Run()
	if r.Steps != 4 || r.LogCount != 31 || r.Summary["loss"] != 1.5 {
		t.Errorf("Run counters = steps %d, logs %d, loss %v; want 4, 31, 1.5", r.Steps, r.LogCount, r.Summary["loss"])
	}
	end := t0.Add(time.Hour)
	s.Apply(msg(t, api.TypeStatus, 5, api.Status{Status: studio.RunSucceeded, Steps: 4, LogCount: 31, EndedAt: &end}))
	// A late REST snapshot must not move the run back to running.
	s.SetRun(studio.Run{ID: "run-1", Status: studio.RunRunning, Steps: 2, LogCount: 20})
	r, _ = s.Run()
	if r.Status != studio.RunSucceeded || r.Steps != 4 || r.LogCount != 31 || r.EndedAt == nil {
		t.Errorf("Run after late snapshot = %s steps %d logs %d; want succeeded 4 31 with EndedAt", r.Status, r.Steps, r.LogCount)
	}
	if _, err := s.Apply(api.Message{Type: api.TypeMetricPoint, Seq: 9, Data: []byte(`{"metric":`)}); err == nil {
		t.Error("Apply(bad json) error = nil")
	}
}

func TestSubscribeCoalesces(t *testing.T) {
	var queued []func()
	s := New("run-1", Options{Schedule: func(fn func()) { queued = append(queued, fn) }})
	calls := 0
	cancel := s.Subscribe(func() { calls++ })
	for i := range 10 {
		s.AddPoint("loss", pt(i, 1))
	}
	if len(queued) != 1 {
		t.Fatalf("scheduled %d flushes for 10 changes; want 1", len(queued))
	}
	queued[0]()
	if calls != 1 {
		t.Errorf("calls = %d; want 1", calls)
	}
	s.AddPoint("loss", pt(10, 1))
	if len(queued) != 2 {
		t.Fatalf("scheduled %d flushes after the first ran; want 2", len(queued))
	}
	cancel()
	queued[1]()
	if calls != 1 {
		t.Errorf("calls after cancel = %d; want 1", calls)
	}
	v := s.Version()
	s.AddPoint("loss", pt(3, 1)) // duplicate: no change
	if s.Version() != v {
		t.Errorf("Version changed on a duplicate point")
	}
}

func TestSeriesNamesOrder(t *testing.T) {
	s := New("run-1", Options{})
	s.AddPoint("throughput", pt(0, 1))
	s.AddPoint("custom", pt(0, 1))
	s.AddPoint("loss", pt(0, 1))
	want := []string{"loss", "throughput", "custom"}
	if got := s.SeriesNames(); !equalInts(got, want) {
		t.Errorf("SeriesNames = %v; want %v", got, want)
	}
}
