package live

import (
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/api"
)

func TestTrackerMessage(t *testing.T) {
	tests := []struct {
		name     string
		since    int64
		seqs     []int64
		want     []Verdict
		wantLast int64
	}{
		{"in order", 5, []int64{6, 7, 8}, []Verdict{Apply, Apply, Apply}, 8},
		{"duplicates are ignored", 5, []int64{6, 6, 5, 7}, []Verdict{Apply, Duplicate, Duplicate, Apply}, 7},
		{"a jump asks for a resync", 5, []int64{6, 9}, []Verdict{Apply, Jump}, 6},
		{"first message after a gap", 0, []int64{2}, []Verdict{Jump}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(tt.since, Backoff{})
			for i, seq := range tt.seqs {
				if got := tr.Message(seq); got != tt.want[i] {
					t.Errorf("Message(%d) = %v; want %v", seq, got, tt.want[i])
				}
			}
			if got := tr.Since(); got != tt.wantLast {
				t.Errorf("Since = %d; want %d", got, tt.wantLast)
			}
		})
	}
}

func TestTrackerStates(t *testing.T) {
	now := time.Unix(100, 0)
	tr := NewTracker(3, Backoff{Rand: func() float64 { return 0 }})
	steps := []struct {
		name string
		do   func()
		want State
	}{
		{"starts connecting", func() { tr.Dialing() }, Connecting},
		{"hello makes it live", func() { tr.Hello(api.Hello{Seq: 3, Since: 3, Resumed: true}) }, Live},
		{"a drop reconnects", func() { tr.Closed(1006, "", now) }, Reconnecting},
		{"the retry stays reconnecting", func() { tr.Dialing() }, Reconnecting},
		{"offline", func() { tr.SetOffline(true) }, Offline},
		{"online again connects", func() { tr.SetOffline(false) }, Connecting},
		{"live", func() { tr.Hello(api.Hello{Seq: 3, Since: 3, Resumed: true}) }, Live},
		{"run ended", func() { tr.Closed(1000, "run ended", now) }, Closed},
		{"closed stays closed offline", func() { tr.SetOffline(true) }, Closed},
		{"closed stays closed when shown", func() { tr.SetPaused(false) }, Closed},
	}
	for _, st := range steps {
		st.do()
		if got := tr.Status().State; got != st.want {
			t.Fatalf("%s: state %s; want %s", st.name, got, st.want)
		}
	}
	tr = NewTracker(10, Backoff{})
	if !tr.Hello(api.Hello{Seq: 500, Since: 10, Gap: true}) || tr.Since() != 500 || tr.Status().Gaps != 1 {
		t.Errorf("gap hello: since %d gaps %d; want a refetch, since 500, 1 gap", tr.Since(), tr.Status().Gaps)
	}
}
