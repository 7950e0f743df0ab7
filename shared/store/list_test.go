package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

func TestExperiments(t *testing.T) {
	s := readStore(t)
	all, err := s.Experiments(api.ListQuery{Limit: api.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	count := map[studio.ExperimentID]int{}
	for _, r := range runs.Items {
		count[r.ExperimentID]++
	}
	for _, e := range all.Items {
		if e.RunCount != count[e.ID] || e.RunCount == 0 || e.BestValLoss <= 0 || e.LastActivity.IsZero() {
			t.Errorf("%s: run count %d (want %d), best val loss %v, last activity %v", e.ID, e.RunCount, count[e.ID], e.BestValLoss, e.LastActivity)
		}
		one, err := s.Experiment(e.ID)
		if err != nil || one.RunCount != e.RunCount || one.Name != e.Name {
			t.Errorf("Experiment(%s) = %+v, %v", e.ID, one, err)
		}
	}
	tests := []struct {
		name    string
		q       api.ListQuery
		wantIDs []studio.ExperimentID // a prefix of the items
		total   int
	}{
		{"default is by id", api.ListQuery{}, []studio.ExperimentID{"exp-01", "exp-02", "exp-03"}, 10},
		{"page 2", api.ListQuery{Limit: 3, Offset: 3}, []studio.ExperimentID{"exp-04", "exp-05", "exp-06"}, 10},
		{"offset past the end", api.ListQuery{Offset: 50}, nil, 10},
		{"filter by name", api.ListQuery{Q: "LLAMA"}, []studio.ExperimentID{"exp-01", "exp-06", "exp-10"}, 3},
		{"filter by id", api.ListQuery{Q: "exp-07"}, []studio.ExperimentID{"exp-07"}, 1},
		{"no match", api.ListQuery{Q: "zzz"}, nil, 0},
		{"by name desc", api.ListQuery{Sort: "name", Order: api.Desc, Limit: 1}, []studio.ExperimentID{"exp-03"}, 10},
		{"by name asc", api.ListQuery{Sort: "name", Limit: 2}, []studio.ExperimentID{"exp-07", "exp-05"}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Experiments(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []studio.ExperimentID
			for _, e := range p.Items {
				ids = append(ids, e.ID)
			}
			if p.Total != tt.total || len(ids) < len(tt.wantIDs) || !slices.Equal(ids[:len(tt.wantIDs)], tt.wantIDs) {
				t.Errorf("Experiments(%+v) = %v (total %d); want prefix %v (total %d)", tt.q, ids, p.Total, tt.wantIDs, tt.total)
			}
			if p.Items == nil {
				t.Error("Items is nil; want an empty slice")
			}
		})
	}
	for _, field := range []string{"name", "created_at", "run_count", "last_activity", "best_val_loss", "id"} {
		for _, order := range []api.Order{api.Asc, api.Desc} {
			p, err := s.Experiments(api.ListQuery{Sort: field, Order: order})
			if err != nil {
				t.Fatalf("sort %s %s: %v", field, order, err)
			}
			key := experimentSpec.sorts[field]
			checkSorted(t, fmt.Sprintf("experiments by %s %s", field, order), p.Items, order, key, experimentSpec.id)
		}
	}
}

// checkSorted fails unless items are sorted by key in order, missing keys
// last, ties by id.
func checkSorted[T any](t *testing.T, what string, items []T, order api.Order, keyOf func(T) key, id func(T) string) {
	t.Helper()
	for i := 1; i < len(items); i++ {
		a, b := keyOf(items[i-1]), keyOf(items[i])
		if a.missing || b.missing {
			if a.missing && !b.missing {
				t.Fatalf("%s: missing key before present at %d", what, i)
			}
			continue
		}
		c := compareKeys(a, b)
		if order == api.Desc {
			c = -c
		}
		if c > 0 || c == 0 && id(items[i-1]) > id(items[i]) {
			t.Fatalf("%s: items %d and %d out of order (%s, %s)", what, i-1, i, id(items[i-1]), id(items[i]))
		}
	}
}

func TestListValidation(t *testing.T) {
	s := readStore(t)
	tests := []struct {
		name string
		q    api.ListQuery
		msg  string
	}{
		{"negative limit", api.ListQuery{Limit: -1}, "limit must be between 1 and 10000"},
		{"limit too big", api.ListQuery{Limit: api.MaxListLimit + 1}, "limit must be between 1 and 10000"},
		{"negative offset", api.ListQuery{Offset: -5}, "offset must be >= 0"},
		{"bad order", api.ListQuery{Order: "up"}, "order must be asc or desc"},
		{"unknown sort", api.ListQuery{Sort: "color"}, `cannot sort`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for what, call := range map[string]func() error{
				"experiments": func() error { _, err := s.Experiments(tt.q); return err },
				"runs":        func() error { _, err := s.Runs(api.RunQuery{ListQuery: tt.q}); return err },
				"models":      func() error { _, err := s.Models(tt.q); return err },
				"deployments": func() error { _, err := s.Deployments(tt.q); return err },
				"traces":      func() error { _, err := s.Traces(tt.q); return err },
			} {
				err := call()
				if studio.ErrorCode(err) != studio.CodeInvalid || !strings.Contains(studio.ErrorMessage(err), tt.msg) {
					t.Errorf("%s: error = %v; want invalid %q", what, err, tt.msg)
				}
			}
		})
	}
	_, err := s.Runs(api.RunQuery{Status: []studio.RunStatus{"sleeping"}})
	wantCode(t, err, studio.CodeInvalid, `unknown status "sleeping"`)
	_, err = s.Runs(api.RunQuery{Experiment: "exp-42"})
	wantCode(t, err, studio.CodeNotFound, `experiment "exp-42" not found`)
}

func TestRuns(t *testing.T) {
	s := readStore(t)
	all, err := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != 160 || len(all.Items) != 160 || all.Limit != api.MaxListLimit {
		t.Fatalf("Runs(all) total %d, %d items, limit %d", all.Total, len(all.Items), all.Limit)
	}
	checkSorted(t, "runs default", all.Items, api.Desc, runSorts(s.now())["created_at"], func(r studio.Run) string { return string(r.ID) })
	def, _ := s.Runs(api.RunQuery{})
	if len(def.Items) != api.DefaultListLimit || def.Limit != api.DefaultListLimit {
		t.Errorf("default page has %d items, limit %d; want %d", len(def.Items), def.Limit, api.DefaultListLimit)
	}
	tests := []struct {
		name  string
		q     api.RunQuery
		check func(studio.Run) bool
	}{
		{"experiment", api.RunQuery{Experiment: "exp-02"}, func(r studio.Run) bool { return r.ExperimentID == "exp-02" }},
		{"status running", api.RunQuery{Status: []studio.RunStatus{studio.RunRunning}}, func(r studio.Run) bool { return r.Status == studio.RunRunning }},
		{"failed or cancelled", api.RunQuery{Status: []studio.RunStatus{studio.RunFailed, studio.RunCancelled}},
			func(r studio.Run) bool { return r.Status == studio.RunFailed || r.Status == studio.RunCancelled }},
		{"experiment and status", api.RunQuery{Experiment: "exp-01", Status: []studio.RunStatus{studio.RunSucceeded}},
			func(r studio.Run) bool { return r.ExperimentID == "exp-01" && r.Status == studio.RunSucceeded }},
		{"q on name", api.RunQuery{ListQuery: api.ListQuery{Q: "vit-distill"}}, func(r studio.Run) bool { return strings.Contains(r.Name, "vit-distill") }},
		{"q on tag", api.RunQuery{ListQuery: api.ListQuery{Q: "long-run"}}, func(r studio.Run) bool { return slices.Contains(r.Tags, "long-run") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = api.MaxListLimit
			p, err := s.Runs(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, r := range all.Items {
				if tt.check(r) {
					want++
				}
			}
			if p.Total != want || len(p.Items) != want || want == 0 {
				t.Errorf("Runs(%+v) total %d, %d items; want %d (> 0)", tt.q, p.Total, len(p.Items), want)
			}
			for _, r := range p.Items {
				if !tt.check(r) {
					t.Errorf("Runs(%+v) returned %s", tt.q, r.ID)
				}
			}
		})
	}
	fields := []string{"id", "name", "status", "created_at", "started_at", "ended_at", "duration", "steps"}
	fields = append(fields, studio.MetricNames...)
	for _, f := range fields {
		for _, order := range []api.Order{api.Asc, api.Desc} {
			p, err := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Sort: f, Order: order, Limit: api.MaxListLimit}})
			if err != nil {
				t.Fatalf("sort %s: %v", f, err)
			}
			checkSorted(t, "runs by "+f+" "+string(order), p.Items, order, runSorts(s.now())[f], func(r studio.Run) string { return string(r.ID) })
			if f == studio.MetricLoss && p.Items[len(p.Items)-1].Status != studio.RunQueued {
				t.Errorf("runs by loss %s: last is %s; want a queued run (no summary) last", order, p.Items[len(p.Items)-1].Status)
			}
		}
	}
	// Pages are consecutive slices of the full order.
	var paged []studio.RunID
	for off := 0; off < all.Total; off += 37 {
		p, err := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 37, Offset: off, Sort: "loss"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Items {
			paged = append(paged, r.ID)
		}
	}
	full, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit, Sort: "loss"}})
	for i, r := range full.Items {
		if paged[i] != r.ID {
			t.Fatalf("paged run %d = %s; want %s", i, paged[i], r.ID)
		}
	}
}

