package export

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

func TestChartFormats(t *testing.T) {
	r, _ := newTestRouter(t)
	base := "/api/runs/" + string(longRun) + "/metrics/chart."
	tests := []struct {
		name          string
		format        Format
		query         string
		width, height int
		filename      string
	}{
		{"svg default size", FormatSVG, "name=loss", 1200, 600, "run-0017-loss.svg"},
		{"svg smoothed dark log", FormatSVG, "name=loss&smooth=0.9&log=true&theme=dark", 1200, 600, "run-0017-loss.svg"},
		{"svg two metrics by time", FormatSVG, "name=loss,val_loss&x=time&width=800&height=400", 800, 400, "run-0017-loss+val_loss.svg"},
		{"png default size", FormatPNG, "name=loss", 1200, 600, "run-0017-loss.png"},
		{"png smallest", FormatPNG, "name=accuracy&width=200&height=150", 200, 150, "run-0017-accuracy.png"},
		{"png odd size relative", FormatPNG, "name=gpu_util&name=throughput&x=relative&width=777&height=333&theme=dark", 777, 333, "run-0017-gpu_util+throughput.png"},
		{"png step range", FormatPNG, "name=loss&from=1000&to=1100&smooth=0.5", 1200, 600, "run-0017-loss.png"},
		{"pdf", FormatPDF, "name=loss&smooth=0.6", 1200, 600, "run-0017-loss.pdf"},
		{"pdf log", FormatPDF, "name=learning_rate&log=1&x=time", 1200, 600, "run-0017-learning_rate.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(r, base+string(tt.format)+"?"+tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET = %d %s; want 200", rec.Code, rec.Body.String())
			}
			h := rec.Header()
			if got := h.Get("Content-Type"); got != tt.format.ContentType() {
				t.Errorf("Content-Type = %q; want %q", got, tt.format.ContentType())
			}
			if got, want := h.Get("Content-Disposition"), `attachment; filename="`+tt.filename+`"`; got != want {
				t.Errorf("Content-Disposition = %q; want %q", got, want)
			}
			b := rec.Body.Bytes()
			switch tt.format {
			case FormatPNG:
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("png.Decode: %v", err)
				}
				if sz := img.Bounds().Size(); sz.X != tt.width || sz.Y != tt.height {
					t.Errorf("PNG size = %dx%d; want %dx%d", sz.X, sz.Y, tt.width, tt.height)
				}
			case FormatSVG:
				root, paths := svgPaths(t, b)
				for _, a := range root.Attr {
					if a.Name.Local == "viewBox" && a.Value != "0 0 "+itoa(tt.width)+" "+itoa(tt.height) {
						t.Errorf("viewBox = %q; want 0 0 %d %d", a.Value, tt.width, tt.height)
					}
				}
				if bytes.Contains(b, []byte("<text")) {
					t.Errorf("SVG has <text>: text must be drawn as outlines")
				}
				pal := palettes[ThemeLight]
				if strings.Contains(tt.query, "theme=dark") {
					pal = palettes[ThemeDark]
				}
				d := seriesPath(paths, hexColor(pal.seriesColor(0)))
				if n := strings.Count(d, "L"); n < 100 {
					t.Errorf("series path has %d segments; want a drawn series (>= 100): %.100q", n, d)
				}
			case FormatPDF:
				objects, count := pdfPages(t, b)
				if objects != 1 || count != 1 {
					t.Errorf("PDF pages = %d objects, /Count %d; want 1", objects, count)
				}
			}
		})
	}
}

// TestChartDecimates checks that a 100,000-point series is drawn with
// about two points per pixel column, not 100,000.
func TestChartDecimates(t *testing.T) {
	r, _ := newTestRouter(t)
	rec := get(r, "/api/runs/"+string(longRun)+"/metrics/chart.svg?name=loss&width=1000")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET = %d %s", rec.Code, rec.Body.String())
	}
	_, paths := svgPaths(t, rec.Body.Bytes())
	d := seriesPath(paths, hexColor(palettes[ThemeLight].seriesColor(0)))
	points := strings.Count(d, "L") + strings.Count(d, "M")
	if points < 500 || points > 2*1000 {
		t.Errorf("series path has %d points for a 1000 px chart; want between 500 and 2000", points)
	}
}

