package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// testModule assembles a wasm module from sections.
func testModule(sections ...wasmSection) []byte {
	b := append([]byte(nil), wasmHeader...)
	for _, s := range sections {
		b = append(b, s.id)
		b = appendULEB(b, uint64(len(s.payload)))
		b = append(b, s.payload...)
	}
	return b
}

func dataSection(segs ...dataSegment) wasmSection {
	return wasmSection{id: wasmDataSection, payload: appendDataSegments(nil, segs)}
}

func seg(offset uint32, data string) dataSegment { return dataSegment{offset, []byte(data)} }

// moduleImage returns the initial memory a module's data segments write,
// applied in order as an instantiation does.
func moduleImage(t *testing.T, module []byte) []byte {
	t.Helper()
	sections, err := parseWasmSections(module)
	if err != nil {
		t.Fatal(err)
	}
	var segs []dataSegment
	for _, s := range sections {
		if s.id == wasmDataSection {
			d, err := parseDataSegments(s.payload)
			if err != nil {
				t.Fatal(err)
			}
			segs = append(segs, d...)
		}
	}
	return memoryImage(segs)
}

func TestPackWasmData(t *testing.T) {
	typeSec := wasmSection{id: 1, payload: []byte{1, 0x60, 1, 0x7f, 1, 0x7f}}
	codeSec := wasmSection{id: 10, payload: []byte{1, 4, 0, 0x20, 0, 0x0b}}
	tests := []struct {
		name   string
		module []byte
		maxGap int
		want   []byte // the packed module
	}{
		{
			name:   "segments a short zero run apart merge",
			module: testModule(typeSec, dataSection(seg(16, "ab"), seg(20, "cd"), seg(22, "e"))),
			maxGap: 4,
			want:   testModule(typeSec, dataSection(seg(16, "ab\x00\x00cde"))),
		},
		{
			name:   "a gap longer than maxGap keeps segments apart",
			module: testModule(dataSection(seg(0, "a"), seg(100, "b"), seg(102, "c"))),
			maxGap: 10,
			want:   testModule(dataSection(seg(0, "a"), seg(100, "b\x00c"))),
		},
		{
			name:   "a gap of exactly maxGap merges",
			module: testModule(dataSection(seg(0, "a"), seg(4, "b"))),
			maxGap: 3,
			want:   testModule(dataSection(seg(0, "a\x00\x00\x00b"))),
		},
		{
			name:   "overlapping segments keep their order",
			module: testModule(dataSection(seg(0, "abcd"), seg(2, "XY"))),
			maxGap: 8,
			want:   testModule(dataSection(seg(0, "abcd"), seg(2, "XY"))),
		},
		{
			name:   "no merge whose zeros would overwrite an earlier segment",
			module: testModule(dataSection(seg(52, "X"), seg(0, "a"), seg(60, "b"))),
			maxGap: 100,
			want:   testModule(dataSection(seg(52, "X"), seg(0, "a"), seg(60, "b"))),
		},
		{
			name:   "after a step back, gaps that touch no earlier segment are still merged",
			module: testModule(dataSection(seg(100, "Z"), seg(0, "a"), seg(3, "b"))),
			maxGap: 10,
			want:   testModule(dataSection(seg(100, "Z"), seg(0, "a\x00\x00b"))),
		},
		{
			name:   "a segment before the previous one is not merged",
			module: testModule(dataSection(seg(100, "a"), seg(0, "b"))),
			maxGap: 1000,
			want:   testModule(dataSection(seg(100, "a"), seg(0, "b"))),
		},
		{
			name: "other sections are kept byte for byte and in place",
			module: testModule(typeSec, wasmSection{id: wasmDataCountSection, payload: []byte{3}}, codeSec,
				dataSection(seg(1<<20, "x"), seg(1<<20+9, "y"), seg(1<<20+10, "z")), wasmSection{id: 0, payload: []byte("\x04name")}),
			maxGap: 8,
			want: testModule(typeSec, wasmSection{id: wasmDataCountSection, payload: []byte{1}}, codeSec,
				dataSection(seg(1<<20, "x\x00\x00\x00\x00\x00\x00\x00\x00yz")), wasmSection{id: 0, payload: []byte("\x04name")}),
		},
		{
			name:   "a module without data is unchanged",
			module: testModule(typeSec, codeSec),
			maxGap: 8,
			want:   testModule(typeSec, codeSec),
		},
		{
			name:   "an empty data section stays empty",
			module: testModule(dataSection()),
			maxGap: 8,
			want:   testModule(dataSection()),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := bytes.Clone(tt.module)
			got, _, _, err := packWasmData(tt.module, tt.maxGap)
			if err != nil {
				t.Fatalf("packWasmData: %v", err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("packWasmData =\n%x\nwant\n%x", got, tt.want)
			}
			if !bytes.Equal(moduleImage(t, got), moduleImage(t, tt.module)) {
				t.Errorf("the packed module's initial memory differs from the original's")
			}
			if !bytes.Equal(tt.module, orig) {
				t.Errorf("packWasmData changed its input")
			}
		})
	}
}

