package export

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/studio"
)

// Parts of a PDF that depend on the wall clock or on compression: the
// creation date, stream lengths, the deflated streams themselves and the
// cross-reference offsets.
var (
	creationDateRE = regexp.MustCompile(`/CreationDate\s*\([^)]*\)`)
	lengthRE       = regexp.MustCompile(`/Length \d+`)
	streamRE       = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	xrefRE         = regexp.MustCompile(`(?s)\nxref\n.*`) // byte offsets, which follow the stream lengths
)

// normalizePDF returns b with the creation date blanked, streams inflated
// and, in embedded TrueType fonts, the "modified" time and the checksums
// that cover it zeroed: tdewolff/font stamps time.Now into the head table
// of every subset. What remains must be identical for identical input.
func normalizePDF(t *testing.T, b []byte) []byte {
	t.Helper()
	b = creationDateRE.ReplaceAll(b, []byte("/CreationDate ()"))
	b = lengthRE.ReplaceAll(b, []byte("/Length ?"))
	b = xrefRE.ReplaceAll(b, []byte("\nxref"))
	return streamRE.ReplaceAllFunc(b, func(m []byte) []byte {
		raw := streamRE.FindSubmatch(m)[1]
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Errorf("stream is not deflated: %v", err)
			return m
		}
		// canvas ends its streams with a sync flush rather than a final
		// block, which the reader reports as an unexpected EOF after
		// returning all the data.
		data, err := io.ReadAll(zr)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("inflate stream: %v", err)
			return m
		}
		clearFontClock(data)
		return append([]byte("stream\n"), append(data, "\nendstream"...)...)
	})
}

// clearFontClock zeroes the head table's modified time, its
// checkSumAdjustment and its directory checksum in a TrueType font
// program; other data is left alone.
func clearFontClock(f []byte) {
	if len(f) < 12 || binary.BigEndian.Uint32(f) != 0x00010000 {
		return
	}
	n := int(binary.BigEndian.Uint16(f[4:]))
	for i := range n {
		rec := f[12+16*i:]
		if len(rec) < 16 || string(rec[:4]) != "head" {
			continue
		}
		off := int(binary.BigEndian.Uint32(rec[8:]))
		if off+36 > len(f) {
			return
		}
		clear(rec[4:8])           // table checksum
		clear(f[off+8 : off+12])  // checkSumAdjustment
		clear(f[off+28 : off+36]) // modified
	}
}

