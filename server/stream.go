package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// streamReadLimit caps a client message (see readLoop).
const streamReadLimit = 4 << 10

// handleStream serves GET /ws/runs/{id}?since=: the run's live stream. The
// first message is an api.Hello; then come the buffered messages after
// since (unless they were evicted: Hello.Gap) and the live ones, each
// exactly once and in seq order. When the run ends, the connection closes
// with StatusNormalClosure "run ended".
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "run")
	if !ok {
		return
	}
	since, err := api.ParseSince(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !isUpgrade(r) {
		s.writeError(w, r, studio.Errorf(codeUpgradeRequired, "this endpoint needs a websocket upgrade"))
		return
	}
	if err := checkHandshake(w, r); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !s.originAllowed(r) {
		s.writeError(w, r, studio.Errorf(codeForbidden, "origin %q may not open streams on this server", shortText(r.Header.Get("Origin"))))
		return
	}
	sub, err := s.hub.admit()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	subn, err := s.hub.subscribe(sub, studio.RunID(id), since)
	if err != nil {
		s.hub.release(sub, nil)
		s.writeError(w, r, err)
		return
	}
	defer s.hub.release(sub, subn.stream)
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.opts.AllowedOrigins})
	if err != nil {
		return // Accept has answered the request
	}
	c.SetReadLimit(streamReadLimit)
	// The connection's context is not r.Context(): the request is hijacked,
	// and shutdown must be able to close politely before cutting.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub.attach(cancel)
	readCtx := readLoop(ctx, c)
	if s.opts.Chaos {
		life := time.Duration(float64(s.opts.TickInterval) * (2 + 6*rand.Float64()))
		t := time.AfterFunc(life, func() { sub.end(reasonChaos) })
		defer t.Stop()
	}
	s.serveStream(ctx, readCtx, c, sub, subn)
	c.CloseNow()
}

// serveStream writes the hello, the backlog and then the live messages
// until the subscriber is ended or the client goes away.
func (s *Server) serveStream(ctx, readCtx context.Context, c *websocket.Conn, sub *subscriber, subn subscription) {
	hello, err := json.Marshal(subn.hello)
	if err != nil {
		s.log.Error("encode hello", "run", subn.hello.RunID, "err", err)
		c.Close(websocket.StatusInternalError, "internal error")
		return
	}
	first, err := json.Marshal(api.Message{Type: api.TypeHello, Seq: subn.hello.Seq, Data: hello})
	if err != nil || c.Write(ctx, websocket.MessageText, first) != nil {
		return
	}
	for _, m := range subn.backlog {
		b, err := json.Marshal(m)
		if err != nil {
			s.log.Error("encode stream message", "run", subn.hello.RunID, "seq", m.Seq, "err", err)
			continue
		}
		if c.Write(ctx, websocket.MessageText, b) != nil {
			return
		}
	}
	if subn.ended {
		c.Close(reasonEnded.code, reasonEnded.text)
		return
	}
	for {
		select {
		case <-sub.notify:
			for _, f := range sub.take() {
				if c.Write(ctx, websocket.MessageText, f) != nil {
					return
				}
			}
		case <-sub.done:
			r := sub.closeReason()
			if r == reasonEnded {
				for _, f := range sub.take() {
					if c.Write(ctx, websocket.MessageText, f) != nil {
						return
					}
				}
			}
			c.Close(r.code, r.text)
			return
		case <-readCtx.Done():
			return // the client closed, sent data, or the connection was cut
		}
	}
}

// readLoop reads from c in its own goroutine so that control frames (ping,
// pong, close) are answered. The stream is server-to-client: a data message
// closes the connection with StatusPolicyViolation (StatusUnsupportedData
// for binary), and one over streamReadLimit with StatusMessageTooBig. The
// returned context ends when reading stops, whatever the reason.
func readLoop(ctx context.Context, c *websocket.Conn) context.Context {
	readCtx, cancel := context.WithCancel(ctx)
	go func() {
		defer cancel()
		typ, _, err := c.Read(ctx)
		switch {
		case err != nil:
			// Closed by the client or the server, cut, or too big (the
			// library has sent StatusMessageTooBig).
		case typ == websocket.MessageBinary:
			c.Close(websocket.StatusUnsupportedData, "binary messages are not accepted")
		default:
			c.Close(websocket.StatusPolicyViolation, "the stream accepts no client messages")
		}
	}()
	return readCtx
}

// checkHandshake applies the rest of coder/websocket's handshake checks
// (RFC 6455 §4.2.1) before anything is admitted, so a malformed upgrade
// gets the same status as from websocket.Accept but as a JSON error. For
// an unsupported version it sets Sec-WebSocket-Version: 13 (§4.4).
func checkHandshake(w http.ResponseWriter, r *http.Request) error {
	if !r.ProtoAtLeast(1, 1) {
		return studio.Errorf(codeUpgradeRequired, "a websocket handshake needs HTTP/1.1, got %s", shortText(r.Proto))
	}
	if v := r.Header.Get("Sec-WebSocket-Version"); v != "13" {
		w.Header().Set("Sec-WebSocket-Version", "13")
		return studio.Errorf(studio.CodeInvalid, "unsupported websocket version %q: only 13 is supported", shortText(v))
	}
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) != 1 {
		return studio.Errorf(studio.CodeInvalid, "a websocket handshake needs exactly one Sec-WebSocket-Key header, got %d", len(keys))
	}
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keys[0])); err != nil || len(k) != 16 {
		return studio.Errorf(studio.CodeInvalid, "invalid Sec-WebSocket-Key: want 16 bytes in base64")
	}
	return nil
}

// isUpgrade reports whether r asks for a WebSocket upgrade.
func isUpgrade(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") && headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// originAllowed applies coder/websocket's Origin rule before the upgrade,
// so a refusal is a JSON 403: no Origin (not a browser) and the request's
// own host pass, and so do origins matching Options.AllowedOrigins.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, p := range s.opts.AllowedOrigins {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
			return true
		}
	}
	return false
}
