package chart_test

import (
	"fmt"
	"time"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

func ExampleTicks() {
	fmt.Println(chart.Ticks(0.0013, 0.0047, 5))
	fmt.Println(chart.Ticks(-3, 97, 5))
	// Output:
	// [0.0015 0.002 0.0025 0.003 0.0035 0.004 0.0045]
	// [0 20 40 60 80]
}

func ExampleLinear_Ticks() {
	y := chart.NewLinear(0, 25000, 200, 0).Nice(5)
	for _, t := range y.Ticks(5, chart.NumberFormat{Unit: "samples/s"}) {
		fmt.Printf("%s at y=%g\n", t.Label, t.Pos)
	}
	// Output:
	// 0 samples/s at y=200
	// 5k samples/s at y=160
	// 10k samples/s at y=120
	// 15k samples/s at y=80
	// 20k samples/s at y=40
	// 25k samples/s at y=0
}

func ExampleEMA() {
	fmt.Printf("%.4f\n", chart.EMA([]float64{1, 2, 3}, 0.5))
	// Output:
	// [1.0000 1.6667 2.4286]
}

func ExampleDecimate() {
	points := make([]studio.Point, 10_000)
	for i := range points {
		points[i] = studio.Point{Step: i, Value: 1}
	}
	points[4321].Value = 9 // a one-step spike
	kept := chart.Decimate(points, chart.ByStep, 100)
	for _, p := range kept {
		if p.Value == 9 {
			fmt.Println("spike kept at step", p.Step, "of", len(kept), "points")
		}
	}
	// Output:
	// spike kept at step 4321 of 201 points
}

func ExampleAppendSeries() {
	points := []studio.Point{{Step: 0, Value: 2}, {Step: 50, Value: 1.2}, {Step: 100, Value: 0.8}}
	x := chart.NewLinear(0, 100, 0, 400)
	y := chart.NewLinear(0, 2, 100, 0)
	fmt.Println(string(chart.AppendSeries(nil, points, chart.ByStep, x, y, 1)))
	// Output:
	// M0 0L200 40L400 60
}

func ExampleFormatRelative() {
	fmt.Println(chart.FormatRelative(80*time.Minute, 10*time.Minute))
	fmt.Println(chart.FormatRelative(26*time.Hour+5*time.Minute, time.Hour))
	// Output:
	// +1h20m
	// +1d2h
}
