package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// rendered holds one rendering of every icon, shared by the tests (the
// rasterizer is slow under -race).
var rendered = sync.OnceValues(func() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, ic := range icons {
		data, err := render(ic)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", ic.name, err)
		}
		out[ic.name] = data
	}
	return out, nil
})

// iconBytes returns the rendered bytes of the named icon.
func iconBytes(t *testing.T, name string) []byte {
	t.Helper()
	all, err := rendered()
	if err != nil {
		t.Fatal(err)
	}
	data, ok := all[name]
	if !ok {
		t.Fatalf("no icon %q", name)
	}
	return data
}

func TestWriteIcons(t *testing.T) {
	dir := t.TempDir()
	if err := writeIcons(dir); err != nil {
		t.Fatalf("writeIcons: %v", err)
	}
	// A second rendering must give the same bytes: the icons are checked in.
	for _, ic := range icons {
		got, err := os.ReadFile(filepath.Join(dir, ic.name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, iconBytes(t, ic.name)) {
			t.Errorf("%s differs between two renderings: output is not deterministic", ic.name)
		}
	}
	tests := []struct {
		name string
		size int
	}{
		{"icon-192.png", 192},
		{"icon-512.png", 512},
		{"icon-maskable-512.png", 512},
		{"favicon-32.png", 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.name))
			if err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, data)
			if b := img.Bounds(); b.Dx() != tt.size || b.Dy() != tt.size {
				t.Errorf("%s is %dx%d; want %dx%d", tt.name, b.Dx(), b.Dy(), tt.size, tt.size)
			}
		})
	}
	t.Run("icon.svg", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "icon.svg"))
		if err != nil {
			t.Fatal(err)
		}
		var root struct {
			XMLName xml.Name
			Width   string `xml:"width,attr"`
			ViewBox string `xml:"viewBox,attr"`
		}
		if err := xml.Unmarshal(data, &root); err != nil {
			t.Fatalf("icon.svg is not XML: %v", err)
		}
		if root.XMLName.Local != "svg" || root.Width != "512px" || root.ViewBox != "0 0 512 512" {
			t.Errorf("icon.svg root = %s width=%q viewBox=%q; want svg 512px \"0 0 512 512\"", root.XMLName.Local, root.Width, root.ViewBox)
		}
	})
}

// TestCheckedInIconsUpToDate fails when web/icons was not regenerated after a
// change to this command.
func TestCheckedInIconsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "web", "icons")
	for _, ic := range icons {
		want := iconBytes(t, ic.name)
		got, err := os.ReadFile(filepath.Join(dir, ic.name))
		if err != nil {
			t.Fatalf("%v (run go generate ./cmd/icongen)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("web/icons/%s is stale: run go generate ./cmd/icongen", ic.name)
		}
	}
}

func TestMaskableSafeZone(t *testing.T) {
	img := decodePNG(t, iconBytes(t, "icon-maskable-512.png"))
	b := img.Bounds()
	c := float64(b.Dx()) / 2
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a != 0xffff {
				t.Fatalf("pixel (%d,%d) alpha = %d; a maskable icon must be fully opaque", x, y, a>>8)
			}
			// Outside the safe zone (radius 40% of the size) only the
			// background may show, so a launcher's mask never cuts the mark.
			if math.Hypot(float64(x)+0.5-c, float64(y)+0.5-c) > 0.4*float64(b.Dx()) {
				if uint8(r>>8) != Brand.R || uint8(g>>8) != Brand.G || uint8(bl>>8) != Brand.B {
					t.Fatalf("pixel (%d,%d) = %d,%d,%d outside the safe zone; want the brand background", x, y, r>>8, g>>8, bl>>8)
				}
			}
		}
	}
}

func TestRoundedCornersTransparent(t *testing.T) {
	for _, name := range []string{"icon-192.png", "icon-512.png", "favicon-32.png"} {
		img := decodePNG(t, iconBytes(t, name))
		b := img.Bounds()
		for _, p := range []image.Point{{0, 0}, {b.Max.X - 1, 0}, {0, b.Max.Y - 1}, {b.Max.X - 1, b.Max.Y - 1}} {
			if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
				t.Errorf("%s corner %v alpha = %d; want 0 (rounded square)", name, p, a>>8)
			}
		}
		if _, _, _, a := img.At(b.Dx()/2, b.Dy()/8).RGBA(); a != 0xffff {
			t.Errorf("%s inner pixel alpha = %d; want opaque", name, a>>8)
		}
	}
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}
