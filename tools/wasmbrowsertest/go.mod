// Module wasmbrowsertest pins github.com/agnivade/wasmbrowsertest, the runner
// that executes GOOS=js GOARCH=wasm test binaries inside headless Chromium
// (make test-wasm-app). It is a separate module so that its chromedp v0.16.0,
// the last release before chromedp's generic API rewrite and the newest that
// wasmbrowsertest compiles with, never meets the main module's chromedp
// v0.23.0 (and so that chromedp v0.16.0 speaks a protocol close enough to
// Chromium 156 not to log "unknown IPAddressSpace" errors, as the stock
// v0.10.0 build does). The Makefile builds it with
//
//	go build -C tools/wasmbrowsertest -o .cache/bin/go_js_wasm_exec github.com/agnivade/wasmbrowsertest
module github.com/aiinfra/studio/tools/wasmbrowsertest

go 1.26

require github.com/agnivade/wasmbrowsertest v0.11.0 // indirect

require (
	github.com/chromedp/cdproto v0.0.0-20260714215040-dc233986426f // indirect
	github.com/chromedp/chromedp v0.16.0 // indirect
	github.com/chromedp/sysutil v1.1.0 // indirect
	github.com/go-interpreter/wagon v0.6.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260623181947-01eb4420fa68 // indirect
	github.com/gobwas/httphead v0.1.0 // indirect
	github.com/gobwas/pool v0.2.1 // indirect
	github.com/gobwas/ws v1.4.0 // indirect
	github.com/google/pprof v0.0.0-20240727154555-813a5fbdbec8 // indirect
	golang.org/x/sys v0.47.0 // indirect
)

tool github.com/agnivade/wasmbrowsertest
