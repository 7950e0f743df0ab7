package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// webTestPage is the page the web handler tests prerender; the real pages
// live in app/ui, which server must not import.
type webTestPage struct{ app.Compo }

func (p *webTestPage) Render() app.UI {
	return app.Div().DataSet("page", "test").Text("hello")
}

var registerWebRoutes sync.Once

// webTestDir writes a web directory: app.wasm with fresh precompressed
// copies, app.css and the icons.
func webTestDir(t *testing.T) string {
	t.Helper()
	registerWebRoutes.Do(func() {
		app.Route("/", func() app.Composer { return &webTestPage{} })
		app.Route("/known", func() app.Composer { return &webTestPage{} })
		app.RouteWithRegexp(`^/.*$`, func() app.Composer { return &webTestPage{} })
	})
	dir := t.TempDir()
	files := map[string]string{
		"app.wasm":                    "\x00asm raw wasm bytes, a little longer than the compressed ones",
		"app.wasm.br":                 "brotli bytes",
		"app.wasm.gz":                 "gzip bytes!",
		"app.css":                     ":root{--bg:#fff}",
		"icons/icon-192.png":          "png192",
		"icons/icon-512.png":          "png512",
		"icons/icon-maskable-512.png": "pngmask",
		"icons/icon.svg":              "<svg/>",
		"icons/favicon-32.png":        "png32",
		".hidden":                     "secret",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The compressed copies are newer than app.wasm.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "app.wasm"), old, old); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newTestWebHandler(t *testing.T, dir string) http.Handler {
	t.Helper()
	h, err := NewWebHandler(WebOptions{Dir: dir, KnownPage: func(p string) bool { return p == "/" || p == "/known" }})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://studio.test"+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNewWebHandlerRequiresShellFiles(t *testing.T) {
	for _, missing := range webRequired {
		t.Run(missing, func(t *testing.T) {
			dir := webTestDir(t)
			if err := os.Remove(filepath.Join(dir, missing)); err != nil {
				t.Fatal(err)
			}
			if _, err := NewWebHandler(WebOptions{Dir: dir}); err == nil || !strings.Contains(err.Error(), missing) {
				t.Errorf("NewWebHandler without %s: err = %v; want it named", missing, err)
			}
		})
	}
	if _, err := NewWebHandler(WebOptions{Dir: filepath.Join(t.TempDir(), "nope")}); err == nil {
		t.Error("NewWebHandler of a missing directory succeeded")
	}
}

func TestWebContentTypes(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	tests := []struct {
		path, want string
	}{
		{"/web/app.css", "text/css; charset=utf-8"},
		{"/web/icons/icon.svg", "image/svg+xml"},
		{"/web/icons/icon-192.png", "image/png"},
		{"/web/app.wasm", "application/wasm"},
		{"/app.js", "application/javascript"},
		{"/app-worker.js", "application/javascript"},
		{"/wasm_exec.js", "application/javascript"},
		{"/manifest.webmanifest", "application/manifest+json"},
		{"/", "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := get(t, h, tt.path)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d; want 200", tt.path, r.StatusCode)
			}
			if got := r.Header.Get("Content-Type"); got != tt.want {
				t.Errorf("Content-Type = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestWasmEncodingNegotiation(t *testing.T) {
	dir := webTestDir(t)
	h := newTestWebHandler(t, dir)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, accept, wantEnc, wantFile string
	}{
		{"browser default prefers br", "gzip, deflate, br, zstd", "br", "app.wasm.br"},
		{"gzip only", "gzip", "gzip", "app.wasm.gz"},
		{"q-values pick gzip", "br;q=0.5, gzip;q=0.8", "gzip", "app.wasm.gz"},
		{"br refused", "br;q=0, gzip", "gzip", "app.wasm.gz"},
		{"star allows br", "*", "br", "app.wasm.br"},
		{"star with br refused", "br;q=0, *;q=0.5", "gzip", "app.wasm.gz"},
		{"no header is identity", "", "", "app.wasm"},
		{"identity only", "identity", "", "app.wasm"},
		{"both refused", "br;q=0, gzip;q=0", "", "app.wasm"},
		{"case and spaces", " GZIP ; Q=1 ", "gzip", "app.wasm.gz"},
		{"bad q is refusal", "br;q=x, gzip", "gzip", "app.wasm.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, h, "/web/app.wasm", "Accept-Encoding", tt.accept)
			want := read(tt.wantFile)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status = %d", r.StatusCode)
			}
			if got := r.Header.Get("Content-Encoding"); got != tt.wantEnc {
				t.Errorf("Content-Encoding = %q; want %q", got, tt.wantEnc)
			}
			if got := r.Header.Get("Content-Type"); got != "application/wasm" {
				t.Errorf("Content-Type = %q; want application/wasm", got)
			}
			if got := r.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
				t.Errorf("Vary = %q; want [Accept-Encoding]", got)
			}
			if got := r.Header.Get("Content-Length"); got != strconv.Itoa(len(want)) {
				t.Errorf("Content-Length = %s; want %d", got, len(want))
			}
			if got := body(t, r); got != want {
				t.Errorf("body = %q; want %s", got, tt.wantFile)
			}
			if r.Header.Get("ETag") == "" || r.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("ETag = %q, Cache-Control = %q; want an ETag and no-cache", r.Header.Get("ETag"), r.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestWasmEncodingsHaveDistinctETags(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	tags := map[string]bool{}
	for _, enc := range []string{"br", "gzip", ""} {
		tag := get(t, h, "/web/app.wasm", "Accept-Encoding", enc).Header.Get("ETag")
		if tags[tag] {
			t.Errorf("ETag %s reused across encodings", tag)
		}
		tags[tag] = true
	}
}

func TestStalePrecompressedWasmIsIgnored(t *testing.T) {
	dir := webTestDir(t)
	past := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "app.wasm.br"), past, past); err != nil {
		t.Fatal(err)
	}
	h := newTestWebHandler(t, dir)
	r := get(t, h, "/web/app.wasm", "Accept-Encoding", "br, gzip")
	if got := r.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding = %q; want gzip (the .br is older than app.wasm)", got)
	}
}

