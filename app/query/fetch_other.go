//go:build !(js && wasm)

package query

import (
	"context"
	"errors"
)

// NewFetchTransport returns a Transport that sends requests with the
// browser's fetch. Outside the browser (server prerendering, native tests)
// every request fails with a network error: pages do not fetch there.
func NewFetchTransport() Transport {
	return TransportFunc(func(context.Context, Request) (Response, error) {
		return Response{}, errors.New("fetch is only available in the browser")
	})
}
