package export

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

func TestParseChartQuery(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  ChartQuery
	}{
		{"defaults", "name=loss", ChartQuery{Names: []string{"loss"}, To: -1, X: XStep, Width: 1200, Height: 600, Theme: ThemeLight}},
		{"everything", "name=loss&name=val_loss,accuracy&from=5&to=50&smooth=0.95&log=true&x=relative&width=4000&height=150&theme=dark",
			ChartQuery{Names: []string{"loss", "val_loss", "accuracy"}, From: 5, To: 50, Smooth: 0.95, Log: true, X: XRelative, Width: 4000, Height: 150, Theme: ThemeDark}},
		{"duplicate names dropped", "name=loss,loss", ChartQuery{Names: []string{"loss"}, To: -1, X: XStep, Width: 1200, Height: 600, Theme: ThemeLight}},
		{"log 0 and smooth 0", "name=loss&log=0&smooth=0", ChartQuery{Names: []string{"loss"}, To: -1, X: XStep, Width: 1200, Height: 600, Theme: ThemeLight}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			got, err := ParseChartQuery(v)
			if err != nil {
				t.Fatalf("ParseChartQuery(%q) error %v", tt.query, err)
			}
			if !slices.Equal(got.Names, tt.want.Names) {
				t.Errorf("Names = %v; want %v", got.Names, tt.want.Names)
			}
			got.Names, tt.want.Names = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseChartQuery(%q) = %+v; want %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestParseReportQuery(t *testing.T) {
	v := url.Values{
		"from": {"2026-10-24T16:00:00Z"}, "to": {"2026-10-24T18:00:00.5+02:00"},
		"pins": {"ev-a, ev-b", "ev-a", ""}, "span": {"15m"}, "name": {"loss"},
	}
	got, err := ParseReportQuery(v)
	if err != nil {
		t.Fatal(err)
	}
	want := ReportQuery{
		From: time.Date(2026, 10, 24, 16, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 24, 16, 0, 0, 5e8, time.UTC),
		Pins: []studio.EventID{"ev-a", "ev-b"}, Span: 15 * time.Minute, Names: []string{"loss"},
	}
	if !got.From.Equal(want.From) || !got.To.Equal(want.To) || !slices.Equal(got.Pins, want.Pins) || got.Span != want.Span || !slices.Equal(got.Names, want.Names) {
		t.Errorf("ParseReportQuery = %+v; want %+v", got, want)
	}
}

func FuzzParseChartQuery(f *testing.F) {
	for _, s := range []string{"", "name=loss", "name=loss&smooth=0.999&width=200&height=3000", "name=a", "width=1e9",
		"name=loss&x=time&log=1&theme=dark", "name=loss&from=9&to=1", "name=loss&smooth=NaN", "name=loss&width=-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseChartQuery(v) // must never panic
		if err != nil {
			if studio.ErrorCode(err) != studio.CodeInvalid {
				t.Fatalf("ParseChartQuery(%q) error code = %s; want invalid", raw, studio.ErrorCode(err))
			}
			return
		}
		if len(q.Names) == 0 || len(q.Names) > MaxChartSeries || q.Width < MinWidth || q.Width > MaxWidth ||
			q.Height < MinHeight || q.Height > MaxHeight || !(q.Smooth >= 0 && q.Smooth <= chart.MaxSmoothing) {
			t.Fatalf("ParseChartQuery(%q) = %+v: out of bounds", raw, q)
		}
	})
}

func FuzzParseReportQuery(f *testing.F) {
	for _, s := range []string{"", "pins=ev-1,ev-2", "from=2026-10-24T16:00:00Z&to=2026-10-24T15:00:00Z", "span=1s", "span=720h1s", "pins=a,b,c,d,e,f,g", "name=loss&from="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseReportQuery(v)
		if err != nil {
			if studio.ErrorCode(err) != studio.CodeInvalid {
				t.Fatalf("ParseReportQuery(%q) error code = %s; want invalid", raw, studio.ErrorCode(err))
			}
			return
		}
		if len(q.Pins) > MaxPins || (q.Span != 0 && (q.Span < MinSpan || q.Span > MaxSpan)) ||
			(!q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To)) {
			t.Fatalf("ParseReportQuery(%q) = %+v: out of bounds", raw, q)
		}
	})
}
