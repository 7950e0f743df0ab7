package export

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
)

// Chart size bounds, in pixels.
const (
	DefaultWidth  = 1200
	DefaultHeight = 600
	MinWidth      = 200
	MaxWidth      = 4000
	MinHeight     = 150
	MaxHeight     = 3000
)

// Report and chart content bounds. They keep every render well under a
// second whatever the query.
const (
	// MaxChartSeries is the most metrics one chart shows.
	MaxChartSeries = 8
	// MaxPins is the most pins one report compares.
	MaxPins = 6
	// MaxReportPages caps a report; content past it is cut with a note.
	MaxReportPages = 40
	// MaxLogLinesPerWindow caps the log lines mined on each side of a
	// comparison; MaxLogLinesPerReport caps them over the whole report.
	MaxLogLinesPerWindow = 20000
	MaxLogLinesPerReport = 120000
	// MaxRawPoints is the most points a render reads at full resolution,
	// over all its series (20 MB, and as much again when smoothed);
	// longer ranges are read pre-decimated by the store to
	// api.MaxMetricPoints per series, keeping every bucket's minimum and
	// maximum, and are then smoothed as decimated.
	MaxRawPoints = 500_000
	// MinSpan and MaxSpan bound a report's comparison window (?span=).
	MinSpan = time.Second
	MaxSpan = 30 * 24 * time.Hour
)

// ChartQuery is a parsed chart request:
// ?name=&from=&to=&smooth=&log=&x=&width=&height=&theme=.
type ChartQuery struct {
	// Names are the metrics to draw, in order (at least one).
	Names []string
	// From and To are inclusive steps; To is -1 for the last step.
	From, To int
	// Smooth is the EMA weight in [0, chart.MaxSmoothing]; 0 is off. The
	// average runs over every point of the range (see MaxRawPoints), and
	// the raw series is drawn faintly beneath it.
	Smooth float64
	Log    bool
	X      XAxis
	Width  int
	Height int
	Theme  Theme
}

// ParseChartQuery parses and validates a chart request. Errors are
// *studio.Error with CodeInvalid and name the bound that was broken.
func ParseChartQuery(v url.Values) (ChartQuery, error) {
	q := ChartQuery{X: XStep, Width: DefaultWidth, Height: DefaultHeight, Theme: ThemeLight}
	mq, err := api.ParseMetricQuery(v) // name, from, to; unknown names list the valid ones
	if err != nil {
		return q, err
	}
	if len(mq.Names) == 0 {
		return q, invalidf("name is required: want one or more of %s", strings.Join(studio.MetricNames, ", "))
	}
	if len(mq.Names) > MaxChartSeries {
		return q, invalidf("a chart shows at most %d metrics, got %d", MaxChartSeries, len(mq.Names))
	}
	q.Names, q.From, q.To = mq.Names, mq.From, mq.To
	if s, ok, err := single(v, "smooth"); err != nil {
		return q, err
	} else if ok {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > chart.MaxSmoothing {
			return q, invalidf("smooth must be a number between 0 and %g, got %s", chart.MaxSmoothing, quote(s))
		}
		q.Smooth = f
	}
	if s, ok, err := single(v, "log"); err != nil {
		return q, err
	} else if ok {
		switch s {
		case "true", "1":
			q.Log = true
		case "false", "0", "":
		default:
			return q, invalidf("log must be true or false, got %s", quote(s))
		}
	}
	if s, ok, err := single(v, "x"); err != nil {
		return q, err
	} else if ok {
		switch a := XAxis(s); a {
		case XStep, XTime, XRelative:
			q.X = a
		default:
			return q, invalidf("x must be step, time or relative, got %s", quote(s))
		}
	}
	if q.Width, err = sizeParam(v, "width", DefaultWidth, MinWidth, MaxWidth); err != nil {
		return q, err
	}
	if q.Height, err = sizeParam(v, "height", DefaultHeight, MinHeight, MaxHeight); err != nil {
		return q, err
	}
	if s, ok, err := single(v, "theme"); err != nil {
		return q, err
	} else if ok {
		switch t := Theme(s); t {
		case ThemeLight, ThemeDark:
			q.Theme = t
		default:
			return q, invalidf("theme must be light or dark, got %s", quote(s))
		}
	}
	return q, nil
}

// ReportQuery is a parsed report request: ?from=&to=&pins=&span=&name=.
type ReportQuery struct {
	// From and To bound the window; the zero Time means the start or end
	// of the subject's span.
	From, To time.Time
	// Pins are event ids to mark and compare, in the order given.
	Pins []studio.EventID
	// Span is the length of each comparison window; 0 means a tenth of
	// the report window.
	Span time.Duration
	// Names restricts a run report's charts and tables to these metrics;
	// empty means all.
	Names []string
}

// ParseReportQuery parses and validates a report request. Errors are
// *studio.Error with CodeInvalid.
func ParseReportQuery(v url.Values) (ReportQuery, error) {
	var q ReportQuery
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		s, ok, err := single(v, p.name)
		if err != nil {
			return q, err
		}
		if !ok || s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || len(s) > 64 {
			return q, invalidf("%s must be an RFC 3339 time such as 2026-11-20T12:00:00Z, got %s", p.name, quote(s))
		}
		*p.dst = t
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, invalidf("empty window: from (%s) must be before to (%s)", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	for _, raw := range v["pins"] {
		for s := range strings.SplitSeq(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if err := api.ValidateID("event", s); err != nil {
				return q, err
			}
			if id := studio.EventID(s); !slices.Contains(q.Pins, id) {
				if len(q.Pins) == MaxPins {
					return q, invalidf("a report compares at most %d pins", MaxPins)
				}
				q.Pins = append(q.Pins, id)
			}
		}
	}
	if s, ok, err := single(v, "span"); err != nil {
		return q, err
	} else if ok && s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < MinSpan || d > MaxSpan {
			return q, invalidf("span must be a duration between %s and %s such as 15m, got %s", MinSpan, fmtDuration(MaxSpan), quote(s))
		}
		q.Span = d
	}
	if _, ok := v["name"]; ok {
		mq, err := api.ParseMetricQuery(url.Values{"name": v["name"]})
		if err != nil {
			return q, err
		}
		q.Names = mq.Names
	}
	return q, nil
}

// sizeParam parses an image dimension in [lo, hi] pixels.
func sizeParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s, ok, err := single(v, name)
	if err != nil || !ok {
		return def, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return def, invalidf("%s must be a whole number of pixels between %d and %d, got %s", name, lo, hi, quote(s))
	}
	return n, nil
}

// single returns the only value of name; ok is false when name is absent.
// A repeated parameter is an error, so a second value cannot slip past
// validation.
func single(v url.Values, name string) (s string, ok bool, err error) {
	vals, ok := v[name]
	if !ok {
		return "", false, nil
	}
	if len(vals) > 1 {
		return "", false, invalidf("%s given %d times: want at most one", name, len(vals))
	}
	return vals[0], true, nil
}

// quote quotes s for an error message, shortened to 40 runes so a hostile
// value cannot bloat the response.
func quote(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		return strconv.Quote(string(r[:max])) + "..."
	}
	return strconv.Quote(s)
}

func invalidf(format string, args ...any) *studio.Error {
	return studio.Errorf(studio.CodeInvalid, format, args...)
}
