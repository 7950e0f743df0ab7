package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Web app identity, shown by browsers and in the install prompt.
const (
	webName        = "AI Infra Studio"
	webShortName   = "Studio"
	webDescription = "Console for an AI platform: experiments and runs with live metrics and logs, a model registry, progressive deployments and traces."
	webThemeColor  = "#0f1115"
	webBackground  = "#0f1115"
)

// Files of the web directory that the app shell needs. NewWebHandler
// refuses a directory that lacks one: each is precached by the service
// worker, and a single missing file would silently break offline use.
var webRequired = []string{
	"app.wasm",
	"app.css",
	"icons/icon-192.png",
	"icons/icon-512.png",
	"icons/icon-maskable-512.png",
	"icons/icon.svg",
}

// WebOptions configures the web app handler.
type WebOptions struct {
	// Dir is the directory served under /web/: app.wasm (with optional
	// precompressed app.wasm.br and app.wasm.gz), app.css and icons/.
	Dir string
	// Version identifies the build; the service worker cache and update
	// prompt follow it. Empty means a hash of the files in Dir, so the same
	// build always gets the same version.
	Version string
	// KnownPage reports whether a path is one of the app's pages (the
	// app's ui.KnownPage). Other paths still get the app, which shows its
	// not-found page, but with status 404. nil treats every path as known.
	KnownPage func(path string) bool
}

// NewWebHandler returns the handler of the Progressive Web App: the
// prerendered pages, go-app's loader, manifest and service worker, and
// the static files of o.Dir under /web/. The routes must already be
// registered (ui.Register).
func NewWebHandler(o WebOptions) (http.Handler, error) {
	if o.Dir == "" {
		o.Dir = "web"
	}
	files, err := newWebFiles(o.Dir)
	if err != nil {
		return nil, err
	}
	for _, name := range webRequired {
		if _, err := files.stat(name); err != nil {
			return nil, fmt.Errorf("web directory %s: missing %s (run make build)", o.Dir, name)
		}
	}
	wasm, _ := files.stat("app.wasm")
	version := o.Version
	if version == "" {
		if version, err = files.hashAll(); err != nil {
			return nil, fmt.Errorf("web directory %s: %w", o.Dir, err)
		}
	}
	files.version = version
	cacheable := []string{"/web/icons/icon.svg"}
	if _, err := files.stat("icons/favicon-32.png"); err == nil {
		cacheable = append(cacheable, "/web/icons/favicon-32.png")
	}
	h := &app.Handler{
		Name:            webName,
		ShortName:       webShortName,
		Title:           webName,
		Description:     webDescription,
		Lang:            "en",
		ThemeColor:      webThemeColor,
		BackgroundColor: webBackground,
		LoadingLabel:    "Loading " + webName + " · {progress}%",
		Icon: app.Icon{
			Default:  "/web/icons/icon-192.png",
			Large:    "/web/icons/icon-512.png",
			Maskable: "/web/icons/icon-maskable-512.png",
			SVG:      "/web/icons/icon.svg",
		},
		Styles:                []string{"/web/app.css"},
		CacheableResources:    cacheable,
		RawHeaders:            []string{themeBootScript, `<meta name="color-scheme" content="light dark">`},
		Resources:             files,
		Version:               version,
		WasmContentLength:     strconv.FormatInt(wasm.Size(), 10),
		ServiceWorkerTemplate: serviceWorkerJS,
	}
	return &webHandler{app: h, known: o.KnownPage}, nil
}

// themeBootScript applies the saved theme before the first paint, so a
// dark-theme user never sees a light flash while the wasm loads. It is the
// only script the app adds, and it is inline (no extra request).
//
// It also records whether a service worker controlled the page when it
// loaded: the first install of the worker activates (and claims the page)
// like an update would, and the app must not offer to "update" then.
const themeBootScript = "<script>" + themeBootJS + "</script>"

// themeBootJS is the body of themeBootScript. The Content-Security-Policy
// allows exactly this script by its hash (see scriptHashes).
const themeBootJS = `try{var t=localStorage.getItem("studio-theme");if(t==="dark"||t==="light")document.documentElement.setAttribute("data-theme",t)}catch(e){}window.studioControlled=!!(navigator.serviceWorker&&navigator.serviceWorker.controller);`