func TestRun(t *testing.T) {
	s := readStore(t)
	r, err := s.Run("run-0042")
	if err != nil {
		t.Fatal(err)
	}
	if r.LogCount != 1_000_000 || r.Status != studio.RunSucceeded || len(r.Metrics) != len(studio.MetricNames) || len(r.Summary) != len(studio.MetricNames) {
		t.Errorf("Run(run-0042) = %d lines, %s, %d metrics, %d summary values", r.LogCount, r.Status, len(r.Metrics), len(r.Summary))
	}
	r.Tags[0] = "changed"
	r.Summary["loss"] = -1
	again, _ := s.Run("run-0042")
	if again.Tags[0] == "changed" || again.Summary["loss"] == -1 {
		t.Error("Run returns shared tags or summary")
	}
	if live := s.Live(); len(live) != 10 || !slices.IsSorted(live) {
		t.Errorf("Live() = %v; want 10 sorted ids", live)
	}
}

func TestModels(t *testing.T) {
	s := readStore(t)
	p, err := s.Models(api.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 7 {
		t.Fatalf("Models total = %d; want 7", p.Total)
	}
	checkSorted(t, "models by name", p.Items, api.Asc, modelSpec.sorts["name"], modelSpec.id)
	for _, m := range p.Items {
		one, err := s.Model(m.ID)
		if err != nil || one.ID != m.ID {
			t.Errorf("Model(%s) = %v, %v", m.ID, one.ID, err)
		}
		vs, err := s.ModelVersions(m.ID)
		if err != nil || vs.Total != m.VersionCount || len(vs.Items) != m.VersionCount || vs.Items[0].Version != m.LatestVersion {
			t.Fatalf("ModelVersions(%s) = %d items (first v%d), %v; want %d newest first", m.ID, len(vs.Items), vs.Items[0].Version, err, m.VersionCount)
		}
		for _, v := range vs.Items {
			if _, err := s.Run(v.SourceRun); err != nil {
				t.Errorf("%s v%d: source run %s: %v", m.ID, v.Version, v.SourceRun, err)
			}
		}
	}
	for f := range modelSpec.sorts {
		q, err := s.Models(api.ListQuery{Sort: f, Order: api.Desc})
		if err != nil {
			t.Fatal(err)
		}
		checkSorted(t, "models by "+f, q.Items, api.Desc, modelSpec.sorts[f], modelSpec.id)
	}
	if q, _ := s.Models(api.ListQuery{Q: "speech"}); q.Total != 1 || q.Items[0].ID != "mdl-speech-asr" {
		t.Errorf("Models(q=speech) = %+v", q)
	}
}

func TestDeploymentsList(t *testing.T) {
	s := readStore(t)
	p, err := s.Deployments(api.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 6 {
		t.Fatalf("Deployments total = %d; want 6", p.Total)
	}
	for f := range deploymentSpec.sorts {
		q, err := s.Deployments(api.ListQuery{Sort: f})
		if err != nil {
			t.Fatal(err)
		}
		checkSorted(t, "deployments by "+f, q.Items, api.Asc, deploymentSpec.sorts[f], deploymentSpec.id)
	}
	if q, _ := s.Deployments(api.ListQuery{Q: "degraded"}); q.Total != 1 || q.Items[0].Status != studio.DeployDegraded {
		t.Errorf("Deployments(q=degraded) = %+v", q)
	}
	d := p.Items[0]
	d.History[0].Note = "changed"
	one, _ := s.Deployment(d.ID)
	if one.History[0].Note == "changed" {
		t.Error("Deployments returns shared history")
	}
}

func TestTraces(t *testing.T) {
	s := readStore(t)
	p, err := s.Traces(api.ListQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 60 {
		t.Fatalf("Traces total = %d; want 60", p.Total)
	}
	checkSorted(t, "traces default", p.Items, api.Desc, traceSpec.sorts["start"], traceSpec.id)
	for f := range traceSpec.sorts {
		q, err := s.Traces(api.ListQuery{Sort: f, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		checkSorted(t, "traces by "+f, q.Items, api.Asc, traceSpec.sorts[f], traceSpec.id)
	}
	if q, _ := s.Traces(api.ListQuery{Sort: "span_count", Order: api.Desc, Limit: 1}); q.Items[0].SpanCount < 10_000 {
		t.Errorf("largest trace has %d spans; want >= 10000", q.Items[0].SpanCount)
	}
	if q, _ := s.Traces(api.ListQuery{Q: "embeddings"}); q.Total == 0 {
		t.Error("Traces(q=embeddings) is empty")
	}
	tr, err := s.Trace(p.Items[3].ID)
	if err != nil || len(tr.Spans) != tr.SpanCount || tr.ID != p.Items[3].ID {
		t.Errorf("Trace(%s) = %d spans (summary %d), %v", p.Items[3].ID, len(tr.Spans), tr.SpanCount, err)
	}
	again, _ := s.Trace(p.Items[3].ID)
	if again.Spans[0].ID != tr.Spans[0].ID || len(again.Spans) != len(tr.Spans) {
		t.Error("Trace is not stable")
	}
}
