//go:build !wasm

package query

import (
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// observed is a component that shows one observed query.
type observed struct {
	app.Compo
	Client *Client
	Key    string
	item   Observer[item]
}

func (o *observed) OnPreRender(ctx app.Context) { o.item.Observe(ctx, o.Client, o.Key) }

func (o *observed) Render() app.UI {
	switch {
	case o.item.HasData:
		return app.P().Text(o.item.Data.Name)
	case o.item.Failed():
		return app.P().Text("error")
	default:
		return app.P().Text("loading")
	}
}

func TestObserverRerendersComponent(t *testing.T) {
	tr := newFake(func(n int, req Request) (Response, error) { return jsonOK(`{"name":"ready"}`) })
	tr.gate = make(chan struct{})
	c := New(tr, Options{})
	compo := &observed{Client: c, Key: "/api/o"}
	e := app.NewTestEngine()
	if err := e.Load(compo); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if err := app.Match(app.Text("loading"), compo, 0, 0); err != nil {
		t.Fatalf("before the response: %v", err)
	}
	close(tr.gate)
	deadline := time.Now().Add(5 * time.Second)
	for {
		e.ConsumeAll()
		if app.Match(app.Text("ready"), compo, 0, 0) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("component never showed the data: %s", app.HTMLString(compo))
		}
		time.Sleep(time.Millisecond)
	}
	compo.item.Close()
	if compo.item.cancel != nil {
		t.Error("Close left the subscription open")
	}
}
