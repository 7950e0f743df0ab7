//go:build !wasm

package e2e

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

func TestH7Prof(t *testing.T) {
	if os.Getenv("H7_PROF") == "" {
		t.Skip()
	}
	p := newBrowser(t, srv.URL)
	p.open(os.Getenv("H7_PROF"), "run")
	time.Sleep(2 * time.Second)
	var prof *profiler.Profile
	p.do("profile", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		cdp.Call(ctx, tg, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200})
		if _, err := cdp.Call(ctx, tg, profiler.Start, cdp.Empty{}); err != nil {
			return err
		}
		return nil
	}))
	eval[any](p, os.Getenv("H7_PROF_JS"))
	p.do("stop", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		r, err := cdp.Call(ctx, tg, profiler.Stop, cdp.Empty{})
		prof = r.Profile
		return err
	}))
	self := map[string]int64{}
	var total int64
	for _, n := range prof.Nodes {
		name := n.CallFrame.FunctionName
		if name == "" {
			name = "(anon " + n.CallFrame.URL + ")"
		}
		self[name] += n.HitCount
		total += n.HitCount
	}
	type kv struct {
		k string
		v int64
	}
	var all []kv
	for k, v := range self {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	for i, e := range all {
		if i > 40 {
			break
		}
		t.Logf("%5.1f%% %s", 100*float64(e.v)/float64(total), e.k)
	}
}
