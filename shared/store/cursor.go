package store

import (
	"fmt"
	"strconv"
)

// cursor is a position in a run's log. Forward cursors ("c" + base-36
// seq) return lines starting at pos; backward cursors ("b" + base-36 seq)
// return the lines just before pos. Clients treat the string as opaque.
type cursor struct {
	pos      int64
	backward bool
}

// String encodes c: "c" or "b" and the position in base 36.
func (c cursor) String() string {
	p := "c"
	if c.backward {
		p = "b"
	}
	return p + strconv.FormatInt(c.pos, 36)
}

// maxCursorLen bounds the base-36 digits of a cursor: 13 digits cover
// every int64.
const maxCursorLen = 14

// parseCursor decodes the output of cursor.String. Errors name the
// problem: `invalid cursor "x1": must start with c or b`.
func parseCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{}, fmt.Errorf("invalid cursor %q: empty", s)
	}
	if len(s) > maxCursorLen {
		return cursor{}, fmt.Errorf("invalid cursor %q: too long", truncate(s, 20))
	}
	var c cursor
	switch s[0] {
	case 'c':
	case 'b':
		c.backward = true
	default:
		return cursor{}, fmt.Errorf("invalid cursor %q: must start with c or b", s)
	}
	digits := s[1:]
	if digits == "" {
		return cursor{}, fmt.Errorf("invalid cursor %q: missing position", s)
	}
	for _, r := range digits {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return cursor{}, fmt.Errorf("invalid cursor %q: position must be lowercase base 36", s)
		}
	}
	pos, err := strconv.ParseInt(digits, 36, 64)
	if err != nil {
		return cursor{}, fmt.Errorf("invalid cursor %q: position out of range", s)
	}
	if strconv.FormatInt(pos, 36) != digits { // leading zeros: one string per position
		return cursor{}, fmt.Errorf("invalid cursor %q: not canonical", s)
	}
	c.pos = pos
	return c, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
