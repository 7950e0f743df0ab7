package ui

import (
	"math"
	"testing"
)

// BenchmarkChartModel100k builds the model of a 100,000-point chart from
// scratch (visible range, debiased EMA, decimation to two points per
// pixel column, ticks, both path strings): the Go part of a chart's first
// render. Run it in the browser with wasmbrowsertest for wasm timings.
func BenchmarkChartModel100k(b *testing.B) {
	pts := series(100_000, func(i int) float64 { return 2*math.Exp(-float64(i)/20000) + 0.1*math.Sin(float64(i)) })
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var c chartModelCache
		c.model(chartInput{points: pts, version: uint64(i), width: 600, height: 220, x: xStep, smooth: 0.6})
	}
}

// BenchmarkChartHover is one hover lookup: the nearest visible point to a
// pixel, as every synced chart does per frame.
func BenchmarkChartHover(b *testing.B) {
	pts := series(100_000, func(i int) float64 { return float64(i % 97) })
	var c chartModelCache
	m := c.model(chartInput{points: pts, version: 1, width: 600, height: 220, x: xStep, smooth: 0.6})
	for i := 0; b.Loop(); i++ {
		m.atStep(i % 100_000)
	}
}
