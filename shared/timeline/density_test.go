package timeline

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

func TestMarks(t *testing.T) {
	// 100 s visible over 100 px: one pixel per second.
	w := view(0, 100)
	events := []studio.Event{
		ev("a", studio.LaneAlert, 10),
		ev("b", studio.LaneAlert, 12),
		ev("c", studio.LaneAlert, 14),
		ev("d", studio.LaneAlert, 30),
		ev("e", studio.LaneAlert, 60),
		ev("f", studio.LaneAlert, 65),
	}
	events[2].Severity = studio.SeverityCritical
	type mark struct {
		x, x1 float64
		count int
		id    string
	}
	tests := []struct {
		name   string
		w      Window
		gap    float64
		events []studio.Event
		want   []mark
	}{
		{"close events cluster", w, 8, events, []mark{{10, 14, 3, ""}, {30, 30, 1, "d"}, {60, 65, 2, ""}}},
		{"a wider gap merges more", w, 25, events, []mark{{10, 30, 4, ""}, {60, 65, 2, ""}}},
		{"no gap keeps every event", w, 0, events, []mark{{10, 10, 1, "a"}, {12, 12, 1, "b"}, {14, 14, 1, "c"}, {30, 30, 1, "d"}, {60, 60, 1, "e"}, {65, 65, 1, "f"}}},
		{"NaN gap keeps every event", w, math.NaN(), events[:2], []mark{{10, 10, 1, "a"}, {12, 12, 1, "b"}}},
		// 50 s over 100 px: two pixels per second.
		{"only the window's events", view(11, 61), 8, events, []mark{{2, 6, 2, ""}, {38, 38, 1, "d"}, {98, 98, 1, "e"}}},
		{"window edges are inclusive", view(30, 60), 8, events, []mark{{0, 0, 1, "d"}, {100, 100, 1, "e"}}},
		{"no events", w, 8, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Marks(tt.events, tt.w, 100, tt.gap)
			var marks []mark
			for _, m := range got {
				marks = append(marks, mark{math.Round(m.X), math.Round(m.X1), m.Count, string(m.ID)})
			}
			if !slices.Equal(marks, tt.want) {
				t.Errorf("Marks = %+v; want %+v", marks, tt.want)
			}
		})
	}
	got := Marks(events, w, 100, 8)
	if got[0].Severity != studio.SeverityCritical || got[1].Severity != studio.SeverityInfo {
		t.Errorf("cluster severities = %s, %s; want critical, info", got[0].Severity, got[1].Severity)
	}
	if got[0].First != 0 || got[1].First != 3 || got[2].First != 4 || got[0].Single() || !got[1].Single() {
		t.Errorf("marks = %+v; want members [0:3], [3:4], [4:6]", got)
	}
	if !got[2].From.Equal(at(60)) || !got[2].To.Equal(at(65)) {
		t.Errorf("cluster span = [%v, %v]; want [60, 65]", got[2].From.Sub(t0), got[2].To.Sub(t0))
	}
}

// TestMarksProperty checks on random lanes that counts always sum to the
// number of events in the window, members are contiguous and in order, and
// consecutive marks are at least minGap apart.
func TestMarksProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := range 300 {
		n := r.IntN(2000)
		events := make([]studio.Event, n)
		for i := range events {
			sec := r.Int64N(1000)
			if r.IntN(4) == 0 {
				sec = 500 + r.Int64N(5) // a burst
			}
			events[i] = ev("e", studio.LaneLogSpike, sec)
		}
		sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
		from := r.Int64N(1000)
		w := view(from, from+1+r.Int64N(1000-from))
		px := float64(1 + r.IntN(1600))
		gap := r.Float64() * 30

		inWindow := 0
		for _, e := range events {
			if w.Contains(e.Time) {
				inWindow++
			}
		}
		marks := Marks(events, w, px, gap)
		sum, next := 0, -1
		for i, m := range marks {
			sum += m.Count
			if m.Count < 1 || (next >= 0 && m.First != next) {
				t.Fatalf("trial %d: mark %d = %+v not contiguous with the previous one", trial, i, m)
			}
			next = m.First + m.Count
			if i > 0 && m.X-marks[i-1].X < gap {
				t.Fatalf("trial %d: marks %d and %d are %v px apart; min gap %v", trial, i-1, i, m.X-marks[i-1].X, gap)
			}
			if m.X < 0 || m.X1 > px || m.X1 < m.X {
				t.Fatalf("trial %d: mark %d spans [%v, %v] outside [0, %v]", trial, i, m.X, m.X1, px)
			}
		}
		if sum != inWindow {
			t.Fatalf("trial %d: counts sum to %d; %d events in the window", trial, sum, inWindow)
		}
	}
}

func BenchmarkMarks(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 3))
	events := make([]studio.Event, 10_000)
	for i := range events {
		events[i] = ev("e", studio.LaneAlert, r.Int64N(86400))
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	w := NewWindow(at(0), at(86400))
	dst := make([]Mark, 0, 2000)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendMarks(dst[:0], events, w, 1200, 6)
	}
}
