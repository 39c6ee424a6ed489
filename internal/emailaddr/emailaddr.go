// Package emailaddr decides "is this an email address" the way Grafana does, for every part
// of this repository that must agree with it: the fake (whether an invite is mailed, and
// whether its answer says "Sent" or "Created") and the command-line tool (which addresses it
// accepts).
//
// Grafana lower-cases the text and matches it against the address grammar of its
// util.IsEmail. Written here from that grammar, not copied:
//
//   - local part: dot-separated atoms of letters, digits, !#$%&'*+-/=?^_`{|}~ and the
//     Unicode ranges U+00A0–U+D7FF, U+F900–U+FDCF, U+FDF0–U+FFEF; or quoted text (see
//     quotedEnds for what Grafana's pattern really accepts there);
//   - then one "@";
//   - domain: labels and a top-level label joined by dots, with an optional trailing dot.
//     Labels start and end with a letter, digit or one of those Unicode characters and may
//     hold "-", ".", "_" and "~" inside; the top-level label must start with a letter (or
//     Unicode character), so a numeric top-level domain is refused; a domain without a dot
//     ("localhost") is refused.
//
// Go's net/mail is more lenient in some places (dotless domains) and stricter in others.
package emailaddr

import (
	"strings"
	"unicode/utf8"
)

// Valid reports whether Grafana takes s for an email address.
func Valid(s string) bool {
	s = strings.ToLower(s)
	if rest, ok := dotAtom(s); ok {
		return strings.HasPrefix(rest, "@") && domain(rest[1:])
	}
	// A quoted local part can end at more than one quote (see quotedEnds).
	for _, end := range quotedEnds(s) {
		if rest := s[end:]; strings.HasPrefix(rest, "@") && domain(rest[1:]) {
			return true
		}
	}
	return false
}

// dotAtom consumes an unquoted local part at the start of s and returns what follows it.
func dotAtom(s string) (string, bool) {
	atomLen := 0
	for i, r := range s {
		switch {
		case r == '.':
			if atomLen == 0 {
				return "", false // leading or doubled dot
			}
			atomLen = 0
		case isAtomRune(r):
			atomLen++
		default:
			if atomLen == 0 {
				return "", false // empty local part, or a trailing dot
			}
			return s[i:], true
		}
	}
	return "", false // no "@"
}

// quotedState is where a quoted local part may be: at pos, in a run (after its quote,
// before its one piece of text) or between runs, and within folding white space or not.
type quotedState struct {
	pos   int
	inRun bool
	fws   int // 0 none, 1 after white space, 2 after CRLF (white space must follow), 3 after CRLF and white space
}

// quotedEnds returns every offset just past a closing quote at which a quoted local part
// at the start of s may end; the caller tries each.
//
// Grafana's pattern for it misplaces a parenthesis, and what it accepts is this: zero or
// more runs, each a quote, optional folding white space and exactly one piece of text; then
// optional folding white space and a closing quote. So `"` alone is a local part, and
// `"a"` is one, but `"ab"` is not. A piece of text is one text character (0x01–0x08, 0x0b,
// 0x0c, 0x0e–0x1f, 0x21, 0x23–0x5b, 0x5d–0x7f, or the Unicode ranges) or "(" followed by any
// of 0x01–0x09, 0x0b, 0x0c, 0x0d–0x7f. Folding white space is spaces and tabs, with at most
// one CRLF, which must be followed by a space or a tab. A backslash is not text.
func quotedEnds(s string) []int {
	var ends []int
	seen := map[quotedState]bool{}
	queue := []quotedState{{}}
	push := func(st quotedState) {
		if !seen[st] {
			seen[st] = true
			queue = append(queue, st)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		if st.pos >= len(s) {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[st.pos:])
		next := st.pos + size
		wsp := r == ' ' || r == '\t'
		crlf := strings.HasPrefix(s[st.pos:], "\r\n")
		if st.fws != 2 { // a quote or text may follow nothing, or complete white space
			switch {
			case st.inRun:
				if isQuotedTextRune(r) {
					push(quotedState{pos: next})
				}
				if r == '(' && next < len(s) {
					if p, psize := utf8.DecodeRuneInString(s[next:]); isQuotedPairRune(p) {
						push(quotedState{pos: next + psize})
					}
				}
			case r == '"':
				ends = append(ends, next)
				if st.fws == 0 {
					push(quotedState{pos: next, inRun: true})
				}
			}
		}
		switch {
		case wsp && st.fws >= 2:
			push(quotedState{pos: next, inRun: st.inRun, fws: 3})
		case wsp:
			push(quotedState{pos: next, inRun: st.inRun, fws: 1})
		case crlf && st.fws <= 1:
			push(quotedState{pos: st.pos + 2, inRun: st.inRun, fws: 2})
		}
	}
	return ends
}

// domain reports whether s is a domain as Grafana's grammar has it.
func domain(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !isLabelEnd(first) || !isLabelEnd(last) {
		return false
	}
	split := false
	prev := rune(-1)
	for i, r := range s {
		if !isLabelEnd(r) && r != '-' && r != '.' && r != '_' && r != '~' {
			return false
		}
		// A dot that ends a label (after a letter or digit) and starts the top-level label
		// (before a letter) splits the domain as the grammar needs.
		if prev == '.' && isTopLevelStart(r) && i >= 2 {
			before, _ := utf8.DecodeLastRuneInString(s[:i-1])
			if isLabelEnd(before) {
				split = true
			}
		}
		prev = r
	}
	return split
}

func isUnicodeLetter(r rune) bool {
	return r >= 0x00A0 && r <= 0xD7FF || r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFEF
}

func isAlpha(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAtomRune(r rune) bool {
	return isAlpha(r) || isDigit(r) || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r) || isUnicodeLetter(r)
}

func isLabelEnd(r rune) bool { return isAlpha(r) || isDigit(r) || isUnicodeLetter(r) }

func isTopLevelStart(r rune) bool { return isAlpha(r) || isUnicodeLetter(r) }

// isQuotedTextRune: what may stand unescaped between quotes.
func isQuotedTextRune(r rune) bool {
	return r >= 0x01 && r <= 0x08 || r == 0x0b || r == 0x0c || r >= 0x0e && r <= 0x1f || r == 0x7f ||
		r == 0x21 || r >= 0x23 && r <= 0x5b || r >= 0x5d && r <= 0x7e || isUnicodeLetter(r)
}

// isQuotedPairRune: what may follow "(" as a pair between quotes.
func isQuotedPairRune(r rune) bool {
	return r >= 0x01 && r <= 0x09 || r == 0x0b || r == 0x0c || r >= 0x0d && r <= 0x7f || isUnicodeLetter(r)
}
