//go:build tools

package tools

import (
	_ "github.com/andybalholm/brotli"
	_ "github.com/chromedp/chromedp"
	_ "github.com/coder/websocket"
	_ "github.com/gorilla/mux"
	_ "github.com/maxence-charriere/go-app/v10/pkg/app"
	_ "github.com/tdewolff/canvas"
	_ "github.com/tdewolff/canvas/renderers/pdf"
	_ "github.com/tdewolff/canvas/renderers/rasterizer"
	_ "github.com/tdewolff/canvas/renderers/svg"
	_ "golang.org/x/image/font/gofont/goregular"
)
