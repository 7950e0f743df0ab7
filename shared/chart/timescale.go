package chart

import (
	"math"
	"strconv"
	"time"
)

// Time maps instants in [From, To] onto the range [R0, R1]. MapTime and
// InvertTime work on time.Time exactly; Map and Invert (the Scale
// interface) work on Unix seconds as float64, the unit of ByTime, so a
// time axis can drive the same path builder as a step axis.
type Time struct {
	From, To time.Time
	R0, R1   float64 // range, in pixels
	// Clamp restricts Map to the range and Invert to the domain.
	Clamp bool
	// Location aligns wall-clock ticks (midnight, whole hours) and writes
	// their labels. nil means UTC.
	Location *time.Location
}

// NewTime returns the time scale from [from, to] to [r0, r1] in UTC.
func NewTime(from, to time.Time, r0, r1 float64) Time {
	return Time{From: from, To: to, R0: r0, R1: r1}
}

// Seconds returns t as Unix seconds: the x value a time axis maps.
func Seconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// FromSeconds returns the UTC instant of Unix seconds sec, rounded to the
// microsecond (the precision float64 keeps for present-day times). NaN and
// infinities give the zero Time.
func FromSeconds(sec float64) time.Time {
	if !finite(sec) || math.Abs(sec) > 1<<62 {
		return time.Time{}
	}
	s := math.Floor(sec)
	us := math.Round((sec - s) * 1e6)
	return time.Unix(int64(s), int64(us)*1e3).UTC()
}

// Linear returns the equivalent linear scale over Unix seconds.
func (s Time) Linear() Linear {
	return Linear{D0: Seconds(s.From), D1: Seconds(s.To), R0: s.R0, R1: s.R1, Clamp: s.Clamp}
}

// Map returns the range coordinate of Unix seconds sec.
func (s Time) Map(sec float64) float64 { return s.Linear().Map(sec) }

// Invert returns the Unix seconds at range coordinate px.
func (s Time) Invert(px float64) float64 { return s.Linear().Invert(px) }

// MapTime returns the range coordinate of t. An empty domain maps every
// instant to the middle of the range.
func (s Time) MapTime(t time.Time) float64 {
	span := s.To.Sub(s.From)
	if span == 0 {
		return (s.R0 + s.R1) / 2
	}
	f := float64(t.Sub(s.From)) / float64(span)
	if s.Clamp {
		f = max(0, min(1, f))
	}
	return s.R0 + f*(s.R1-s.R0)
}

// InvertTime returns the instant at range coordinate px, rounded to the
// nanosecond. An empty range inverts to From; NaN inverts to From.
func (s Time) InvertTime(px float64) time.Time {
	if s.R0 == s.R1 || math.IsNaN(px) {
		return s.From
	}
	f := (px - s.R0) / (s.R1 - s.R0)
	if s.Clamp {
		f = max(0, min(1, f))
	}
	d := f * float64(s.To.Sub(s.From))
	d = max(-math.MaxInt64, min(math.MaxInt64, math.Round(d)))
	return s.From.Add(time.Duration(d))
}

func (s Time) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// timeSteps are the nice tick intervals from one second to two weeks.
var timeSteps = [...]time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	day, 2 * day, 7 * day, 14 * day,
}

const day = 24 * time.Hour

// TimeStep returns the nice tick interval for about n ticks over a span d:
// 1, 2 or 5 times a power of ten below a second; 1, 2, 5, 10, 15 or 30
// seconds or minutes; 1, 2, 3, 6 or 12 hours; 1, 2, 7 or 14 days; then
// nice numbers of days (20, 50, 100...). It returns 0 when d <= 0 or n < 1.
func TimeStep(d time.Duration, n int) time.Duration {
	if d <= 0 || n < 1 {
		return 0
	}
	n = min(n, maxTickCount)
	target := d / time.Duration(n)
	if target < time.Second {
		step := time.Duration(TickStep(0, float64(d), n))
		return max(time.Nanosecond, min(step, time.Second))
	}
	last := timeSteps[len(timeSteps)-1]
	if target > last {
		days := TickStep(0, float64(d)/float64(day), n)
		return max(last, time.Duration(math.Ceil(days))*day)
	}
	i := 0
	for timeSteps[i] < target {
		i++
	}
	if i > 0 && float64(target)/float64(timeSteps[i-1]) < float64(timeSteps[i])/float64(target) {
		i--
	}
	return timeSteps[i]
}

// WallTicks returns about n ticks at round wall-clock times in Location:
// whole seconds, minutes, hours or days, aligned to local midnight (and
// weeks to Mondays) so they stay put while the window pans. Labels depend
// on the spacing: "15:04:05.000", "15:04:05", "15:04" (with "Jan 2" at
// midnight) or "Jan 2". Value is the tick's Unix seconds.
func (s Time) WallTicks(n int) []Tick {
	return s.AppendWallTicks(nil, n)
}

