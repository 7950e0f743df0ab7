package store

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// key is a sort key: one of str, num or t is used per sort field. Missing
// keys (a queued run's start time, a metric of a run with no steps) sort
// last in both orders.
type key struct {
	str     string
	num     float64
	t       time.Time
	missing bool
}

func strKey(s string) key     { return key{str: s} }
func numKey(f float64) key    { return key{num: f} }
func timeKey(t time.Time) key { return key{t: t} }
func timePtrKey(t *time.Time) key {
	if t == nil {
		return key{missing: true}
	}
	return key{t: *t}
}

func compareKeys(a, b key) int {
	if c := strings.Compare(a.str, b.str); c != 0 {
		return c
	}
	if c := cmp.Compare(a.num, b.num); c != 0 {
		return c
	}
	return a.t.Compare(b.t)
}

// listSpec describes how a list is filtered and sorted.
type listSpec[T any] struct {
	what     string                 // "experiments", for error messages
	id       func(T) string         // tie-breaker, ascending
	match    func(T, string) bool   // q (lowercased) matches the item
	sorts    map[string]func(T) key // accepted sort fields
	defSort  string                 // sort field when q.Sort is ""
	defOrder api.Order              // order when q.Order is "" and q.Sort is ""
}

// checkList validates the paging and order parts of q.
func checkList(q api.ListQuery) (limit int, err error) {
	limit = q.Limit
	if limit == 0 {
		limit = api.DefaultListLimit
	}
	if limit < 1 || limit > api.MaxListLimit {
		return 0, studio.Errorf(studio.CodeInvalid, "limit must be between 1 and %d", api.MaxListLimit)
	}
	if q.Offset < 0 {
		return 0, studio.Errorf(studio.CodeInvalid, "offset must be >= 0")
	}
	if q.Order != "" && q.Order != api.Asc && q.Order != api.Desc {
		return 0, studio.Errorf(studio.CodeInvalid, "order must be asc or desc, not %q", q.Order)
	}
	return limit, nil
}

// sortFields returns the accepted sort fields, sorted, for messages.
func sortFields[T any](sorts map[string]func(T) key) string {
	names := make([]string, 0, len(sorts))
	for n := range sorts {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// page filters, sorts and pages items by q.
// Sort "" uses the list's default field and order; an explicit Sort with
// Order "" is ascending. Ties are broken by id, ascending.
func page[T any](items []T, q api.ListQuery, spec listSpec[T]) (api.Page[T], error) {
	idx, total, limit, err := pageIndexes(items, q, spec)
	if err != nil {
		return api.Page[T]{}, err
	}
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = items[i]
	}
	return api.Page[T]{Items: out, Total: total, Offset: q.Offset, Limit: limit}, nil
}

// pageIndexes is page returning the indexes in items of the page's items,
// the number of items that match q, and the limit applied.
func pageIndexes[T any](items []T, q api.ListQuery, spec listSpec[T]) (idx []int, total, limit int, err error) {
	limit, err = checkList(q)
	if err != nil {
		return nil, 0, 0, err
	}
	field, ord := q.Sort, q.Order
	if field == "" {
		field = spec.defSort
		if ord == "" {
			ord = spec.defOrder
		}
	}
	keyOf, ok := spec.sorts[field]
	if !ok {
		return nil, 0, 0, studio.Errorf(studio.CodeInvalid, "cannot sort %s by %q (valid: %s)", spec.what, q.Sort, sortFields(spec.sorts))
	}
	// Sort the items' indexes, not the items (a studio.Run is over 400
	// bytes, and moving pointers costs write barriers).
	needle := strings.ToLower(strings.TrimSpace(q.Q))
	order := make([]int, 0, len(items))
	for i, it := range items {
		if needle == "" || spec.match(it, needle) {
			order = append(order, i)
		}
	}
	keys := make([]key, len(items))
	ids := make([]string, len(items))
	for _, i := range order {
		keys[i], ids[i] = keyOf(items[i]), spec.id(items[i])
	}
	dir := 1
	if ord == api.Desc {
		dir = -1
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ka, kb := &keys[a], &keys[b]
		if ka.missing != kb.missing {
			if ka.missing {
				return 1
			}
			return -1
		}
		if c := compareKeys(*ka, *kb); c != 0 {
			return c * dir
		}
		return cmp.Compare(ids[a], ids[b])
	})
	total = len(order)
	from := min(q.Offset, total)
	to := min(from+limit, total)
	return order[from:to], total, limit, nil
}

// contains reports whether any of fields contains needle, ignoring case.
// needle must be lowercase.
func contains(needle string, fields ...string) bool {
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), needle) {
			return true
		}
	}
	return false
}

