// Command wasm is the browser entry of AI Infra Studio, compiled with
// GOOS=js GOARCH=wasm into web/app.wasm.
package main

import (
	"github.com/aiinfra/studio/app/ui"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	ui.Register()
	app.RunWhenOnBrowser()
}