// goAppPaths are the fixed paths go-app serves itself; everything else
// that is not under /web/ is a page.
var goAppPaths = map[string]bool{
	"/app.js": true, "/goapp.js": true, "/app-worker.js": true, "/wasm_exec.js": true,
	"/manifest.webmanifest": true, "/manifest.json": true, "/app.css": true,
	"/app.wasm": true, "/goapp.wasm": true,
	"/robots.txt": true, "/sitemap.xml": true, "/ads.txt": true,
}

// webHandler wraps go-app's handler to give unknown pages a 404 status and
// to strip the social-card metadata go-app writes with an empty domain
// (og:url "https:///path"), so pages reference no other host.
type webHandler struct {
	app   *app.Handler
	known func(string) bool
}

func (h *webHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if strings.HasPrefix(p, "/web/") || goAppPaths[p] {
		h.app.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	status := http.StatusOK
	if h.known != nil && !h.known(p) {
		status = http.StatusNotFound
	}
	rec := &pageRecorder{header: http.Header{}}
	h.app.ServeHTTP(rec, r)
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if rec.status == http.StatusOK || rec.status == 0 {
		body := stripEmptyDomainMeta(rec.body.Bytes())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if status == http.StatusNotFound {
			w.Header().Del("ETag") // a 404 must not be revalidated into a 304
		}
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
		return
	}
	if rec.status == http.StatusNotModified && status == http.StatusNotFound {
		// The client holds the app shell for this version; a 404 page is
		// the same shell, so serve it anew with the right status.
		r2 := r.Clone(r.Context())
		r2.Header.Del("If-None-Match")
		h.ServeHTTP(w, r2)
		return
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// pageRecorder buffers a prerendered page (a few KB).
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header { return p.header }

func (p *pageRecorder) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

func (p *pageRecorder) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return p.body.Write(b)
}

// stripEmptyDomainMeta removes the <meta> tags whose content is a URL with
// an empty host ("https:///..."), which go-app writes for og:url and
// og:image when no domain is configured.
func stripEmptyDomainMeta(page []byte) []byte {
	var out bytes.Buffer
	for {
		i := bytes.Index(page, []byte("<meta"))
		if i < 0 {
			out.Write(page)
			return out.Bytes()
		}
		j := bytes.IndexByte(page[i:], '>')
		if j < 0 {
			out.Write(page)
			return out.Bytes()
		}
		tag := page[i : i+j+1]
		out.Write(page[:i])
		if !bytes.Contains(tag, []byte(`content="https:///`)) && !bytes.Contains(tag, []byte(`content="https://"`)) {
			out.Write(tag)
		} else if k := bytes.LastIndexByte(out.Bytes(), '\n'); k >= 0 && len(bytes.TrimSpace(out.Bytes()[k:])) == 0 {
			out.Truncate(k) // drop the indentation the tag had
		}
		page = page[i+j+1:]
	}
}

// webFiles serves the web directory under /web/ and resolves resource
// URLs to themselves (go-app's LocalDir resolves them to file paths). It
// serves app.wasm precompressed when app.wasm.br or app.wasm.gz exists and
// is not older than app.wasm.
type webFiles struct {
	root    *os.Root
	dir     string
	version string

	mu    sync.Mutex
	etags map[string]etagEntry
}

// etagEntry caches a file's ETag for one modification time and size.
type etagEntry struct {
	mod  time.Time
	size int64
	etag string
}

func newWebFiles(dir string) (*webFiles, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open web directory: %w", err)
	}
	return &webFiles{root: root, dir: dir, etags: make(map[string]etagEntry)}, nil
}

// Resolve keeps resource URLs as they are: /web/... stays /web/...
func (f *webFiles) Resolve(location string) string { return location }

func (f *webFiles) stat(name string) (fs.FileInfo, error) {
	fi, err := f.root.Stat(name)
	if err == nil && !fi.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return fi, err
}

// hashAll returns a short hash of every file in the directory (except
// precompressed copies): a version that changes whenever what the browser
// loads changes.
func (f *webFiles) hashAll() (string, error) {
	var names []string
	err := fs.WalkDir(f.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := path.Base(p)
		if d.IsDir() {
			if p != "." && strings.HasPrefix(base, ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(base, ".") || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return nil
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fh, err := f.root.Open(n)
		if err != nil {
			return "", err
		}
		io.WriteString(h, n+"\x00")
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return "", err
		}
	}
	io.WriteString(h, serviceWorkerJS)
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// webContentTypes are the types of the files the app serves; Go's mime
// table depends on the system, this does not.
var webContentTypes = map[string]string{
	".wasm":        "application/wasm",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".woff2":       "font/woff2",
}

func (f *webFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/web/")
	if name == "" || name != path.Clean(name) || strings.HasPrefix(name, ".") || strings.Contains(name, "/.") {
		http.NotFound(w, r)
		return
	}
	ctype, ok := webContentTypes[path.Ext(name)]
	if !ok {
		ctype = "application/octet-stream"
	}
	encoding := ""
	if name == "app.wasm" {
		w.Header().Add("Vary", "Accept-Encoding")
		encoding = f.pickEncoding(r.Header.Get("Accept-Encoding"))
	}
	file := name
	switch encoding {
	case "br":
		file += ".br"
	case "gzip":
		file += ".gz"
	}
	fh, err := f.root.Open(file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	etag, err := f.etag(file, fi, fh)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	if encoding != "" {
		w.Header().Set("Content-Encoding", encoding)
	}
	w.Header().Set("ETag", etag)
	// Revalidate every time: a 304 costs little, and the service worker
	// keeps the offline copy.
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if encoding == "" {
		http.ServeContent(w, r, "", fi.ModTime(), fh)
		return
	}
	// http.ServeContent sends no Content-Length with a Content-Encoding
	// (and ranges of an encoded body help nobody): serve it whole.
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.Copy(w, fh)
	}
}

// etagMatch reports whether an If-None-Match header lists etag (or "*").
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// pickEncoding chooses br, gzip or "" (identity) for app.wasm from an
// Accept-Encoding header, by q-value, preferring br then gzip on ties,
// among the precompressed files that exist and are not older than
// app.wasm.
func (f *webFiles) pickEncoding(accept string) string {
	q := parseAcceptEncoding(accept)
	raw, err := f.stat("app.wasm")
	if err != nil {
		return ""
	}
	best, bestQ := "", q("identity")
	for _, enc := range []struct{ name, file string }{{"gzip", "app.wasm.gz"}, {"br", "app.wasm.br"}} {
		fi, err := f.stat(enc.file)
		if err != nil || fi.ModTime().Before(raw.ModTime()) {
			continue // missing or stale
		}
		if v := q(enc.name); v > 0 && v >= bestQ {
			best, bestQ = enc.name, v
		}
	}
	return best
}

// parseAcceptEncoding returns the q-value the header gives each coding:
// listed codings get their q (default 1), "*" covers unlisted ones, and
// identity is acceptable (q 0.001) unless refused.
func parseAcceptEncoding(h string) func(coding string) float64 {
	qs := map[string]float64{}
	for _, part := range strings.Split(h, ",") {
		fields := strings.Split(part, ";")
		coding := strings.ToLower(strings.TrimSpace(fields[0]))
		if coding == "" {
			continue
		}
		q := 1.0
		for _, p := range fields[1:] {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				} else {
					q = 0
				}
			}
		}
		qs[coding] = q
	}
	return func(coding string) float64 {
		if q, ok := qs[coding]; ok {
			return q
		}
		if q, ok := qs["*"]; ok {
			return q
		}
		if coding == "identity" {
			return 0.001
		}
		return 0
	}
}

// etag returns a strong ETag of a file's content, hashing it only when its
// size or modification time changed.
func (f *webFiles) etag(name string, fi fs.FileInfo, fh *os.File) (string, error) {
	f.mu.Lock()
	e, ok := f.etags[name]
	f.mu.Unlock()
	if ok && e.mod.Equal(fi.ModTime()) && e.size == fi.Size() {
		return e.etag, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	etag := `"` + hex.EncodeToString(h.Sum(nil))[:20] + `"`
	f.mu.Lock()
	f.etags[name] = etagEntry{mod: fi.ModTime(), size: fi.Size(), etag: etag}
	f.mu.Unlock()
	return etag, nil
}
