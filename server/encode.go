package server

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// Hand-written encoders for the two largest hot responses, a log page and
// a metrics response: encoding/json spends half of a 500-line page's time
// in reflection and in re-validating time.Time's MarshalJSON output. Their
// output is byte-for-byte what encoding/json produces (HTML-safe escaping
// included); FuzzAppendLogPage and FuzzAppendMetrics hold them to it. Each
// returns ok=false for a value encoding/json would reject (a NaN, a year
// outside 0..9999), so the caller falls back to encoding/json and its error.

// appendLogPage appends p as JSON and a newline, like json.Encoder.Encode.
func appendLogPage(b []byte, p *api.LogPage) ([]byte, bool) {
	b = append(b, `{"lines":`...)
	if p.Lines == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Lines {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendLogLine(b, &p.Lines[i]); !ok {
				return b, false
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, p.Total, 10)
	b = append(b, `,"next":`...)
	b = appendString(b, p.Next)
	b = append(b, `,"prev":`...)
	b = appendString(b, p.Prev)
	b = append(b, `,"filtered":`...)
	b = strconv.AppendBool(b, p.Filtered)
	b = append(b, `,"scanned_from":`...)
	b = strconv.AppendInt(b, p.ScannedFrom, 10)
	b = append(b, `,"scanned_to":`...)
	b = strconv.AppendInt(b, p.ScannedTo, 10)
	return append(b, "}\n"...), true
}

func appendLogLine(b []byte, l *studio.LogLine) ([]byte, bool) {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, l.Seq, 10)
	b = append(b, `,"time":`...)
	var ok bool
	if b, ok = appendTime(b, l.Time); !ok {
		return b, false
	}
	b = append(b, `,"level":`...)
	b = appendString(b, string(l.Level))
	b = append(b, `,"source":`...)
	b = appendString(b, l.Source)
	b = append(b, `,"message":`...)
	b = appendString(b, l.Message)
	return append(b, '}'), true
}

// appendMetrics appends m as JSON and a newline, like json.Encoder.Encode.
func appendMetrics(b []byte, m *api.MetricsResponse) ([]byte, bool) {
	b = append(b, `{"run_id":`...)
	b = appendString(b, string(m.RunID))
	b = append(b, `,"series":`...)
	if m.Series == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range m.Series {
			if i > 0 {
				b = append(b, ',')
			}
			s := &m.Series[i]
			b = append(b, `{"name":`...)
			b = appendString(b, s.Name)
			b = append(b, `,"unit":`...)
			b = appendString(b, s.Unit)
			b = append(b, `,"points":`...)
			if s.Points == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for j := range s.Points {
					if j > 0 {
						b = append(b, ',')
					}
					p := &s.Points[j]
					b = append(b, `{"step":`...)
					b = strconv.AppendInt(b, int64(p.Step), 10)
					b = append(b, `,"time":`...)
					var ok bool
					if b, ok = appendTime(b, p.Time); !ok {
						return b, false
					}
					b = append(b, `,"value":`...)
					if b, ok = appendFloat(b, p.Value); !ok {
						return b, false
					}
					b = append(b, '}')
				}
				b = append(b, ']')
			}
			b = append(b, `,"total":`...)
			b = strconv.AppendInt(b, int64(s.Total), 10)
			b = append(b, `,"decimated":`...)
			b = strconv.AppendBool(b, s.Decimated)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...), true
}

// appendTime appends t as time.Time.MarshalJSON does.
func appendTime(b []byte, t time.Time) ([]byte, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return b, false
	}
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return b, false // MarshalJSON rejects zone offsets of a day or more
	}
	if t.Location() == time.UTC {
		return appendUTC(b, t), true
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
}

// appendUTC appends t, a UTC time of year 0..9999, quoted, as
// time.RFC3339Nano formats it (the fraction without trailing zeros, "Z"),
// several times faster than the general AppendFormat.
func appendUTC(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append(b, '"',
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i >= 1; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z', '"')
}

// appendFloat appends f as encoding/json encodes a float64.
func appendFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}

const hexDigits = "0123456789abcdef"

// jsonSafe reports the ASCII bytes that appendString copies as they are.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping on: <, > and & as \u003c..., U+2028 and U+2029 escaped,
// invalid UTF-8 replaced by \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