func TestWebConditionalGet(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	for _, p := range []string{"/web/app.css", "/web/app.wasm"} {
		first := get(t, h, p, "Accept-Encoding", "br")
		etag := first.Header.Get("ETag")
		again := get(t, h, p, "Accept-Encoding", "br", "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s = %d; want 304", p, etag, again.StatusCode)
		}
	}
}

func TestWebNotFound(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	tests := []struct {
		path       string
		wantStatus int
		wantHTML   bool
	}{
		{"/web/nope.css", http.StatusNotFound, false},
		{"/web/icons", http.StatusNotFound, false},
		{"/web/icons/", http.StatusNotFound, false},
		{"/web/.hidden", http.StatusNotFound, false},
		{"/web/../go.mod", http.StatusNotFound, false},
		{"/web/icons/../../x", http.StatusNotFound, false},
		{"/no/such/page", http.StatusNotFound, true},
		{"/known", http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://studio.test/", nil)
			req.URL.Path = tt.path // keep dot segments
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.wantStatus {
				t.Errorf("GET %s = %d; want %d", tt.path, w.Code, tt.wantStatus)
			}
			isHTML := strings.HasPrefix(w.Header().Get("Content-Type"), "text/html")
			if isHTML != tt.wantHTML {
				t.Errorf("GET %s Content-Type = %q; want HTML %v", tt.path, w.Header().Get("Content-Type"), tt.wantHTML)
			}
			if tt.wantHTML && !strings.Contains(w.Body.String(), `data-page="test"`) {
				t.Errorf("GET %s does not serve the app", tt.path)
			}
		})
	}
}

func TestUnknownPageIgnoresShellETag(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	etag := get(t, h, "/").Header.Get("ETag")
	if r := get(t, h, "/", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("known page revalidation = %d; want 304", r.StatusCode)
	}
	r := get(t, h, "/missing", "If-None-Match", etag)
	if r.StatusCode != http.StatusNotFound || !strings.Contains(body(t, r), "data-page") {
		t.Errorf("unknown page revalidation = %d; want a full 404 page", r.StatusCode)
	}
}

func TestWebMethods(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	for _, p := range []string{"/", "/web/app.css"} {
		req := httptest.NewRequest(http.MethodPost, p, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s = %d, Allow %q; want 405 with Allow", p, w.Code, w.Header().Get("Allow"))
		}
	}
	req := httptest.NewRequest(http.MethodHead, "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD / = %d with %d body bytes; want 200, no body, a length", w.Code, w.Body.Len())
	}
}

func TestManifestHasLocalIcons(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	var m struct {
		Name      string `json:"name"`
		ShortName string `json:"short_name"`
		Icons     []struct{ Src, Type, Sizes, Purpose string }
	}
	r := get(t, h, "/manifest.webmanifest")
	if err := json.Unmarshal([]byte(body(t, r)), &m); err != nil {
		t.Fatal(err)
	}
	if m.Name != "AI Infra Studio" || m.ShortName != "Studio" {
		t.Errorf("manifest names = %q, %q", m.Name, m.ShortName)
	}
	want := map[string]bool{"/web/icons/icon-192.png": false, "/web/icons/icon-512.png": false, "/web/icons/icon-maskable-512.png": false, "/web/icons/icon.svg": false}
	for _, ic := range m.Icons {
		if _, ok := want[ic.Src]; !ok {
			t.Errorf("manifest icon %q is not a local icon", ic.Src)
		}
		want[ic.Src] = true
		if get(t, h, ic.Src).StatusCode != http.StatusOK {
			t.Errorf("manifest icon %s does not load", ic.Src)
		}
	}
	for src, seen := range want {
		if !seen {
			t.Errorf("manifest lacks %s", src)
		}
	}
}