func TestChartBadInput(t *testing.T) {
	r, _ := newTestRouter(t)
	run := "/api/runs/" + string(longRun) + "/metrics/chart."
	tests := []struct {
		name   string
		target string
		status int
		code   studio.Code
		msg    string // substring of the message
	}{
		{"unknown run", "/api/runs/run-9999/metrics/chart.svg?name=loss", 404, studio.CodeNotFound, "run-9999"},
		{"bad run id", "/api/runs/run%20x/metrics/chart.svg?name=loss", 400, studio.CodeInvalid, "run id"},
		{"unknown format", run + "gif?name=loss", 404, studio.CodeNotFound, "svg, png or pdf"},
		{"unknown format before bad id", "/api/runs/run%20x/metrics/chart.jpeg?name=loss", 404, studio.CodeNotFound, "jpeg"},
		{"no name", run + "svg", 400, studio.CodeInvalid, "name is required"},
		{"unknown metric", run + "png?name=loss,perplexity", 400, studio.CodeInvalid, "loss, val_loss, accuracy"},
		{"from after to", run + "svg?name=loss&from=10&to=5", 400, studio.CodeInvalid, "from (10)"},
		{"from past the end", run + "svg?name=loss&from=200000", 400, studio.CodeInvalid, "last step 99999"},
		{"negative from", run + "svg?name=loss&from=-1", 400, studio.CodeInvalid, "from"},
		{"width too big", run + "png?name=loss&width=5000", 400, studio.CodeInvalid, "between 200 and 4000"},
		{"width too small", run + "png?name=loss&width=20", 400, studio.CodeInvalid, "between 200 and 4000"},
		{"width not a number", run + "png?name=loss&width=1e3", 400, studio.CodeInvalid, "width"},
		{"height too big", run + "pdf?name=loss&height=3001", 400, studio.CodeInvalid, "between 150 and 3000"},
		{"width repeated", run + "png?name=loss&width=300&width=9000", 400, studio.CodeInvalid, "width given 2 times"},
		{"smooth 1", run + "svg?name=loss&smooth=1", 400, studio.CodeInvalid, "between 0 and 0.999"},
		{"smooth negative", run + "svg?name=loss&smooth=-0.5", 400, studio.CodeInvalid, "smooth"},
		{"smooth NaN", run + "svg?name=loss&smooth=NaN", 400, studio.CodeInvalid, "smooth"},
		{"smooth text", run + "svg?name=loss&smooth=lots", 400, studio.CodeInvalid, "smooth"},
		{"log maybe", run + "svg?name=loss&log=maybe", 400, studio.CodeInvalid, "log must be true or false"},
		{"theme", run + "svg?name=loss&theme=solarized", 400, studio.CodeInvalid, "light or dark"},
		{"x axis", run + "svg?name=loss&x=epoch", 400, studio.CodeInvalid, "step, time or relative"},
		{"queued run", "/api/runs/run-0160/metrics/chart.svg?name=loss", 400, studio.CodeInvalid, "no metric points yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(r, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("GET %s = %d %s; want %d", tt.target, rec.Code, rec.Body.String(), tt.status)
			}
			body := decodeError(t, rec)
			if body.Code != tt.code || !strings.Contains(body.Message, tt.msg) {
				t.Errorf("error = %s %q; want %s containing %q", body.Code, body.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestMethods(t *testing.T) {
	r, _ := newTestRouter(t)
	for _, target := range []string{
		"/api/runs/run-0017/metrics/chart.svg?name=loss",
		"/api/runs/run-0017/report.pdf",
		"/api/deployments/" + testDeploy + "/report.pdf",
	} {
		rec := httptestDo(r, http.MethodPost, target)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("POST %s = %d Allow %q; want 405 with Allow", target, rec.Code, rec.Header().Get("Allow"))
		}
		if body := decodeError(t, rec); body.Code != studio.CodeMethodNotAllowed {
			t.Errorf("POST %s code = %s; want %s", target, body.Code, studio.CodeMethodNotAllowed)
		}
		if rec := httptestDo(r, http.MethodOptions, target); rec.Code != http.StatusNoContent {
			t.Errorf("OPTIONS %s = %d; want 204", target, rec.Code)
		}
	}
	rec := httptestDo(r, http.MethodHead, "/api/runs/run-0017/metrics/chart.png?name=loss&width=300&height=200")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("HEAD = %d %q; want 200 image/png", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestLogScaleNeedsPositiveValues(t *testing.T) {
	fs, err := sharedFonts()
	if err != nil {
		t.Fatal(err)
	}
	s := newSheet(400, 300, fs, palettes[ThemeLight])
	pts := []studio.Point{{Step: 0, Value: 0}, {Step: 1, Value: -2}, {Step: 2, Value: -1}}
	spec := &plotSpec{x: XStep, log: true, lines: []plotLine{{name: "m", line: pts}}}
	if _, err := layoutPlot(s, rect{W: 400, H: 300}, spec); studio.ErrorCode(err) != studio.CodeInvalid {
		t.Errorf("layoutPlot(log, no positive values) error = %v; want CodeInvalid", err)
	}
	spec.log = false
	l, err := layoutPlot(s, rect{W: 400, H: 300}, spec)
	if err != nil || l.Empty {
		t.Errorf("layoutPlot(linear) = empty %v, %v; want a plot", l != nil && l.Empty, err)
	}
}
