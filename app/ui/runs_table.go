package ui

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/app/format"
	"github.com/aiinfra/studio/app/table"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// runColumns returns the columns of a runs table: identity, status,
// timing, config and one column per summary metric (sortable, so a user
// can sort runs by any metric). withExperiment adds the experiment column.
func runColumns(now time.Time, withExperiment bool) []table.Column[studio.Run] {
	cols := []table.Column[studio.Run]{
		{
			ID: "name", Header: "Name", Width: "minmax(180px,2fr)", Required: true,
			Text:    func(r studio.Run) string { return r.Name },
			Cell:    func(r studio.Run) app.UI { return app.A().Class("cell-link").Href(hrefRun(r.ID)).Text(r.Name) },
			Compare: func(a, b studio.Run) int { return strings.Compare(a.Name, b.Name) },
		},
		{
			ID: "id", Header: "ID", Width: "96px", Class: "mono",
			Text:    func(r studio.Run) string { return string(r.ID) },
			Compare: func(a, b studio.Run) int { return strings.Compare(string(a.ID), string(b.ID)) },
		},
		{
			ID: "status", Header: "Status", Width: "136px",
			Text:    func(r studio.Run) string { return string(r.Status) },
			Cell:    func(r studio.Run) app.UI { return pill(string(r.Status)) },
			Compare: func(a, b studio.Run) int { return cmp.Compare(statusRank(a.Status), statusRank(b.Status)) },
		},
	}
	if withExperiment {
		cols = append(cols, table.Column[studio.Run]{
			ID: "experiment", Header: "Experiment", Width: "96px", Class: "mono",
			Text: func(r studio.Run) string { return string(r.ExperimentID) },
			Cell: func(r studio.Run) app.UI {
				return app.A().Class("cell-link").Href(hrefExperiment(r.ExperimentID)).Text(string(r.ExperimentID))
			},
			Compare: func(a, b studio.Run) int { return strings.Compare(string(a.ExperimentID), string(b.ExperimentID)) },
		})
	}
	cols = append(cols,
		table.Column[studio.Run]{
			ID: "owner", Header: "Owner", Width: "100px",
			Text:    func(r studio.Run) string { return r.Owner },
			Compare: func(a, b studio.Run) int { return strings.Compare(a.Owner, b.Owner) },
		},
		table.Column[studio.Run]{
			ID: "created", Header: "Created", Width: "108px", Align: table.AlignEnd,
			Cell: func(r studio.Run) app.UI {
				return app.Span().Title(format.TimeSec(r.CreatedAt)).Text(format.Ago(r.CreatedAt, now))
			},
			Compare: func(a, b studio.Run) int { return a.CreatedAt.Compare(b.CreatedAt) },
		},
		table.Column[studio.Run]{
			ID: "duration", Header: "Duration", Width: "92px", Align: table.AlignEnd,
			Cell:    func(r studio.Run) app.UI { return app.Text(runDurationText(r)) },
			Compare: func(a, b studio.Run) int { return cmp.Compare(runDuration(a), runDuration(b)) },
		},
		table.Column[studio.Run]{
			ID: "steps", Header: "Progress", Width: "120px",
			Cell: func(r studio.Run) app.UI { return progressBar(r) },
			Compare: func(a, b studio.Run) int {
				return cmp.Compare(runProgress(a), runProgress(b))
			},
		},
		table.Column[studio.Run]{
			ID: "model", Header: "Model", Width: "130px", Hidden: true,
			Text:    func(r studio.Run) string { return r.Config.Model },
			Compare: func(a, b studio.Run) int { return strings.Compare(a.Config.Model, b.Config.Model) },
		},
		table.Column[studio.Run]{
			ID: "dataset", Header: "Dataset", Width: "140px", Hidden: true,
			Text:    func(r studio.Run) string { return r.Config.Dataset },
			Compare: func(a, b studio.Run) int { return strings.Compare(a.Config.Dataset, b.Config.Dataset) },
		},
		table.Column[studio.Run]{
			ID: "optimizer", Header: "Optimizer", Width: "96px", Hidden: true,
			Text:    func(r studio.Run) string { return r.Config.Optimizer },
			Compare: func(a, b studio.Run) int { return strings.Compare(a.Config.Optimizer, b.Config.Optimizer) },
		},
		table.Column[studio.Run]{
			ID: "lr", Header: "LR", Width: "84px", Align: table.AlignEnd, Hidden: true, Class: "mono",
			Cell:    func(r studio.Run) app.UI { return app.Text(strconv.FormatFloat(r.Config.LearningRate, 'g', 3, 64)) },
			Compare: func(a, b studio.Run) int { return cmp.Compare(a.Config.LearningRate, b.Config.LearningRate) },
		},
		table.Column[studio.Run]{
			ID: "batch", Header: "Batch", Width: "76px", Align: table.AlignEnd, Hidden: true,
			Cell:    func(r studio.Run) app.UI { return app.Text(format.Int(r.Config.BatchSize)) },
			Compare: func(a, b studio.Run) int { return cmp.Compare(a.Config.BatchSize, b.Config.BatchSize) },
		},
		table.Column[studio.Run]{
			ID: "gpus", Header: "GPUs", Width: "120px", Hidden: true,
			Text:    func(r studio.Run) string { return strconv.Itoa(r.Hardware.GPUCount) + "× " + r.Hardware.GPUType },
			Compare: func(a, b studio.Run) int { return cmp.Compare(a.Hardware.GPUCount, b.Hardware.GPUCount) },
		},
	)
	for _, m := range studio.MetricNames {
		hidden := m != studio.MetricLoss && m != studio.MetricValLoss && m != studio.MetricAccuracy
		cols = append(cols, metricColumn(m, hidden))
	}
	cols = append(cols,
		table.Column[studio.Run]{
			ID: "commit", Header: "Commit", Width: "120px", Hidden: true, Class: "mono",
			Text:    func(r studio.Run) string { return shortCommit(r.Commit) },
			Compare: func(a, b studio.Run) int { return strings.Compare(a.Commit, b.Commit) },
		},
		table.Column[studio.Run]{
			ID: "tags", Header: "Tags", Width: "minmax(140px,1fr)", Hidden: true,
			Text: func(r studio.Run) string { return strings.Join(r.Tags, " ") },
			Cell: func(r studio.Run) app.UI { return tagList(r.Tags) },
		},
	)
	return cols
}

