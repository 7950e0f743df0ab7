package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// Kinds of mutation in a FuzzStoreMutations script.
const (
	opCreate = iota // CreateRun: valid unless arg%4 == 0
	opAct           // Act: deployment arg%n, action (arg/n)%3
	opTick          // Tick: one of the created runs or the first live base runs
	opClock         // advance the clock by arg seconds
	opKinds
)

var fuzzActions = []studio.DeploymentAction{studio.ActionAdvance, studio.ActionRollback, studio.ActionSimulateIncident}

// mutation is an accepted mutation with the clock it ran at, for replay.
type mutation struct {
	kind int
	arg  byte
	id   string // the run ticked or the deployment acted on
	at   time.Time
}

// mutator applies a script of mutations to a store, checks each against
// its contract and records the accepted ones.
type mutator struct {
	t        *testing.T
	s        *Store
	clk      *clock
	deps     []studio.DeploymentID
	live     []studio.RunID // the first live base runs
	created  []studio.RunID
	accepted []mutation
}

func newMutator(t *testing.T) *mutator {
	clk := &clock{t: synth.DefaultEpoch}
	s := New(synth.New(42, 1), Options{Now: clk.Now, BufferSize: 1 << 14})
	m := &mutator{t: t, s: s, clk: clk}
	deps, err := s.Deployments(api.ListQuery{Limit: api.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps.Items {
		m.deps = append(m.deps, d.ID)
	}
	m.live = s.Live()[:3]
	return m
}

// fuzzRequest returns a valid run request, or an invalid one when invalid.
func fuzzRequest(n int, invalid bool) api.CreateRunRequest {
	req := validRequest()
	req.Name = fmt.Sprintf("fuzz-%d", n)
	if invalid {
		req.Config.GPUs = 0
	}
	return req
}

// apply runs one mutation and checks it.
func (m *mutator) apply(kind int, arg byte) {
	t, s := m.t, m.s
	switch kind {
	case opCreate:
		before, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
		r, err := s.CreateRun(fuzzRequest(len(m.created), arg%4 == 0))
		after, _ := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: 1}})
		if arg%4 == 0 {
			if studio.ErrorCode(err) != studio.CodeValidation || after.Total != before.Total {
				t.Fatalf("invalid CreateRun: %v, runs %d -> %d; want a validation error and no run", err, before.Total, after.Total)
			}
			return
		}
		if err != nil || r.ID != synth.RunID(before.Total) || r.Status != studio.RunQueued || after.Total != before.Total+1 {
			t.Fatalf("CreateRun = %s %s, %v; runs %d -> %d; want queued %s", r.ID, r.Status, err, before.Total, after.Total, synth.RunID(before.Total))
		}
		m.created = append(m.created, r.ID)
		m.accepted = append(m.accepted, mutation{kind: kind, arg: arg, at: m.clk.Now()})
	case opAct:
		id := m.deps[int(arg)%len(m.deps)]
		a := fuzzActions[int(arg)/len(m.deps)%len(fuzzActions)]
		before, _ := s.Deployment(id)
		evBefore, _ := s.DeploymentEvents(id, api.EventQuery{})
		at := m.clk.Now()
		d, err := s.Act(id, a)
		after, _ := s.Deployment(id)
		evAfter, _ := s.DeploymentEvents(id, api.EventQuery{})
		if err != nil {
			if studio.ErrorCode(err) != studio.CodeConflict || mustJSON(t, before) != mustJSON(t, after) || evAfter.Total != evBefore.Total {
				t.Fatalf("rejected %s on %s: %v; want a conflict that changes nothing", a, id, err)
			}
			return
		}
		n := len(before.History)
		if len(after.History) != n+1 || after.History[n].Action != a || after.History[n].From != before.Status ||
			evAfter.Total != evBefore.Total+1 || mustJSON(t, d) != mustJSON(t, after) {
			t.Fatalf("%s on %s: history %d -> %d, events %d -> %d; want one more of each", a, id, n, len(after.History), evBefore.Total, evAfter.Total)
		}
		m.accepted = append(m.accepted, mutation{kind: kind, arg: arg, id: string(id), at: at})
	case opTick:
		ids := append(slices.Clone(m.created), m.live...)
		id := ids[int(arg)%len(ids)]
		before, _ := s.Run(id)
		at := m.clk.Now()
		msgs, err := s.Tick(id)
		if err != nil {
			t.Fatalf("Tick(%s): %v", id, err)
		}
		after, _ := s.Run(id)
		if before.Status.Terminal() {
			if msgs != nil || mustJSON(t, before) != mustJSON(t, after) {
				t.Fatalf("Tick of terminal %s = %d messages, run changed; want nil and no change", id, len(msgs))
			}
			return
		}
		for i, msg := range msgs {
			if msg.Seq != before.StreamSeq+int64(i)+1 {
				t.Fatalf("Tick(%s) message %d has seq %d after %d", id, i, msg.Seq, before.StreamSeq)
			}
		}
		if after.StreamSeq != before.StreamSeq+int64(len(msgs)) {
			t.Fatalf("Tick(%s): stream seq %d -> %d with %d messages", id, before.StreamSeq, after.StreamSeq, len(msgs))
		}
		since, _, gap, err := s.Since(id, before.StreamSeq)
		if err != nil || gap || mustJSON(t, since) != mustJSON(t, msgs) && len(msgs) > 0 {
			t.Fatalf("Since(%s, %d) after a tick = %d messages, gap %v, %v; want the tick's %d", id, before.StreamSeq, len(since), gap, err, len(msgs))
		}
		m.accepted = append(m.accepted, mutation{kind: kind, arg: arg, id: string(id), at: at})
	case opClock:
		m.clk.Advance(time.Duration(arg) * time.Second)
	}
}

