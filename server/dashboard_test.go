package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/api"
)

// TestDashboardFollowsChanges checks that the cached dashboard JSON is
// replaced when the store changes: a created run shows in the next
// response, and repeated requests between changes get the same bytes.
func TestDashboardFollowsChanges(t *testing.T) {
	ts := newTestServer(t, Options{})
	get := func() (api.Dashboard, string) {
		t.Helper()
		resp, body := ts.do(t, http.MethodGet, "/api/dashboard", "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/dashboard = %d %s", resp.StatusCode, body)
		}
		var d api.Dashboard
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		return d, string(body)
	}
	before, body1 := get()
	if _, body2 := get(); body2 != body1 {
		t.Fatal("two requests with no change in between got different dashboards")
	}
	resp, body := ts.do(t, http.MethodPost, "/api/runs", "application/json", strings.NewReader(fmt.Sprintf(validCreateBody, "exp-01")))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/runs = %d %s", resp.StatusCode, body)
	}
	after, _ := get()
	if after.QueuedRuns != before.QueuedRuns+1 || after.TotalRuns != before.TotalRuns+1 {
		t.Errorf("after creating a run: %d queued, %d total; want %d, %d", after.QueuedRuns, after.TotalRuns, before.QueuedRuns+1, before.TotalRuns+1)
	}
	if want := mustJSON(t, ts.store.Dashboard()); mustJSON(t, after) != want {
		t.Error("the served dashboard differs from the store's")
	}
}
