package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where the benchmarks ran.
type machine struct {
	CPU      string
	Cores    int
	RAM      int64 // bytes
	OS       string
	Kernel   string
	Go       string
	Chromium string
	LoadAvg  string // 1, 5 and 15 minute load averages when the report was made
}

// machineInfo reads the machine's description from /proc and /etc, and
// the browser's version from chromium --version (when given).
func machineInfo(chromium string) machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.RAM = memTotal(string(b))
	}
	if b, err := os.ReadFile("/etc/debian_version"); err == nil {
		m.OS = "Debian " + strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], ", ")
		}
	}
	if chromium != "" {
		if out, err := exec.Command(chromium, "--version").Output(); err == nil {
			m.Chromium = firstLine(string(out))
		}
	}
	return m
}

// cpuModel returns the first "model name" of /proc/cpuinfo text.
func cpuModel(cpuinfo string) string {
	for line := range strings.SplitSeq(cpuinfo, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// memTotal returns MemTotal of /proc/meminfo text in bytes, or 0.
func memTotal(meminfo string) int64 {
	for line := range strings.SplitSeq(meminfo, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == "MemTotal" {
			f := strings.Fields(v)
			if len(f) == 2 && f[1] == "kB" {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// writeMachine writes m, and the load averages of the load run, as a table.
func writeMachine(w io.Writer, m machine, load *loadReport) {
	orNA := func(s string) string {
		if s == "" {
			return "(unknown)"
		}
		return s
	}
	fmt.Fprintln(w, "| machine | |")
	fmt.Fprintln(w, "|---|---|")
	fmt.Fprintf(w, "| CPU | %s, %d cores |\n", orNA(m.CPU), m.Cores)
	fmt.Fprintf(w, "| RAM | %.1f GiB |\n", float64(m.RAM)/(1<<30))
	fmt.Fprintf(w, "| OS | %s, kernel %s |\n", orNA(m.OS), orNA(m.Kernel))
	fmt.Fprintf(w, "| Go | %s |\n", m.Go)
	fmt.Fprintf(w, "| Chromium | %s |\n", orNA(m.Chromium))
	fmt.Fprintf(w, "| load average (1, 5, 15 min) at the end | %s |\n", orNA(m.LoadAvg))
	if load != nil {
		fmt.Fprintf(w, "| load average during `tools/load` | %.2f at start, %.2f at end |\n", load.LoadAvgStart, load.LoadAvgEnd)
	}
}
