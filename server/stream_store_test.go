package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// createRun creates a run of epochs epochs through the API.
func (ts *testServer) createRun(t *testing.T, epochs int) studio.Run {
	t.Helper()
	id := findIDs(t, ts.store)
	body := fmt.Sprintf(validCreateBody, id.experiment)
	body = strings.Replace(body, `"epochs": 3`, fmt.Sprintf(`"epochs": %d`, epochs), 1)
	resp, b := ts.do(t, http.MethodPost, "/api/runs", "application/json", strings.NewReader(body))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/runs = %d %s", resp.StatusCode, b)
	}
	var run studio.Run
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	return run
}

// getJSON GETs path and decodes the 200 body into v.
func (ts *testServer) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	resp, b := ts.do(t, http.MethodGet, path, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// TestStreamEqualsRESTUnderChaos follows a created run from its first
// message to its end while chaos keeps dropping the connection, then
// checks that what streamed is exactly what REST returns.
func TestStreamEqualsRESTUnderChaos(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: 10 * time.Millisecond, Chaos: true})
	run := ts.createRun(t, 2)
	msgs, drops := followWithReconnects(t, ts.ts, string(run.ID), 0)
	if drops < 2 {
		t.Errorf("chaos dropped the stream %d times; want several", drops)
	}

	var final studio.Run
	ts.getJSON(t, "/api/runs/"+string(run.ID), &final)
	if !final.Status.Terminal() || final.StreamSeq != int64(len(msgs)) {
		t.Fatalf("run after the stream = %s with stream seq %d; want terminal with seq %d", final.Status, final.StreamSeq, len(msgs))
	}

	points := map[string][]studio.Point{}
	var lines []studio.LogLine
	var events []studio.Event
	var statuses []studio.RunStatus
	for _, m := range msgs {
		switch m.Type {
		case api.TypeMetricPoint:
			var p api.MetricPoint
			mustUnmarshal(t, m.Data, &p)
			points[p.Metric] = append(points[p.Metric], p.Point)
		case api.TypeLogLine:
			var l studio.LogLine
			mustUnmarshal(t, m.Data, &l)
			lines = append(lines, l)
		case api.TypeTimelineEvent:
			var e studio.Event
			mustUnmarshal(t, m.Data, &e)
			events = append(events, e)
		case api.TypeStatus:
			var s api.Status
			mustUnmarshal(t, m.Data, &s)
			statuses = append(statuses, s.Status)
		default:
			t.Fatalf("unexpected message type %q", m.Type)
		}
	}
	if len(statuses) != 2 || statuses[0] != studio.RunRunning || statuses[1] != final.Status {
		t.Errorf("statuses = %v; want running then %s", statuses, final.Status)
	}

	var metrics api.MetricsResponse
	ts.getJSON(t, "/api/runs/"+string(run.ID)+"/metrics", &metrics)
	for _, s := range metrics.Series {
		if got := mustMarshal(t, points[s.Name]); got != mustMarshal(t, s.Points) {
			t.Errorf("metric %s: streamed %d points, REST has %d; they differ", s.Name, len(points[s.Name]), len(s.Points))
		}
	}
	if len(metrics.Series) != len(studio.MetricNames) || len(points) != len(studio.MetricNames) {
		t.Errorf("REST has %d series and the stream %d; want %d", len(metrics.Series), len(points), len(studio.MetricNames))
	}

	var logs api.LogPage
	ts.getJSON(t, fmt.Sprintf("/api/runs/%s/logs?limit=%d", run.ID, api.MaxLogLimit), &logs)
	if logs.Total != int64(len(lines)) || mustMarshal(t, logs.Lines) != mustMarshal(t, lines) {
		t.Errorf("streamed %d log lines; REST has %d (total %d); they differ", len(lines), len(logs.Lines), logs.Total)
	}

	var evs api.EventPage
	ts.getJSON(t, "/api/runs/"+string(run.ID)+"/events", &evs)
	byID := map[studio.EventID]studio.Event{}
	for _, e := range evs.Events {
		byID[e.ID] = e
	}
	for _, e := range events {
		if rest, ok := byID[e.ID]; !ok || mustMarshal(t, rest) != mustMarshal(t, e) {
			t.Errorf("streamed event %s is not in REST as streamed", e.ID)
		}
	}
}

func TestStreamResumeWithTheStore(t *testing.T) {
	ts := newTestServer(t, Options{TickInterval: 10 * time.Millisecond})
	id := findIDs(t, ts.store)
	var run studio.Run
	ts.getJSON(t, "/api/runs/"+id.liveRun, &run)

	// Subscribing from the REST snapshot's seq misses nothing after it.
	c := dial(t, ts.ts, "/ws/runs/"+id.liveRun+"?since="+itoa(run.StreamSeq))
	h := readHello(t, c)
	if !h.Resumed || h.Gap || h.Status != studio.RunRunning || h.Since != run.StreamSeq {
		t.Fatalf("hello = %+v; want resumed from the snapshot's seq %d", h, run.StreamSeq)
	}
	got := readN(t, c, run.StreamSeq, 30)
	c.CloseNow()
	last := got[len(got)-1].Seq
	time.Sleep(100 * time.Millisecond)

	c2 := dial(t, ts.ts, "/ws/runs/"+id.liveRun+"?since="+itoa(last))
	h2 := readHello(t, c2)
	if !h2.Resumed || h2.Gap || h2.Seq <= last || h2.Oldest > last+1 {
		t.Fatalf("hello after the drop = %+v; want resumed from %d", h2, last)
	}
	readN(t, c2, last, int(h2.Seq-last)+10)
}

func TestStreamGapWithTheStore(t *testing.T) {
	ts := newTestServerWithStore(t, 16, Options{TickInterval: 5 * time.Millisecond})
	id := findIDs(t, ts.store)
	c := dial(t, ts.ts, "/ws/runs/"+id.liveRun)
	h := readHello(t, c)
	readN(t, c, h.Seq, 40) // more than the buffer holds
	c.CloseNow()

	c2 := dial(t, ts.ts, "/ws/runs/"+id.liveRun+"?since="+itoa(h.Seq))
	h2 := readHello(t, c2)
	if !h2.Gap || h2.Resumed || h2.Oldest != h2.Seq-15 {
		t.Fatalf("hello = %+v; want a gap with the 16 newest messages buffered", h2)
	}
	readN(t, c2, h2.Seq, 5)
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
