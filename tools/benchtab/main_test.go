package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/aiinfra/studio/shared/synth
cpu: AMD EPYC 7B13
BenchmarkDataset-2        	      12	  85123456 ns/op	 1234567 B/op	    4567 allocs/op
BenchmarkDataset-2        	      12	  95123456 ns/op	 1234567 B/op	    4567 allocs/op
BenchmarkDataset-2        	      12	  75123456 ns/op	 1234567 B/op	    4567 allocs/op
PASS
ok  	github.com/aiinfra/studio/shared/synth	3.2s
pkg: github.com/aiinfra/studio/server
BenchmarkLogPage/offset=999500-2	   10000	    120500 ns/op	       500 lines/op	   65536 B/op	      12 allocs/op
BenchmarkNoMem-2	 1000000	      1050 ns/op
`

func TestParse(t *testing.T) {
	got, env, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if env["cpu"] != "AMD EPYC 7B13" {
		t.Errorf("cpu = %q", env["cpu"])
	}
	tests := []struct {
		name              string
		pkg               string
		runs              int
		ns, bytes, allocs float64
		extra             string
	}{
		{"BenchmarkDataset-2", "github.com/aiinfra/studio/shared/synth", 3, 85123456, 1234567, 4567, ""},
		{"BenchmarkLogPage/offset=999500-2", "github.com/aiinfra/studio/server", 1, 120500, 65536, 12, "500 lines/op"},
		{"BenchmarkNoMem-2", "github.com/aiinfra/studio/server", 1, 1050, -1, -1, ""},
	}
	if len(got) != len(tests) {
		t.Fatalf("parse returned %d results; want %d: %+v", len(got), len(tests), got)
	}
	for i, tt := range tests {
		r := got[i]
		if r.Name != tt.name || r.Pkg != tt.pkg || r.Runs != tt.runs || r.NsPerOp != tt.ns ||
			r.BytesPerOp != tt.bytes || r.AllocsPerOp != tt.allocs || strings.Join(r.Extra, ", ") != tt.extra {
			t.Errorf("result %d = %+v; want %+v", i, r, tt)
		}
	}
}

func TestWriteTable(t *testing.T) {
	res, _, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	writeTable(&buf, res)
	for _, want := range []string{
		"| shared/synth | BenchmarkDataset-2 | linux/amd64 | 85.1 ms | 1.18 MiB | 4567 |  | 3 |",
		"| server | BenchmarkLogPage/offset=999500-2 | linux/amd64 | 120 µs | 64 KiB | 12 | 500 lines/op | 1 |",
		"| server | BenchmarkNoMem-2 | linux/amd64 | 1.05 µs | – | – |  | 1 |",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}
