package store

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

func allMetrics() api.MetricQuery { return api.MetricQuery{To: -1} }

func TestDecimate(t *testing.T) {
	tests := []struct {
		name string
		vals []float64
		max  int
		want []int
	}{
		{"fits", []float64{1, 2, 3}, 5, []int{0, 1, 2}},
		{"exactly", []float64{1, 2, 3, 4}, 4, []int{0, 1, 2, 3}},
		{"empty", nil, 4, []int{}},
		{"one bucket keeps min and max", []float64{5, 1, 9, 3, 7, 4}, 4, []int{0, 1, 2, 5}},
		{"max before min", []float64{5, 9, 1, 3, 7, 4}, 4, []int{0, 1, 2, 5}},
		{"flat bucket keeps one", []float64{0, 2, 2, 2, 2, 0}, 4, []int{0, 1, 5}},
		{"spike survives", []float64{0, 0, 0, 0, 100, 0, 0, 0, 0, 0}, 6, []int{0, 1, 4, 5, 9}},
		{"max points below 4 counts as 4", []float64{3, 1, 8, 2, 2, 5}, 1, []int{0, 1, 2, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decimate(tt.vals, tt.max)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("decimate(%v, %d) = %v; want %v", tt.vals, tt.max, got, tt.want)
			}
		})
	}
}

func TestDecimateKeepsExtremes(t *testing.T) {
	p := &synth.New(42, 1).Generate().Runs[16]
	for _, n := range []int{10, 999, 1000, 1001, 4567, 100_000} {
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = p.Metric(4, i) // grad_norm: spiky
		}
		for _, maxPts := range []int{4, 5, 7, 200, 1000} {
			keep := decimate(vals, maxPts)
			if len(keep) > max(maxPts, 4) && n > maxPts {
				t.Errorf("n=%d max=%d: kept %d points", n, maxPts, len(keep))
			}
			if keep[0] != 0 || keep[len(keep)-1] != n-1 || !slices.IsSorted(keep) {
				t.Errorf("n=%d max=%d: first/last/order wrong: %v...", n, maxPts, keep[:min(5, len(keep))])
			}
			mn, mx := math.Inf(1), math.Inf(-1)
			kmn, kmx := math.Inf(1), math.Inf(-1)
			for _, v := range vals {
				mn, mx = min(mn, v), max(mx, v)
			}
			for _, k := range keep {
				kmn, kmx = min(kmn, vals[k]), max(kmx, vals[k])
			}
			if mn != kmn || mx != kmx {
				t.Errorf("n=%d max=%d: kept range [%v, %v]; want [%v, %v]", n, maxPts, kmn, kmx, mn, mx)
			}
		}
	}
}

