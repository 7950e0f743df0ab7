package ui

import (
	"net/url"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

var chartZoomTests = []struct {
	name, raw, metric string
	want              stepRange
	ok                bool
}{
	{"absent", "", "loss", stepRange{}, false},
	{"one chart", "zoom=loss:20000-30000", "loss", stepRange{20000, 30000}, true},
	{"another chart's zoom", "zoom=accuracy:5-60", "loss", stepRange{}, false},
	{"among others", "zoom=accuracy:5-60,loss:1-2,gpu_util:0-9", "loss", stepRange{1, 2}, true},
	{"from step 0", "zoom=loss:0-10", "loss", stepRange{0, 10}, true},
	{"reversed", "zoom=loss:30-20", "loss", stepRange{}, false},
	{"empty range", "zoom=loss:20-20", "loss", stepRange{}, false},
	{"negative", "zoom=loss:-5-20", "loss", stepRange{}, false},
	{"not a number", "zoom=loss:a-20", "loss", stepRange{}, false},
	{"no range", "zoom=loss", "loss", stepRange{}, false},
	{"too big", "zoom=loss:1-99999999999", "loss", stepRange{}, false},
	{"the first entry of a metric wins", "zoom=loss:1-2,loss:3-4", "loss", stepRange{1, 2}, true},
	{"spaces and empty entries", "zoom=+,loss:7-9+,", "loss", stepRange{7, 9}, true},
}

func TestChartZoomFromURL(t *testing.T) {
	for _, tt := range chartZoomTests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := chartZoomFromURL(q, tt.metric)
			if got != tt.want || ok != tt.ok {
				t.Errorf("chartZoomFromURL(%q, %q) = %v, %v; want %v, %v", tt.raw, tt.metric, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzChartZoomFromURL(f *testing.F) {
	for _, tt := range chartZoomTests {
		f.Add(tt.raw, tt.metric)
	}
	f.Fuzz(func(t *testing.T, raw, metric string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, ok := chartZoomFromURL(q, metric) // must never panic
		if !ok {
			return
		}
		if r.From < 0 || r.To <= r.From {
			t.Fatalf("chartZoomFromURL(%q, %q) = %v: not 0 <= From < To", raw, metric, r)
		}
		setChartZoom(q, metric, r, true)
		if again, ok := chartZoomFromURL(q, metric); !ok || again != r {
			t.Fatalf("zoom %v of %q does not round-trip: %v, %v (%s)", r, metric, again, ok, q.Encode())
		}
	})
}

func TestChartLogFromURL(t *testing.T) {
	tests := []struct {
		raw, metric string
		want        bool
	}{
		{"", "loss", false},
		{"log=loss", "loss", true},
		{"log=loss,grad_norm", "grad_norm", true},
		{"log=val_loss", "loss", false},
		{"log=lo", "loss", false},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.raw)
		if got := chartLogFromURL(q, tt.metric); got != tt.want {
			t.Errorf("chartLogFromURL(%q, %q) = %v; want %v", tt.raw, tt.metric, got, tt.want)
		}
	}
}

func TestSetChartState(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		set  func(q url.Values)
		want string
	}{
		{"log on", "smooth=0.9", func(q url.Values) { setChartLog(q, "loss", true) }, "log=loss&smooth=0.9"},
		{"a second log keeps the first", "log=loss", func(q url.Values) { setChartLog(q, "accuracy", true) }, "log=loss%2Caccuracy"},
		{"log on twice is once", "log=loss", func(q url.Values) { setChartLog(q, "loss", true) }, "log=loss"},
		{"log off", "log=loss,accuracy", func(q url.Values) { setChartLog(q, "loss", false) }, "log=accuracy"},
		{"the last log off drops the key", "log=loss&x=wall", func(q url.Values) { setChartLog(q, "loss", false) }, "x=wall"},
		{"zoom", "tab=metrics", func(q url.Values) { setChartZoom(q, "loss", stepRange{10, 200}, true) }, "tab=metrics&zoom=loss%3A10-200"},
		{"zoom again replaces", "zoom=loss:1-2,accuracy:3-4", func(q url.Values) { setChartZoom(q, "loss", stepRange{5, 6}, true) }, "zoom=accuracy%3A3-4%2Closs%3A5-6"},
		{"unzoom", "zoom=loss:1-2,accuracy:3-4", func(q url.Values) { setChartZoom(q, "accuracy", stepRange{}, false) }, "zoom=loss%3A1-2"},
		{"the last unzoom drops the key", "zoom=loss:1-2", func(q url.Values) { setChartZoom(q, "loss", stepRange{}, false) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			tt.set(q)
			if got := q.Encode(); got != tt.want {
				t.Errorf("%q becomes %q; want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestStepsAndX(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var pts []studio.Point
	for s := 0; s <= 1000; s += 10 {
		pts = append(pts, studio.Point{Step: s, Time: t0.Add(time.Duration(s) * time.Second), Value: 1})
	}
	sec := func(step int) float64 { return chart.Seconds(t0.Add(time.Duration(step) * time.Second)) }
	tests := []struct {
		name   string
		x      chartX
		r      stepRange
		lo, hi float64
	}{
		{"steps are x on a step axis", xStep, stepRange{120, 480}, 120, 480},
		{"wall time of the steps", xWall, stepRange{120, 480}, sec(120), sec(480)},
		{"relative time uses the same seconds", xRelative, stepRange{0, 1000}, sec(0), sec(1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := stepsToX(pts, tt.r, tt.x)
			if !ok || lo != tt.lo || hi != tt.hi {
				t.Fatalf("stepsToX(%v, %s) = %v, %v, %v; want %v, %v", tt.r, tt.x, lo, hi, ok, tt.lo, tt.hi)
			}
			if back, ok := xToSteps(pts, lo, hi, tt.x); !ok || back != tt.r {
				t.Errorf("xToSteps(%v, %v, %s) = %v, %v; want %v", lo, hi, tt.x, back, ok, tt.r)
			}
		})
	}
	// Steps between points go to the nearest points on a time axis.
	if lo, hi, ok := stepsToX(pts, stepRange{123, 478}, xWall); !ok || lo != sec(120) || hi != sec(480) {
		t.Errorf("stepsToX between points = %v, %v, %v; want the nearest points' times", lo, hi, ok)
	}
	if _, _, ok := stepsToX(nil, stepRange{1, 2}, xWall); ok {
		t.Error("stepsToX without points on a time axis = ok")
	}
	if _, ok := xToSteps(pts, 3.2, 3.9, xStep); !ok {
		t.Error("xToSteps(3.2, 3.9) on a step axis: want steps 3 to 4")
	}
	if _, ok := xToSteps(pts, sec(500), sec(501), xWall); ok {
		t.Error("xToSteps of a range inside one point's spacing = ok; want no zoom")
	}
}