var experimentSpec = listSpec[studio.Experiment]{
	what:  "experiments",
	id:    func(e studio.Experiment) string { return string(e.ID) },
	match: func(e studio.Experiment, q string) bool { return contains(q, string(e.ID), e.Name) },
	sorts: map[string]func(studio.Experiment) key{
		"id":            func(e studio.Experiment) key { return strKey(string(e.ID)) },
		"name":          func(e studio.Experiment) key { return strKey(e.Name) },
		"created_at":    func(e studio.Experiment) key { return timeKey(e.CreatedAt) },
		"run_count":     func(e studio.Experiment) key { return numKey(float64(e.RunCount)) },
		"last_activity": func(e studio.Experiment) key { return timeKey(e.LastActivity) },
		"best_val_loss": func(e studio.Experiment) key {
			if e.BestValLoss == 0 {
				return key{missing: true}
			}
			return numKey(e.BestValLoss)
		},
	},
	defSort: "id", defOrder: api.Asc,
}

// experimentsLocked returns every experiment with its aggregates computed
// from the runs. s.mu must be held.
func (s *Store) experimentsLocked() []studio.Experiment {
	out := make([]studio.Experiment, len(s.exps))
	for i, e := range s.exps {
		e.Tags = append([]string{}, e.Tags...)
		out[i] = e
	}
	for _, st := range s.runs {
		e := &out[s.expIndex[st.plan.Run.ExperimentID]]
		e.RunCount++
		switch st.status {
		case studio.RunRunning:
			e.RunningCount++
		case studio.RunFailed:
			e.FailedCount++
		}
		if v, ok := st.summary[studio.MetricValLoss]; ok && (e.BestValLoss == 0 || v < e.BestValLoss) {
			e.BestValLoss = v
		}
		for _, t := range []*time.Time{&st.plan.Run.CreatedAt, st.plan.Run.StartedAt, st.endedAt} {
			if t != nil && t.After(e.LastActivity) {
				e.LastActivity = *t
			}
		}
	}
	return out
}

// Experiments lists experiments. q.Q filters on id and name; q.Sort is
// one of id (the default), name, created_at, run_count, last_activity or
// best_val_loss.
func (s *Store) Experiments(q api.ListQuery) (api.Page[studio.Experiment], error) {
	s.mu.RLock()
	all := s.experimentsLocked()
	s.mu.RUnlock()
	return page(all, q, experimentSpec)
}

// Experiment returns experiment id with its aggregates.
func (s *Store) Experiment(id studio.ExperimentID) (studio.Experiment, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.expIndex[id]
	if !ok {
		return studio.Experiment{}, studio.Errorf(studio.CodeNotFound, "experiment %q not found", id)
	}
	return s.experimentsLocked()[i], nil
}

var statusOrder = func() map[studio.RunStatus]int {
	m := map[studio.RunStatus]int{}
	for i, st := range studio.RunStatuses {
		m[st] = i
	}
	return m
}()

// runSorts returns the sort keys of runs at time now.
func runSorts(now time.Time) map[string]func(studio.Run) key {
	m := map[string]func(studio.Run) key{
		"id":         func(r studio.Run) key { return strKey(string(r.ID)) },
		"name":       func(r studio.Run) key { return strKey(r.Name) },
		"status":     func(r studio.Run) key { return numKey(float64(statusOrder[r.Status])) },
		"created_at": func(r studio.Run) key { return timeKey(r.CreatedAt) },
		"started_at": func(r studio.Run) key { return timePtrKey(r.StartedAt) },
		"ended_at":   func(r studio.Run) key { return timePtrKey(r.EndedAt) },
		"duration": func(r studio.Run) key {
			if r.StartedAt == nil {
				return key{missing: true}
			}
			end := now
			if r.EndedAt != nil {
				end = *r.EndedAt
			}
			return numKey(float64(end.Sub(*r.StartedAt)))
		},
		"steps": func(r studio.Run) key { return numKey(float64(r.Steps)) },
	}
	for _, name := range studio.MetricNames {
		m[name] = func(r studio.Run) key {
			v, ok := r.Summary[name]
			if !ok {
				return key{missing: true}
			}
			return numKey(v)
		}
	}
	return m
}

