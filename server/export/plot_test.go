package export

import (
	"image"
	"testing"

	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/studio"
)

// pathCounter is a canvas.Renderer that counts the paths drawn.
type pathCounter struct{ paths int }

func (c *pathCounter) Size() (float64, float64)                             { return 100, 100 }
func (c *pathCounter) RenderPath(*canvas.Path, canvas.Style, canvas.Matrix) { c.paths++ }
func (c *pathCounter) RenderText(*canvas.Text, canvas.Matrix)               {}
func (c *pathCounter) RenderImage(image.Image, canvas.Matrix)               {}

func TestStrokeSeriesChunks(t *testing.T) {
	fs, err := sharedFonts()
	if err != nil {
		t.Fatal(err)
	}
	// A line needs two points; a raster sheet strokes chunks of
	// rasterChunk segments sharing their end points.
	tests := []struct {
		points      int
		vector, ras int // paths drawn on a vector and on a raster sheet
	}{
		{0, 0, 0},
		{1, 0, 0},
		{2, 1, 1},
		{rasterChunk, 1, 1},
		{rasterChunk + 1, 1, 1},
		{rasterChunk + 2, 1, 2},
		{3*rasterChunk + 1, 1, 3},
		{3*rasterChunk + 2, 1, 4},
	}
	for _, tt := range tests {
		pts := make([]studio.Point, tt.points)
		for i := range pts {
			pts[i] = studio.Point{Step: i, Value: float64(i % 7)}
		}
		for _, raster := range []bool{false, true} {
			s := newSheet(1200, 300, fs, palettes[ThemeLight]) // wide enough not to decimate
			s.raster = raster
			spec := &plotSpec{x: XStep, lines: []plotLine{{name: "m", line: pts}}}
			l, err := layoutPlot(s, rect{W: 1200, H: 300}, spec)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(l.lines[0].line); n != tt.points {
				t.Fatalf("layoutPlot decimated %d points to %d", tt.points, n)
			}
			strokeSeries(s, nil, l.lines[0].line, xFunc(XStep), l, 1.5, s.pal.text)
			var c pathCounter
			s.c.RenderTo(&c)
			want := tt.vector
			if raster {
				want = tt.ras
			}
			if c.paths != want {
				t.Errorf("strokeSeries(%d points, raster %v) drew %d paths; want %d", tt.points, raster, c.paths, want)
			}
		}
	}
}
