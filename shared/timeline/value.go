package timeline

import (
	"sort"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

// ValueAt returns the point of points nearest in time to t, for a metric
// track's hover readout. points must be sorted by Time. A tie goes to the
// earlier point; ok is false only when points is empty.
func ValueAt(points []studio.Point, t time.Time) (p studio.Point, ok bool) {
	if len(points) == 0 {
		return studio.Point{}, false
	}
	i := sort.Search(len(points), func(i int) bool { return !points[i].Time.Before(t) })
	switch i {
	case 0:
		return points[0], true
	case len(points):
		return points[i-1], true
	}
	if t.Sub(points[i-1].Time) > points[i].Time.Sub(t) {
		return points[i], true
	}
	return points[i-1], true
}

// Reading is one metric's value at a hovered time.
type Reading struct {
	Metric string       `json:"metric"`
	Unit   string       `json:"unit"`
	Point  studio.Point `json:"point"` // the nearest point; zero when !OK
	OK     bool         `json:"ok"`    // false when the series is empty
}

// ValuesAt returns the reading of every series at t, in the order of
// series. Each series' points must be sorted by Time.
func ValuesAt(series []studio.Series, t time.Time) []Reading {
	return AppendValuesAt(make([]Reading, 0, len(series)), series, t)
}

// AppendValuesAt is ValuesAt appending to dst, for a hover handler that
// reuses its buffer every frame.
func AppendValuesAt(dst []Reading, series []studio.Series, t time.Time) []Reading {
	for _, s := range series {
		p, ok := ValueAt(s.Points, t)
		dst = append(dst, Reading{Metric: s.Name, Unit: s.Unit, Point: p, OK: ok})
	}
	return dst
}
