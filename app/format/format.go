// Package format turns numbers, durations and times into the short,
// human-readable strings the UI shows: "1,234", "4h 12m", "3 min ago",
// "92.4%". Every function is pure and allocation-light, so components can
// call them in Render.
package format

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Int formats n with thousands separators: 1234567 is "1,234,567".
func Int(n int) string { return Int64(int64(n)) }

// Int64 formats n with thousands separators.
func Int64(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	b := make([]byte, 0, len(s)+len(s)/3+1)
	b = append(b, sign...)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Float formats v with at most digits decimals, dropping trailing zeros:
// Float(0.41000, 3) is "0.41". Very small or large magnitudes use
// exponent notation ("3e-05"). NaN and infinities print as "—".
func Float(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-3 || a >= 1e9) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Metric formats a metric value for tables and cards: 4 significant
// decimals for values below 10, 2 below 1000, and thousands separators
// above.
func Metric(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case a >= 1000:
		return Int64(int64(math.Round(v)))
	case a >= 10:
		return Float(v, 2)
	default:
		return Float(v, 4)
	}
}

// Percent formats a fraction in [0,1] as a percentage with one decimal:
// 0.9241 is "92.4%".
func Percent(frac float64) string { return Pct(frac * 100) }

// Pct formats a value already in percent with one decimal: 92.41 is
// "92.4%".
func Pct(v float64) string { return Float(v, 1) + "%" }

// Duration formats d compactly with its two largest units: "850ms",
// "12.4s", "4m 05s", "3h 12m", "2d 4h".
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Millisecond:
		return strconv.FormatInt(d.Microseconds(), 10) + "µs"
	case d < time.Second:
		return Float(float64(d)/float64(time.Millisecond), 1) + "ms"
	case d < time.Minute:
		return Float(d.Seconds(), 1) + "s"
	case d < time.Hour:
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		return strconv.Itoa(m) + "m " + pad2(s) + "s"
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		return strconv.Itoa(h) + "h " + pad2(m) + "m"
	default:
		days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		return strconv.Itoa(days) + "d " + strconv.Itoa(h) + "h"
	}
}

// Micros formats a span duration given in microseconds: "420µs",
// "12.3ms", "1.25s".
func Micros(us int64) string {
	switch {
	case us < 1000:
		return strconv.FormatInt(us, 10) + "µs"
	case us < 1_000_000:
		return Float(float64(us)/1000, 2) + "ms"
	default:
		return Float(float64(us)/1e6, 2) + "s"
	}
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Ago formats how long before now t was: "just now", "45s ago",
// "12 min ago", "3 h ago", "2 d ago". A t after now reads "in 5 min". A
// zero t gives "—".
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		s = strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		s = strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		s = strconv.Itoa(int(d/time.Hour)) + " h"
	default:
		s = strconv.Itoa(int(d/(24*time.Hour))) + " d"
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// Time formats t as "2006-01-02 15:04" in UTC; the zero time gives "—".
func Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// TimeSec formats t as "2006-01-02 15:04:05 UTC"; the zero time gives "—".
func TimeSec(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// Bytes formats a size with binary units: "512 B", "1.5 KiB", "3.2 GiB".
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, i := float64(n), 0
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB"}
	for v /= unit; v >= unit && i < len(units)-1; i++ {
		v /= unit
	}
	return Float(v, 1) + " " + units[i]
}

// Count formats n followed by noun, pluralised with "s" unless n is 1:
// Count(3, "run") is "3 runs".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Int(n) + " " + noun + "s"
}
