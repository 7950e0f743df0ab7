package store_test

import (
	"fmt"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/store"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// Reading the last page of a 1,000,000-line log costs as little as the
// first: lines are generated on demand from the run's plan.
func ExampleStore_Logs() {
	s := store.New(synth.New(42, 1), store.Options{})
	page, err := s.Logs(synth.BigLogRun, api.LogQuery{FromSeq: -1, Tail: 3})
	if err != nil {
		panic(err)
	}
	for _, l := range page.Lines {
		fmt.Println(l.Seq, l.Level)
	}
	fmt.Printf("total=%d next=%q prev=%q\n", page.Total, page.Next, page.Prev)
	// Output:
	// 999997 debug
	// 999998 info
	// 999999 debug
	// total=1000000 next="" prev="blflp"
}

// A rollout advances step by step; an invalid action is a conflict.
func ExampleStore_Act() {
	s := store.New(synth.New(42, 1), store.Options{})
	d, _ := s.Act("dep-chat-general-prod", studio.ActionAdvance)
	fmt.Println(d.Status, d.CanaryPercent)
	d, _ = s.Act("dep-chat-general-prod", studio.ActionAdvance)
	fmt.Println(d.Status, d.CanaryPercent, d.Stable)
	_, err := s.Act("dep-chat-general-prod", studio.ActionRollback)
	fmt.Println(studio.ErrorCode(err), studio.ErrorMessage(err))
	// Output:
	// progressing 50
	// healthy 0 4
	// conflict cannot rollback: nothing to roll back: rollout is healthy with no canary
}