// Runs lists runs, newest first by default. q.Experiment "" means every
// run (an unknown experiment is CodeNotFound); q.Status keeps runs in any
// of the given statuses; q.Q filters on id, name, owner and tags. q.Sort is
// one of id, name, status, created_at (the default, descending),
// started_at, ended_at, duration, steps or a metric name (its summary
// value); runs without the value sort last.
func (s *Store) Runs(q api.RunQuery) (api.Page[studio.Run], error) {
	for _, st := range q.Status {
		if !st.Valid() {
			return api.Page[studio.Run]{}, studio.Errorf(studio.CodeInvalid, "unknown status %q (valid: queued, running, succeeded, failed, cancelled)", st)
		}
	}
	if _, err := checkList(q.ListQuery); err != nil {
		return api.Page[studio.Run]{}, err
	}
	now := s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if q.Experiment != "" {
		if _, ok := s.expIndex[q.Experiment]; !ok {
			return api.Page[studio.Run]{}, studio.Errorf(studio.CodeNotFound, "experiment %q not found", q.Experiment)
		}
	}
	// Filter and sort views that share the runs' memory; copy only the
	// runs of the page.
	runs := make([]studio.Run, 0, len(s.runs))
	states := make([]*runState, 0, len(s.runs))
	for _, st := range s.runs {
		if q.Experiment != "" && st.plan.Run.ExperimentID != q.Experiment {
			continue
		}
		if len(q.Status) > 0 && !slices.Contains(q.Status, st.status) {
			continue
		}
		runs = append(runs, st.listView())
		states = append(states, st)
	}
	idx, total, limit, err := pageIndexes(runs, q.ListQuery, listSpec[studio.Run]{
		what: "runs",
		id:   func(r studio.Run) string { return string(r.ID) },
		match: func(r studio.Run, q string) bool {
			return contains(q, append([]string{string(r.ID), r.Name, r.Owner}, r.Tags...)...)
		},
		sorts:   runSorts(now),
		defSort: "created_at", defOrder: api.Desc,
	})
	if err != nil {
		return api.Page[studio.Run]{}, err
	}
	out := make([]studio.Run, len(idx))
	for j, i := range idx {
		out[j] = states[i].snapshot()
	}
	return api.Page[studio.Run]{Items: out, Total: total, Offset: q.Offset, Limit: limit}, nil
}

// listView returns the run with the fields that lists filter and sort on
// as snapshot has them, sharing memory with st: read it under s.mu, and
// never return it.
func (st *runState) listView() studio.Run {
	r := st.plan.Run
	r.Status, r.Steps, r.Summary, r.EndedAt = st.status, st.steps, st.summary, st.endedAt
	return r
}

var modelSpec = listSpec[studio.Model]{
	what: "models",
	id:   func(m studio.Model) string { return string(m.ID) },
	match: func(m studio.Model, q string) bool {
		return contains(q, append([]string{string(m.ID), m.Name, m.Task}, m.Tags...)...)
	},
	sorts: map[string]func(studio.Model) key{
		"id":             func(m studio.Model) key { return strKey(string(m.ID)) },
		"name":           func(m studio.Model) key { return strKey(m.Name) },
		"task":           func(m studio.Model) key { return strKey(m.Task) },
		"created_at":     func(m studio.Model) key { return timeKey(m.CreatedAt) },
		"updated_at":     func(m studio.Model) key { return timeKey(m.UpdatedAt) },
		"version_count":  func(m studio.Model) key { return numKey(float64(m.VersionCount)) },
		"latest_version": func(m studio.Model) key { return numKey(float64(m.LatestVersion)) },
	},
	defSort: "name", defOrder: api.Asc,
}

// Models lists registered models. q.Q filters on id, name, task and tags;
// q.Sort is one of name (the default), id, task, created_at, updated_at,
// version_count or latest_version.
func (s *Store) Models(q api.ListQuery) (api.Page[studio.Model], error) {
	s.mu.RLock()
	all := make([]studio.Model, len(s.models))
	for i, m := range s.models {
		all[i] = copyModel(m)
	}
	s.mu.RUnlock()
	return page(all, q, modelSpec)
}

func copyModel(m studio.Model) studio.Model {
	m.Tags = append([]string{}, m.Tags...)
	return m
}

// Model returns model id.
func (s *Store) Model(id studio.ModelID) (studio.Model, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.modelIdx[id]
	if !ok {
		return studio.Model{}, studio.Errorf(studio.CodeNotFound, "model %q not found", id)
	}
	return copyModel(s.models[i]), nil
}

// ModelVersions returns every version of model id, newest first, with
// Stage, Aliases and Deployments as of now.
func (s *Store) ModelVersions(id studio.ModelID) (api.Page[studio.ModelVersion], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.modelIdx[id]
	if !ok {
		return api.Page[studio.ModelVersion]{}, studio.Errorf(studio.CodeNotFound, "model %q not found", id)
	}
	vs := s.versions[i]
	out := make([]studio.ModelVersion, len(vs))
	for j, v := range vs {
		v.Aliases = append([]string{}, v.Aliases...)
		v.Deployments = append([]studio.DeploymentID{}, v.Deployments...)
		m := make(map[string]float64, len(v.Metrics))
		for k, x := range v.Metrics {
			m[k] = x
		}
		v.Metrics = m
		out[len(vs)-1-j] = v
	}
	return api.Page[studio.ModelVersion]{Items: out, Total: len(out), Offset: 0, Limit: len(out)}, nil
}

