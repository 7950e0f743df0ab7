package export

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// runEventID returns the id of the first event of run id in lane.
func runEventID(t *testing.T, id studio.RunID, lane studio.Lane) studio.EventID {
	t.Helper()
	ep, err := testStore().RunEvents(id, api.EventQuery{Lanes: []studio.Lane{lane}})
	if err != nil || len(ep.Events) == 0 {
		t.Fatalf("RunEvents(%s, %s) = %d events, %v; want some", id, lane, len(ep.Events), err)
	}
	return ep.Events[0].ID
}

func TestRunReport(t *testing.T) {
	r, e := newTestRouter(t)
	run := testRun(t, longRun)
	alert := runEventID(t, longRun, studio.LaneAlert)
	checkpoint := runEventID(t, longRun, studio.LaneCheckpoint)
	start := *run.StartedAt
	rfc := func(d time.Duration) string { return start.Add(d).Format(time.RFC3339) }
	tests := []struct {
		name  string
		query url.Values
		// wantPages is the page count, or 0 to take the layout's count
		// (checked to be at least minPages).
		wantPages, minPages int
	}{
		// Header, 4 pages of 7 charts, lanes with 44 events (2 pages).
		{"whole run", url.Values{}, 0, 7},
		{"two metrics", url.Values{"name": {"loss,val_loss"}}, 0, 3},
		{"window with pins", url.Values{
			"from": {rfc(time.Hour)}, "to": {rfc(3 * time.Hour)},
			"pins": {string(alert) + "," + string(checkpoint)}, "name": {"loss", "accuracy", "learning_rate", "throughput"},
		}, 0, 7},
		{"empty from and to mean the whole run", url.Values{"from": {""}, "to": {""}}, 0, 7},
		{"open-ended window and a span", url.Values{"from": {rfc(9 * time.Hour)}, "pins": {string(alert)}, "span": {"5m"}}, 0, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseReportQuery(tt.query)
			if err != nil {
				t.Fatalf("ParseReportQuery: %v", err)
			}
			rep, _, err := e.runReport(run, q)
			if err != nil {
				t.Fatalf("runReport: %v", err)
			}
			want := tt.wantPages
			if want == 0 {
				want = len(rep.pages)
				if want < tt.minPages {
					t.Errorf("report has %d pages; want at least %d", want, tt.minPages)
				}
			}
			rec := get(r, "/api/runs/"+string(longRun)+"/report.pdf?"+tt.query.Encode())
			if rec.Code != http.StatusOK {
				t.Fatalf("GET = %d %s", rec.Code, rec.Body.String())
			}
			if ct, cd := rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"); ct != "application/pdf" || cd != `attachment; filename="run-0017-report.pdf"` {
				t.Errorf("headers = %q, %q; want application/pdf and run-0017-report.pdf", ct, cd)
			}
			objects, count := pdfPages(t, rec.Body.Bytes())
			if objects != want || count != want {
				t.Errorf("PDF pages = %d objects, /Count %d; want %d", objects, count, want)
			}
		})
	}
}

