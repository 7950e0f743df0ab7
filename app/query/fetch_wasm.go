//go:build js && wasm

package query

import (
	"context"
	"errors"
	"syscall/js"
)

// NewFetchTransport returns a Transport that sends requests with the
// browser's fetch, so the wasm binary carries no net/http client.
// Cancelling the context aborts the request.
func NewFetchTransport() Transport { return fetchTransport{} }

type fetchTransport struct{}

type fetchResult struct {
	resp Response
	err  error
}

func (fetchTransport) Do(ctx context.Context, req Request) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	global := js.Global()
	init := global.Get("Object").New()
	method := req.Method
	if method == "" {
		method = "GET"
	}
	init.Set("method", method)
	init.Set("credentials", "same-origin")
	headers := global.Get("Object").New()
	headers.Set("Accept", "application/json")
	if req.ContentType != "" {
		headers.Set("Content-Type", req.ContentType)
	}
	init.Set("headers", headers)
	if len(req.Body) > 0 {
		body := global.Get("Uint8Array").New(len(req.Body))
		js.CopyBytesToJS(body, req.Body)
		init.Set("body", body)
	}
	abort := global.Get("AbortController").New()
	init.Set("signal", abort.Get("signal"))

	done := make(chan fetchResult, 1)
	var status int
	var onResponse, onBody, onFail js.Func
	release := func() {
		onResponse.Release()
		onBody.Release()
		onFail.Release()
	}
	onFail = js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "fetch failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- fetchResult{err: errors.New(msg)}
		return nil
	})
	onBody = js.FuncOf(func(this js.Value, args []js.Value) any {
		buf := global.Get("Uint8Array").New(args[0])
		b := make([]byte, buf.Get("length").Int())
		js.CopyBytesToGo(b, buf)
		done <- fetchResult{resp: Response{Status: status, Body: b}}
		return nil
	})
	onResponse = js.FuncOf(func(this js.Value, args []js.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("arrayBuffer").Call("then", onBody, onFail)
		return nil
	})
	global.Call("fetch", req.URL, init).Call("then", onResponse, onFail)

	select {
	case r := <-done:
		release()
		return r.resp, r.err
	case <-ctx.Done():
		abort.Call("abort")
		<-done // the promise settles (rejects) after abort
		release()
		return Response{}, ctx.Err()
	}
}
