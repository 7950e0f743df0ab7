package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// Fixtures of the seed-42 dataset.
const (
	longRun    = synth.LongMetricRun // succeeded, 100,000 steps
	testDeploy = "dep-speech-asr-prod"
)

// *store.Store is what the server passes to Register.
var _ Store = (*store.Store)(nil)

// testStore is one store shared by the tests of this package: building it
// takes tens of milliseconds and the exports only read it.
var testStore = sync.OnceValue(func() *store.Store {
	epoch := synth.DefaultEpoch
	return store.New(synth.New(42, 1), store.Options{Now: func() time.Time { return epoch }})
})

// newTestRouter returns a router with the export routes on the shared
// store, and the Exporter behind them.
func newTestRouter(t testing.TB) (*mux.Router, *Exporter) {
	t.Helper()
	r := mux.NewRouter()
	e := Register(r, testStore(), nil)
	return r, e
}

// get serves one GET request on r.
func get(r http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// decodeError decodes a JSON error body.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) api.ErrorBody {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q; want application/json (body %.200q)", ct, rec.Body.String())
	}
	var body api.ErrorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	return body.Error
}

// pdfPageRE matches a page object; the page tree is /Type/Pages.
var (
	pdfPageRE  = regexp.MustCompile(`/Type\s*/Page[^s]`)
	pdfCountRE = regexp.MustCompile(`/Type\s*/Pages[^>]*?/Count (\d+)|/Count (\d+)[^>]*?/Type\s*/Pages`)
)

// pdfPages returns the number of page objects in a PDF and the /Count of
// its page tree, after checking the header and trailer. canvas writes
// dictionaries uncompressed (only streams are deflated), so both can be
// read with regular expressions.
func pdfPages(t *testing.T, b []byte) (objects, count int) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-64):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %.40q ... %.40q", b, b[max(0, len(b)-40):])
	}
	objects = len(pdfPageRE.FindAll(b, -1))
	m := pdfCountRE.FindSubmatch(b)
	if m == nil {
		t.Fatalf("PDF has no page tree /Count")
	}
	n := string(m[1]) + string(m[2])
	count, _ = strconv.Atoi(n)
	return objects, count
}

// svgPaths checks that b is well-formed XML with an <svg> root and
// returns the style (or stroke) and data of each <path>.
func svgPaths(t *testing.T, b []byte) (root xml.StartElement, paths [][2]string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	first := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if first {
			root, first = se, false
			if se.Name.Local != "svg" {
				t.Fatalf("root element = %q; want svg", se.Name.Local)
			}
		}
		if se.Name.Local != "path" {
			continue
		}
		var style, d string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "style", "stroke":
				style += a.Value
			case "d":
				d = a.Value
			}
		}
		paths = append(paths, [2]string{style, d})
	}
	return root, paths
}

// seriesPath returns the data of the first path stroked in col at the
// width of a data line (1.5 px), or "".
func seriesPath(paths [][2]string, col string) string {
	for _, p := range paths {
		if strings.Contains(p[0], "stroke:"+col) && strings.Contains(p[0], "stroke-width:1.5") {
			return p[1]
		}
	}
	return ""
}

// testRun returns a run of the shared store.
func testRun(t testing.TB, id studio.RunID) studio.Run {
	t.Helper()
	r, err := testStore().Run(id)
	if err != nil {
		t.Fatalf("Run(%s): %v", id, err)
	}
	return r
}

// httptestDo serves one request with method on r.
func httptestDo(r http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func itoa(n int) string { return strconv.Itoa(n) }

// hexColor writes c as canvas's SVG renderer does: "#1f77b4".
func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
