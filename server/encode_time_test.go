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
