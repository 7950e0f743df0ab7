package store

import (
	"os"
	"path/filepath"
	"testing"
)

var cursorTests = []struct {
	in      string
	want    cursor
	wantErr string
}{
	{"c0", cursor{0, false}, ""},
	{"c2s", cursor{100, false}, ""},
	{"blfls", cursor{1_000_000, true}, ""},
	{"b0", cursor{0, true}, ""},
	{"", cursor{}, `invalid cursor "": empty`},
	{"x1", cursor{}, `invalid cursor "x1": must start with c or b`},
	{"c", cursor{}, `invalid cursor "c": missing position`},
	{"c-1", cursor{}, `invalid cursor "c-1": position must be lowercase base 36`},
	{"c1Z", cursor{}, `invalid cursor "c1Z": position must be lowercase base 36`},
	{"c007", cursor{}, `invalid cursor "c007": not canonical`},
	{"c1y2p0ij32e8e8", cursor{}, `invalid cursor "c1y2p0ij32e8e8": position out of range`},
	{"c1y2p0ij32e8e7", cursor{9223372036854775807, false}, ""},
	{"czzzzzzzzzzzzzzzzzzzzzzz", cursor{}, `invalid cursor "czzzzzzzzzzzzzzzzzzz...": too long`},
}

func TestParseCursor(t *testing.T) {
	for _, tt := range cursorTests {
		got, err := parseCursor(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parseCursor(%q) error = %v; want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseCursor(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("parseCursor(%q).String() = %q", tt.in, got.String())
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	for _, tt := range cursorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s) // must never panic
		if err != nil {
			return
		}
		if c.pos < 0 {
			t.Fatalf("parseCursor(%q) = negative position %d", s, c.pos)
		}
		if again, err := parseCursor(c.String()); err != nil || again != c || c.String() != s {
			t.Fatalf("parseCursor(%q) does not round-trip: %+v, %v", s, again, err)
		}
	})
}

// TestFuzzCorpusFiles checks that the committed corpus files parse as
// fuzz inputs (go test runs them as seeds of the fuzz targets).
func TestFuzzCorpusFiles(t *testing.T) {
	for _, dir := range []string{"FuzzParseCursor", "FuzzCreateRun"} {
		files, err := filepath.Glob(filepath.Join("testdata", "fuzz", dir, "*"))
		if err != nil || len(files) < 2 {
			t.Errorf("testdata/fuzz/%s has %d files (%v); want >= 2", dir, len(files), err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil || len(b) < len("go test fuzz v1\n") || string(b[:len("go test fuzz v1\n")]) != "go test fuzz v1\n" {
				t.Errorf("%s is not a fuzz corpus file", f)
			}
		}
	}
}