// replay applies the accepted mutations of m, in order and each at its
// recorded time, to a fresh store and returns it.
func (m *mutator) replay() *Store {
	t := m.t
	clk := &clock{}
	s := New(synth.New(42, 1), Options{Now: clk.Now, BufferSize: 1 << 14})
	created := 0
	for _, mu := range m.accepted {
		clk.mu.Lock()
		clk.t = mu.at
		clk.mu.Unlock()
		var err error
		switch mu.kind {
		case opCreate:
			_, err = s.CreateRun(fuzzRequest(created, false))
			created++
		case opAct:
			_, err = s.Act(studio.DeploymentID(mu.id), fuzzActions[int(mu.arg)/len(m.deps)%len(fuzzActions)])
		case opTick:
			_, err = s.Tick(studio.RunID(mu.id))
		}
		if err != nil {
			t.Fatalf("replaying %+v: %v", mu, err)
		}
	}
	return s
}

// state returns the JSON of everything the mutations can change, by
// section: the lists, each deployment's events and each run's stream.
func state(t *testing.T, s *Store, runs []studio.RunID) map[string]string {
	t.Helper()
	all := api.ListQuery{Limit: api.MaxListLimit}
	r, err1 := s.Runs(api.RunQuery{ListQuery: all})
	d, err2 := s.Deployments(all)
	m, err3 := s.Models(all)
	e, err4 := s.Experiments(all)
	if err := cmpErr(err1, err2, err3, err4); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{"runs": mustJSON(t, r), "deployments": mustJSON(t, d), "models": mustJSON(t, m), "experiments": mustJSON(t, e)}
	for _, dep := range d.Items {
		ev, _ := s.DeploymentEvents(dep.ID, api.EventQuery{})
		out["events of "+string(dep.ID)] = mustJSON(t, ev.Events) // the page's window ends at the clock's now
	}
	for _, id := range runs {
		msgs, _, _, err := s.Since(id, 0)
		if err != nil {
			t.Fatal(err)
		}
		out["stream of "+string(id)] = mustJSON(t, msgs)
	}
	return out
}

// diffState fails t for every section where got and want differ.
func diffState(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; g != w {
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			lo := max(0, i-150)
			t.Errorf("%s: %s differs at byte %d\n got: ...%.300s\nwant: ...%.300s", what, k, i, g[lo:], w[lo:])
		}
	}
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzStoreMutations interprets its input as a script of mutations (two
// bytes each: kind and argument): run creations, valid and invalid,
// deployment actions, ticks of created and live runs, and clock moves,
// in any interleaving. Each mutation must keep its contract (a rejected
// one changes nothing, an accepted action adds one history entry and one
// event, ticks continue the stream's seqs and are what Since returns),
// and replaying only the accepted ones on a fresh store must give the
// same state. Its corpus is in testdata/fuzz/FuzzStoreMutations.
func FuzzStoreMutations(f *testing.F) {
	seeds := [][]byte{
		{opCreate, 1, opTick, 0, opTick, 0, opTick, 0, opAct, 2, opAct, 8, opCreate, 0},
		{opAct, 0, opAct, 6, opAct, 12, opAct, 1, opAct, 7, opAct, 13, opClock, 60, opAct, 2, opAct, 8, opAct, 14},
		{opCreate, 3, opCreate, 5, opClock, 3, opTick, 1, opTick, 0, opTick, 1, opTick, 0, opTick, 1, opTick, 2, opTick, 3},
		{opTick, 0, opAct, 3, opTick, 1, opAct, 9, opClock, 200, opTick, 2, opAct, 15, opCreate, 2, opTick, 0, opTick, 0},
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		if len(script) > 600 {
			script = script[:600]
		}
		m := newMutator(t)
		for i := 0; i+1 < len(script); i += 2 {
			m.apply(int(script[i])%opKinds, script[i+1])
		}
		runs := append(slices.Clone(m.created), m.live...)
		diffState(t, fmt.Sprintf("replay of %d accepted mutations", len(m.accepted)), state(t, m.s, runs), state(t, m.replay(), runs))
	})
}

