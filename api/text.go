package api

import (
	"strconv"
	"unicode/utf8"
)

// quoteShort quotes s for an error message, shortened to 64 characters.
func quoteShort(s string) string {
	const maxLen = 64
	if utf8.RuneCountInString(s) > maxLen {
		r := []rune(s)
		return strconv.Quote(string(r[:maxLen])) + "…"
	}
	return strconv.Quote(s)
}

// quoteByte names a byte for an error message.
func quoteByte(b byte) string {
	if b < utf8.RuneSelf {
		return strconv.QuoteRune(rune(b))
	}
	return "byte 0x" + strconv.FormatUint(uint64(b), 16)
}

func isAlnum(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
