package fakegrafana

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCodeAlphabet: codes are 30 characters of [0-9A-Za-z], and every one of the 62 turns
// up (6 000 draws: a missing one has a chance of about 10⁻⁴² per character).
func TestCodeAlphabet(t *testing.T) {
	seen := map[rune]int{}
	for range 200 {
		code := newCode()
		assert.Len(t, code, 30)
		for _, r := range code {
			seen[r]++
		}
	}
	for _, r := range codeAlphabet {
		assert.Positive(t, seen[r], "%q never drawn", r)
	}
	for r := range seen {
		assert.True(t, strings.ContainsRune(codeAlphabet, r), "%q is outside the alphabet", r)
	}
	assert.Len(t, randomAlnum(100), 100, "more than one buffer of random bytes")
}