// metricColumn sorts and shows the run's summary value of metric m. Runs
// without the metric sort last in both directions' natural reading
// (missing values compare as NaN, after every number).
func metricColumn(m string, hidden bool) table.Column[studio.Run] {
	return table.Column[studio.Run]{
		ID: m, Header: metricLabel(m), Width: "88px", Align: table.AlignEnd, Hidden: hidden,
		Cell: func(r studio.Run) app.UI {
			v, ok := r.Summary[m]
			if !ok {
				return app.Span().Class("muted").Text("—")
			}
			return app.Text(formatMetric(m, v))
		},
		Compare: func(a, b studio.Run) int {
			va, oka := a.Summary[m]
			vb, okb := b.Summary[m]
			switch {
			case !oka && !okb:
				return 0
			case !oka:
				return 1
			case !okb:
				return -1
			}
			return cmp.Compare(va, vb)
		},
	}
}

// metricLabel is the column header of a metric.
func metricLabel(m string) string {
	switch m {
	case studio.MetricLoss:
		return "Loss"
	case studio.MetricValLoss:
		return "Val loss"
	case studio.MetricAccuracy:
		return "Accuracy"
	case studio.MetricLearningRate:
		return "LR (now)"
	case studio.MetricGradNorm:
		return "Grad norm"
	case studio.MetricGPUUtil:
		return "GPU util"
	case studio.MetricThroughput:
		return "Throughput"
	}
	return m
}

