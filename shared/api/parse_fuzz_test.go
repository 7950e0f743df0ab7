package api

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aiinfra/studio/shared/studio"
)

// checkParseErr fails unless err is nil or a short CodeInvalid error.
func checkParseErr(t *testing.T, input string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if code := studio.ErrorCode(err); code != studio.CodeInvalid {
		t.Fatalf("%q: ErrorCode = %q; want invalid (%v)", input, code, err)
	}
	if msg := studio.ErrorMessage(err); msg == "" || len(msg) > 512 || !utf8.ValidString(msg) {
		t.Fatalf("%q: message %q must be non-empty valid utf-8 of at most 512 bytes", input, msg)
	}
}

// checkText fails if a parsed free-text filter broke its bounds.
func checkText(t *testing.T, input, q string) {
	t.Helper()
	if utf8.RuneCountInString(q) > MaxQueryLength || !utf8.ValidString(q) {
		t.Fatalf("%q: q %q exceeds its bounds", input, q)
	}
	for _, r := range q {
		if unicode.IsControl(r) {
			t.Fatalf("%q: q %q has a control character", input, q)
		}
	}
}

func FuzzParseListQuery(f *testing.F) {
	for _, tt := range listQueryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseListQuery(v, ExperimentSorts) // must never panic
		checkParseErr(t, raw, err)
		if err != nil {
			return
		}
		if q.Limit < 1 || q.Limit > MaxListLimit || q.Offset < 0 || q.Offset > MaxOffset {
			t.Fatalf("%q: limit %d or offset %d out of bounds", raw, q.Limit, q.Offset)
		}
		if q.Sort != "" && !slices.Contains(ExperimentSorts, q.Sort) {
			t.Fatalf("%q: sort %q not allowed", raw, q.Sort)
		}
		checkText(t, raw, q.Q)
	})
}

func FuzzParseRunQuery(f *testing.F) {
	for _, tt := range runQueryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseRunQuery(v)
		checkParseErr(t, raw, err)
		if err != nil {
			return
		}
		for _, s := range q.Status {
			if !s.Valid() {
				t.Fatalf("%q: invalid status %q accepted", raw, s)
			}
		}
		if len(q.Status) > MaxListValues {
			t.Fatalf("%q: %d statuses", raw, len(q.Status))
		}
		if q.Experiment != "" && ValidateID("experiment", string(q.Experiment)) != nil {
			t.Fatalf("%q: invalid experiment %q accepted", raw, q.Experiment)
		}
		checkText(t, raw, q.Q)
	})
}

func FuzzParseLogQuery(f *testing.F) {
	for _, tt := range logQueryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseLogQuery(v)
		checkParseErr(t, raw, err)
		if err != nil {
			return
		}
		positions := 0
		for _, given := range []bool{q.Cursor != "", q.FromSeq >= 0, q.FromTime != "", q.Tail > 0} {
			if given {
				positions++
			}
		}
		if positions > 1 {
			t.Fatalf("%q: %d positions accepted: %+v", raw, positions, q)
		}
		if q.Limit < 1 || q.Limit > MaxLogLimit || q.Tail < 0 || q.Tail > MaxLogLimit || q.FromSeq < -1 {
			t.Fatalf("%q: bounds broken: %+v", raw, q)
		}
		if q.Tail > 0 && q.Backward {
			t.Fatalf("%q: tail with backward accepted", raw)
		}
		if len(q.Cursor) > MaxCursorLength {
			t.Fatalf("%q: cursor of %d bytes accepted", raw, len(q.Cursor))
		}
		for _, l := range q.Level {
			if !l.Valid() {
				t.Fatalf("%q: invalid level %q", raw, l)
			}
		}
		checkText(t, raw, q.Q)
	})
}

func FuzzParseLogSearchQuery(f *testing.F) {
	for _, tt := range logSearchQueryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseLogSearchQuery(v)
		checkParseErr(t, raw, err)
		if err != nil {
			return
		}
		if q.Q == "" && len(q.Level) == 0 || strings.TrimSpace(q.Q) == "" && q.Q != "" ||
			q.Limit < 1 || q.Limit > MaxSearchSeqs || q.FromSeq < 0 {
			t.Fatalf("%q: bounds broken: %+v", raw, q)
		}
		for _, l := range q.Level {
			if !l.Valid() {
				t.Fatalf("%q: invalid level %q", raw, l)
			}
		}
		checkText(t, raw, q.Q)
	})
}

func FuzzParseMetricQuery(f *testing.F) {
	for _, tt := range metricQueryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseMetricQuery(v)
		checkParseErr(t, raw, err)
		if err != nil {
			return
		}
		if q.From < 0 || q.To < -1 || (q.To >= 0 && q.From > q.To) || q.MaxPoints < 0 || q.MaxPoints == 1 || q.MaxPoints > MaxMetricPoints {
			t.Fatalf("%q: bounds broken: %+v", raw, q)
		}
		for i, n := range q.Names {
			if !slices.Contains(studio.MetricNames, n) || slices.Contains(q.Names[:i], n) {
				t.Fatalf("%q: bad or repeated name %q", raw, n)
			}
		}
	})
}

func FuzzParseEventQuery(f *testing.F) {
	for _, tt := range eventQueryTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseEventQuery(v)
		checkParseErr(t, raw, err)
		if err != nil {
			return
		}
		for _, l := range q.Lanes {
			if !l.Valid() {
				t.Fatalf("%q: invalid lane %q", raw, l)
			}
		}
	})
}

func FuzzValidateID(f *testing.F) {
	for _, tt := range idTests {
		f.Add(tt.id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := ValidateID("run", id)
		checkParseErr(t, id, err)
		if err == nil && (id == "" || len(id) > MaxIDLength || url.PathEscape(id) != id) {
			t.Fatalf("ValidateID(%q) accepted an id that is not a clean path segment", id)
		}
	})
}

func FuzzDecodeCreateRun(f *testing.F) {
	for _, tt := range createRunTests {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeCreateRunRequest(body) // must never panic
		checkParseErr(t, string(body), err)
		if err != nil {
			if json.Valid(body) && studio.ErrorMessage(err) == "" {
				t.Fatalf("%q: empty message", body)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("%q: invalid json accepted", body)
		}
		// What was accepted must survive a round trip unchanged.
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", req, err)
		}
		back, err := DecodeCreateRunRequest(again)
		if err != nil || !reflect.DeepEqual(back, req) {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", body, back, err, req)
		}
	})
}