var deploymentSpec = listSpec[studio.Deployment]{
	what: "deployments",
	id:   func(d studio.Deployment) string { return string(d.ID) },
	match: func(d studio.Deployment, q string) bool {
		return contains(q, string(d.ID), d.Name, string(d.ModelID), d.Environment, string(d.Status))
	},
	sorts: map[string]func(studio.Deployment) key{
		"id":          func(d studio.Deployment) key { return strKey(string(d.ID)) },
		"name":        func(d studio.Deployment) key { return strKey(d.Name) },
		"status":      func(d studio.Deployment) key { return strKey(string(d.Status)) },
		"environment": func(d studio.Deployment) key { return strKey(d.Environment) },
		"updated_at":  func(d studio.Deployment) key { return timeKey(d.UpdatedAt) },
		"error_rate":  func(d studio.Deployment) key { return numKey(d.Health.ErrorRate) },
		"latency_p99": func(d studio.Deployment) key { return numKey(d.Health.LatencyP99) },
	},
	defSort: "id", defOrder: api.Asc,
}

// Deployments lists deployments. q.Q filters on id, name, model,
// environment and status; q.Sort is one of id (the default), name, status,
// environment, updated_at, error_rate or latency_p99.
func (s *Store) Deployments(q api.ListQuery) (api.Page[studio.Deployment], error) {
	s.mu.RLock()
	all := make([]studio.Deployment, len(s.deps))
	for i, d := range s.deps {
		all[i] = copyDeployment(&d.plan.Deployment)
	}
	s.mu.RUnlock()
	return page(all, q, deploymentSpec)
}

// copyDeployment returns a deep copy of d.
func copyDeployment(d *studio.Deployment) studio.Deployment {
	c := *d
	c.Steps = append([]int{}, d.Steps...)
	c.HealthHistory = append([]studio.HealthSample{}, d.HealthHistory...)
	c.Incidents = make([]studio.Incident, len(d.Incidents))
	for i, in := range d.Incidents {
		if in.ClosedAt != nil {
			t := *in.ClosedAt
			in.ClosedAt = &t
		}
		c.Incidents[i] = in
	}
	c.History = append([]studio.HistoryEntry{}, d.History...)
	return c
}

// Deployment returns deployment id.
func (s *Store) Deployment(id studio.DeploymentID) (studio.Deployment, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.depIndex[id]
	if !ok {
		return studio.Deployment{}, studio.Errorf(studio.CodeNotFound, "deployment %q not found", id)
	}
	return copyDeployment(&s.deps[i].plan.Deployment), nil
}

var traceSpec = listSpec[studio.TraceSummary]{
	what: "traces",
	id:   func(t studio.TraceSummary) string { return string(t.ID) },
	match: func(t studio.TraceSummary, q string) bool {
		return contains(q, append([]string{string(t.ID), t.Root, t.Service, string(t.Deployment)}, t.Services...)...)
	},
	sorts: map[string]func(studio.TraceSummary) key{
		"id":          func(t studio.TraceSummary) key { return strKey(string(t.ID)) },
		"start":       func(t studio.TraceSummary) key { return timeKey(t.Start) },
		"duration":    func(t studio.TraceSummary) key { return numKey(float64(t.DurationUS)) },
		"span_count":  func(t studio.TraceSummary) key { return numKey(float64(t.SpanCount)) },
		"error_count": func(t studio.TraceSummary) key { return numKey(float64(t.ErrorCount)) },
		"root":        func(t studio.TraceSummary) key { return strKey(t.Root) },
		"service":     func(t studio.TraceSummary) key { return strKey(t.Service) },
	},
	defSort: "start", defOrder: api.Desc,
}

// Traces lists trace summaries, newest first by default. q.Q filters on
// id, root operation, services and deployment; q.Sort is one of start (the
// default, descending), id, duration, span_count, error_count, root or
// service.
func (s *Store) Traces(q api.ListQuery) (api.Page[studio.TraceSummary], error) {
	all := make([]studio.TraceSummary, len(s.traces))
	for i, t := range s.traces {
		t.Summary.Services = append([]string{}, t.Summary.Services...)
		all[i] = t.Summary
	}
	return page(all, q, traceSpec)
}

// Trace returns trace id with its spans, parents before children. The
// spans are generated on first use and cached; callers must not modify
// them.
func (s *Store) Trace(id studio.TraceID) (studio.Trace, error) {
	i, ok := s.traceIdx[id]
	if !ok {
		return studio.Trace{}, studio.Errorf(studio.CodeNotFound, "trace %q not found", id)
	}
	t := &s.traces[i]
	spans, ok := s.spans.get(id)
	if !ok {
		spans = t.Spans()
		s.spans.put(id, spans)
	}
	sum := t.Summary
	sum.Services = append([]string{}, sum.Services...)
	return studio.Trace{TraceSummary: sum, Spans: spans}, nil
}
