package server

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzAppendUTC holds the UTC fast path of appendTime to time.Time's
// MarshalJSON, across years 0..9999 and every fraction length.
func FuzzAppendUTC(f *testing.F) {
	for _, tm := range []time.Time{
		{}, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 12, 0, 0, 123456789, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(2024, 2, 29, 7, 8, 9, 100000000, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 10, time.UTC),
	} {
		f.Add(tm.Unix(), int64(tm.Nanosecond()))
	}
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec, nsec).UTC()
		want, err := json.Marshal(tm)
		got, ok := appendTime(nil, tm)
		if (err == nil) != ok {
			t.Fatalf("MarshalJSON(%v) err %v but appendTime ok %v", tm, err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("appendTime(%v) = %s; want %s", tm, got, want)
		}
	})
}

// TestAppendUTCEveryDay compares appendTime with time's own formatting on
// every day of years 0..9999, at a time of day and a fraction that change
// from day to day, and at both ends of every 13th day.
func TestAppendUTCEveryDay(t *testing.T) {
	if testing.Short() {
		t.Skip("3,652,425 days")
	}
	var got, want []byte
	fracs := []int{0, 1, 10, 120_000_000, 5_000_000, 999_999_999, 30_000_000, 123_456_789, 700_000_000}
	for i, sec := 0, int64(minUTC); sec < maxUTC; i, sec = i+1, sec+86400 {
		tms := []time.Time{time.Unix(sec+int64(i*7919)%86400, int64(fracs[i%len(fracs)])).UTC()}
		if i%13 == 0 {
			tms = append(tms, time.Unix(sec, 0).UTC(), time.Unix(sec+86399, 999_000_000).UTC())
		}
		for _, tm := range tms {
			want = append(append(append(want[:0], '"'), tm.AppendFormat(nil, time.RFC3339Nano)...), '"')
			var ok bool
			if got, ok = appendTime(got[:0], tm); !ok || !bytes.Equal(got, want) {
				t.Fatalf("appendTime(%v) = %s, %v; want %s", tm, got, ok, want)
			}
		}
	}
	for _, tm := range []time.Time{time.Unix(minUTC-1, 999_999_999).UTC(), time.Unix(maxUTC, 0).UTC()} {
		if _, ok := appendTime(nil, tm); ok {
			t.Errorf("appendTime(%v) accepted a year outside 0..9999", tm)
		}
	}
}
