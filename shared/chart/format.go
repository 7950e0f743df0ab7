package chart

import (
	"math"
	"strconv"
)

// siSuffixes are the suffixes for 10^3, 10^6, ... 10^18.
var siSuffixes = [...]string{"k", "M", "G", "T", "P", "E"}

// NumberFormat writes numbers for axis labels and tooltips.
//
// Values of magnitude 1000 or more get an SI suffix (1.5k, 12M, 3G),
// non-zero values below 0.001 are written in compact scientific form
// (2.9e-4), and everything else as a plain decimal. With a Step below
// 0.001 every label of the axis is scientific (1.5e-3, 2e-3), so an axis
// never mixes notations. Trailing zeros are dropped, so labels read 0,
// 0.5, 1 and never 1.0 or -0.
//
// The zero NumberFormat writes each value with 4 significant digits.
type NumberFormat struct {
	// Step is the spacing of the ticks being labelled. When set, every
	// label gets the precision the step needs (ticks 0.0015 apart print as
	// 0.0015, 0.003, 0.0045). When 0, each value is written on its own
	// with Digits significant digits.
	Step float64
	// Digits is the number of significant digits when Step is 0; 0 means 4.
	Digits int
	// Unit is appended to the number: "%" directly, any other unit after a
	// space ("1.2k samples/s").
	Unit string
	// Fraction says values are fractions of 1 shown as percentages: they
	// are multiplied by 100 before formatting (0.25 prints as 25 with Unit
	// "%").
	Fraction bool
}

// Format returns v as text. NaN prints as "NaN" and infinities as "+Inf"
// and "-Inf", without the unit.
func (f NumberFormat) Format(v float64) string {
	var buf [32]byte
	return string(f.Append(buf[:0], v))
}

// Append appends the text of v to dst and returns the extended slice.
func (f NumberFormat) Append(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-Inf"...)
	}
	step := math.Abs(f.Step)
	if f.Fraction {
		v *= 100
		step *= 100
	}
	if !finite(step) {
		step = 0
	}
	dst = appendNumber(dst, v, step, f.Digits)
	switch f.Unit {
	case "":
	case "%":
		dst = append(dst, '%')
	default:
		dst = append(dst, ' ')
		dst = append(dst, f.Unit...)
	}
	return dst
}

// appendNumber writes finite v with the precision that step (or, when step
// is 0, digits significant digits) calls for.
func appendNumber(dst []byte, v, step float64, digits int) []byte {
	if digits <= 0 {
		digits = 4
	}
	digits = min(digits, 17)
	av := math.Abs(v)
	if av == 0 || (step > 0 && av < step*1e-9) {
		return append(dst, '0')
	}
	start := len(dst)
	// With a step, its size picks the notation so a whole axis reads alike.
	sci := av >= 1e21 || (step == 0 && av < 1e-3) || (step > 0 && step < 1e-3 && av < 1)
	switch {
	case !sci && av >= 999.5:
		e3 := min(pow10Floor(av)/3, len(siSuffixes))
		scale := math.Pow10(3 * e3)
		m := v / scale
		dec := decimals(m, step/scale, digits)
		if math.Abs(roundTo(m, dec)) >= 1000 && e3 < len(siSuffixes) {
			// 999.96k rounds to 1000k: move to the next suffix.
			e3++
			scale = math.Pow10(3 * e3)
			m = v / scale
			dec = decimals(m, step/scale, digits)
		}
		dst = appendFixed(dst, m, dec)
		if e3 > 0 {
			dst = append(dst, siSuffixes[e3-1]...)
		}
	case sci:
		e := pow10Floor(av)
		m := v / math.Pow10(e)
		dec := decimals(m, step/math.Pow10(e), digits)
		if math.Abs(roundTo(m, dec)) >= 10 {
			e++
			m = v / math.Pow10(e)
			dec = decimals(m, step/math.Pow10(e), digits)
		}
		dst = appendFixed(dst, m, dec)
		dst = append(dst, 'e')
		dst = strconv.AppendInt(dst, int64(e), 10)
	default:
		dst = appendFixed(dst, v, decimals(v, step, digits))
	}
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// decimals returns how many decimals v needs: those of step when step > 0,
// else enough for digits significant digits. The result is in [0, 12].
func decimals(v, step float64, digits int) int {
	if step > 0 {
		for d := 0; d <= 12; d++ {
			s := step * math.Pow10(d)
			if math.Abs(s-math.Round(s)) <= 1e-6*s {
				return d
			}
		}
		return 12
	}
	av := math.Abs(v)
	if av == 0 {
		return 0
	}
	return max(0, min(12, digits-1-pow10Floor(av)))
}

// appendFixed writes v with dec decimals and drops trailing zeros.
func appendFixed(dst []byte, v float64, dec int) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', dec, 64)
	return trimZeros(dst, start)
}

// trimZeros drops trailing zeros after a decimal point in dst[start:], and
// the point itself when nothing follows it.
func trimZeros(dst []byte, start int) []byte {
	dot := -1
	for i := start; i < len(dst); i++ {
		if dst[i] == '.' {
			dot = i
			break
		}
	}
	if dot < 0 {
		return dst
	}
	end := len(dst)
	for end > dot+1 && dst[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	return dst[:end]
}

func roundTo(v float64, dec int) float64 {
	p := math.Pow10(dec)
	return math.Round(v*p) / p
}
