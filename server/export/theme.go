package export

import (
	"image/color"

	"github.com/aiinfra/studio/shared/studio"
)

// Theme is a chart colour scheme: "light" or "dark".
type Theme string

// Themes.
const (
	ThemeLight Theme = "light"
	ThemeDark  Theme = "dark"
)

// palette holds the colours of one Theme.
type palette struct {
	background color.RGBA
	panel      color.RGBA // table header and lane backgrounds
	text       color.RGBA
	muted      color.RGBA
	grid       color.RGBA
	gridMinor  color.RGBA
	axis       color.RGBA
	shade      color.RGBA // window and comparison bands
	pin        color.RGBA
	series     []color.RGBA
	info       color.RGBA
	warning    color.RGBA
	critical   color.RGBA
	good       color.RGBA
	bad        color.RGBA
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// withAlpha returns c at opacity a (0..1), premultiplied as color.RGBA
// requires.
func withAlpha(c color.RGBA, a float64) color.RGBA {
	f := func(v uint8) uint8 { return uint8(float64(v)*a + 0.5) }
	return color.RGBA{R: f(c.R), G: f(c.G), B: f(c.B), A: f(c.A)}
}

var palettes = map[Theme]palette{
	ThemeLight: {
		background: rgb(0xffffff),
		panel:      rgb(0xf3f5f7),
		text:       rgb(0x1f2328),
		muted:      rgb(0x59636e),
		grid:       rgb(0xe3e6ea),
		gridMinor:  rgb(0xf0f2f4),
		axis:       rgb(0x8c959f),
		shade:      rgb(0xeef3fb),
		pin:        rgb(0x6639ba),
		// Tableau 10, in the order of the browser's series-0..7 classes.
		series: []color.RGBA{
			rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728),
			rgb(0x9467bd), rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f),
		},
		info:     rgb(0x0969da),
		warning:  rgb(0xbf8700),
		critical: rgb(0xcf222e),
		good:     rgb(0x1a7f37),
		bad:      rgb(0xcf222e),
	},
	ThemeDark: {
		background: rgb(0x0d1117),
		panel:      rgb(0x161b22),
		text:       rgb(0xe6edf3),
		muted:      rgb(0x9198a1),
		grid:       rgb(0x262c36),
		gridMinor:  rgb(0x1a1f27),
		axis:       rgb(0x6e7681),
		shade:      rgb(0x1a2333),
		pin:        rgb(0xbc8cff),
		series: []color.RGBA{
			rgb(0x58a6ff), rgb(0xffa657), rgb(0x7ee787), rgb(0xff7b72),
			rgb(0xd2a8ff), rgb(0xe3b341), rgb(0xf778ba), rgb(0xb1bac4),
		},
		info:     rgb(0x58a6ff),
		warning:  rgb(0xd29922),
		critical: rgb(0xf85149),
		good:     rgb(0x3fb950),
		bad:      rgb(0xf85149),
	},
}

// seriesColor returns the colour of the i-th series.
func (p palette) seriesColor(i int) color.RGBA { return p.series[i%len(p.series)] }

// severityColor returns the colour of an event of severity s.
func (p palette) severityColor(s studio.Severity) color.RGBA {
	switch s {
	case studio.SeverityCritical:
		return p.critical
	case studio.SeverityWarning:
		return p.warning
	}
	return p.info
}
