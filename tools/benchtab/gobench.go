package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Result is one benchmark's figures; NsPerOp etc. are medians over runs.
type Result struct {
	Pkg, Name   string
	Platform    string // goos/goarch, such as "linux/amd64" or "js/wasm"
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
		platform := env["goos"] + "/" + env["goarch"]
		key := platform + "\x00" + pkg + "\x00" + f[0]
		a := byKey[key]
		if a == nil {
			a = &acc{Result: Result{Pkg: pkg, Name: f[0], Platform: platform, BytesPerOp: -1, AllocsPerOp: -1}}
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
	fmt.Fprintln(w, "| package | benchmark | platform | time/op | B/op | allocs/op | other | runs |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---|---:|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %d |\n",
			shortPkg(r.Pkg), r.Name, r.Platform, duration(r.NsPerOp), optional(r.BytesPerOp, bytesize),
			optional(r.AllocsPerOp, func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }),
			strings.Join(r.Extra, ", "), r.Runs)
	}
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
