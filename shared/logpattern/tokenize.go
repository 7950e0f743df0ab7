package logpattern

import "strings"

// Wildcard is the token that stands for a variable part of a message.
const Wildcard = "<*>"

// token is one token of a message. glued is true when no whitespace
// separated it from the previous token, so templates print as "loss=<*>"
// and not "loss = <*>".
type token struct {
	text  string
	glued bool
}

// Tokens splits message into the tokens the miner compares, with variable
// parts masked as Wildcard:
//
//   - words are split on whitespace, and further around = , ; ( ) [ ] { }
//     quotes and |, and around : after a key ("step:1200"), each separator
//     being its own token;
//   - the name before = or : stays, so "lr=3e-4" gives "lr", "=", "<*>";
//   - numbers with or without units (12, -0.5, 2.9e-4, 150ms, 97%, 1.2GB),
//     anything else holding a digit (ids such as run-0042 or rank3, hashes,
//     uuids, dates, times, IPs with ports), hex strings of 8 or more
//     characters, e-mail addresses, paths (/data/shard-3, ./out, ~/x) and
//     URLs (s3://bucket/key, https://host/path) become Wildcard, each as one
//     token whatever its punctuation.
//
// The result is deterministic and depends only on message.
func Tokens(message string) []string {
	toks := appendTokens(nil, message)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.text
	}
	return out
}

// appendTokens appends the masked tokens of message to dst.
func appendTokens(dst []token, message string) []token {
	first := true
	for i := 0; i < len(message); {
		for i < len(message) && isSpace(message[i]) {
			i++
		}
		j := i
		for j < len(message) && !isSpace(message[j]) {
			j++
		}
		if j > i {
			n := len(dst)
			dst = appendWord(dst, message[i:j])
			if !first && len(dst) > n {
				dst[n].glued = false
			}
			first = false
		}
		i = j
	}
	if len(dst) > 0 {
		dst[0].glued = false
	}
	return dst
}

// opening returns the bracket that c closes, or 0.
func opening(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	case '}':
		return '{'
	}
	return 0
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// appendWord appends the tokens of one whitespace-free word, all glued.
func appendWord(dst []token, w string) []token {
	// Opening punctuation before the word and closing punctuation after it
	// are tokens of their own, so "(step" and "step," match "step".
	lead := 0
	for lead < len(w) && strings.IndexByte(`([{"'<`, w[lead]) >= 0 {
		lead++
	}
	trail := len(w)
	for trail > lead && strings.IndexByte(`)]}"'>,;.:!?`, w[trail-1]) >= 0 {
		if open := opening(w[trail-1]); open != 0 && strings.IndexByte(w[lead:trail-1], open) >= 0 {
			break // "/runs/{id}" keeps its brace
		}
		trail--
	}
	for k := range lead {
		dst = append(dst, token{text: w[k : k+1], glued: true})
	}
	if core := w[lead:trail]; core != "" {
		if isURLOrPath(core) {
			dst = append(dst, token{text: Wildcard, glued: true})
		} else {
			dst = appendCore(dst, core)
		}
	}
	for k := trail; k < len(w); k++ {
		dst = append(dst, token{text: w[k : k+1], glued: true})
	}
	return dst
}

// appendCore splits a word's core around separators and masks each piece.
func appendCore(dst []token, core string) []token {
	start := 0
	emit := func(piece string, key bool) {
		if piece == "" {
			return
		}
		if !key && isVariable(piece) {
			piece = Wildcard
		}
		dst = append(dst, token{text: piece, glued: true})
	}
	for i := 0; i < len(core); i++ {
		c := core[i]
		switch {
		case isSeparator(c):
		case c == ':' && i+1 < len(core) && isKey(core[start:i]):
		default:
			continue
		}
		piece := core[start:i]
		emit(piece, c == '=' || c == ':')
		dst = append(dst, token{text: core[i : i+1], glued: true})
		start = i + 1
	}
	emit(core[start:], false)
	return dst
}

func isSeparator(c byte) bool {
	switch c {
	case '=', ',', ';', '(', ')', '[', ']', '{', '}', '"', '\'', '|':
		return true
	}
	return false
}

// isKey reports whether s is a field name before ':': letters, '_', '-'
// and '.', starting with a letter, no digits.
func isKey(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isURLOrPath reports whether a whole word is a URL or a file path, which
// is masked as one token whatever separators it holds.
func isURLOrPath(s string) bool {
	if strings.Contains(s, "://") {
		return true
	}
	switch {
	case len(s) > 1 && s[0] == '/' && s[1] != '/' && strings.IndexByte(s[1:], '=') < 0:
		return true
	case strings.HasPrefix(s, "./"), strings.HasPrefix(s, "../"), strings.HasPrefix(s, "~/"):
		return true
	}
	return false
}

// isVariable reports whether a piece (no separators left) is a value to
// mask: it holds a digit, an '@', a path, or is a long hex string.
func isVariable(s string) bool {
	hex := len(s) >= 8
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c == '@' && len(s) > 1 {
			return true
		}
		if hex && !(c|0x20 >= 'a' && c|0x20 <= 'f') {
			hex = false
		}
	}
	return hex || isURLOrPath(s)
}
