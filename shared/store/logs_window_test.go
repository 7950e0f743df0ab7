package store

import (
	"reflect"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// TestLogWindowIsLogsWithoutLines holds LogWindow to Logs: the same page
// without lines, the same lines from AppendLines, the same errors, and no
// window for filtered queries.
func TestLogWindowIsLogsWithoutLines(t *testing.T) {
	s := readStore(t)
	tests := []struct {
		name string
		id   studio.RunID
		q    api.LogQuery
	}{
		{"default", synth.BigLogRun, api.LogQuery{FromSeq: -1}},
		{"from seq", synth.BigLogRun, api.LogQuery{FromSeq: 123_456, Limit: 700}},
		{"forward cursor", synth.BigLogRun, api.LogQuery{FromSeq: -1, Cursor: cursor{pos: 999_990}.String()}},
		{"backward cursor", synth.BigLogRun, api.LogQuery{FromSeq: -1, Cursor: cursor{pos: 10, backward: true}.String(), Limit: 50}},
		{"backward", synth.BigLogRun, api.LogQuery{FromSeq: 5000, Backward: true, Limit: 2000}},
		{"tail", synth.BigLogRun, api.LogQuery{FromSeq: -1, Tail: 3}},
		{"from time", synth.BigLogRun, api.LogQuery{FromSeq: -1, FromTime: "2026-11-01T00:00:00Z"}},
		{"from time centuries later", synth.BigLogRun, api.LogQuery{FromSeq: -1, FromTime: "2999-01-01T00:00:00Z"}},
		{"from time centuries earlier", synth.BigLogRun, api.LogQuery{FromSeq: -1, FromTime: "1000-01-01T00:00:00Z"}},
		{"filtered", synth.BigLogRun, api.LogQuery{FromSeq: -1, Q: "nccl"}},
		{"filtered by level", synth.BigLogRun, api.LogQuery{FromSeq: -1, Level: []studio.LogLevel{studio.LevelWarn}}},
		{"bad limit", synth.BigLogRun, api.LogQuery{FromSeq: -1, Limit: -3}},
		{"bad level", synth.BigLogRun, api.LogQuery{FromSeq: -1, Level: []studio.LogLevel{"loud"}}},
		{"unknown run", "run-9999", api.LogQuery{FromSeq: -1}},
		{"small run", synth.RunID(3), api.LogQuery{FromSeq: -1, Limit: 2000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, perr := s.Logs(tt.id, tt.q)
			w, ok, werr := s.LogWindow(tt.id, tt.q)
			if studio.ErrorCode(perr) != studio.ErrorCode(werr) || (perr == nil) != (werr == nil) {
				t.Fatalf("Logs error %v, LogWindow error %v", perr, werr)
			}
			if perr != nil {
				return
			}
			if filtered := len(tt.q.Level) > 0 || tt.q.Q != ""; ok == filtered {
				t.Fatalf("LogWindow ok = %v for a query filtered %v", ok, filtered)
			}
			if !ok {
				return
			}
			if w.Run != tt.id {
				t.Errorf("window of run %s", w.Run)
			}
			got := w.Page
			got.Lines = w.AppendLines(make([]studio.LogLine, 0), got.ScannedFrom, got.ScannedTo)
			if !reflect.DeepEqual(got, page) {
				t.Fatalf("window page = %+v\nwant %+v", got.Lines[:min(2, len(got.Lines))], page.Lines[:min(2, len(page.Lines))])
			}
			if page.ScannedFrom < 0 || page.ScannedTo > page.Total {
				t.Fatalf("page holds [%d, %d) of %d lines", page.ScannedFrom, page.ScannedTo, page.Total)
			}
		})
	}
}
