package export

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aiinfra/studio/shared/chart"
)

// groupInt writes n with thousands separators: 100000 is "100,000".
func groupInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fmtDuration writes d compactly: "10h3m", "45s", "2d4h".
func fmtDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return strings.TrimPrefix(chart.FormatRelative(d, 0), "+")
}

// timeLayout is how reports write instants (always UTC).
const timeLayout = "2006-01-02 15:04:05 UTC"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(timeLayout)
}

// fmtValue writes a metric value with 4 significant digits, as the
// browser's tooltips do.
func fmtValue(v float64, unit string) string {
	return chart.NumberFormat{Unit: unit}.Format(v)
}

// fmtSigned writes a change with an explicit sign: "+0.12", "-3.4%".
func fmtSigned(v float64, unit string) string {
	s := fmtValue(v, unit)
	if v > 0 && !math.IsInf(v, 1) {
		return "+" + s
	}
	return s
}
