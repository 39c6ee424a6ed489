package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuoteShort(t *testing.T) {
	assert.Equal(t, `"bob"`, quoteShort("bob"))
	long := strings.Repeat("é", 70)
	assert.Equal(t, `"`+strings.Repeat("é", 64)+`"…`, quoteShort(long))
	assert.Equal(t, `"a\x00b"`, quoteShort("a\x00b"))
}

func TestQuoteByte(t *testing.T) {
	assert.Equal(t, `'/'`, quoteByte('/'))
	assert.Equal(t, "byte 0xc3", quoteByte(0xc3))
}

func TestTextBoundaries(t *testing.T) {
	exact := strings.Repeat("x", 64)
	assert.Equal(t, `"`+exact+`"`, quoteShort(exact), "64 characters: whole")
	assert.Equal(t, `"`+exact+`"…`, quoteShort(exact+"y"))
	assert.Equal(t, `'\x7f'`, quoteByte(0x7f), "the last ASCII byte")
	assert.Equal(t, "byte 0x80", quoteByte(0x80))
	for b, want := range map[byte]bool{'0': true, '9': true, 'a': true, 'z': true, 'A': true, 'Z': true, '/': false, ':': false, '`': false, '{': false, '@': false, '[': false} {
		assert.Equal(t, want, isAlnum(b), "%q", b)
	}
	for r, want := range map[rune]bool{0x1f: true, 0x20: false, 0x7e: false, 0x7f: true, 0: true} {
		assert.Equal(t, want, isControl(r), "%U", r)
	}
}
