package chart

import (
	"math"
	"testing"
	"time"
)

// epoch is a fixed UTC instant the time tests count from: 2025-03-10 00:00.
var epoch = time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)

// at returns epoch plus sec seconds.
func at(sec int64) time.Time { return epoch.Add(time.Duration(sec) * time.Second) }

func TestTimeStep(t *testing.T) {
	tests := []struct {
		span time.Duration
		n    int
		want time.Duration
	}{
		{time.Hour, 6, 10 * time.Minute},
		{55 * time.Minute, 6, 10 * time.Minute},
		{2 * time.Hour, 4, 30 * time.Minute},
		{time.Minute, 4, 15 * time.Second},
		{24 * time.Hour, 8, 3 * time.Hour},
		{8*24*time.Hour + 12*time.Hour, 5, 2 * day},
		{60 * day, 6, 14 * day},
		{400 * day, 8, 50 * day},
		{800 * time.Millisecond, 4, 200 * time.Millisecond},
		{3 * time.Microsecond, 3, time.Microsecond},
		{0, 5, 0},
		{time.Hour, 0, 0},
	}
	for _, tt := range tests {
		if got := TimeStep(tt.span, tt.n); got != tt.want {
			t.Errorf("TimeStep(%v, %d) = %v; want %v", tt.span, tt.n, got, tt.want)
		}
	}
}

func TestWallTicks(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	tests := []struct {
		name     string
		from, to time.Time
		n        int
		loc      *time.Location
		want     []string
	}{
		{"ten minutes", at(10*3600 + 7*60), at(11*3600 + 2*60), 6, nil,
			[]string{"10:10", "10:20", "10:30", "10:40", "10:50", "11:00"}},
		{"midnight shows the date", at(-3600), at(3600), 4, nil,
			[]string{"23:00", "23:30", "Mar 10", "00:30", "01:00"}},
		{"seconds", at(5), at(65), 4, nil,
			[]string{"00:00:15", "00:00:30", "00:00:45", "00:01:00"}},
		{"hours aligned in a half-hour zone", at(0), at(4 * 3600), 4, ist,
			[]string{"06:00", "07:00", "08:00", "09:00"}},
		{"days", at(12 * 3600), at(9*86400 + 12*3600), 5, nil,
			[]string{"Mar 11", "Mar 13", "Mar 15", "Mar 17", "Mar 19"}},
		{"milliseconds", at(0).Add(100 * time.Millisecond), at(0).Add(900 * time.Millisecond), 4, nil,
			[]string{"00:00:00.200", "00:00:00.400", "00:00:00.600", "00:00:00.800"}},
		{"reversed domain", at(11*3600 + 2*60), at(10*3600 + 7*60), 6, nil,
			[]string{"10:10", "10:20", "10:30", "10:40", "10:50", "11:00"}},
		{"empty domain", at(0), at(0), 5, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Time{From: tt.from, To: tt.to, R0: 0, R1: 600, Location: tt.loc}
			ticks := s.WallTicks(tt.n)
			var labels []string
			for i, tk := range ticks {
				labels = append(labels, tk.Label)
				if tk.Pos < -1e-9 || tk.Pos > 600+1e-9 {
					t.Errorf("tick %d %q at %v outside the range", i, tk.Label, tk.Pos)
				}
				if i > 0 && tk.Value <= ticks[i-1].Value {
					t.Errorf("ticks not ascending at %d", i)
				}
			}
			if !equalStrings(labels, tt.want) {
				t.Errorf("WallTicks(%d) = %q; want %q", tt.n, labels, tt.want)
			}
		})
	}
}

func TestWallTicksAcrossDaylightSaving(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	// 2025-03-09 02:00 local does not exist: clocks jump to 03:00.
	from := time.Date(2025, 3, 9, 0, 0, 0, 0, ny)
	s := Time{From: from, To: from.Add(5 * time.Hour), R1: 500, Location: ny}
	var labels []string
	for _, tk := range s.WallTicks(5) {
		labels = append(labels, tk.Label)
	}
	want := []string{"Mar 9", "01:00", "03:00", "04:00", "05:00", "06:00"}
	if !equalStrings(labels, want) {
		t.Errorf("WallTicks across the spring jump = %q; want %q", labels, want)
	}
}

func TestRelativeTicks(t *testing.T) {
	start := at(1000)
	s := NewTime(start, start.Add(2*time.Hour), 0, 400)
	var labels []string
	for _, tk := range s.RelativeTicks(4, start) {
		labels = append(labels, tk.Label)
	}
	want := []string{"0", "+30m", "+1h", "+1h30m", "+2h"}
	if !equalStrings(labels, want) {
		t.Errorf("RelativeTicks(4) = %q; want %q", labels, want)
	}

	// A window that starts after the origin: ticks stay on origin + k*step.
	s = NewTime(start.Add(17*time.Minute), start.Add(80*time.Minute), 0, 400)
	labels = labels[:0]
	for _, tk := range s.RelativeTicks(4, start) {
		labels = append(labels, tk.Label)
	}
	want = []string{"+30m", "+45m", "+1h", "+1h15m"}
	if !equalStrings(labels, want) {
		t.Errorf("RelativeTicks(4) in a later window = %q; want %q", labels, want)
	}
}

func TestFormatRelative(t *testing.T) {
	tests := []struct {
		d, step time.Duration
		want    string
	}{
		{80 * time.Minute, 10 * time.Minute, "+1h20m"},
		{2 * time.Hour, 30 * time.Minute, "+2h"},
		{45 * time.Second, 0, "+45s"},
		{-5 * time.Minute, time.Minute, "-5m"},
		{26 * time.Hour, time.Hour, "+1d2h"},
		{250 * time.Millisecond, 0, "+250ms"},
		{90*time.Minute + 31*time.Second, time.Minute, "+1h31m"},
		{20 * time.Minute, time.Hour, "0"},
		{0, time.Second, "0"},
		{time.Duration(math.MinInt64), time.Hour, "-106751d23h"},
	}
	for _, tt := range tests {
		if got := FormatRelative(tt.d, tt.step); got != tt.want {
			t.Errorf("FormatRelative(%v, %v) = %q; want %q", tt.d, tt.step, got, tt.want)
		}
	}
}

func TestTimeMapAndInvert(t *testing.T) {
	s := NewTime(at(0), at(3600), 0, 1200)
	if got := s.MapTime(at(900)); got != 300 {
		t.Errorf("MapTime(+15m) = %v; want 300", got)
	}
	if got := s.InvertTime(300); !got.Equal(at(900)) {
		t.Errorf("InvertTime(300) = %v; want %v", got, at(900))
	}
	if got := s.Map(Seconds(at(900))); math.Abs(got-300) > 1e-6 {
		t.Errorf("Map(Seconds(+15m)) = %v; want 300", got)
	}
	if got := FromSeconds(Seconds(at(900).Add(1500 * time.Microsecond))); !got.Equal(at(900).Add(1500 * time.Microsecond)) {
		t.Errorf("FromSeconds(Seconds(t)) = %v; want %v", got, at(900).Add(1500*time.Microsecond))
	}
	if got := FromSeconds(math.NaN()); !got.IsZero() {
		t.Errorf("FromSeconds(NaN) = %v; want the zero time", got)
	}
	empty := NewTime(at(5), at(5), 0, 100)
	if got := empty.MapTime(at(99)); got != 50 {
		t.Errorf("empty domain MapTime = %v; want 50", got)
	}
}
