package chart

import (
	"math"
	"testing"
)

func TestNumberFormat(t *testing.T) {
	tests := []struct {
		name string
		f    NumberFormat
		v    float64
		want string
	}{
		{"four significant digits", NumberFormat{}, 0.41234, "0.4123"},
		{"trailing zeros dropped", NumberFormat{}, 0.5, "0.5"},
		{"integer", NumberFormat{}, 100, "100"},
		{"negative", NumberFormat{}, -2.5, "-2.5"},
		{"zero", NumberFormat{}, 0, "0"},
		{"negative zero", NumberFormat{}, math.Copysign(0, -1), "0"},
		{"compact small", NumberFormat{}, 0.00029, "2.9e-4"},
		{"compact small, more digits", NumberFormat{}, 0.000123456, "1.235e-4"},
		{"compact small rounds up a decade", NumberFormat{Digits: 2}, 0.000999, "1e-3"},
		{"kilo", NumberFormat{}, 1500, "1.5k"},
		{"kilo rounds up to mega", NumberFormat{}, 999960, "1M"},
		{"below kilo rounds up", NumberFormat{}, 999.96, "1k"},
		{"just below kilo", NumberFormat{}, 999.6, "999.6"},
		{"mega", NumberFormat{}, 12e6, "12M"},
		{"giga", NumberFormat{}, 3e9, "3G"},
		{"exa", NumberFormat{}, 2e18, "2E"},
		{"beyond SI", NumberFormat{}, 1e21, "1e21"},
		{"negative kilo", NumberFormat{}, -1500, "-1.5k"},
		{"two digits", NumberFormat{Digits: 2}, 3.14159, "3.1"},
		{"unit after a space", NumberFormat{Unit: "samples/s"}, 1500, "1.5k samples/s"},
		{"percent unit", NumberFormat{Unit: "%"}, 97.25, "97.25%"},
		{"fraction as percent", NumberFormat{Fraction: true, Unit: "%"}, 0.25, "25%"},
		{"fraction with step", NumberFormat{Fraction: true, Unit: "%", Step: 0.05}, 0.15, "15%"},
		{"step in tenths", NumberFormat{Step: 0.2}, 0.4, "0.4"},
		{"step in tenths, whole value", NumberFormat{Step: 0.5}, 1, "1"},
		{"step keeps precision", NumberFormat{Step: 0.25}, 0.123456, "0.12"},
		{"step hides float noise", NumberFormat{Step: 0.1}, 0.30000000000000004, "0.3"},
		{"step noise near zero", NumberFormat{Step: 0.1}, -1e-17, "0"},
		{"small step is scientific", NumberFormat{Step: 0.0005}, 0.0015, "1.5e-3"},
		{"small step, round value", NumberFormat{Step: 0.0005}, 0.002, "2e-3"},
		{"tiny step", NumberFormat{Step: 1e-5}, 2e-5, "2e-5"},
		{"large step", NumberFormat{Step: 500}, 2500, "2.5k"},
		{"large step below kilo", NumberFormat{Step: 500}, 500, "500"},
		{"step of steps", NumberFormat{Step: 2000}, 12000, "12k"},
		{"NaN", NumberFormat{Unit: "ms"}, math.NaN(), "NaN"},
		{"+Inf", NumberFormat{}, math.Inf(1), "+Inf"},
		{"-Inf", NumberFormat{}, math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Format(tt.v); got != tt.want {
				t.Errorf("%+v.Format(%v) = %q; want %q", tt.f, tt.v, got, tt.want)
			}
		})
	}
}

func TestNumberFormatAppendDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		buf = NumberFormat{Step: 0.5, Unit: "ms"}.Append(buf[:0], 1234.5)
	})
	if allocs != 0 {
		t.Errorf("Append allocated %v times; want 0", allocs)
	}
}
