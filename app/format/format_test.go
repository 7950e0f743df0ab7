package format

import (
	"math"
	"testing"
	"time"
)

func TestInt(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1234, "1,234"}, {10000, "10,000"},
		{1234567, "1,234,567"}, {-1234, "-1,234"}, {-999, "-999"}, {-100000, "-100,000"},
		{math.MaxInt64, "9,223,372,036,854,775,807"},
	}
	for _, tt := range tests {
		if got := Int64(tt.n); got != tt.want {
			t.Errorf("Int64(%d) = %q; want %q", tt.n, got, tt.want)
		}
	}
}

func TestFloatAndMetric(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"trailing zeros dropped", Float(0.41, 4), "0.41"},
		{"integer value", Float(3, 2), "3"},
		{"negative zero", Float(-0.00001, 2), "-1e-05"},
		{"rounding", Float(2.34567, 2), "2.35"},
		{"tiny uses exponent", Float(0.00003, 4), "3e-05"},
		{"nan", Float(math.NaN(), 2), "—"},
		{"metric small", Metric(0.123456), "0.1235"},
		{"metric medium", Metric(92.4567), "92.46"},
		{"metric large", Metric(12345.6), "12,346"},
		{"percent", Percent(0.9241), "92.4%"},
		{"pct", Pct(100), "100%"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q; want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{420 * time.Microsecond, "420µs"},
		{850 * time.Millisecond, "850ms"},
		{12400 * time.Millisecond, "12.4s"},
		{4*time.Minute + 5*time.Second, "4m 05s"},
		{3*time.Hour + 12*time.Minute, "3h 12m"},
		{52 * time.Hour, "2d 4h"},
		{-90 * time.Second, "1m 30s"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q; want %q", tt.d, got, tt.want)
		}
	}
}

func TestMicros(t *testing.T) {
	for us, want := range map[int64]string{420: "420µs", 12345: "12.35ms", 1250000: "1.25s"} {
		if got := Micros(us); got != want {
			t.Errorf("Micros(%d) = %q; want %q", us, got, want)
		}
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "—"},
		{now.Add(-2 * time.Second), "just now"},
		{now.Add(-45 * time.Second), "45s ago"},
		{now.Add(-12 * time.Minute), "12 min ago"},
		{now.Add(-3 * time.Hour), "3 h ago"},
		{now.Add(-50 * time.Hour), "2 d ago"},
		{now.Add(5 * time.Minute), "in 5 min"},
	}
	for _, tt := range tests {
		if got := Ago(tt.t, now); got != tt.want {
			t.Errorf("Ago(%v) = %q; want %q", tt.t, got, tt.want)
		}
	}
}

func TestBytesAndCount(t *testing.T) {
	tests := []struct{ got, want string }{
		{Bytes(512), "512 B"},
		{Bytes(1536), "1.5 KiB"},
		{Bytes(3 << 30), "3 GiB"},
		{Count(1, "run"), "1 run"},
		{Count(1234, "run"), "1,234 runs"},
		{Count(0, "span"), "0 spans"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
}
