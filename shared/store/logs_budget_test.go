package store

import (
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/synth"
)

// maxPageAllocs is the allocation budget of one unfiltered log page,
// whatever its length: a page allocates its lines, one buffer for the
// messages and the text they share, and its cursors, never per line
// (before this budget a 500-line page made 2,665 allocations; pages made
// 8 to 11 when it was lowered from 24).
const maxPageAllocs = 16

// TestLogPageAllocs holds unfiltered log pages of every size to
// maxPageAllocs allocations, at the start, middle and end of the
// 1,000,000-line log.
func TestLogPageAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	s := readStore(t)
	tests := []struct {
		name string
		q    api.LogQuery
	}{
		{"500 lines at the start", api.LogQuery{FromSeq: -1, Limit: 500}},
		{"500 lines in the middle", api.LogQuery{FromSeq: 500_000, Limit: 500}},
		{"2000 lines at the end", api.LogQuery{FromSeq: -1, Tail: 2000}},
		{"2000 lines backward by cursor", api.LogQuery{FromSeq: -1, Cursor: cursor{pos: 700_000, backward: true}.String(), Limit: 2000}},
		{"1 line", api.LogQuery{FromSeq: 123_456, Limit: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Logs(synth.BigLogRun, tt.q); err != nil {
				t.Fatal(err)
			}
			n := testing.AllocsPerRun(20, func() {
				if _, err := s.Logs(synth.BigLogRun, tt.q); err != nil {
					t.Fatal(err)
				}
			})
			if n > maxPageAllocs {
				t.Errorf("Logs(%+v) made %.0f allocations; want at most %d", tt.q, n, maxPageAllocs)
			} else {
				t.Logf("%.0f allocations", n)
			}
		})
	}
}
