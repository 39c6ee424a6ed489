package api

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIsFormat: the edges of every range of invisible or disguising characters.
func TestIsFormat(t *testing.T) {
	for r, want := range map[rune]bool{
		0x7f: false, 0x80: true, 0x9f: true, 0xa0: false,
		0x200a: false, 0x200b: true, 0x200f: true, 0x2010: false,
		0x202a: true, 0x202e: true, 0x202f: false,
		0x2065: false, 0x2066: true, 0x2069: true, 0x206a: false,
		0x2027: false, 0x2028: true, 0x2029: true,
		0xfefe: false, 0xfeff: true, 0xff00: false, 'a': false,
	} {
		assert.Equal(t, want, isFormat(r), "%U", r)
	}
}

// TestPrintable: controls and format characters go; the text is cut past maxLen, not at it.
func TestPrintable(t *testing.T) {
	assert.Equal(t, "abc", printable("abc", 3), "exactly maxLen: kept whole")
	assert.Equal(t, "ab…", printable("abc", 2))
	assert.Equal(t, "ab", printable("a\x00\u200bb\u202e", 10))
	assert.Equal(t, "é…", printable("éé", 3), "cut at a rune boundary")
}

// TestNewRedactor: secrets of minSecretLen characters and more are scrubbed, in their JSON
// form too; shorter ones are left, lest they mangle text.
func TestNewRedactor(t *testing.T) {
	long := strings.Repeat("s", minSecretLen)
	r := newRedactor(long, strings.Repeat("t", minSecretLen-1), `pa"ss\wo`)
	assert.Equal(t, redactor{long, `pa"ss\wo`, `pa\"ss\\wo`}, r)
	assert.Equal(t, "x "+redacted+" y", r.scrub("x "+long+" y"))

	basic := clientSecrets("", "admin", "hunter22")
	assert.Contains(t, basic, "YWRtaW46aHVudGVyMjI=", "the Basic credentials as they travel")
	assert.Equal(t, redactor{"glsa_abcdef"}, clientSecrets("glsa_abcdef", "", ""))
}

// TestScrubError: an error holding a secret comes back scrubbed, still matching what it
// wrapped; one without is returned as it is.
func TestScrubError(t *testing.T) {
	r := newRedactor("glsa_topsecret")
	base := errors.New("dial: glsa_topsecret refused")
	got := r.scrubError(base)
	assert.NotContains(t, got.Error(), "topsecret")
	assert.ErrorIs(t, got, base)
	clean := errors.New("nothing to hide")
	assert.Same(t, clean, r.scrubError(clean))
	require.NoError(t, r.scrubError(nil))
}