func TestPackWasmDataDecodesLinkerEncoding(t *testing.T) {
	// Written out by hand as the Go linker encodes it: 2 segments, each
	// kind 0, i32.const with a multi-byte signed LEB128 offset, end.
	module := append(bytes.Clone(wasmHeader),
		wasmDataSection, 15,
		2,
		0, wasmOpI32Const, 0x80, 0x01, wasmOpEnd, 2, 'h', 'i', // offset 128
		0, wasmOpI32Const, 0x83, 0x01, wasmOpEnd, 0, // offset 131, empty
	)
	got, before, after, err := packWasmData(module, 8)
	if err != nil {
		t.Fatal(err)
	}
	want := testModule(dataSection(seg(128, "hi\x00")))
	if before != 2 || after != 1 || !bytes.Equal(got, want) {
		t.Errorf("packWasmData = %x, %d, %d; want %x, 2, 1", got, before, after, want)
	}
}

func TestPackWasmDataRejects(t *testing.T) {
	tests := []struct {
		name   string
		module []byte
		want   string
	}{
		{"not a wasm module", []byte("\x7fELF\x02\x01\x01\x00"), "not a wasm module"},
		{"a section longer than the file", append(bytes.Clone(wasmHeader), 1, 50, 0), "past the end"},
		{"a truncated section size", append(bytes.Clone(wasmHeader), 1, 0x80), "LEB128"},
		{"a passive segment", testModule(wasmSection{id: wasmDataSection, payload: []byte{1, 1, 1, 'a'}}), "segment kind 1"},
		{"an offset read from a global", testModule(wasmSection{id: wasmDataSection, payload: []byte{1, 0, 0x23, 0, wasmOpEnd, 1, 'a'}}), "not an i32.const"},
		{"segment data past the section", testModule(wasmSection{id: wasmDataSection, payload: []byte{1, 0, wasmOpI32Const, 0, wasmOpEnd, 9, 'a'}}), "past the end"},
		{"bytes after the last segment", testModule(wasmSection{id: wasmDataSection, payload: []byte{1, 0, wasmOpI32Const, 0, wasmOpEnd, 1, 'a', 7}}), "after the last segment"},
		{"more segments than bytes", testModule(wasmSection{id: wasmDataSection, payload: []byte{0x7f}}), "segments in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := packWasmData(tt.module, 8)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("packWasmData(%x) error = %v; want one containing %q", tt.module, err, tt.want)
			}
		})
	}
}

// TestPackWasmFileRuns builds a real Go wasm program whose data has many
// zero runs, packs it, and checks that the packed module runs in Node
// with the same output.
func TestPackWasmFileRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm program")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	execWasm := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "go_js_wasm_exec")
	dir := t.TempDir()
	const prog = `package main

import "fmt"

var table = [1 << 16]uint32{1: 7, 5000: 9, 40000: 11, 65535: 13}

func main() {
	var sum uint64
	for i, v := range table {
		sum += uint64(i) * uint64(v)
	}
	fmt.Println("sum", sum)
}
`
	for name, text := range map[string]string{"go.mod": "module packtest\n\ngo 1.26\n", "main.go": prog} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wasm := filepath.Join(dir, "prog.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWORK=off", "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := func() string {
		t.Helper()
		out, err := exec.Command(execWasm, wasm).CombinedOutput()
		if err != nil {
			t.Fatalf("running %s: %v\n%s", wasm, err, out)
		}
		return string(out)
	}
	orig, err := os.ReadFile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	want := run()
	if want != "sum 1336962\n" {
		t.Fatalf("the unpacked program printed %q; want %q", want, "sum 1336962\n")
	}
	before, after, size, err := packWasmFile(wasm)
	if err != nil {
		t.Fatalf("packWasmFile: %v", err)
	}
	if after >= before || after == 0 {
		t.Errorf("packWasmFile merged %d segments into %d; want fewer, at least 1", before, after)
	}
	packed, err := os.ReadFile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	if size != len(packed) {
		t.Errorf("packWasmFile size = %d; the file has %d bytes", size, len(packed))
	}
	if !bytes.Equal(moduleImage(t, packed), moduleImage(t, orig)) {
		t.Errorf("the packed module's initial memory differs from the original's")
	}
	if got := run(); got != want {
		t.Errorf("the packed program printed %q; want %q", got, want)
	}
	// Packing again changes nothing, so make's byte comparison of a
	// rebuilt wasm stays stable.
	if _, _, _, err := packWasmFile(wasm); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(wasm)
	if !bytes.Equal(again, packed) {
		t.Errorf("packing a packed module changed it")
	}
}
