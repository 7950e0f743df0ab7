package export

import (
	"fmt"
	"image/color"
	"sync"

	"github.com/tdewolff/canvas"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// fontSet is the embedded Go font family, loaded once per process and
// shared by every render.
type fontSet struct {
	family *canvas.FontFamily
	// subsetMu serializes PDF font subsetting: tdewolff/font's
	// SFNT.Subset writes the shared font's maxp table (it aliases instead
	// of copying it), so two subsets at once corrupt each other.
	subsetMu sync.Mutex
}

// sharedFonts returns the process-wide fontSet, loading it on first use.
// It fails only if the embedded fonts cannot be parsed.
var sharedFonts = sync.OnceValues(func() (*fontSet, error) {
	// The family name is written into SVG CSS when text is not drawn as
	// outlines; keep it CSS-safe.
	f := canvas.NewFontFamily("go")
	if err := f.LoadFont(goregular.TTF, 0, canvas.FontRegular); err != nil {
		return nil, fmt.Errorf("load go regular font: %w", err)
	}
	if err := f.LoadFont(gobold.TTF, 0, canvas.FontBold); err != nil {
		return nil, fmt.Errorf("load go bold font: %w", err)
	}
	return &fontSet{family: f}, nil
})

// textStyle selects a face: its size in CSS pixels, weight and colour.
type textStyle struct {
	size  float64
	bold  bool
	color color.RGBA
}

// faces caches the font faces of one render. Drawing units are CSS
// pixels, which canvas treats as millimetres, so a face of size s px is
// asked for at s*72/25.4 points (canvas converts points to its unit with
// 25.4/72).
type faces struct {
	fonts *fontSet
	m     map[textStyle]*canvas.FontFace
}

func newFaces(fs *fontSet) *faces {
	return &faces{fonts: fs, m: make(map[textStyle]*canvas.FontFace, 8)}
}

func (f *faces) face(st textStyle) *canvas.FontFace {
	if ff, ok := f.m[st]; ok {
		return ff
	}
	weight := canvas.FontRegular
	if st.bold {
		weight = canvas.FontBold
	}
	ff := f.fonts.family.Face(st.size*72/25.4, st.color, weight)
	f.m[st] = ff
	return ff
}