func TestMetrics(t *testing.T) {
	s := readStore(t)
	run := synth.LongMetricRun
	full, err := s.Metrics(run, api.MetricQuery{Names: []string{"loss"}, To: -1})
	if err != nil {
		t.Fatal(err)
	}
	pts := full.Series[0].Points
	if len(pts) != 100_000 || full.Series[0].Total != 100_000 || full.Series[0].Decimated || full.RunID != run {
		t.Fatalf("full loss: %d points, total %d, decimated %v", len(pts), full.Series[0].Total, full.Series[0].Decimated)
	}
	tests := []struct {
		name       string
		q          api.MetricQuery
		wantSeries int
		from, to   int // expected step range (inclusive), -1 for empty
		maxPoints  int
	}{
		{"every metric", api.MetricQuery{To: -1, MaxPoints: 200}, 7, 0, 99_999, 200},
		{"range", api.MetricQuery{Names: []string{"loss", "accuracy"}, From: 1000, To: 1999}, 2, 1000, 1999, 0},
		{"range decimated", api.MetricQuery{Names: []string{"grad_norm"}, From: 5000, To: 60_000, MaxPoints: 1000}, 1, 5000, 60_000, 1000},
		{"to past the end", api.MetricQuery{Names: []string{"loss"}, From: 99_990, To: 200_000}, 1, 99_990, 99_999, 0},
		{"from past the end", api.MetricQuery{Names: []string{"loss"}, From: 200_000, To: -1}, 1, -1, -1, 0},
		{"single step", api.MetricQuery{Names: []string{"learning_rate"}, From: 7, To: 7}, 1, 7, 7, 0},
		{"max points above total", api.MetricQuery{Names: []string{"loss"}, From: 0, To: 9, MaxPoints: 100}, 1, 0, 9, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.Metrics(run, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Series) != tt.wantSeries {
				t.Fatalf("%d series; want %d", len(resp.Series), tt.wantSeries)
			}
			for _, ser := range resp.Series {
				if tt.from < 0 {
					if len(ser.Points) != 0 || ser.Total != 0 || ser.Points == nil {
						t.Errorf("%s: %d points, total %d; want empty", ser.Name, len(ser.Points), ser.Total)
					}
					continue
				}
				total := tt.to - tt.from + 1
				if ser.Total != total || ser.Points[0].Step != tt.from || ser.Points[len(ser.Points)-1].Step != tt.to {
					t.Errorf("%s: total %d, steps %d..%d; want %d, %d..%d", ser.Name, ser.Total, ser.Points[0].Step, ser.Points[len(ser.Points)-1].Step, total, tt.from, tt.to)
				}
				if tt.maxPoints > 0 && (len(ser.Points) > tt.maxPoints || !ser.Decimated) {
					t.Errorf("%s: %d points (decimated %v); want <= %d", ser.Name, len(ser.Points), ser.Decimated, tt.maxPoints)
				}
				if tt.maxPoints == 0 && (len(ser.Points) != total || ser.Decimated) {
					t.Errorf("%s: %d points; want all %d", ser.Name, len(ser.Points), total)
				}
				if ser.Unit != studio.MetricUnits[ser.Name] {
					t.Errorf("%s: unit %q", ser.Name, ser.Unit)
				}
				if ser.Name == "loss" {
					for _, p := range ser.Points {
						if p.Value != pts[p.Step].Value || !p.Time.Equal(pts[p.Step].Time) {
							t.Fatalf("loss at step %d = %v; full series has %v", p.Step, p.Value, pts[p.Step].Value)
						}
					}
				}
			}
		})
	}
}

func TestMetricsBadQueries(t *testing.T) {
	s := readStore(t)
	tests := []struct {
		name string
		q    api.MetricQuery
		msg  string
	}{
		{"unknown name", api.MetricQuery{Names: []string{"loss", "perplexity"}, To: -1}, `unknown metric "perplexity" (valid: loss, val_loss, accuracy, learning_rate, grad_norm, gpu_util, throughput)`},
		{"negative from", api.MetricQuery{From: -1, To: -1}, "from must be >= 0"},
		{"bad to", api.MetricQuery{To: -2}, "to must be >= 0"},
		{"to before from", api.MetricQuery{From: 10, To: 5}, "to (5) must be >= from (10)"},
		{"negative max points", api.MetricQuery{To: -1, MaxPoints: -1}, "max_points must be between 0 and 20000"},
		{"too many points", api.MetricQuery{To: -1, MaxPoints: api.MaxMetricPoints + 1}, "max_points must be between 0 and 20000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Metrics("run-0001", tt.q)
			wantCode(t, err, studio.CodeInvalid, tt.msg)
		})
	}
}

func TestMetricsOfQueuedRun(t *testing.T) {
	s := readStore(t)
	live := s.Live()
	r, _ := s.Run(live[len(live)-1])
	if r.Status != studio.RunQueued {
		t.Fatalf("%s is %s; want queued", r.ID, r.Status)
	}
	resp, err := s.Metrics(r.ID, allMetrics())
	if err != nil || len(resp.Series) != 7 || len(resp.Series[0].Points) != 0 {
		t.Errorf("Metrics(queued) = %+v, %v", resp, err)
	}
}