// TestRunReportPins checks that each pin adds a comparison page, and each
// pair of consecutive pins one more.
func TestRunReportPins(t *testing.T) {
	_, e := newTestRouter(t)
	run := testRun(t, longRun)
	ep, err := testStore().RunEvents(longRun, api.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	base := ReportQuery{Names: []string{"loss"}}
	rep, _, err := e.runReport(run, base)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 3; n++ {
		q := base
		for _, ev := range ep.Events[10 : 10+n] {
			q.Pins = append(q.Pins, ev.ID)
		}
		got, _, err := e.runReport(run, q)
		if err != nil {
			t.Fatalf("%d pins: %v", n, err)
		}
		if want := len(rep.pages) + n + (n - 1); len(got.pages) != want {
			t.Errorf("%d pins: %d pages; want %d (%d without pins)", n, len(got.pages), want, len(rep.pages))
		}
	}
}

func TestDeploymentReport(t *testing.T) {
	r, e := newTestRouter(t)
	d, err := testStore().Deployment(testDeploy)
	if err != nil {
		t.Fatal(err)
	}
	ep, err := testStore().DeploymentEvents(testDeploy, api.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		query url.Values
	}{
		{"default window", url.Values{}},
		{"whole span", url.Values{"from": {ep.From.Format(time.RFC3339)}}},
		{"store event pin", url.Values{"pins": {string(ep.Events[len(ep.Events)-1].ID)}}},
		{"timeline event pins", url.Values{"pins": {"ev-" + testDeploy + "-h1,ev-" + testDeploy + "-h6"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseReportQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			rep, _, err := e.deploymentReport(d, q)
			if err != nil {
				t.Fatalf("deploymentReport: %v", err)
			}
			rec := get(r, "/api/deployments/"+testDeploy+"/report.pdf?"+tt.query.Encode())
			if rec.Code != http.StatusOK {
				t.Fatalf("GET = %d %s", rec.Code, rec.Body.String())
			}
			if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="`+testDeploy+`-report.pdf"` {
				t.Errorf("Content-Disposition = %q", cd)
			}
			objects, count := pdfPages(t, rec.Body.Bytes())
			if want := len(rep.pages); objects != want || count != want || want < 4 {
				t.Errorf("PDF pages = %d objects, /Count %d; want %d (at least 4)", objects, count, want)
			}
		})
	}
}

func TestReportBadInput(t *testing.T) {
	r, _ := newTestRouter(t)
	run := "/api/runs/" + string(longRun) + "/report.pdf"
	dep := "/api/deployments/" + testDeploy + "/report.pdf"
	tests := []struct {
		name   string
		target string
		status int
		code   studio.Code
		msg    string
	}{
		{"unknown run", "/api/runs/run-9999/report.pdf", 404, studio.CodeNotFound, "run-9999"},
		{"unknown deployment", "/api/deployments/dep-nope/report.pdf", 404, studio.CodeNotFound, "dep-nope"},
		{"bad deployment id", "/api/deployments/dep%20x/report.pdf", 400, studio.CodeInvalid, "deployment id"},
		{"bad from", run + "?from=yesterday", 400, studio.CodeInvalid, "from must be an RFC 3339 time"},
		{"from after to", run + "?from=2026-10-24T18:00:00Z&to=2026-10-24T17:00:00Z", 400, studio.CodeInvalid, "empty window"},
		{"from equals to", run + "?from=2026-10-24T18:00:00Z&to=2026-10-24T18:00:00Z", 400, studio.CodeInvalid, "empty window"},
		{"window after the run", run + "?from=2030-01-01T00:00:00Z", 400, studio.CodeInvalid, "does not overlap run run-0017"},
		{"window before the run", run + "?to=2001-01-01T00:00:00Z", 400, studio.CodeInvalid, "does not overlap"},
		{"unknown pin", run + "?pins=ev-run-0017-0001,ev-nope", 400, studio.CodeInvalid, `unknown pin "ev-nope"`},
		{"pin of another run", run + "?pins=ev-run-0042-0001", 400, studio.CodeInvalid, "ev-run-0042-0001"},
		{"bad pin id", run + "?pins=a%20b", 400, studio.CodeInvalid, "event id"},
		{"too many pins", run + "?pins=a,b,c,d,e,f,g", 400, studio.CodeInvalid, "at most 6 pins"},
		{"span zero", run + "?span=0s", 400, studio.CodeInvalid, "span must be a duration"},
		{"span a year", run + "?span=8760h", 400, studio.CodeInvalid, "span"},
		{"unknown metric", run + "?name=bleu", 400, studio.CodeInvalid, "unknown metric"},
		{"deployment unknown pin", dep + "?pins=ev-x", 400, studio.CodeInvalid, `unknown pin "ev-x"`},
		{"deployment name", dep + "?name=loss", 400, studio.CodeInvalid, "run reports only"},
		{"deployment window", dep + "?to=2020-01-01T00:00:00Z", 400, studio.CodeInvalid, "does not overlap deployment"},
		{"unknown report format", "/api/runs/run-0017/report.svg", 404, "", ""},
		{"queued run renders", "/api/runs/run-0160/report.pdf", 200, "", ""},
		{"failed run renders", "/api/runs/run-0036/report.pdf?span=30s", 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(r, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("GET %s = %d %.300s; want %d", tt.target, rec.Code, rec.Body.String(), tt.status)
			}
			if tt.code == "" {
				return // a PDF, or not an export route (the server's not-found handler answers)
			}
			body := decodeError(t, rec)
			if body.Code != tt.code || !strings.Contains(body.Message, tt.msg) {
				t.Errorf("error = %s %q; want %s containing %q", body.Code, body.Message, tt.code, tt.msg)
			}
		})
	}
}
