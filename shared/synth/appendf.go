package synth

import (
	"strconv"
	"strings"
)

// arg is one argument of appendf. Wrapping arguments in a concrete type,
// instead of fmt's ...any, keeps log line formatting free of allocations
// and reflection: scans format hundreds of thousands of lines.
type arg struct {
	i int64
	f float64
	s string
}

// argI wraps an integer.
func argI[T ~int | ~int64 | ~uint64](x T) arg { return arg{i: int64(x)} }

// argF wraps a float.
func argF(x float64) arg { return arg{f: x} }

// argS wraps a string.
func argS[T ~string](x T) arg { return arg{s: string(x)} }

// appendf appends format to dst with its verbs replaced by args, like
// fmt.Appendf for the subset log templates use: %d and %x (optionally
// zero-padded: %05d, %06x), %s, %.Nf, %.Ne and %%. Output is identical to
// fmt's for these verbs.
func appendf(dst []byte, format string, args ...arg) []byte {
	n := 0
	for i := 0; i < len(format); i++ {
		// Copy the text up to the next verb in one append.
		j := strings.IndexByte(format[i:], '%')
		if j < 0 {
			return append(dst, format[i:]...)
		}
		dst = append(dst, format[i:i+j]...)
		i += j + 1
		if format[i] == '%' {
			dst = append(dst, '%')
			continue
		}
		zero, width, prec := false, 0, -1
		if format[i] == '0' {
			zero = true
			i++
		}
		for ; format[i] >= '0' && format[i] <= '9'; i++ {
			width = width*10 + int(format[i]-'0')
		}
		if format[i] == '.' {
			prec = 0
			for i++; format[i] >= '0' && format[i] <= '9'; i++ {
				prec = prec*10 + int(format[i]-'0')
			}
		}
		a := args[n]
		n++
		switch format[i] {
		case 'd', 'x':
			base, v := 10, a.i
			if format[i] == 'x' {
				base = 16
			}
			if v < 0 {
				dst = append(dst, '-')
				v, width = -v, width-1
			}
			if zero {
				for d := digits(uint64(v), base); d < width; d++ {
					dst = append(dst, '0')
				}
			}
			dst = strconv.AppendUint(dst, uint64(v), base)
		case 's':
			dst = append(dst, a.s...)
		case 'f', 'e':
			dst = strconv.AppendFloat(dst, a.f, format[i], prec, 64)
		}
	}
	return dst
}

// digits returns the number of digits of v in base.
func digits(v uint64, base int) int {
	n := 1
	for v >= uint64(base) {
		v /= uint64(base)
		n++
	}
	return n
}