// AppendWallTicks is WallTicks appending to dst.
func (s Time) AppendWallTicks(dst []Tick, n int) []Tick {
	from, to := s.From, s.To
	if to.Before(from) {
		from, to = to, from
	}
	step := TimeStep(to.Sub(from), n)
	if step == 0 {
		return dst
	}
	loc := s.loc()
	limit := 3*min(n, maxTickCount) + 10
	var last time.Time
	emit := func(t time.Time) bool {
		if t.Before(from) {
			return true
		}
		if t.After(to) || limit == 0 {
			return false
		}
		if !last.IsZero() && !t.After(last) {
			return true // a daylight-saving jump repeated an instant
		}
		last = t
		limit--
		dst = append(dst, Tick{Value: Seconds(t), Pos: s.MapTime(t), Label: wallLabel(t.In(loc), step)})
		return true
	}
	switch {
	case step < time.Second:
		t := from.Truncate(step)
		for ; emit(t); t = t.Add(step) {
		}
	case step < day:
		lf := from.In(loc)
		y, m, d := lf.Date()
		h, mi, sec := lf.Clock()
		wall := h*3600 + mi*60 + sec
		ss := int(step / time.Second)
		for k := wall / ss; emit(time.Date(y, m, d, 0, 0, k*ss, 0, loc)); k++ {
		}
	default:
		days := int(step / day)
		lf := from.In(loc)
		y, m, d := lf.Date()
		dn := int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
		if days%7 == 0 {
			dn -= 4 // 1970-01-05 was a Monday
		}
		off := -(((dn % days) + days) % days)
		for k := off; emit(time.Date(y, m, d+k, 0, 0, 0, 0, loc)); k += days {
		}
	}
	return dst
}

// wallLabel writes t (already in the axis location) for ticks step apart.
func wallLabel(t time.Time, step time.Duration) string {
	switch {
	case step < time.Millisecond:
		return t.Format("15:04:05.000000")
	case step < time.Second:
		return t.Format("15:04:05.000")
	case step < time.Minute:
		return t.Format("15:04:05")
	case step < day:
		if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 {
			return t.Format("Jan 2")
		}
		return t.Format("15:04")
	default:
		return t.Format("Jan 2")
	}
}

// RelativeTicks returns about n ticks at nice offsets from origin (such as
// a run's start): origin plus multiples of TimeStep, labelled by
// FormatRelative ("+1h20m"). Value is the tick's Unix seconds.
func (s Time) RelativeTicks(n int, origin time.Time) []Tick {
	return s.AppendRelativeTicks(nil, n, origin)
}

// AppendRelativeTicks is RelativeTicks appending to dst.
func (s Time) AppendRelativeTicks(dst []Tick, n int, origin time.Time) []Tick {
	from, to := s.From, s.To
	if to.Before(from) {
		from, to = to, from
	}
	step := TimeStep(to.Sub(from), n)
	if step == 0 {
		return dst
	}
	k0 := from.Sub(origin) / step
	if origin.Add(k0 * step).Before(from) {
		k0++
	}
	for k, i := k0, 0; i <= 3*min(n, maxTickCount)+10; k, i = k+1, i+1 {
		t := origin.Add(k * step)
		if t.After(to) {
			break
		}
		dst = append(dst, Tick{Value: Seconds(t), Pos: s.MapTime(t), Label: FormatRelative(k*step, step)})
	}
	return dst
}

// relUnits are the components FormatRelative writes, largest first.
var relUnits = [...]struct {
	d    time.Duration
	name string
}{{day, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"},
	{time.Millisecond, "ms"}, {time.Microsecond, "µs"}, {time.Nanosecond, "ns"}}

// FormatRelative writes an offset such as "+1h20m", "-45s" or "+2d3h".
// Components go down to the unit of step (a step of 30m writes hours and
// minutes; 0 writes down to seconds, or milliseconds for offsets under a
// second), rounding d to that unit; zero components are left out. A zero
// offset is "0".
func FormatRelative(d, step time.Duration) string {
	var buf [32]byte
	return string(AppendRelative(buf[:0], d, step))
}

// AppendRelative is FormatRelative appending to dst.
func AppendRelative(dst []byte, d, step time.Duration) []byte {
	unit := time.Second
	if step == 0 && d > -time.Second && d < time.Second {
		unit = time.Millisecond
	}
	if step > 0 {
		for _, u := range relUnits {
			if u.d <= step {
				unit = u.d
				break
			}
		}
	}
	d = d.Round(unit)
	if d == 0 {
		return append(dst, '0')
	}
	if d < 0 {
		dst = append(dst, '-')
		if d == math.MinInt64 {
			d++
		}
		d = -d
	} else {
		dst = append(dst, '+')
	}
	for _, u := range relUnits {
		if u.d < unit {
			break
		}
		if q := d / u.d; q > 0 {
			dst = strconv.AppendInt(dst, int64(q), 10)
			dst = append(dst, u.name...)
			d -= q * u.d
		}
	}
	return dst
}
