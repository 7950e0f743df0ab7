package ui

import (
	"errors"
	"testing"

	"github.com/aiinfra/studio/app/query"
	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// listResult sets the result of a list page in a test.
func listResult[T any](l *listPage[T], items []T, err error) {
	l.items.Result = query.Result[api.Page[T]]{Err: err}
	if err == nil && items != nil {
		l.items.Result = query.Result[api.Page[T]]{HasData: true, Data: api.Page[T]{Items: items, Total: len(items)}}
	}
}

// TestListPages renders the experiments, registry and traces pages while
// loading, after an error and with data: the same listPage draws each.
func TestListPages(t *testing.T) {
	exps := &ExperimentsPage{Clock: &Clock{}}
	models := &RegistryPage{Clock: &Clock{}}
	traces := &TracesPage{Clock: &Clock{}}
	tests := []struct {
		name    string
		page    app.Composer
		set     func(err error, loaded bool)
		loading []string
		failed  []string
		loaded  []string
	}{
		{
			name: "experiments", page: exps,
			set: func(err error, loaded bool) {
				var items []studio.Experiment
				if loaded {
					items = []studio.Experiment{{ID: "exp-01", Name: "lr sweep", RunCount: 3}, {ID: "exp-02", Name: "ablation", RunCount: 4}}
				}
				listResult(&exps.list, items, err)
			},
			loading: []string{`data-page="experiments"`, "Groups of runs that explore one question", `class="skeleton skeleton-rows"`, `href="/runs/new"`},
			failed:  []string{`data-testid="error-state"`, "Couldn&#39;t load experiments", `data-action="retry"`},
			loaded:  []string{"2 experiments · 7 runs", `data-testid="table"`, `id="experiments-filter"`, "lr sweep", `href="/experiments/exp-01"`},
		},
		{
			name: "registry", page: models,
			set: func(err error, loaded bool) {
				var items []studio.Model
				if loaded {
					items = []studio.Model{{ID: "mdl-a", Name: "chat", VersionCount: 3, ProductionVersion: 2}}
				}
				listResult(&models.list, items, err)
			},
			loading: []string{`data-page="registry"`, "Trained models, their versions and where they serve", `class="skeleton skeleton-rows"`},
			failed:  []string{`data-testid="error-state"`, "Couldn&#39;t load the registry"},
			loaded:  []string{"1 model · 3 versions · 1 in production", `id="models-filter"`, `href="/registry/mdl-a"`},
		},
		{
			name: "traces", page: traces,
			set: func(err error, loaded bool) {
				var items []studio.TraceSummary
				if loaded {
					items = []studio.TraceSummary{{ID: "tr-1", Root: "POST /generate", SpanCount: 12, ErrorCount: 1}}
				}
				listResult(&traces.list, items, err)
			},
			loading: []string{`data-page="traces"`, "Distributed traces of the serving stack", `class="skeleton skeleton-rows"`},
			failed:  []string{`data-testid="error-state"`, "Couldn&#39;t load traces"},
			loaded:  []string{"1 trace · 12 spans · 1 with errors", `id="traces-filter"`, "POST /generate", `href="/traces/tr-1"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.set(nil, false)
			contains(t, app.HTMLString(tt.page), tt.loading...)
			tt.set(errors.New("boom"), false)
			contains(t, app.HTMLString(tt.page), tt.failed...)
			tt.set(nil, true)
			contains(t, app.HTMLString(tt.page), tt.loaded...)
		})
	}
}
