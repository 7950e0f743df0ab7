package timeline_test

import (
	"fmt"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

func ExampleWindow_Zoom() {
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	w := timeline.NewWindow(start, start.Add(10*time.Hour))
	w = w.Zoom(start.Add(time.Hour), 4) // wheel up with the cursor at 10:00
	fmt.Println(w.From.Format("15:04"), "-", w.To.Format("15:04"))
	w = w.Pan(-3 * time.Hour) // stops at the start of the span
	fmt.Println(w.From.Format("15:04"), "-", w.To.Format("15:04"))
	// Output:
	// 09:45 - 12:15
	// 09:00 - 11:30
}

func ExampleIndex_Nearest() {
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	ix := timeline.NewIndex([]studio.Event{
		{ID: "ckpt-1", Lane: studio.LaneCheckpoint, Time: start.Add(10 * time.Minute), Title: "checkpoint step 1000"},
		{ID: "alert-1", Lane: studio.LaneAlert, Time: start.Add(25 * time.Minute), Title: "loss spike"},
	})
	e, ok := ix.Nearest(start.Add(20 * time.Minute))
	fmt.Println(e.Title, ok)
	next, _ := ix.Next(e.ID)
	prev, _ := ix.Prev(e.ID)
	fmt.Println(next.ID == "", prev.ID)
	// Output:
	// loss spike true
	// true ckpt-1
}

func ExampleMarks() {
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	var events []studio.Event
	for _, sec := range []int{10, 11, 12, 13, 50} {
		events = append(events, studio.Event{ID: studio.EventID(fmt.Sprint("ev-", sec)), Time: start.Add(time.Duration(sec) * time.Second)})
	}
	w := timeline.NewWindow(start, start.Add(100*time.Second))
	for _, m := range timeline.Marks(events, w, 1000, 24) {
		fmt.Printf("x=%g count=%d id=%q\n", m.X, m.Count, m.ID)
	}
	// Output:
	// x=100 count=3 id=""
	// x=130 count=1 id="ev-13"
	// x=500 count=1 id="ev-50"
}

func ExampleComparePin() {
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	loss := studio.Series{Name: "loss"}
	for i, v := range []float64{0.9, 0.8, 0.7, 1.4, 1.2, 1.0} {
		loss.Points = append(loss.Points, studio.Point{Step: i, Time: start.Add(time.Duration(i) * time.Minute), Value: v})
	}
	c := timeline.ComparePin([]studio.Series{loss}, start.Add(3*time.Minute), 3*time.Minute)
	d := c.Deltas[0]
	fmt.Printf("mean %.2f -> %.2f (%+.0f%%)\n", d.Mean.Before, d.Mean.After, d.Mean.Pct)
	// Output:
	// mean 0.80 -> 1.20 (+50%)
}
