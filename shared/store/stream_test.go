package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

func decode[T any](t *testing.T, m api.Message) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(m.Data, &v); err != nil {
		t.Fatalf("decode %s: %v", m.Type, err)
	}
	return v
}

func tick(t *testing.T, s *Store, id studio.RunID) []api.Message {
	t.Helper()
	msgs, err := s.Tick(id)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestTickQueuedRun(t *testing.T) {
	s, clk := newTestStore(t)
	live := s.Live()
	id := live[len(live)-1]
	if r, _ := s.Run(id); r.Status != studio.RunQueued {
		t.Fatalf("%s is %s; want queued", id, r.Status)
	}
	if msgs := tick(t, s, id); len(msgs) != 0 {
		t.Fatalf("first tick of a queued run sent %d messages", len(msgs))
	}
	clk.Advance(1500 * time.Millisecond)
	msgs := tick(t, s, id)
	if len(msgs) != 1 || msgs[0].Type != api.TypeStatus || msgs[0].Seq != 1 {
		t.Fatalf("second tick = %+v; want one status message with seq 1", msgs)
	}
	if st := decode[api.Status](t, msgs[0]); st.Status != studio.RunRunning || st.Steps != 0 {
		t.Errorf("status = %+v; want running at 0 steps", st)
	}
	r, _ := s.Run(id)
	if r.Status != studio.RunRunning || r.StartedAt == nil || !r.StartedAt.Equal(clk.Now()) || r.StreamSeq != 1 {
		t.Fatalf("run after start: %s, started %v (now %v), seq %d", r.Status, r.StartedAt, clk.Now(), r.StreamSeq)
	}
	msgs = tick(t, s, id)
	var metrics, lines int
	for i, m := range msgs {
		if m.Seq != int64(2+i) {
			t.Fatalf("message %d has seq %d; want %d", i, m.Seq, 2+i)
		}
		switch m.Type {
		case api.TypeMetricPoint:
			metrics++
			if p := decode[api.MetricPoint](t, m); p.Step != 0 || !p.Time.Equal(*r.StartedAt) {
				t.Errorf("metric point %+v; want step 0 at start", p)
			}
		case api.TypeLogLine:
			lines++
		}
	}
	if metrics != len(studio.MetricNames) || lines == 0 {
		t.Errorf("first step: %d metric points, %d lines", metrics, lines)
	}
	r, _ = s.Run(id)
	if r.Steps != 1 || r.LogCount != int64(lines) || r.StreamSeq != msgs[len(msgs)-1].Seq || len(r.Summary) != 7 {
		t.Errorf("run after one step: %d steps, %d lines, seq %d, %d summary values", r.Steps, r.LogCount, r.StreamSeq, len(r.Summary))
	}
}

// TestStreamMatchesREST checks that streamed data is exactly what REST
// returns for the same indexes afterwards.
func TestStreamMatchesREST(t *testing.T) {
	s, _ := newTestStore(t)
	id := s.Live()[0]
	r0, _ := s.Run(id)
	var points []api.MetricPoint
	var lines []studio.LogLine
	var events []studio.Event
	for range 400 {
		for _, m := range tick(t, s, id) {
			switch m.Type {
			case api.TypeMetricPoint:
				points = append(points, decode[api.MetricPoint](t, m))
			case api.TypeLogLine:
				lines = append(lines, decode[studio.LogLine](t, m))
			case api.TypeTimelineEvent:
				events = append(events, decode[studio.Event](t, m))
			}
		}
	}
	r, _ := s.Run(id)
	if r.Steps != r0.Steps+400 || r.LogCount != r0.LogCount+int64(len(lines)) {
		t.Fatalf("after 400 ticks: %d steps (want %d), %d lines (want %d)", r.Steps, r0.Steps+400, r.LogCount, r0.LogCount+int64(len(lines)))
	}
	resp, _ := s.Metrics(id, api.MetricQuery{From: r0.Steps, To: -1})
	rest := map[string][]studio.Point{}
	for _, ser := range resp.Series {
		rest[ser.Name] = ser.Points
	}
	for _, p := range points {
		got := rest[p.Metric][p.Step-r0.Steps]
		if got.Step != p.Step || got.Value != p.Value || !got.Time.Equal(p.Time) {
			t.Fatalf("streamed %s %+v; REST has %+v", p.Metric, p.Point, got)
		}
	}
	page, _ := s.Logs(id, api.LogQuery{FromSeq: r0.LogCount, Limit: api.MaxLogLimit})
	for i, l := range lines {
		got := page.Lines[i]
		if got.Seq != l.Seq || got.Message != l.Message || !got.Time.Equal(l.Time) || got.Level != l.Level {
			t.Fatalf("streamed line %+v; REST has %+v", l, got)
		}
	}
	evs, _ := s.RunEvents(id, eventQuery())
	for _, e := range events {
		if !slices.ContainsFunc(evs.Events, func(x studio.Event) bool { return x.ID == e.ID && x.Title == e.Title }) {
			t.Errorf("streamed event %s not in RunEvents", e.ID)
		}
	}
	if len(events) == 0 && r.Steps/1000 > r0.Steps/1000 {
		t.Errorf("no timeline event streamed over steps %d..%d", r0.Steps, r.Steps)
	}
}

func TestCreatedRunStreamsToTheEnd(t *testing.T) {
	s, clk := newTestStore(t)
	r, err := s.CreateRun(validRequest())
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "run-0161" || r.Status != studio.RunQueued || r.TotalSteps != 50 || !slices.Contains(s.Live(), r.ID) {
		t.Fatalf("created %s %s with %d steps", r.ID, r.Status, r.TotalSteps)
	}
	var last api.Message
	var count int
	for i := 0; i < 1000; i++ {
		clk.Advance(time.Second)
		msgs := tick(t, s, r.ID)
		if msgs == nil {
			break
		}
		for _, m := range msgs {
			count++
			if m.Seq != int64(count) {
				t.Fatalf("seq %d; want %d", m.Seq, count)
			}
			last = m
		}
	}
	done, _ := s.Run(r.ID)
	if done.Status != studio.RunSucceeded || done.Steps != 50 || done.LogCount != 200 || done.EndedAt == nil || done.StreamSeq != int64(count) {
		t.Fatalf("finished run: %s, %d steps, %d lines, ended %v, seq %d", done.Status, done.Steps, done.LogCount, done.EndedAt, done.StreamSeq)
	}
	if st := decode[api.Status](t, last); last.Type != api.TypeStatus || st.Status != studio.RunSucceeded || st.EndedAt == nil || !st.EndedAt.Equal(*done.EndedAt) {
		t.Errorf("last message %s %+v; want succeeded status", last.Type, st)
	}
	if msgs, err := s.Tick(r.ID); msgs != nil || err != nil {
		t.Errorf("Tick(finished) = %v, %v; want nil, nil", msgs, err)
	}
	if slices.Contains(s.Live(), r.ID) {
		t.Error("finished run still live")
	}
	e, _ := s.Experiment("exp-01")
	if e.LastActivity.Before(*done.EndedAt) {
		t.Errorf("experiment last activity %v before the run ended %v", e.LastActivity, done.EndedAt)
	}
}

func TestPlannedFailure(t *testing.T) {
	s, _ := newTestStore(t)
	var failing studio.RunID
	ds := s.Generator().Generate()
	for _, p := range ds.Runs {
		if p.Run.Status == studio.RunRunning && p.FinalStatus == studio.RunFailed {
			failing = p.Run.ID
		}
	}
	if failing == "" {
		t.Fatal("no running run is planned to fail")
	}
	for i := 0; i < 1000; i++ {
		if msgs := tick(t, s, failing); msgs == nil {
			break
		}
	}
	r, _ := s.Run(failing)
	if r.Status != studio.RunFailed || r.Error == "" {
		t.Fatalf("%s: %s, error %q; want failed with a reason", failing, r.Status, r.Error)
	}
	tail, _ := s.Logs(failing, api.LogQuery{FromSeq: -1, Tail: 2})
	for _, l := range tail.Lines {
		if l.Level != studio.LevelError {
			t.Errorf("tail line %d is %s: %q", l.Seq, l.Level, l.Message)
		}
	}
	alerts, _ := s.RunEvents(failing, api.EventQuery{Lanes: []studio.Lane{studio.LaneAlert}})
	if n := len(alerts.Events); n == 0 || alerts.Events[n-1].Title != "run failed" {
		t.Errorf("no run failed alert: %+v", alerts.Events)
	}
}

func TestSince(t *testing.T) {
	const size = 50
	s, _ := newTestStore(t, func(o *Options) { o.BufferSize = size })
	id := s.Live()[0]
	if msgs, latest, gap, err := s.Since(id, 0); len(msgs) != 0 || latest != 0 || gap || err != nil {
		t.Fatalf("Since before any tick = %v, %d, %v, %v", msgs, latest, gap, err)
	}
	var all []api.Message
	for len(all) < 3*size {
		all = append(all, tick(t, s, id)...)
	}
	latest := all[len(all)-1].Seq
	oldest := latest - size + 1
	if o, l, _ := s.StreamBounds(id); o != oldest || l != latest {
		t.Errorf("StreamBounds = %d, %d; want %d, %d", o, l, oldest, latest)
	}
	tests := []struct {
		name    string
		since   int64
		wantN   int64
		wantGap bool
	}{
		{"caught up", latest, 0, false},
		{"a few behind", latest - 5, 5, false},
		{"oldest buffered", oldest - 1, size, false},
		{"evicted", oldest - 2, 0, true},
		{"from zero", 0, 0, true},
		{"from the future", latest + 3, 0, true},
		{"negative", -1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, l, gap, err := s.Since(id, tt.since)
			if err != nil || l != latest || gap != tt.wantGap || int64(len(msgs)) != tt.wantN {
				t.Fatalf("Since(%d) = %d msgs, latest %d, gap %v, %v; want %d, %d, %v", tt.since, len(msgs), l, gap, err, tt.wantN, latest, tt.wantGap)
			}
			for i, m := range msgs {
				want := all[int64(len(all))-tt.wantN+int64(i)]
				if m.Seq != tt.since+1+int64(i) || m.Seq != want.Seq || string(m.Data) != string(want.Data) {
					t.Fatalf("message %d = seq %d; want %d", i, m.Seq, tt.since+1+int64(i))
				}
			}
			if tt.wantGap && msgs != nil {
				t.Error("gap with messages; want nil")
			}
		})
	}
}

