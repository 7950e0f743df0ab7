package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// sampleRow is one line of the sample table.
type sampleRow struct {
	elapsed          time.Duration
	goroutines       int
	heap, inuse, sys uint64 // bytes; zero when the server is not in-process
	// cache is the bytes of the server's bounded response caches
	// (server.CacheBytes): part of heap, but full by design, not a leak.
	cache            uint64
	reqRate, msgRate float64
	counters         counters
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

func (s sampleRow) print(out io.Writer) {
	fmt.Fprintf(out, "%8s %10d %10.1f %10.1f %10.1f %9.1f %9.0f %8.0f %9d %8d %7d %8s\n", s.elapsed.Round(time.Second), s.goroutines,
		mb(s.heap), mb(s.cache), mb(s.inuse), mb(s.sys), s.reqRate, s.msgRate, s.counters.openStreams, s.counters.errors, s.counters.stalls, loadAverage())
}

// loadAverage returns the one-minute system load average, or "-" where
// /proc/loadavg does not exist: a stall on a machine that is busy with
// other work says little about the server.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "-"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "-"
	}
	return f[0]
}

// report is the outcome of a soak run.
type report struct {
	cfg       config
	inProcess bool

	warm, final sampleRow
	samples     []sampleRow

	goroutinesBefore, goroutinesAfter int
	heapAfter                         uint64 // after the load stopped

	counters    counters
	failures    []string // failed checks and notable events (stalls)
	elapsed     time.Duration
	interrupted bool
}

// verdicts returns each check with whether it passed.
func (r *report) verdicts() []struct {
	ok   bool
	text string
} {
	type v = struct {
		ok   bool
		text string
	}
	var out []v
	out = append(out, v{r.counters.errors == 0, fmt.Sprintf("%d failed requests or stream checks (of %d requests, %d stream messages)",
		r.counters.errors, r.counters.requests, r.counters.messages)})
	out = append(out, v{!r.interrupted, "ran to the end (not interrupted)"})
	if r.inProcess {
		ref, end := r.heapPhases()
		ratio := float64(end) / float64(max(ref, 1))
		out = append(out, v{ref > 0 && ratio <= r.cfg.heapFactor, fmt.Sprintf("heap under load, less the bounded response caches, %.1f MB at the end, %.1f MB after warm-up (medians): %.2fx (limit %.2fx)",
			mb(end), mb(ref), ratio, r.cfg.heapFactor)})
		out = append(out, v{r.goroutinesAfter <= r.goroutinesBefore+r.cfg.goroutineSlack, fmt.Sprintf("goroutines %d before the load, %d after it (limit +%d)",
			r.goroutinesBefore, r.goroutinesAfter, r.cfg.goroutineSlack)})
	}
	return out
}

// heapPhases returns the median heap (after GC, under load) of the
// samples in the first quarter after the warm-up, the warm-up sample
// included, and of those in the last quarter, the final sample included.
// Medians keep one large response in flight from deciding the verdict.
// The server's response caches are left out: they fill up to their bound
// over a long run, by design.
func (r *report) heapPhases() (ref, end uint64) {
	span := r.cfg.duration - r.cfg.warmup
	var first, last []uint64
	for _, s := range append(append([]sampleRow{r.warm}, r.samples...), r.final) {
		switch {
		case s.heap == 0:
		case s.elapsed >= r.cfg.warmup && s.elapsed <= r.cfg.warmup+span/4:
			first = append(first, s.heap-min(s.cache, s.heap))
		case s.elapsed >= r.cfg.duration-span/4:
			last = append(last, s.heap-min(s.cache, s.heap))
		}
	}
	return median(first), median(last)
}

// median returns the median of xs, 0 for none.
func median(xs []uint64) uint64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// ok reports whether every check passed.
func (r *report) ok() bool {
	for _, v := range r.verdicts() {
		if !v.ok {
			return false
		}
	}
	return true
}

func (r *report) print(out io.Writer) {
	c := r.counters
	secs := max(r.elapsed.Seconds(), 1e-9)
	fmt.Fprintf(out, "\nload over %v: %d requests (%.0f/s), %d stream connections (%d resumed without a gap, %d told of a gap, %d chaos drops, %d runs ended), %d stream messages (%.0f/s), %d deployment actions (%d accepted), %d runs created\n",
		r.elapsed.Round(time.Second), c.requests, float64(c.requests)/secs, c.connections, c.resumes, c.gaps, c.chaosDrops, c.runEnds,
		c.messages, float64(c.messages)/secs, c.actions, c.accepted, c.created)
	fmt.Fprintf(out, "request latency: p50 %v, p99 %v, max %v; healthz probe: p99 %v, max %v, %d stalls over %v\n",
		c.latency.quantile(0.5), c.latency.quantile(0.99), c.latency.quantile(1), c.probe.quantile(0.99), c.probe.quantile(1), c.stalls, r.cfg.stall)
	if r.inProcess {
		fmt.Fprintf(out, "heap after the load stopped: %.1f MB\n", mb(r.heapAfter))
	}
	for i, f := range r.failures {
		if i == 20 {
			fmt.Fprintf(out, "... and %d more findings\n", len(r.failures)-20)
			break
		}
		fmt.Fprintln(out, "finding:", f)
	}
	if c.stalls > 0 {
		fmt.Fprintf(out, "warn %d stalls: the server did not answer /api/healthz within %v (see the findings; not a failure by itself, since a busy machine stalls any process)\n", c.stalls, r.cfg.stall)
	}
	for _, v := range r.verdicts() {
		mark := "ok  "
		if !v.ok {
			mark = "FAIL"
		}
		fmt.Fprintf(out, "%s %s\n", mark, v.text)
	}
	if r.ok() {
		fmt.Fprintln(out, "PASS")
	} else {
		fmt.Fprintln(out, "FAIL")
	}
}
