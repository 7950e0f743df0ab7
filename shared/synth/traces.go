package synth

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

const (
	bigTraceIndex = 7
	bigTraceItems = 2600 // 4 spans per item: 10,400+ spans
)

// TracePlan is a trace of the base dataset: its summary, plus what is
// needed to generate its spans on demand.
type TracePlan struct {
	// Summary is the trace as listed; it agrees with Spans.
	Summary studio.TraceSummary
	seed    uint64
	index   int
	model   int // index into modelSpecs
}

// TraceID returns the id of trace i: "tr-" and 8 hex digits, a bijective
// scramble of i, so ids are unique and look random.
func (g Generator) TraceID(i int) studio.TraceID {
	x := uint32(i) ^ uint32(g.Seed) ^ uint32(g.Seed>>32)
	x *= 0x9e3779b1
	x ^= x >> 16
	x *= 0x85ebca6b
	x ^= x >> 13
	return studio.TraceID(fmt.Sprintf("tr-%08x", x))
}

// BigTrace returns the id of the trace with more than 10,000 spans.
func (g Generator) BigTrace() studio.TraceID { return g.TraceID(bigTraceIndex) }

func (g Generator) traces(ds *Dataset) []TracePlan {
	_, _, n := g.Counts()
	depOf := map[studio.ModelID]studio.DeploymentID{}
	for _, d := range ds.Deployments {
		if _, ok := depOf[d.Deployment.ModelID]; !ok || d.Deployment.Environment == "production" {
			depOf[d.Deployment.ModelID] = d.Deployment.ID
		}
	}
	out := make([]TracePlan, n)
	window := 6 * time.Hour
	for i := range out {
		r := newRNG(g.Seed, domTrace, uint64(i), 0)
		t := &out[i]
		t.seed, t.index = g.Seed, i
		t.model = r.intn(len(modelSpecs))
		if i == bigTraceIndex {
			t.model = 4 // embeddings
		}
		start := g.Epoch.Add(-window + window*time.Duration(i)/time.Duration(n) + time.Duration(r.intn(int(window/time.Second)/n))*time.Second)
		t.Summary.ID = g.TraceID(i)
		t.Summary.Start = start.Add(time.Duration(r.intn(1000)) * time.Millisecond)
		spans, errs := t.build(false)
		services := map[string]bool{}
		for _, s := range spans {
			services[s.Service] = true
		}
		t.Summary.Root, t.Summary.Service = spans[0].Operation, spans[0].Service
		t.Summary.DurationUS, t.Summary.SpanCount, t.Summary.ErrorCount = spans[0].DurationUS, len(spans), errs
		for s := range services {
			t.Summary.Services = append(t.Summary.Services, s)
		}
		slices.Sort(t.Summary.Services)
		mid := modelSpecs[t.model].id
		if k := i % max(g.Scale, 1); k > 0 {
			mid += fmt.Sprintf("-%d", k+1)
		}
		t.Summary.Deployment = depOf[studio.ModelID(mid)]
	}
	slices.SortStableFunc(out, func(a, b TracePlan) int { return b.Summary.Start.Compare(a.Summary.Start) })
	return out
}

// Spans generates the trace's spans, parents before children. It is
// deterministic: the same plan always yields the same spans, and they
// agree with the summary.
func (t *TracePlan) Spans() []studio.Span {
	spans, _ := t.build(true)
	return spans
}

// spanBuilder lays spans out in preorder. The structure draws from one
// stream; attributes draw from a per-span stream, so the summary (built
// without attributes) and the full trace agree.
type spanBuilder struct {
	t      *TracePlan
	r      rng
	spans  []studio.Span
	attrs  bool
	errors int
	spec   *modelSpec
}

// open adds a span starting at start (µs from the trace start) and returns
// its index; close sets its end.
func (b *spanBuilder) open(parent int, svc, op string, start int64) int {
	id := fmt.Sprintf("%016x", mix(b.t.seed^mix(uint64(b.t.index)<<20|uint64(len(b.spans)))))
	p := ""
	if parent >= 0 {
		p = b.spans[parent].ID
	}
	s := studio.Span{ID: id, Parent: p, Service: svc, Operation: op,
		Start: b.t.Summary.Start.Add(time.Duration(start) * time.Microsecond), DurationUS: start, Status: studio.SpanOK}
	if b.attrs {
		s.Attributes = b.attributes(len(b.spans), svc, op)
	}
	b.spans = append(b.spans, s)
	return len(b.spans) - 1
}