func TestConcurrentCreateAndTick(t *testing.T) {
	s, _ := newTestStore(t)
	const n = 200
	ids := make(chan studio.RunID, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := validRequest()
			req.Name = fmt.Sprintf("concurrent-%d", i)
			r, err := s.CreateRun(req)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- r.ID
			for range 3 {
				if _, err := s.Tick(r.ID); err != nil {
					t.Error(err)
				}
			}
			s.Runs(api.RunQuery{})
			s.Live()
		}()
	}
	for _, id := range s.Live()[:3] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				s.Tick(id)
				s.Since(id, 10)
				s.Logs(id, api.LogQuery{FromSeq: -1, Tail: 20})
				s.Metrics(id, api.MetricQuery{To: -1, MaxPoints: 100})
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[studio.RunID]bool{}
	for id := range ids {
		seen[id] = true
	}
	all, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if len(seen) != n || all.Total != 160+n {
		t.Fatalf("%d distinct ids, %d runs; want %d, %d", len(seen), all.Total, n, 160+n)
	}
	for i := 161; i <= 160+n; i++ {
		id := synth.RunID(i - 1)
		r, err := s.Run(id)
		if !seen[id] || err != nil || r.Status != studio.RunRunning {
			t.Errorf("%s: seen %v, %v, status %s; want running after 3 ticks", id, seen[id], err, r.Status)
		}
	}
}
