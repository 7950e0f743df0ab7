package logpattern_test

import (
	"fmt"

	"github.com/aiinfra/studio/shared/logpattern"
)

func ExampleMiner() {
	m := logpattern.NewMiner(logpattern.Config{})
	for _, msg := range []string{
		"step 100/5000 loss=2.4312 lr=3.00e-04",
		"saved checkpoint to s3://ckpt/run-0042/step-000100.pt",
		"step 110/5000 loss=2.4101 lr=3.00e-04",
		"connection from alice closed",
		"connection from bob closed",
	} {
		m.Add(msg)
	}
	for _, t := range m.Templates() {
		fmt.Printf("%d x %s\n", t.Count, t.Pattern)
	}
	// Output:
	// 2 x step <*> loss=<*> lr=<*>
	// 1 x saved checkpoint to <*>
	// 2 x connection from <*> closed
}

func ExampleShift() {
	before := []string{
		"step 100 loss=2.43", "step 110 loss=2.41", "saved checkpoint to /ckpt/110.pt",
	}
	after := []string{
		"step 120 loss=2.40", "rank3: NCCL timeout after 1800s", "rank5: NCCL timeout after 1800s",
	}
	for _, s := range logpattern.Shift(before, after) {
		fmt.Printf("%-8s %+.2f  %s\n", s.Kind, s.Delta, s.Pattern)
	}
	// Output:
	// appeared +0.67  <*>: NCCL timeout after <*>
	// vanished -0.33  saved checkpoint to <*>
	// changed  -0.33  step <*> loss=<*>
}