// close ends span i at end (µs from the trace start) and returns end.
func (b *spanBuilder) close(i int, end int64) int64 {
	b.spans[i].DurationUS = end - b.spans[i].DurationUS // DurationUS held the start until now
	return end
}

// leaf adds a span with no children lasting lo..hi µs and returns its end.
func (b *spanBuilder) leaf(parent int, svc, op string, start, lo, hi int64) int64 {
	i := b.open(parent, svc, op, start)
	return b.close(i, start+lo+b.r.int63n(hi-lo+1))
}

func (b *spanBuilder) fail(i int, msg string) {
	b.spans[i].Status = studio.SpanError
	b.errors++
	if b.attrs {
		b.spans[i].Attributes["error.message"] = msg
		b.spans[i].Attributes["otel.status_code"] = "ERROR"
	}
}

func (b *spanBuilder) attributes(i int, svc, op string) map[string]string {
	r := newRNG(b.t.seed, domSpanAttr, uint64(b.t.index), uint64(i))
	a := map[string]string{
		"service.version": fmt.Sprintf("2026.11.%d", 1+r.intn(19)),
		"k8s.pod.name":    fmt.Sprintf("%s-%06x-%05x", svc, r.u64()&0xffffff, r.u64()&0xfffff),
	}
	switch svc {
	case "gateway":
		a["http.method"], a["http.route"], _ = strings.Cut(op, " ")
		a["http.status_code"] = "200"
		a["client.address"] = fmt.Sprintf("10.%d.%d.%d", r.intn(32), r.intn(256), 1+r.intn(254))
	case "postgres":
		a["db.system"], a["db.name"] = "postgresql", "platform"
		a["db.statement"] = pick(&r, []string{"SELECT id, scopes FROM api_keys WHERE key_hash = $1",
			"INSERT INTO usage_events (key_id, model, tokens_in, tokens_out) VALUES ($1, $2, $3, $4)",
			"SELECT quota_remaining FROM quotas WHERE org_id = $1 FOR UPDATE"})
	case "redis", "kv-cache":
		a["db.system"] = "redis"
		a["cache.hit"] = strconv.FormatBool(r.chance(0.8))
	case "model-server":
		a["model.name"], a["model.version"] = b.spec.name, fmt.Sprintf("v%d", 2+r.intn(4))
		a["gpu.type"] = "H100-80GB"
		a["gen_ai.usage.input_tokens"] = strconv.Itoa(r.between(40, 3000))
		a["gen_ai.usage.output_tokens"] = strconv.Itoa(r.between(10, 800))
	case "tokenizer":
		a["tokenizer.name"] = "tiktoken-cl100k"
		a["tokens"] = strconv.Itoa(r.between(20, 4000))
	case "router":
		a["router.replica"] = fmt.Sprintf("model-server-%d", r.intn(24))
		a["router.queue_depth"] = strconv.Itoa(r.intn(40))
	}
	return a
}

// build generates the spans and counts the errors.
func (t *TracePlan) build(attrs bool) ([]studio.Span, int) {
	b := &spanBuilder{t: t, r: newRNG(t.seed, domSpan, uint64(t.index), 0), attrs: attrs, spec: &modelSpecs[t.model]}
	if t.index == bigTraceIndex {
		b.batch()
	} else {
		b.request()
	}
	return b.spans, b.errors
}