// formatMetric formats a metric value with its unit.
func formatMetric(m string, v float64) string {
	switch studio.MetricUnits[m] {
	case "%":
		return format.Pct(v)
	case "samples/s":
		return format.Int(int(math.Round(v)))
	}
	if m == studio.MetricLearningRate {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return format.Metric(v)
}

// statusRank orders run statuses by lifecycle.
func statusRank(s studio.RunStatus) int {
	if i := slices.Index(studio.RunStatuses, s); i >= 0 {
		return i
	}
	return len(studio.RunStatuses)
}

func shortCommit(c string) string {
	if len(c) > 10 {
		return c[:10]
	}
	return c
}

func progressBar(r studio.Run) app.UI {
	p := runProgress(r)
	return app.Div().Class("progress").Title(format.Int(r.Steps)+" / "+format.Int(r.TotalSteps)+" steps").Body(
		app.Div().Class("progress-track").Body(
			app.Div().Class("progress-fill", "bg-"+string(r.Status)).Style("width", strconv.FormatFloat(p*100, 'f', 1, 64)+"%"),
		),
		app.Span().Class("progress-label num").Text(strconv.Itoa(int(math.Round(p*100)))+"%"),
	)
}

func tagList(tags []string) app.UI {
	return app.Span().Class("tags").Body(app.Range(tags).Slice(func(i int) app.UI {
		return app.Span().Class("tag").Text(tags[i])
	}))
}

// statusFilter is a set of run statuses kept in the URL as
// ?status=running,failed; empty means all.
type statusFilter []studio.RunStatus

// parseStatusFilter reads ?status=, ignoring unknown values.
func parseStatusFilter(q url.Values) statusFilter {
	var f statusFilter
	for _, s := range strings.Split(q.Get("status"), ",") {
		st := studio.RunStatus(strings.TrimSpace(s))
		if st.Valid() && !slices.Contains(f, st) {
			f = append(f, st)
		}
	}
	slices.SortFunc(f, func(a, b studio.RunStatus) int { return cmp.Compare(statusRank(a), statusRank(b)) })
	return f
}

// encode writes the filter into q.
func (f statusFilter) encode(q url.Values) {
	if len(f) == 0 {
		q.Del("status")
		return
	}
	parts := make([]string, len(f))
	for i, s := range f {
		parts[i] = string(s)
	}
	q.Set("status", strings.Join(parts, ","))
}

// key identifies the filter for table.Table.WhereKey.
func (f statusFilter) key() string {
	q := url.Values{}
	f.encode(q)
	return q.Get("status")
}

// toggle adds or removes s.
func (f statusFilter) toggle(s studio.RunStatus) statusFilter {
	if i := slices.Index(f, s); i >= 0 {
		return slices.Delete(slices.Clone(f), i, i+1)
	}
	out := append(slices.Clone(f), s)
	slices.SortFunc(out, func(a, b studio.RunStatus) int { return cmp.Compare(statusRank(a), statusRank(b)) })
	return out
}

// where returns the table predicate of the filter, nil for all.
func (f statusFilter) where() func(studio.Run) bool {
	if len(f) == 0 {
		return nil
	}
	return func(r studio.Run) bool { return slices.Contains(f, r.Status) }
}

// statusCounts counts runs per status.
func statusCounts(runs []studio.Run) map[studio.RunStatus]int {
	m := make(map[studio.RunStatus]int, len(studio.RunStatuses))
	for _, r := range runs {
		m[r.Status]++
	}
	return m
}

// statusChips renders the run status filter as toggle buttons with
// counts. onToggle reads the button's data-status.
func statusChips(f statusFilter, counts map[studio.RunStatus]int, total int, onToggle app.EventHandler) app.UI {
	opts := make([]string, len(studio.RunStatuses))
	sel := make([]string, len(f))
	cnt := make(map[string]int, len(counts))
	for i, st := range studio.RunStatuses {
		opts[i] = string(st)
		cnt[string(st)] = counts[st]
	}
	for i, st := range f {
		sel[i] = string(st)
	}
	return filterChips(opts, sel, cnt, total, onToggle)
}

// filterChips renders a multi-select filter: an "All" chip and one chip
// per option with its count, each a toggle button (aria-pressed) whose
// data-status names the option ("" for All).
func filterChips(options, selected []string, counts map[string]int, total int, onToggle app.EventHandler) app.UI {
	chips := []app.UI{
		app.Button().Type("button").Class("chip").DataSet("status", "").
			Aria("pressed", len(selected) == 0).OnClick(onToggle, app.EventScope("all")).
			Body(app.Text("All "), app.Span().Class("chip-count").Text(format.Int(total))),
	}
	for _, o := range options {
		chips = append(chips, app.Button().Type("button").Class("chip", "chip-"+o).DataSet("status", o).
			Aria("pressed", slices.Contains(selected, o)).OnClick(onToggle, app.EventScope(o)).
			Body(app.Span().Class("pill-dot").Aria("hidden", true), app.Text(statusLabel(o)+" "), app.Span().Class("chip-count").Text(format.Int(counts[o]))))
	}
	return app.Div().Class("chips").Attr("role", "group").Aria("label", "Filter by status").Body(chips...)
}

// readStatusChip returns the status of the chip a click landed on; ""
// means "all".
func readStatusChip(ctx app.Context) (studio.RunStatus, bool) {
	el := ctx.JSSrc()
	if !el.Truthy() {
		return "", false
	}
	return studio.RunStatus(el.Get("dataset").Get("status").String()), true
}
