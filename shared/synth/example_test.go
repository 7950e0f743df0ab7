package synth_test

import (
	"fmt"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// A run's log line is a pure function of the seed, the run and the line
// number: line 999,999 is computed directly, without the lines before it.
func ExampleRunPlan_LogLine() {
	ds := synth.New(42, 1).Generate()
	n, _ := synth.RunIndex(synth.BigLogRun)
	p := ds.Runs[n]
	l := p.LogLine(999_999)
	fmt.Println(p.Run.ID, p.Run.LogCount, l.Seq, l.Time.Equal(p.LineTime(999_999)))
	// Output: run-0042 1000000 999999 true
}

// Metric values are deterministic and rounded, so the server and the
// browser compute the same series.
func ExampleRunPlan_Metric() {
	ds := synth.New(42, 1).Generate()
	p := ds.Runs[0]
	loss, _ := synth.MetricIndex(studio.MetricLoss)
	fmt.Println(p.Metric(loss, 0) > p.Metric(loss, p.Run.Steps-1))
	// Output: true
}
