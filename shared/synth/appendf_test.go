package synth

import (
	"fmt"
	"testing"
)

// appendfCases are formats of the subset appendf supports, with arguments
// for it and for fmt.
var appendfCases = []struct {
	format string
	args   []arg
	fmtArg []any
}{
	{"", nil, nil},
	{"plain text, no verb", nil, nil},
	{"%d", []arg{argI(-42)}, []any{-42}},
	{"step %d/%d loss=%.4f lr=%.2e", []arg{argI(7), argI(1000), argF(2.345678), argF(0.0003)}, []any{7, 1000, 2.345678, 0.0003}},
	{"shard-%05d.tar and %05d", []arg{argI(12), argI(-12)}, []any{12, -12}},
	{"ev-%06x %x", []arg{argI(0xabc), argI(0)}, []any{0xabc, 0}},
	{"%s:%s|%s", []arg{argS("a"), argS(""), argS("héllo")}, []any{"a", "", "héllo"}},
	{"mfu=%d.%d%%, 100%%", []arg{argI(45), argI(3)}, []any{45, 3}},
	{"%.1e %.0f %.2f%%", []arg{argF(1e-5), argF(2.5), argF(99.999)}, []any{1e-5, 2.5, 99.999}},
	{"trailing %d", []arg{argI(1 << 40)}, []any{1 << 40}},
	{"%d%d%s", []arg{argI(1), argI(2), argS("x")}, []any{1, 2, "x"}},
}

func TestAppendfMatchesFmt(t *testing.T) {
	for _, tt := range appendfCases {
		got := string(appendf([]byte("prefix:"), tt.format, tt.args...))
		if want := "prefix:" + fmt.Sprintf(tt.format, tt.fmtArg...); got != want {
			t.Errorf("appendf(%q) = %q; want %q", tt.format, got, want)
		}
	}
}

func FuzzAppendf(f *testing.F) {
	f.Add("rank%d: took %d.%02dms at %s (%.4f, %.2e) %05d %06x 50%%", int64(3), 4.5, "x")
	f.Fuzz(func(t *testing.T, text string, i int64, x float64, s string) {
		for _, c := range text {
			if c == '%' {
				return // text around the verbs only
			}
		}
		format := text + "%d" + text + "%05d%.4f%s%.2e%06x%%" + text
		got := string(appendf(nil, format, argI(i), argI(i), argF(x), argS(s), argF(x), argI(i)))
		if want := fmt.Sprintf(format, i, i, x, s, x, i); got != want {
			t.Fatalf("appendf(%q) = %q; want %q", format, got, want)
		}
	})
}
