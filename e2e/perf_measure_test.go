package e2e

import "testing"

// perfMeasure is one figure a perf test measured, with the target of the
// issue that named it: the figure meets the target when Value < Limit.
// tools/benchtab reads them (measures-*.json in E2E_PERF_OUT) into the
// targets table of BENCHMARKS.md.
type perfMeasure struct {
	Issue int     `json:"issue"`
	What  string  `json:"what"`
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"`
}

// recordMeasures writes ms to $E2E_PERF_OUT/measures-name.json.
func recordMeasures(t *testing.T, name string, ms ...perfMeasure) {
	t.Helper()
	for _, m := range ms {
		t.Logf("target (issue %d): %s: %.1f %s (limit %.0f %s)", m.Issue, m.What, m.Value, m.Unit, m.Limit, m.Unit)
	}
	writePerf(t, "measures-"+name, ms)
}