// steppingClock is a concurrency-safe clock that moves 1 ms on every read,
// so concurrent mutations get distinct times.
type steppingClock struct{ n atomic.Int64 }

func (c *steppingClock) Now() time.Time {
	return synth.DefaultEpoch.Add(time.Duration(c.n.Add(1)) * time.Millisecond)
}

// TestConcurrentMutationsEqualReplay runs run creations, deployment
// actions on every deployment and ticks of created and live runs from
// many goroutines at once, on a clock that moves. Afterwards each run's
// stream has every seq exactly once, equal to what the tickers received;
// and a sequential replay (runs created in id order at their CreatedAt,
// ticked at their StartedAt; each deployment's actions in history order
// at their times) rebuilds exactly the same state.
func TestConcurrentMutationsEqualReplay(t *testing.T) {
	clk := &steppingClock{}
	s := New(synth.New(42, 1), Options{Now: clk.Now, BufferSize: 1 << 14})
	deps, err := s.Deployments(api.ListQuery{Limit: api.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	starts := map[studio.DeploymentID]int{}
	for _, d := range deps.Items {
		starts[d.ID] = len(d.History)
	}
	live := s.Live()[:3]
	const creators, actors, tickers = 8, 8, 8

	var (
		mu      sync.Mutex
		created []studio.RunID
		got     = map[studio.RunID][]api.Message{} // what the tickers received
		wg      sync.WaitGroup
	)
	for i := range creators {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				r, err := s.CreateRun(fuzzRequest(i*100+j, false))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				created = append(created, r.ID)
				mu.Unlock()
			}
		}()
	}
	for i := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				d := deps.Items[(i+j)%len(deps.Items)]
				if _, err := s.Act(d.ID, fuzzActions[(i*7+j)%len(fuzzActions)]); err != nil && studio.ErrorCode(err) != studio.CodeConflict {
					t.Errorf("Act: %v", err)
				}
			}
		}()
	}
	for i := range tickers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				mu.Lock()
				ids := append(slices.Clone(created), live...)
				mu.Unlock()
				id := ids[(i*31+j)%len(ids)]
				msgs, err := s.Tick(id)
				if err != nil {
					t.Errorf("Tick(%s): %v", id, err)
					return
				}
				mu.Lock()
				got[id] = append(got[id], msgs...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	// Every run's stream: each seq exactly once, as the tickers saw it.
	for id, msgs := range got {
		slices.SortFunc(msgs, func(a, b api.Message) int { return int(a.Seq - b.Seq) })
		r, _ := s.Run(id)
		first := r.StreamSeq - int64(len(msgs)) + 1
		for i, m := range msgs {
			if m.Seq != first+int64(i) {
				t.Fatalf("%s: the tickers got seq %d at position %d; want %d (a gap or a duplicate)", id, m.Seq, i, first+int64(i))
			}
		}
		buffered, _, _, err := s.Since(id, first-1)
		if err != nil || mustJSON(t, buffered) != mustJSON(t, msgs) {
			t.Errorf("%s: the stream differs from what the tickers received", id)
		}
	}

	// Sequential replay on a fresh store.
	at := &clock{}
	set := func(t2 time.Time) {
		at.mu.Lock()
		at.t = t2
		at.mu.Unlock()
	}
	replay := New(synth.New(42, 1), Options{Now: at.Now, BufferSize: 1 << 14})
	slices.Sort(created)
	names := map[studio.RunID]string{}
	for _, id := range created {
		r, _ := s.Run(id)
		names[id] = r.Name
	}
	for _, id := range created {
		r, _ := s.Run(id)
		set(r.CreatedAt)
		req := validRequest()
		req.Name = names[id]
		if rr, err := replay.CreateRun(req); err != nil || rr.ID != id {
			t.Fatalf("replay CreateRun %s = %s, %v", id, rr.ID, err)
		}
	}
	for _, id := range append(slices.Clone(created), live...) {
		r, _ := s.Run(id)
		if r.StartedAt != nil {
			set(*r.StartedAt)
		}
		for {
			rr, _ := replay.Run(id)
			if rr.StreamSeq >= r.StreamSeq && !(rr.Status == studio.RunQueued && r.Status != studio.RunQueued) {
				break
			}
			if _, err := replay.Tick(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, d := range deps.Items {
		final, _ := s.Deployment(d.ID)
		for _, h := range final.History[starts[d.ID]:] {
			set(h.Time)
			if _, err := replay.Act(d.ID, h.Action); err != nil {
				t.Fatalf("replay %s on %s (history %d): %v", h.Action, d.ID, h.Seq, err)
			}
		}
	}
	runs := append(slices.Clone(created), live...)
	diffState(t, "sequential replay of the concurrent mutations", state(t, s, runs), state(t, replay, runs))
	total := 0
	for _, d := range deps.Items {
		final, _ := s.Deployment(d.ID)
		total += len(final.History) - starts[d.ID]
	}
	t.Logf("%d runs created, %d actions accepted, %d runs ticked", len(created), total, len(got))
}
