//go:build !wasm

// Package e2e holds the end-to-end tests of AI Infra Studio: headless
// Chromium, driven by chromedp, against the real server binary (cmd/studio)
// serving the real web/app.wasm.
//
// TestMain builds both when needed (or uses $STUDIO_BIN), starts the server on
// a free loopback port and stops it afterwards. Each test opens its own
// browser with a fresh profile, fails on any uncaught exception or console
// error, and writes light and dark screenshots to e2e/screenshots/ when it
// fails.
//
// Environment:
//
//	STUDIO_BIN        server binary to test (default: built by TestMain)
//	CHROME_BIN        browser (default /usr/lib/chromium/chromium-headless-shell)
//	E2E_SCREENSHOTS=1 also run TestScreenshots: every page, light and dark
//	E2E_PERF=1        also run TestPerfLoad and TestPerfScroll (timings logged)
//	E2E_PERF_SCALE    dataset scale of TestPerfScroll (default 63: ~10,000 runs)
//	E2E_STEP_TIMEOUT  timeout of one browser step (default 20s)
//
// Run them with `make e2e` (or `make e2e-screenshots`, `make e2e-perf`), or
// `go test ./e2e/`, which builds what it needs.
package e2e
