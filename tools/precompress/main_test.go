package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestPrecompressRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty file", nil},
		{"repetitive text", bytes.Repeat([]byte("wasm module bytes "), 10000)},
		{"incompressible bytes", random},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.wasm")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := precompress(path, Options{Quality: 5, Window: 22, Level: 6})
			if err != nil {
				t.Fatalf("precompress: %v", err)
			}
			if s.Raw != int64(len(tt.data)) {
				t.Errorf("Raw = %d; want %d", s.Raw, len(tt.data))
			}
			br, _ := os.ReadFile(path + ".br")
			gz, _ := os.ReadFile(path + ".gz")
			if int64(len(br)) != s.Brotli || int64(len(gz)) != s.Gzip {
				t.Errorf("sizes %+v do not match files (br %d, gz %d)", s, len(br), len(gz))
			}
			got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("brotli round trip: %d bytes, err %v; want %d bytes", len(got), err, len(tt.data))
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			got, err = io.ReadAll(zr)
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("gzip round trip: %d bytes, err %v; want %d bytes", len(got), err, len(tt.data))
			}
			if tt.name == "repetitive text" && s.Brotli*10 > s.Raw {
				t.Errorf("brotli %d bytes for %d repetitive bytes; want at least 10x smaller", s.Brotli, s.Raw)
			}
		})
	}
}

func TestPrecompressRejects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		opts Options
	}{
		{"missing file", filepath.Join(t.TempDir(), "nope"), Options{9, 22, 9}},
		{"brotli quality too high", path, Options{12, 22, 9}},
		{"brotli window too large for browsers", path, Options{9, 25, 9}},
		{"brotli window too small", path, Options{9, 9, 9}},
		{"gzip level zero", path, Options{9, 22, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := precompress(tt.path, tt.opts); err == nil {
				t.Errorf("precompress(%q, %+v) = nil error; want an error", tt.path, tt.opts)
			}
		})
	}
	if _, err := os.Stat(path + ".br"); !os.IsNotExist(err) {
		t.Errorf("a rejected call wrote %s.br", path)
	}
}
