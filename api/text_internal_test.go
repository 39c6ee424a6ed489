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
