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
	return appendLogPageEnd(b, p), true
}

// appendLogPageEnd appends the fields of p after its lines, and the
// closing brace and newline.
func appendLogPageEnd(b []byte, p *api.LogPage) []byte {
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
	return append(b, "}\n"...)
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
	if t.Location() == time.UTC {
		if sec := t.Unix(); sec >= minUTC && sec < maxUTC {
			return appendUTC(b, sec, t.Nanosecond()), true
		}
		return b, false // MarshalJSON rejects years outside 0..9999
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return b, false
	}
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return b, false // MarshalJSON rejects zone offsets of a day or more
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
}

// The Unix times of 0000-01-01 and 10000-01-01, UTC.
const (
	minUTC = -62167219200
	maxUTC = 253402300800
)

// appendUTC appends the UTC time sec (Unix seconds, years 0..9999) and
// nsec nanoseconds, quoted, as time.RFC3339Nano formats it (the fraction
// without trailing zeros, "Z"), several times faster than AppendFormat:
// the date comes from integer arithmetic on the day number (the civil
// calendar algorithm of H. Hinnant), without time's location lookups.
func appendUTC(b []byte, sec int64, nsec int) []byte {
	days, s := (sec-minUTC)/86400, int((sec-minUTC)%86400) // since 0000-01-01
	// Days since -0400-03-01: a 400-year era earlier keeps z >= 0.
	z := days - 60 + 146097
	era, doe := z/146097, z%146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := int(doy - (153*mp+2)/5 + 1)
	mo := int(mp + 3)
	y := int(yoe + era*400 - 400)
	if mo > 12 {
		mo -= 12
		y++
	}
	h, mi := s/3600, s/60%60
	s %= 60
	b = append(b, '"',
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if nsec != 0 {
		var frac [10]byte
		frac[0] = '.'
		n := 10
		if nsec%1_000_000 == 0 { // whole milliseconds, as log line times are
			ms := nsec / 1_000_000
			frac[1], frac[2], frac[3] = byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10)
			n = 4
		} else {
			for i := 9; i >= 1; i-- {
				frac[i] = byte('0' + nsec%10)
				nsec /= 10
			}
		}
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

// jsonPlain is jsonSafe as 0 or 1 for every byte value (0 from 0x80 up).
var jsonPlain = func() (plain [256]uint8) {
	for c, safe := range jsonSafe {
		if safe {
			plain[c] = 1
		}
	}
	return plain
}()

// plain8 reports whether the first 8 bytes of s are all bytes that
// appendString copies as they are. Its table lookups have no branches:
// twice as fast as testing the bytes one by one on log messages.
func plain8(s string) bool {
	_ = s[7]
	return jsonPlain[s[0]]&jsonPlain[s[1]]&jsonPlain[s[2]]&jsonPlain[s[3]]&
		jsonPlain[s[4]]&jsonPlain[s[5]]&jsonPlain[s[6]]&jsonPlain[s[7]] != 0
}

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping on: <, > and & as \u003c..., U+2028 and U+2029 escaped,
// invalid UTF-8 replaced by \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Skip eight safe bytes at a time: messages are mostly plain ASCII.
		if i+8 <= len(s) && plain8(s[i:i+8]) {
			i += 8
			continue
		}
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
