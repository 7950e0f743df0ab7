package timeline

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// tenSecondSeries returns a series with one point every 10 s from t0.
func tenSecondSeries(name string, values ...float64) studio.Series {
	s := studio.Series{Name: name, Points: make([]studio.Point, len(values))}
	for i, v := range values {
		s.Points[i] = studio.Point{Step: i, Time: at(int64(10 * i)), Value: v}
	}
	return s
}

func TestComparePin(t *testing.T) {
	nan := math.NaN()
	series := []studio.Series{
		tenSecondSeries("loss", 1, 2, 3, 4, 5, 10, 10, 12, 14, 14),
		tenSecondSeries("zero_base", 0, 0, 0, 0, 0, 2, 2, 2, 2, 2),
		tenSecondSeries("no_after", 1, 1, 1, 1, 1),
		tenSecondSeries("negative", -3, -1, nan, -2, -2, -1, -1, -1, -1, -1),
	}
	got := ComparePin(series, at(50), 50*time.Second)
	if !got.Before.From.Equal(at(0)) || !got.Before.To.Equal(at(50)) || !got.After.From.Equal(at(50)) || !got.After.To.Equal(at(100)) {
		t.Fatalf("spans = %+v, %+v; want [0, 50) and [50, 100)", got.Before, got.After)
	}
	tests := []struct {
		metric         string
		before, after  Stats
		mean, last     Change
		wantMeanString string
	}{
		{
			metric: "loss",
			before: Stats{Count: 5, Mean: 3, Last: 5, Min: 1, Max: 5},
			after:  Stats{Count: 5, Mean: 12, Last: 14, Min: 10, Max: 14},
			mean:   Change{Before: 3, After: 12, Abs: 9, Pct: 300, Defined: true, PctDefined: true},
			last:   Change{Before: 5, After: 14, Abs: 9, Pct: 180, Defined: true, PctDefined: true},
		},
		{
			metric: "zero_base",
			before: Stats{Count: 5, Mean: 0, Last: 0, Min: 0, Max: 0},
			after:  Stats{Count: 5, Mean: 2, Last: 2, Min: 2, Max: 2},
			mean:   Change{Before: 0, After: 2, Abs: 2, Defined: true}, // no percentage from 0
			last:   Change{Before: 0, After: 2, Abs: 2, Defined: true},
		},
		{
			metric: "no_after",
			before: Stats{Count: 5, Mean: 1, Last: 1, Min: 1, Max: 1},
			after:  Stats{},
			mean:   Change{Before: 1},
			last:   Change{Before: 1},
		},
		{
			// NaN skipped: before is -3, -1, -2, -2.
			metric: "negative",
			before: Stats{Count: 4, Mean: -2, Last: -2, Min: -3, Max: -1},
			after:  Stats{Count: 5, Mean: -1, Last: -1, Min: -1, Max: -1},
			mean:   Change{Before: -2, After: -1, Abs: 1, Pct: 50, Defined: true, PctDefined: true},
			last:   Change{Before: -2, After: -1, Abs: 1, Pct: 50, Defined: true, PctDefined: true},
		},
	}
	for i, tt := range tests {
		t.Run(tt.metric, func(t *testing.T) {
			d := got.Deltas[i]
			if d.Metric != tt.metric || d.Before != tt.before || d.After != tt.after || d.Mean != tt.mean || d.Last != tt.last {
				t.Errorf("delta = %+v\nwant metric %s before %+v after %+v mean %+v last %+v", d, tt.metric, tt.before, tt.after, tt.mean, tt.last)
			}
		})
	}
	if _, err := json.Marshal(got); err != nil {
		t.Errorf("json.Marshal(comparison) = %v; want no error (no NaN or Inf)", err)
	}
}

