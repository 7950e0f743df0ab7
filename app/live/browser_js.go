//go:build js && wasm

package live

import (
	"net/url"
	"strconv"
	"syscall/js"

	"github.com/aiinfra/studio/shared/studio"
)

// BrowserDialer returns a Dialer over the page's WebSocket. It keeps the
// wasm small: no Go HTTP or WebSocket library is linked.
func BrowserDialer() Dialer { return DialerFunc(dialBrowser) }

// browserConn is one page WebSocket and its listeners.
type browserConn struct {
	ws                       js.Value
	onMessage, onClose       js.Func
	released, closeRequested bool
}

func dialBrowser(u string, h Handler) Conn {
	c := &browserConn{}
	c.onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		if d := args[0].Get("data"); d.Type() == js.TypeString {
			h.Message([]byte(d.String()))
		}
		return nil
	})
	c.onClose = js.FuncOf(func(_ js.Value, args []js.Value) any {
		code, reason := args[0].Get("code").Int(), args[0].Get("reason").String()
		c.release()
		h.Close(code, reason)
		return nil
	})
	ws, err := newWebSocket(u)
	if err != nil {
		c.release()
		// Report asynchronously, as a real failure would be.
		go h.Close(1006, err.Error())
		return c
	}
	c.ws = ws
	ws.Call("addEventListener", "message", c.onMessage)
	ws.Call("addEventListener", "close", c.onClose)
	return c
}

// newWebSocket calls new WebSocket(u), turning a thrown SyntaxError into
// an error.
func newWebSocket(u string) (ws js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = jsError{r}
		}
	}()
	return js.Global().Get("WebSocket").New(u), nil
}

type jsError struct{ v any }

func (e jsError) Error() string {
	if je, ok := e.v.(js.Error); ok {
		return je.Error()
	}
	return "websocket failed"
}

// Close closes the socket with 1000 (browsers accept only 1000 and
// 3000-4999 from scripts) and removes the listeners, so nothing of this
// connection reaches Go afterwards.
func (c *browserConn) Close() {
	if c.closeRequested {
		return
	}
	c.closeRequested = true
	if c.ws.Truthy() {
		c.ws.Call("removeEventListener", "message", c.onMessage)
		c.ws.Call("removeEventListener", "close", c.onClose)
		c.ws.Call("close", 1000, "client closed")
	}
	c.release()
}

func (c *browserConn) release() {
	if c.released {
		return
	}
	c.released = true
	c.onMessage.Release()
	c.onClose.Release()
}

// BrowserEnv is the page's visibility (document.hidden and
// visibilitychange) and connectivity (navigator.onLine and the online and
// offline events).
type BrowserEnv struct{}

// Hidden reports document.hidden.
func (BrowserEnv) Hidden() bool { return js.Global().Get("document").Get("hidden").Bool() }

// Online reports navigator.onLine.
func (BrowserEnv) Online() bool {
	v := js.Global().Get("navigator").Get("onLine")
	return v.Type() != js.TypeBoolean || v.Bool()
}

// Watch listens to visibilitychange, online and offline until cancel.
func (e BrowserEnv) Watch(onHidden func(bool), onOnline func(bool)) (cancel func()) {
	doc, win := js.Global().Get("document"), js.Global()
	vis := js.FuncOf(func(js.Value, []js.Value) any { go onHidden(e.Hidden()); return nil })
	on := js.FuncOf(func(js.Value, []js.Value) any { go onOnline(true); return nil })
	off := js.FuncOf(func(js.Value, []js.Value) any { go onOnline(false); return nil })
	doc.Call("addEventListener", "visibilitychange", vis)
	win.Call("addEventListener", "online", on)
	win.Call("addEventListener", "offline", off)
	return func() {
		doc.Call("removeEventListener", "visibilitychange", vis)
		win.Call("removeEventListener", "online", on)
		win.Call("removeEventListener", "offline", off)
		vis.Release()
		on.Release()
		off.Release()
	}
}

// RunURL returns the URL function of run id's stream on the page's
// server: ws://host/ws/runs/{id}?since=N (wss on https pages).
func RunURL(id studio.RunID) func(since int64) string {
	loc := js.Global().Get("location")
	scheme := "ws://"
	if loc.Get("protocol").String() == "https:" {
		scheme = "wss://"
	}
	base := scheme + loc.Get("host").String() + "/ws/runs/" + url.PathEscape(string(id))
	return func(since int64) string { return base + "?since=" + strconv.FormatInt(since, 10) }
}
