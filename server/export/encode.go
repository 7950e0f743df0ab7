package export

import (
	"fmt"
	"image/png"
	"io"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/pdf"
	"github.com/tdewolff/canvas/renderers/rasterizer"
	"github.com/tdewolff/canvas/renderers/svg"
)

// Format is an export file format.
type Format string

// Formats.
const (
	FormatSVG Format = "svg"
	FormatPNG Format = "png"
	FormatPDF Format = "pdf"
)

// Formats lists every Format.
var Formats = []Format{FormatSVG, FormatPNG, FormatPDF}

// ContentType returns the MIME type of f.
func (f Format) ContentType() string {
	switch f {
	case FormatSVG:
		return "image/svg+xml"
	case FormatPNG:
		return "image/png"
	case FormatPDF:
		return "application/pdf"
	}
	return "application/octet-stream"
}

// init turns on canvas.FastStroke, a package-level switch of canvas that
// this server is the only user of. It skips "settling" stroke outlines
// (a Bentley-Ottmann pass that took half of a PNG render, and that panics
// on some dense geometry: tdewolff/canvas#382); the rasterizer fills the
// unsettled outline with the non-zero rule, which looks the same. It is
// set once, before any render, and never toggled.
func init() { canvas.FastStroke = true }

// mmPerPx converts CSS pixels (96 per inch) to millimetres.
const mmPerPx = 25.4 / 96

// svgOutlines is the SVG renderer with text drawn as glyph outlines, so
// the file needs no font and looks the same in every viewer.
type svgOutlines struct{ *svg.SVG }

// RenderText draws t as paths.
func (r svgOutlines) RenderText(t *canvas.Text, m canvas.Matrix) {
	t.RenderAsPath(r, m, 0) // resolution 0: no pixel-grid snapping in a vector file
}

// writeSVG writes the sheet as an SVG of its size in pixels.
func writeSVG(w io.Writer, s *sheet) error {
	r := svg.New(w, s.w, s.h, &svg.Options{SizeUnits: "px", EmbedFonts: false})
	s.c.RenderTo(svgOutlines{r})
	return r.Close()
}

// writePNG writes the sheet as a PNG of exactly s.w x s.h pixels: one
// canvas unit is one pixel, so the resolution is one dot per unit.
func writePNG(w io.Writer, s *sheet) error {
	img := rasterizer.Draw(s.c, canvas.DPMM(1), canvas.DefaultColorSpace)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// pdfInfo is the document information of a PDF.
type pdfInfo struct {
	title, subject string
}

// writePDF writes the sheets as the pages of one PDF, each page the size
// of its sheet at 96 pixels per inch. Text stays text, in a subset of the
// Go font; subsetting runs under the font set's lock because it mutates
// the shared font. Page streams are compressed; the page tree is not, so
// a reader can count pages without inflating anything.
func writePDF(w io.Writer, fs *fontSet, pages []*sheet, info pdfInfo) error {
	if len(pages) == 0 {
		return fmt.Errorf("write pdf: no pages")
	}
	first := pages[0]
	r := pdf.New(w, first.w*mmPerPx, first.h*mmPerPx, &pdf.Options{Compress: true, SubsetFonts: true})
	r.SetInfo(info.title, info.subject, "", "AI Infra Studio", "AI Infra Studio")
	view := canvas.Identity.Scale(mmPerPx, mmPerPx)
	for i, pg := range pages {
		if i > 0 {
			r.NewPage(pg.w*mmPerPx, pg.h*mmPerPx)
		}
		pg.c.RenderViewTo(r, view)
	}
	fs.subsetMu.Lock()
	defer fs.subsetMu.Unlock()
	return r.Close()
}