func TestComparePins(t *testing.T) {
	series := []studio.Series{tenSecondSeries("loss", 1, 2, 3, 4, 5, 10, 10, 12, 14, 14)}
	tests := []struct {
		name                       string
		a, b                       int64
		d                          time.Duration
		beforeFrom, beforeTo       int64
		afterFrom, afterTo         int64
		beforeMean, afterMean      float64
		meanAbs, meanPct, lastDiff float64
	}{
		{"separate windows", 20, 60, 30 * time.Second, 20, 50, 60, 90, 4, 12, 8, 200, 9},
		{"pins in reverse order", 60, 20, 30 * time.Second, 20, 50, 60, 90, 4, 12, 8, 200, 9},
		// After [40, 70) holds 5, 10, 10.
		{"first window cut at the second pin", 20, 40, 30 * time.Second, 20, 40, 40, 70, 3.5, 25.0 / 3, 25.0/3 - 3.5, (25.0/3 - 3.5) / 3.5 * 100, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ComparePins(series, at(tt.a), at(tt.b), tt.d)
			if !c.Before.From.Equal(at(tt.beforeFrom)) || !c.Before.To.Equal(at(tt.beforeTo)) ||
				!c.After.From.Equal(at(tt.afterFrom)) || !c.After.To.Equal(at(tt.afterTo)) {
				t.Fatalf("spans = [%v, %v) [%v, %v)", c.Before.From.Sub(t0), c.Before.To.Sub(t0), c.After.From.Sub(t0), c.After.To.Sub(t0))
			}
			d := c.Deltas[0]
			if d.Before.Mean != tt.beforeMean || math.Abs(d.After.Mean-tt.afterMean) > 1e-12 ||
				math.Abs(d.Mean.Abs-tt.meanAbs) > 1e-12 || math.Abs(d.Mean.Pct-tt.meanPct) > 1e-9 || d.Last.Abs != tt.lastDiff {
				t.Errorf("delta = %+v", d)
			}
		})
	}
}

func TestNewChange(t *testing.T) {
	tests := []struct {
		before, after float64
		want          Change
	}{
		{100, 110, Change{Before: 100, After: 110, Abs: 10, Pct: 10, Defined: true, PctDefined: true}},
		{100, 50, Change{Before: 100, After: 50, Abs: -50, Pct: -50, Defined: true, PctDefined: true}},
		{0, 5, Change{Before: 0, After: 5, Abs: 5, Defined: true}},
		{-math.MaxFloat64, math.MaxFloat64, Change{Before: -math.MaxFloat64, After: math.MaxFloat64}},
	}
	for _, tt := range tests {
		if got := NewChange(tt.before, tt.after); got != tt.want {
			t.Errorf("NewChange(%v, %v) = %+v; want %+v", tt.before, tt.after, got, tt.want)
		}
	}
}

func TestMeasureOverflow(t *testing.T) {
	s := tenSecondSeries("big", math.MaxFloat64, math.MaxFloat64)
	if got := Measure(s.Points, Span{From: at(0), To: at(100)}); got.Mean != math.MaxFloat64 {
		t.Errorf("Measure of two MaxFloat64 = %v; want MaxFloat64", got.Mean)
	}
}

func TestLinesIn(t *testing.T) {
	lines := make([]studio.LogLine, 10)
	for i := range lines {
		lines[i] = studio.LogLine{Seq: int64(i), Time: at(int64(i * 10))}
	}
	got := LinesIn(lines, Span{From: at(15), To: at(50)})
	if len(got) != 3 || got[0].Seq != 2 || got[2].Seq != 4 {
		t.Errorf("LinesIn([15, 50)) = seqs %v; want 2, 3, 4", got)
	}
	if got := LinesIn(lines, Span{From: at(50), To: at(10)}); len(got) != 0 {
		t.Errorf("LinesIn(reversed) = %v; want none", got)
	}
}

func TestValueAt(t *testing.T) {
	s := tenSecondSeries("loss", 1, 2, 3)
	tests := []struct {
		sec  int64
		want float64
	}{{-5, 1}, {14, 2}, {15, 2}, {16, 3}, {99, 3}}
	for _, tt := range tests {
		if p, ok := ValueAt(s.Points, at(tt.sec)); !ok || p.Value != tt.want {
			t.Errorf("ValueAt(+%ds) = %v, %v; want %v, true", tt.sec, p.Value, ok, tt.want)
		}
	}
	if _, ok := ValueAt(nil, at(0)); ok {
		t.Error("ValueAt(nil) ok = true; want false")
	}
	readings := ValuesAt([]studio.Series{s, {Name: "empty", Unit: "%"}}, at(16))
	if len(readings) != 2 || !readings[0].OK || readings[0].Point.Value != 3 || readings[1].OK || readings[1].Unit != "%" {
		t.Errorf("ValuesAt = %+v", readings)
	}
}