var urlRe = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.\-]*[a-z0-9]`)

func TestPageReferencesNoOtherHost(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	for _, p := range []string{"/", "/known", "/missing", "/manifest.webmanifest", "/app.js", "/app-worker.js"} {
		b := body(t, get(t, h, p))
		for _, u := range urlRe.FindAllString(b, -1) {
			if strings.Contains(u, "www.w3.org") { // SVG namespace, never fetched
				continue
			}
			if strings.HasPrefix(u, "//") && !strings.Contains(b, "http") {
				continue // a JS comment
			}
			t.Errorf("%s references %q", p, u)
		}
		if strings.Contains(b, "https:///") || strings.Contains(b, "raw.githubusercontent") {
			t.Errorf("%s contains a remote or hostless URL", p)
		}
	}
	page := body(t, get(t, h, "/"))
	for _, want := range []string{`href="/web/app.css"`, "studio-theme", `href="/manifest.webmanifest"`, `href="/web/icons/icon.svg"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestServiceWorkerPrecachesOnlyExistingFiles(t *testing.T) {
	h := newTestWebHandler(t, webTestDir(t))
	js := body(t, get(t, h, "/app-worker.js"))
	m := regexp.MustCompile(`const resourcesToCache = (\[.*?\]);`).FindStringSubmatch(js)
	if m == nil {
		t.Fatalf("worker has no precache list:\n%s", js)
	}
	var urls []string
	if err := json.Unmarshal([]byte(m[1]), &urls); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/", "/web/app.wasm", "/web/app.css", "/app.js", "/wasm_exec.js", "/manifest.webmanifest", "/web/icons/icon.svg"} {
		found := false
		for _, u := range urls {
			found = found || u == want
		}
		if !found {
			t.Errorf("precache list %v lacks %s", urls, want)
		}
	}
	for _, u := range urls {
		if r := get(t, h, u, "Accept-Encoding", "br"); r.StatusCode != http.StatusOK {
			t.Errorf("precached %s = %d; one failure breaks offline use", u, r.StatusCode)
		}
	}
	for _, want := range []string{"event.waitUntil", `request.mode === "navigate"`, "cache.match(shellURL)", `"/api/"`} {
		if !strings.Contains(js, want) {
			t.Errorf("worker lacks %s", want)
		}
	}
}

func TestWebVersion(t *testing.T) {
	dir := webTestDir(t)
	version := func(o WebOptions) string {
		h, err := NewWebHandler(o)
		if err != nil {
			t.Fatal(err)
		}
		js := body(t, get(t, h, "/app.js"))
		m := regexp.MustCompile(`"GOAPP_VERSION":"([^"]+)"`).FindStringSubmatch(js)
		if m == nil {
			t.Fatalf("app.js lacks the version")
		}
		return m[1]
	}
	a, b := version(WebOptions{Dir: dir}), version(WebOptions{Dir: dir})
	if a != b || len(a) != 12 {
		t.Errorf("derived versions %q and %q; want one 12-hex version per build", a, b)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("\x00asm rebuilt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := version(WebOptions{Dir: dir}); c == a {
		t.Errorf("version %q did not change with app.wasm", c)
	}
	if v := version(WebOptions{Dir: dir, Version: "v1.2.3-abc"}); v != "v1.2.3-abc" {
		t.Errorf("version = %q; want the given one", v)
	}
}

func TestWasmContentLengthIsUncompressedSize(t *testing.T) {
	dir := webTestDir(t)
	h := newTestWebHandler(t, dir)
	fi, err := os.Stat(filepath.Join(dir, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	js := body(t, get(t, h, "/app.js"))
	if want := `const goappWasmContentLength = "` + strconv.FormatInt(fi.Size(), 10) + `"`; !strings.Contains(js, want) {
		t.Errorf("app.js lacks %s", want)
	}
}

func TestStripEmptyDomainMeta(t *testing.T) {
	in := "<head>\n  <meta charset=\"UTF-8\">\n  <meta property=\"og:url\" content=\"https:///runs/x\">\n  <meta property=\"og:image\" content=\"https://\">\n  <meta name=\"x\" content=\"https://example.com\">\n</head>"
	want := "<head>\n  <meta charset=\"UTF-8\">\n  <meta name=\"x\" content=\"https://example.com\">\n</head>"
	if got := string(stripEmptyDomainMeta([]byte(in))); got != want {
		t.Errorf("stripEmptyDomainMeta =\n%s\nwant\n%s", got, want)
	}
	if got := stripEmptyDomainMeta([]byte("<p>no meta</p>")); !bytes.Equal(got, []byte("<p>no meta</p>")) {
		t.Errorf("page without meta changed: %s", got)
	}
}

// TestInlineScriptsAllowedByCSP checks that every inline script in a page
// is allowed by the Content-Security-Policy by its hash: a script the
// policy does not list is refused by the browser (and logged as an error).
func TestInlineScriptsAllowedByCSP(t *testing.T) {
	h := SecurityHeaders(newTestWebHandler(t, webTestDir(t)))
	resp := get(t, h, "/")
	csp := resp.Header.Get("Content-Security-Policy")
	page := body(t, resp)
	inline := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(inline) == 0 {
		t.Fatal("page has no inline script; the theme boot script is missing")
	}
	for _, m := range inline {
		sum := sha256.Sum256([]byte(m[1]))
		if src := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, src) {
			t.Errorf("CSP %q does not allow inline script %.60q (want %s)", csp, m[1], src)
		}
	}
}