// request is one inference request through the serving stack.
func (b *spanBuilder) request() {
	r := &b.r
	spec := b.spec
	scenario := r.intn(10) // 0: generate OOM (request fails), 1: kv-cache timeout (retried), 2: usage insert deadlock
	root := b.open(-1, "gateway", spec.route, 0)
	cur := int64(80 + r.intn(200))
	auth := b.open(root, "auth", "auth.verify_token", cur)
	end := b.leaf(auth, "redis", "GET apikey:*", cur+50, 200, 900)
	if r.chance(0.3) { // cache miss
		end = b.leaf(auth, "postgres", "SELECT api_keys", end+30, 800, 4000)
	}
	cur = b.close(auth, end+100)
	cur = b.leaf(root, "redis", "rate_limit.check", cur+40, 150, 1200)
	route := b.open(root, "router", "router.route", cur+60)
	cur = b.leaf(route, "router", "router.select_replica", cur+120, 100, 900)
	llm := spec.task == "chat" || spec.task == "code-completion" || spec.task == "summarization"
	if llm {
		cur = b.leaf(route, "safety-filter", "safety.check_prompt", cur+50, 4000, 18000)
	}
	if spec.task != "image-classification" && spec.task != "speech-recognition" {
		cur = b.leaf(route, "tokenizer", "tokenizer.encode", cur+30, 600, 4500)
	}
	gen := b.open(route, "model-server", map[bool]string{true: "model.generate", false: "model.infer"}[llm], cur+200)
	cur += 300
	kv := b.open(gen, "kv-cache", "kv_cache.lookup", cur)
	if scenario == 1 {
		cur = b.close(kv, cur+50_000)
		b.fail(kv, "timeout after 50ms")
		kv = b.open(gen, "kv-cache", "kv_cache.lookup (retry)", cur+500)
		cur += 500
	}
	cur = b.close(kv, cur+300+r.int63n(2500))
	p50 := int64(spec.p50 * 1000)
	failed := false
	if llm {
		cur = b.leaf(gen, "model-server", "model.prefill", cur+100, p50/6, p50/3)
		chunks := 2 + r.intn(40)
		for c := range chunks {
			i := b.open(gen, "model-server", fmt.Sprintf("model.decode tokens %d-%d", c*16, c*16+15), cur+20)
			cur = b.close(i, cur+20+p50/12+r.int63n(p50/20+1))
			if scenario == 0 && c == chunks-1 {
				b.fail(i, "CUDA out of memory: tried to allocate 1.50 GiB")
				failed = true
			}
		}
		if !failed {
			cur = b.leaf(gen, "kv-cache", "kv_cache.store", cur+50, 300, 2200)
		}
	} else {
		cur = b.leaf(gen, "model-server", "model.forward", cur+100, p50/2, p50)
		if spec.task == "embeddings" {
			cur = b.leaf(gen, "feature-store", "feature_store.put", cur+40, 500, 3000)
		}
	}
	cur = b.close(gen, cur+150)
	if failed {
		b.fail(gen, "generation aborted: CUDA out of memory")
		cur = b.close(route, cur+80)
		b.fail(route, "upstream model-server returned 503")
		b.close(root, cur+120)
		b.fail(root, "503 Service Unavailable")
		if b.attrs {
			b.spans[root].Attributes["http.status_code"] = "503"
		}
		return
	}
	if llm {
		cur = b.leaf(route, "tokenizer", "tokenizer.decode", cur+30, 300, 2500)
		cur = b.leaf(route, "safety-filter", "safety.check_completion", cur+40, 3000, 15000)
	}
	cur = b.close(route, cur+90)
	ins := b.open(root, "postgres", "INSERT usage_events", cur+60)
	if scenario == 2 {
		cur = b.close(ins, cur+60+12_000+r.int63n(20_000))
		b.fail(ins, "ERROR: deadlock detected (SQLSTATE 40P01)")
	} else {
		cur = b.close(ins, cur+60+700+r.int63n(4000))
	}
	b.close(root, cur+200)
}

// batch is a batch embedding job fanned out over 32 workers.
func (b *spanBuilder) batch() {
	r := &b.r
	root := b.open(-1, "gateway", "POST /v1/batch/embeddings", 0)
	cur := b.leaf(root, "auth", "auth.verify_token", 100, 900, 3000)
	dispatch := b.open(root, "router", "batch.dispatch", cur+100)
	base := cur + 300
	const workers = 32
	var slot [workers]int64
	for w := range slot {
		slot[w] = base
	}
	last := base
	for item := range bigTraceItems {
		w := item % workers
		st := slot[w] + 20
		it := b.open(dispatch, "router", fmt.Sprintf("batch.item %d", item), st)
		c := b.leaf(it, "tokenizer", "tokenizer.encode", st+10, 300, 1500)
		emb := b.open(it, "embedding-svc", "embed.forward", c+20)
		c = b.close(emb, c+20+4000+r.int63n(9000))
		if item%97 == 42 {
			b.fail(emb, "input too long: 9214 tokens > 8192")
			b.fail(it, "item failed")
		}
		c = b.leaf(it, "feature-store", "feature_store.put", c+20, 400, 2500)
		slot[w] = b.close(it, c+30)
		last = max(last, slot[w])
	}
	cur = b.close(dispatch, last+200)
	cur = b.leaf(root, "postgres", "INSERT usage_events", cur+50, 800, 3000)
	b.close(root, cur+150)
}