// TestParallelRenders renders every format and both reports from many
// goroutines at once (run it with -race) and checks that each output is
// byte-identical to a serial render: a PDF font subset corrupted by a
// concurrent subset, or any other shared state, would change the bytes.
func TestParallelRenders(t *testing.T) {
	r, e := newTestRouter(t)
	e.queueTimeout = 5 * time.Minute // under -race, 36 renders on 2 slots can queue for more than 10 s
	targets := []string{
		"/api/runs/run-0017/metrics/chart.svg?name=loss&smooth=0.6&width=600&height=300",
		"/api/runs/run-0017/metrics/chart.png?name=loss,val_loss&width=600&height=300&theme=dark",
		"/api/runs/run-0017/metrics/chart.pdf?name=accuracy&x=time&width=600&height=300",
		"/api/runs/run-0036/metrics/chart.pdf?name=grad_norm&log=true&x=relative&width=600&height=300",
		"/api/runs/run-0036/report.pdf?pins=ev-run-0036-0001",
		"/api/deployments/" + testDeploy + "/report.pdf",
	}
	normalize := func(b []byte) []byte {
		if bytes.HasPrefix(b, []byte("%PDF")) {
			return normalizePDF(t, b)
		}
		return b
	}
	want := make([][]byte, len(targets))
	for i, target := range targets {
		rec := get(r, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body.String())
		}
		want[i] = normalize(rec.Body.Bytes())
	}
	const rounds = 2
	var wg sync.WaitGroup
	errs := make(chan string, rounds*len(targets))
	for range rounds {
		for i, target := range targets {
			wg.Go(func() {
				rec := get(r, target)
				if rec.Code != http.StatusOK {
					errs <- target + ": " + rec.Body.String()
					return
				}
				if !bytes.Equal(normalize(rec.Body.Bytes()), want[i]) {
					errs <- target + ": output differs from the serial render"
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestConcurrentPDFSubsetting writes PDFs from many goroutines at once,
// without the render slots in the way: every PDF subsets the shared Go
// fonts, which races (and corrupts the subset) unless writePDF serializes
// it. Run it with -race.
func TestConcurrentPDFSubsetting(t *testing.T) {
	fs, err := sharedFonts()
	if err != nil {
		t.Fatal(err)
	}
	page := func(label string) *sheet {
		s := newSheet(300, 200, fs, palettes[ThemeLight])
		s.text(10, 40, label, withColor(titleText, s.pal.text), canvas.Left)
		s.text(10, 80, "0123456789 loss val_loss", withColor(tickText, s.pal.muted), canvas.Left)
		return s
	}
	labels := []string{"alpha", "BRAVO", "charlie 42", "delta → echo"}
	want := make([][]byte, len(labels))
	for i, l := range labels {
		var b bytes.Buffer
		if err := writePDF(&b, fs, []*sheet{page(l)}, pdfInfo{}); err != nil {
			t.Fatal(err)
		}
		want[i] = normalizePDF(t, b.Bytes())
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 4 {
				i := (g + k) % len(labels)
				var b bytes.Buffer
				if err := writePDF(&b, fs, []*sheet{page(labels[i])}, pdfInfo{}); err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(normalizePDF(t, b.Bytes()), want[i]) {
					t.Errorf("PDF of %q differs from the serial render", labels[i])
				}
			}
		})
	}
	wg.Wait()
}

// TestQueueFull checks that a request waiting for a render slot gives up
// with its context, and that a full queue answers 503 rather than piling
// up renders.
func TestQueueFull(t *testing.T) {
	_, e := newTestRouter(t)
	for range cap(e.slots) {
		e.slots <- struct{}{}
	}
	defer func() {
		for range cap(e.slots) {
			<-e.slots
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.render(ctx, func() error { return nil }); err != context.Canceled {
		t.Errorf("render with a cancelled context and no slot = %v; want context.Canceled", err)
	}
	e.queueTimeout = 10 * time.Millisecond
	err := e.render(context.Background(), func() error { return nil })
	if studio.ErrorCode(err) != studio.CodeUnavailable {
		t.Errorf("render with no slot for %v = %v; want CodeUnavailable (503)", e.queueTimeout, err)
	}
}

// TestRenderRecoversPanics checks that a panic inside canvas becomes an
// internal error, answered as a JSON 500 without details.
func TestRenderRecoversPanics(t *testing.T) {
	_, e := newTestRouter(t)
	err := e.render(context.Background(), func() error { panic("next node for result polygon is nil") })
	if studio.ErrorCode(err) != studio.CodeInternal {
		t.Fatalf("render(panic) = %v; want an internal error", err)
	}
	rec := httptestDo(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.writeError(w, r, err) }), http.MethodGet, "/x")
	if body := decodeError(t, rec); rec.Code != http.StatusInternalServerError || body.Message != "internal error" {
		t.Errorf("writeError(panic) = %d %q; want 500 \"internal error\"", rec.Code, body.Message)
	}
}

// TestWasmDoesNotImportCanvas keeps canvas (+2 MB gzip) out of the
// browser build.
func TestWasmDoesNotImportCanvas(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(gobin, "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Skipf("no module: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	if _, err := os.Stat(filepath.Join(root, "wasm")); err != nil {
		t.Skipf("no wasm package: %v", err)
	}
	cmd := exec.Command(gobin, "list", "-e", "-deps", "./wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	deps, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./wasm: %v", err)
	}
	for _, p := range strings.Fields(string(deps)) {
		if strings.HasPrefix(p, "github.com/tdewolff/canvas") || p == "github.com/aiinfra/studio/server/export" {
			t.Errorf("the wasm build imports %s", p)
		}
	}
	if !strings.Contains(string(deps), "github.com/aiinfra/studio/wasm") {
		t.Errorf("go list -deps ./wasm did not list the wasm package: %.200s", deps)
	}
}
