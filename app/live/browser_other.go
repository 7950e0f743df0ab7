//go:build !(js && wasm)

package live

import (
	"net/url"
	"strconv"

	"github.com/aiinfra/studio/shared/studio"
)

// BrowserDialer returns a Dialer over the page's WebSocket. Outside the
// browser (the server prerendering pages) there is none: every connection
// fails with 1006.
func BrowserDialer() Dialer {
	return DialerFunc(func(u string, h Handler) Conn {
		go h.Close(1006, "websocket unavailable outside the browser")
		return noConn{}
	})
}

type noConn struct{}

func (noConn) Close() {}

// BrowserEnv is the page's visibility and connectivity; outside the
// browser the page is always visible and online.
type BrowserEnv struct{}

// Hidden reports false.
func (BrowserEnv) Hidden() bool { return false }

// Online reports true.
func (BrowserEnv) Online() bool { return true }

// Watch never calls its functions outside the browser.
func (BrowserEnv) Watch(func(bool), func(bool)) (cancel func()) { return func() {} }

// RunURL returns the URL function of run id's stream relative to the
// page (the server has no page location).
func RunURL(id studio.RunID) func(since int64) string {
	base := "/ws/runs/" + url.PathEscape(string(id))
	return func(since int64) string { return base + "?since=" + strconv.FormatInt(since, 10) }
}
