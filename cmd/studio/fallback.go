package main

import (
	"html/template"
	"net/http"
)

// fallbackPage is served at "/" until the web app handler is wired in:
// enough to see that the server runs and where the API is.
var fallbackPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI Infra Studio</title>
<link rel="icon" href="data:,">
</head>
<body>
<main data-page="dashboard">
<h1>AI Infra Studio</h1>
<p>The server is running (version {{.Version}}, seed {{.Seed}}, scale {{.Scale}}). The web app is not built into this binary yet.</p>
<ul>
<li><a href="/api/healthz">/api/healthz</a></li>
<li><a href="/api/dashboard">/api/dashboard</a></li>
<li><a href="/api/experiments">/api/experiments</a></li>
<li><a href="/api/runs?status=running">/api/runs?status=running</a></li>
<li><a href="/api/deployments">/api/deployments</a></li>
<li><a href="/api/traces">/api/traces</a></li>
</ul>
</main>
</body>
</html>
`))

// fallbackInfo fills fallbackPage.
type fallbackInfo struct {
	Version string
	Seed    uint64
	Scale   int
}

// fallbackHandler serves fallbackPage at "/" and a 404 elsewhere.
func fallbackHandler(info fallbackInfo) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		fallbackPage.Execute(w, info)
	})
}
