// Command benchtab turns `go test -bench -benchmem` output into a Markdown
// table, one row per benchmark, and optionally appends the sizes of the wasm
// client and its precompressed copies.
//
// Usage:
//
//	go test -run '^$' -bench . -benchmem ./shared/... | go run ./tools/benchtab [-wasm web/app.wasm]
//
// With -count > 1 each benchmark gets the median of its runs.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchtab: ")
	wasm := flag.String("wasm", "", "path of app.wasm; its raw, .gz and .br sizes are appended")
	flag.Parse()
	results, env, err := parse(os.Stdin)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "Date: %s · Go: %s · CPU: %s · GOMAXPROCS: %d\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.Version(), env["cpu"], runtime.GOMAXPROCS(0))
	writeTable(w, results)
	if *wasm != "" {
		fmt.Fprintln(w)
		if err := writeSizes(w, *wasm); err != nil {
			log.Fatal(err)
		}
	}
}

// Result is one benchmark's figures; NsPerOp etc. are medians over runs.
type Result struct {
	Pkg, Name   string
	Runs        int
	NsPerOp     float64
	BytesPerOp  float64  // -1 when not reported
	AllocsPerOp float64  // -1 when not reported
	Extra       []string // custom metrics such as "512 lines/op", from the first run
}

// parse reads benchmark output and returns one Result per benchmark, in the
// order first seen, and the header values (goos, goarch, cpu).
func parse(r io.Reader) ([]Result, map[string]string, error) {
	env := map[string]string{}
	type acc struct {
		Result
		ns, b, a []float64
	}
	var order []string
	byKey := map[string]*acc{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ": "); ok && !strings.Contains(k, " ") {
			switch k {
			case "pkg":
				pkg = v
			case "goos", "goarch", "cpu":
				env[k] = v
			}
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || f[3] != "ns/op" {
			continue
		}
		key := pkg + "\x00" + f[0]
		a := byKey[key]
		if a == nil {
			a = &acc{Result: Result{Pkg: pkg, Name: f[0], BytesPerOp: -1, AllocsPerOp: -1}}
			byKey[key] = a
			order = append(order, key)
		}
		a.Runs++
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("parse %q: %w", line, err)
		}
		a.ns = append(a.ns, ns)
		for i := 4; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "B/op":
				a.b = append(a.b, v)
			case "allocs/op":
				a.a = append(a.a, v)
			default:
				if a.Runs == 1 {
					a.Extra = append(a.Extra, f[i]+" "+f[i+1])
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	out := make([]Result, 0, len(order))
	for _, k := range order {
		a := byKey[k]
		a.NsPerOp = median(a.ns)
		if len(a.b) > 0 {
			a.BytesPerOp = median(a.b)
		}
		if len(a.a) > 0 {
			a.AllocsPerOp = median(a.a)
		}
		out = append(out, a.Result)
	}
	return out, env, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// writeTable prints results as a Markdown table with human units.
func writeTable(w io.Writer, results []Result) {
	if len(results) == 0 {
		fmt.Fprintln(w, "(no benchmarks ran)")
		return
	}
	fmt.Fprintln(w, "| package | benchmark | time/op | B/op | allocs/op | other | runs |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|---:|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d |\n",
			shortPkg(r.Pkg), r.Name, duration(r.NsPerOp), optional(r.BytesPerOp, bytesize),
			optional(r.AllocsPerOp, func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }),
			strings.Join(r.Extra, ", "), r.Runs)
	}
}

func writeSizes(w io.Writer, wasm string) error {
	fmt.Fprintln(w, "| file | bytes | ratio |")
	fmt.Fprintln(w, "|---|---:|---:|")
	raw, err := os.Stat(wasm)
	if err != nil {
		return err
	}
	for _, p := range []string{wasm, wasm + ".gz", wasm + ".br"} {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "| %s | %d | %.1f%% |\n", p, st.Size(), 100*float64(st.Size())/float64(raw.Size()))
	}
	return nil
}

func shortPkg(p string) string {
	return strings.TrimPrefix(p, "github.com/aiinfra/studio/")
}

func optional(v float64, f func(float64) string) string {
	if v < 0 {
		return "–"
	}
	return f(v)
}

// duration formats nanoseconds with a unit that keeps 3 significant digits.
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

func bytesize(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}
