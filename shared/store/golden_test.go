package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-seed42.sha256")

const goldenFile = "golden-seed42.sha256"

// goldenHasher hashes JSON responses into a total and a per-section hash,
// so a mismatch between platforms says where the data differs.
type goldenHasher struct {
	t        *testing.T
	total    hash.Hash
	section  hash.Hash
	name     string
	sections []string
}

func (g *goldenHasher) begin(name string) {
	g.end()
	g.name, g.section = name, sha256.New()
}

func (g *goldenHasher) end() {
	if g.section != nil {
		g.sections = append(g.sections, fmt.Sprintf("%s %x", g.name, g.section.Sum(nil)[:8]))
	}
}

// add hashes the JSON of v, labelled; err must be nil.
func (g *goldenHasher) add(label string, v any, err error) {
	g.t.Helper()
	if err != nil {
		g.t.Fatalf("%s: %v", label, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		g.t.Fatalf("%s: %v", label, err)
	}
	for _, h := range []hash.Hash{g.total, g.section} {
		fmt.Fprintf(h, "%s\n%s\n", label, b)
	}
}

// TestGolden serialises every list and detail response of the default
// dataset (seed 42, scale 1) at a fixed time and compares the SHA-256
// with testdata/golden-seed42.sha256. It must pass natively and under
// GOOS=js GOARCH=wasm: the generator is platform independent. The trace
// with more than 10,000 spans enters as the hash of its spans.
func TestGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes the whole dataset")
	}
	now := synth.DefaultEpoch.Add(time.Minute)
	s := New(synth.New(42, 1), Options{Now: func() time.Time { return now }})
	g := &goldenHasher{t: t, total: sha256.New()}

	g.begin("dashboard")
	g.add("dashboard", s.Dashboard(), nil)

	g.begin("experiments")
	exps, err := s.Experiments(api.ListQuery{Limit: api.MaxListLimit})
	g.add("experiments", exps, err)
	for _, e := range exps.Items {
		one, err := s.Experiment(e.ID)
		g.add("experiment "+string(e.ID), one, err)
		runs, err := s.Runs(api.RunQuery{Experiment: e.ID})
		g.add("experiment runs "+string(e.ID), runs, err)
	}

	g.begin("runs")
	all, err := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Limit: api.MaxListLimit}})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < all.Total; off += api.DefaultListLimit {
		p, err := s.Runs(api.RunQuery{ListQuery: api.ListQuery{Offset: off}})
		g.add(fmt.Sprintf("runs offset %d", off), p, err)
	}
	for _, r := range all.Items {
		one, err := s.Run(r.ID)
		g.add("run "+string(r.ID), one, err)
	}

	g.begin("run events")
	for _, r := range all.Items {
		evs, err := s.RunEvents(r.ID, api.EventQuery{})
		g.add("events "+string(r.ID), evs, err)
	}

	g.begin("metrics")
	for _, r := range all.Items {
		m, err := s.Metrics(r.ID, api.MetricQuery{To: -1, MaxPoints: 200})
		g.add("metrics "+string(r.ID), m, err)
	}

	g.begin("logs")
	for _, r := range all.Items {
		first, err := s.Logs(r.ID, api.LogQuery{FromSeq: -1, Limit: 200})
		g.add("first logs "+string(r.ID), first, err)
		last, err := s.Logs(r.ID, api.LogQuery{FromSeq: -1, Tail: 200})
		g.add("last logs "+string(r.ID), last, err)
	}

	g.begin("registry")
	models, err := s.Models(api.ListQuery{})
	g.add("models", models, err)
	for _, m := range models.Items {
		one, err := s.Model(m.ID)
		g.add("model "+string(m.ID), one, err)
		vs, err := s.ModelVersions(m.ID)
		g.add("versions "+string(m.ID), vs, err)
	}

	g.begin("deployments")
	deps, err := s.Deployments(api.ListQuery{})
	g.add("deployments", deps, err)
	for _, d := range deps.Items {
		one, err := s.Deployment(d.ID)
		g.add("deployment "+string(d.ID), one, err)
		evs, err := s.DeploymentEvents(d.ID, api.EventQuery{})
		g.add("deployment events "+string(d.ID), evs, err)
	}

	g.begin("traces")
	traces, err := s.Traces(api.ListQuery{Limit: api.MaxListLimit})
	g.add("traces", traces, err)
	for _, ts := range traces.Items {
		tr, err := s.Trace(ts.ID)
		if ts.SpanCount > 10_000 {
			b, jerr := json.Marshal(tr.Spans)
			if jerr != nil {
				t.Fatal(jerr)
			}
			g.add("trace spans sha256 "+string(ts.ID), fmt.Sprintf("%x", sha256.Sum256(b)), err)
			continue
		}
		g.add("trace "+string(ts.ID), tr, err)
	}
	g.end()

	got := hex.EncodeToString(g.total.Sum(nil))
	path := filepath.Join("testdata", goldenFile)
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
	}
	if w := strings.TrimSpace(string(want)); got != w {
		t.Errorf("dataset hash = %s; want %s (%s)\nsection hashes:\n%s", got, w, path, strings.Join(g.sections, "\n"))
	}
}

// TestGoldenIsSensitive checks that the hash changes when the data does.
func TestGoldenIsSensitive(t *testing.T) {
	a := New(synth.New(42, 1), Options{Now: func() time.Time { return synth.DefaultEpoch }})
	b := New(synth.New(42, 1), Options{Now: func() time.Time { return synth.DefaultEpoch }})
	hash := func(s *Store) string {
		d, _ := s.Deployment("dep-chat-general-prod")
		r, _ := s.Run("run-0001")
		j, _ := json.Marshal([]any{d, r})
		return fmt.Sprintf("%x", sha256.Sum256(j))
	}
	if hash(a) != hash(b) {
		t.Fatal("two stores of seed 42 differ")
	}
	if _, err := b.Act("dep-chat-general-prod", studio.ActionAdvance); err != nil {
		t.Fatal(err)
	}
	if hash(a) == hash(b) {
		t.Error("hash unchanged after a mutation")
	}
}
