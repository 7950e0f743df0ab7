package server

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/studio"
)

// stdJSON encodes v as writeJSON does.
func stdJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := json.NewEncoder(&buf).Encode(v)
	return buf.Bytes(), err
}

var encodeStrings = []string{"", "plain", `quote " and \ backslash`, "<script>alert('x')</script> & co", "tab\tnew\nline\r\x00\x1f\x7f",
	"\u2028\u2029", "héllo wörld 日本", "bad \xff\xfe utf-8", "\xed\xa0\x80 surrogate", "emoji 🚀"}

var encodeTimes = []time.Time{
	{}, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 12, 0, 0, 123456789, time.UTC),
	time.Date(2026, 1, 2, 3, 4, 5, 60, time.FixedZone("x", 5*3600+30*60)), time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("y", -7*3600-17)),
}

var encodeFloats = []float64{0, math.Copysign(0, -1), 1, -1.5, 0.000001, 0.0000001, 1e-9, 123456789.125, 1e20, 1e21, 1.7976931348623157e308, 5e-324, 0.1 + 0.2}

func TestAppendLogPageMatchesEncodingJSON(t *testing.T) {
	pages := []api.LogPage{
		{},
		{Lines: []studio.LogLine{}, Next: "c1", Prev: "", Filtered: true, ScannedFrom: 3, ScannedTo: 9, Total: 1 << 40},
	}
	var lines []studio.LogLine
	for i, s := range encodeStrings {
		lines = append(lines, studio.LogLine{Seq: int64(i), Time: encodeTimes[i%len(encodeTimes)], Level: studio.LogLevel(s), Source: s, Message: s})
	}
	pages = append(pages, api.LogPage{Lines: lines, Next: "c<&>", Prev: "\u2028"})
	for i, p := range pages {
		want, err := stdJSON(p)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendLogPage(nil, &p)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("page %d:\n got %s (ok %v)\nwant %s", i, got, ok, want)
		}
	}
}

func TestAppendMetricsMatchesEncodingJSON(t *testing.T) {
	var points []studio.Point
	for i, f := range encodeFloats {
		points = append(points, studio.Point{Step: i * 1000, Time: encodeTimes[i%len(encodeTimes)], Value: f})
		points = append(points, studio.Point{Step: -i, Value: -f})
	}
	resps := []api.MetricsResponse{
		{},
		{RunID: "run-<1>", Series: []studio.Series{}},
		{RunID: "run-0001", Series: []studio.Series{{Name: "loss", Points: points, Total: 99, Decimated: true}, {Name: "gpu_util", Unit: "%"}, {Name: "x", Points: []studio.Point{}}}},
	}
	for i, m := range resps {
		want, err := stdJSON(m)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendMetrics(nil, &m)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("response %d:\n got %s (ok %v)\nwant %s", i, got, ok, want)
		}
	}
}

func TestAppendRefusesWhatEncodingJSONRejects(t *testing.T) {
	tests := []struct {
		name string
		fn   func() bool
	}{
		{"nan", func() bool {
			_, ok := appendMetrics(nil, &api.MetricsResponse{Series: []studio.Series{{Points: []studio.Point{{Value: math.NaN()}}}}})
			return ok
		}},
		{"infinity", func() bool {
			_, ok := appendMetrics(nil, &api.MetricsResponse{Series: []studio.Series{{Points: []studio.Point{{Value: math.Inf(-1)}}}}})
			return ok
		}},
		{"year 10000", func() bool {
			_, ok := appendLogPage(nil, &api.LogPage{Lines: []studio.LogLine{{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}})
			return ok
		}},
		{"negative year", func() bool {
			_, ok := appendLogPage(nil, &api.LogPage{Lines: []studio.LogLine{{Time: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}}})
			return ok
		}},
		{"zone of a day", func() bool {
			_, ok := appendLogPage(nil, &api.LogPage{Lines: []studio.LogLine{{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("z", 24*3600))}}})
			return ok
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fn() {
				t.Errorf("encoded a value encoding/json rejects")
			}
		})
	}
}

func FuzzAppendLogPage(f *testing.F) {
	for i, s := range encodeStrings {
		f.Add(s, int64(i), int64(encodeTimes[i%len(encodeTimes)].UnixNano()), int32(i*3600))
	}
	f.Fuzz(func(t *testing.T, s string, seq, nanos int64, zone int32) {
		tm := time.Unix(0, nanos).In(time.FixedZone("f", int(zone)))
		p := api.LogPage{Lines: []studio.LogLine{{Seq: seq, Time: tm, Level: studio.LogLevel(s), Source: s, Message: s}}, Next: s, Total: seq}
		want, err := stdJSON(p)
		got, ok := appendLogPage(nil, &p)
		if (err == nil) != ok {
			t.Fatalf("encoding/json err %v but appendLogPage ok %v", err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func FuzzAppendMetrics(f *testing.F) {
	for i, v := range encodeFloats {
		f.Add(v, i, encodeStrings[i%len(encodeStrings)])
	}
	f.Fuzz(func(t *testing.T, v float64, step int, name string) {
		m := api.MetricsResponse{RunID: studio.RunID(name), Series: []studio.Series{{Name: name, Unit: name, Total: step,
			Points: []studio.Point{{Step: step, Time: time.Unix(int64(step), 0).UTC(), Value: v}}}}}
		want, err := stdJSON(m)
		got, ok := appendMetrics(nil, &m)
		if (err == nil) != ok {
			t.Fatalf("encoding/json err %v but appendMetrics ok %v", err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// TestPlain8 holds the eight-byte test of appendString to jsonSafe: every
// byte value at every position among safe bytes, and pairs of bytes.
func TestPlain8(t *testing.T) {
	safe := func(c byte) bool { return c < utf8.RuneSelf && jsonSafe[c] }
	for p := range 8 {
		for c := range 256 {
			s := []byte("ab~ \x7fz09")
			s[p] = byte(c)
			if got := plain8(string(s)); got != safe(byte(c)) {
				t.Fatalf("plain8(%q) = %v", s, got)
			}
		}
	}
	for c := range 256 {
		for d := range 256 {
			s := []byte{'x', byte(c), 'y', 'y', 'y', 'y', byte(d), 'x'}
			if got, want := plain8(string(s)), safe(byte(c)) && safe(byte(d)); got != want {
				t.Fatalf("plain8(%q) = %v; want %v", s, got, want)
			}
		}
	}
}
