package emailaddr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grafana-invites/grafana-invites/internal/emailaddr"
)

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		why  string
	}{
		{"bob@example.com", true, "plain"},
		{"Bob.Smith+tag@Example.COM", true, "case is folded, + and dots in the local part"},
		{"o'neil@example.co.uk", true, "apostrophe, several labels"},
		{"bob@example.com.", true, "a trailing dot"},
		{"bob@sub-domain.example.c1", true, "a top-level label may end with a digit"},
		{"bob@a..b.com", true, "dots inside a label are allowed by the grammar"},
		{"jöhn@exämple.com", true, "Unicode letters"},
		{`"j"@example.com`, true, "a quoted local part of one character"},
		{`"j" "o"@example.com`, false, "white space between runs"},
		{`"j"o"@example.com`, true, "two runs"},
		{`"john doe"@example.com`, false, "Grafana's pattern takes one character per quote"},
		{`"a\"b"@example.com`, false, "a backslash is not text"},
		{`"("@example.com`, true, "( pairs with the next character, a quote included"},
		{`"(""@example.com`, true, "( pairs with a quote, then the closing quote"},
		{`"@example.com`, true, "a lone quote (Grafana's pattern misplaces a parenthesis)"},
		{"\"\r\n a\"@example.com", true, "folded white space"},
		{"\"\r\na\"@example.com", false, "CRLF without white space after it"},
		{"\"a \"@example.com", true, "white space before the closing quote"},
		{`"@"@example.com`, true, "an @ inside quotes"},
		{"admin@localhost", false, "a domain without a dot"},
		{"bob@example.123", false, "a numeric top-level domain"},
		{"bob@1.2.3.4", false, "an IP address"},
		{"@example.com", false, "an empty local part"},
		{"foo@", false, "an empty domain"},
		{"a@b@c.com", false, "two @"},
		{"bob", false, "a login"},
		{"", false, "empty"},
		{".bob@example.com", false, "a leading dot"},
		{"bob.@example.com", false, "a trailing dot in the local part"},
		{"bo..b@example.com", false, "a doubled dot in the local part"},
		{"bob@-example.com", false, "a label starting with -"},
		{"bob@example-.com", false, "a label ending with -"},
		{"bob@example.com-", false, "a top-level label ending with -"},
		{"bob@.example.com", false, "a leading dot in the domain"},
		{"bob@example.com..", false, "two trailing dots"},
		{"bob smith@example.com", false, "a space"},
		{"bob@exa mple.com", false, "a space in the domain"},
		{`"unterminated@example.com`, false, "an open quote"},
		{"bob@example.c", true, "a one-letter top-level label"},
		{"b@e.c", true, "short"},
		{"bob@[1.2.3.4]", false, "an address literal"},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			assert.Equal(t, tt.want, emailaddr.Valid(tt.in), tt.in)
		})
	}
}

func FuzzValid(f *testing.F) {
	for _, s := range []string{"bob@example.com", `"a b"@c.d`, "admin@localhost", "x@y.1", "a@b.c."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := emailaddr.Valid(s)
		if v && !containsAt(s) {
			t.Fatalf("%q is valid without an @", s)
		}
	})
}

func containsAt(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			return true
		}
	}
	return false
}
