package api

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// redacted stands where a secret was.
const redacted = "[REDACTED]"

// minSecretLen is the shortest secret scrubbed from what a server echoes: a shorter one
// ("admin") would mangle ordinary text.
const minSecretLen = 6

// redactor scrubs secrets from text that comes from the network or quotes it: the
// client's token, its password and the base64 of its Basic credentials, and the invitation
// code of the current call. Each secret is also scrubbed in its JSON-escaped form, as a
// server's body may carry it.
type redactor []string

// newRedactor keeps the secrets long enough to scrub, in every form a server may echo.
func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		r = append(r, s)
		if !strings.ContainsAny(s, "\"\\<>&\u2028\u2029") && !strings.ContainsFunc(s, isControl) {
			continue // its JSON form is itself
		}
		if q, err := json.Marshal(s); err == nil {
			if esc := string(q[1 : len(q)-1]); esc != s {
				r = append(r, esc)
			}
		}
	}
	return r
}

// clientSecrets are the client's own secrets, in the forms they travel in.
func clientSecrets(token, login, password string) redactor {
	var basic string
	if login != "" { // WithBasicAuth sets both or neither
		basic = base64.StdEncoding.EncodeToString([]byte(login + ":" + password))
	}
	return newRedactor(token, password, basic)
}

// keep returns a function returning r (see Client.secrets).
func keep(r redactor) func() redactor { return func() redactor { return r } }

// with returns r plus more secrets (a call's invitation code), leaving r unchanged.
func (r redactor) with(more ...string) redactor {
	extra := newRedactor(more...)
	if len(extra) == 0 {
		return r
	}
	return append(append(redactor(nil), r...), extra...)
}

// scrub replaces every secret in s.
func (r redactor) scrub(s string) string {
	for _, secret := range r {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// scrubBytes is scrub for a body; it returns b itself when no secret is in it.
func (r redactor) scrubBytes(b []byte) []byte {
	for _, secret := range r {
		if strings.Contains(string(b), secret) {
			return []byte(r.scrub(string(b)))
		}
	}
	return b
}

// scrubbedError is an error whose text had secrets in it: Error() is scrubbed, and
// errors.Is and errors.As still see what it wraps.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrubError returns err, or a scrubbedError when its text holds a secret.
func (r redactor) scrubError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := r.scrub(msg); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

// printable makes network text safe to print: it drops C0 and C1 control characters and
// the bidirectional and zero-width format characters (which can reorder or hide what a
// terminal or log viewer shows), then shortens it to maxLen bytes.
func printable(s string, maxLen int) string {
	s = strings.Map(func(r rune) rune {
		if isControl(r) || isFormat(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if len(s) > maxLen {
		s = strings.ToValidUTF8(s[:maxLen], "") + "…"
	}
	return s
}

// isFormat reports the C1 controls and the invisible format characters that can disguise
// text: zero-width spaces and joiners, bidirectional marks, embeddings, overrides and
// isolates, and the line and paragraph separators.
func isFormat(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r >= 0x200b && r <= 0x200f, // zero-width space, joiners, LRM, RLM
		r >= 0x202a && r <= 0x202e, // bidi embeddings and overrides
		r >= 0x2066 && r <= 0x2069, // bidi isolates
		r == 0x2028, r == 0x2029,   // line and paragraph separators
		r == 0xfeff: // zero-width no-break space (BOM)
		return true
	}
	return false
}
