package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// fakeSource is a runSource for hub tests: each tick of a running run
// emits perTick metric points, a queued run starts on its first tick, and
// a run succeeds after totalTicks ticks. It keeps every message it ever
// emitted (all) and a ring of the last bufSize (buf) for Since.
type fakeSource struct {
	mu         sync.Mutex
	runs       map[studio.RunID]*fakeRun
	perTick    int
	totalTicks int // 0: never ends
	bufSize    int
}

type fakeRun struct {
	status studio.RunStatus
	seq    int64
	ticks  int
	all    []api.Message
	buf    []api.Message
}

func newFakeSource(perTick, totalTicks, bufSize int, ids ...studio.RunID) *fakeSource {
	f := &fakeSource{runs: map[studio.RunID]*fakeRun{}, perTick: perTick, totalTicks: totalTicks, bufSize: bufSize}
	for _, id := range ids {
		f.runs[id] = &fakeRun{status: studio.RunRunning}
	}
	return f
}

// add registers a run in the given status.
func (f *fakeSource) add(id studio.RunID, status studio.RunStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs[id] = &fakeRun{status: status}
}

func (f *fakeSource) Run(id studio.RunID) (studio.Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.runs[id]
	if !ok {
		return studio.Run{}, studio.Errorf(studio.CodeNotFound, "run %q not found", id)
	}
	return studio.Run{ID: id, Status: r.status, StreamSeq: r.seq}, nil
}

func (f *fakeSource) emit(r *fakeRun, typ string, data any) {
	b, _ := json.Marshal(data)
	r.seq++
	m := api.Message{Type: typ, Seq: r.seq, Data: b}
	r.all = append(r.all, m)
	r.buf = append(r.buf, m)
	if len(r.buf) > f.bufSize {
		r.buf = slices.Delete(r.buf, 0, len(r.buf)-f.bufSize)
	}
}

func (f *fakeSource) Tick(id studio.RunID) ([]api.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.runs[id]
	if !ok {
		return nil, studio.Errorf(studio.CodeNotFound, "run %q not found", id)
	}
	if r.status.Terminal() {
		return nil, nil
	}
	first := len(r.all)
	if r.status == studio.RunQueued {
		r.status = studio.RunRunning
		f.emit(r, api.TypeStatus, api.Status{Status: studio.RunRunning})
		return slices.Clone(r.all[first:]), nil
	}
	r.ticks++
	for i := range f.perTick {
		f.emit(r, api.TypeMetricPoint, api.MetricPoint{Metric: "loss", Point: studio.Point{Step: r.ticks, Value: float64(i)}})
	}
	if f.totalTicks > 0 && r.ticks >= f.totalTicks {
		r.status = studio.RunSucceeded
		end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		f.emit(r, api.TypeStatus, api.Status{Status: studio.RunSucceeded, Steps: r.ticks, EndedAt: &end})
	}
	return slices.Clone(r.all[first:]), nil
}

func (f *fakeSource) Since(id studio.RunID, since int64) ([]api.Message, int64, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.runs[id]
	if !ok {
		return nil, 0, false, studio.Errorf(studio.CodeNotFound, "run %q not found", id)
	}
	oldest := r.seq + 1
	if len(r.buf) > 0 {
		oldest = r.buf[0].Seq
	}
	var out []api.Message
	for _, m := range r.buf {
		if m.Seq > since {
			out = append(out, m)
		}
	}
	return out, r.seq, since < oldest-1, nil
}

func (f *fakeSource) StreamBounds(id studio.RunID) (oldest, latest int64, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.runs[id]
	if !ok {
		return 0, 0, studio.Errorf(studio.CodeNotFound, "run %q not found", id)
	}
	if len(r.buf) == 0 {
		return r.seq + 1, r.seq, nil
	}
	return r.buf[0].Seq, r.seq, nil
}

func (f *fakeSource) Live() []studio.RunID {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []studio.RunID
	for id, r := range f.runs {
		if !r.status.Terminal() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// history returns every message run id has emitted.
func (f *fakeSource) history(id studio.RunID) []api.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.runs[id].all)
}

func (f *fakeSource) String() string { return fmt.Sprintf("fakeSource(%d runs)", len(f.runs)) }
