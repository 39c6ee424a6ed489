package api

import (
	"fmt"
	"strings"
)

// prefix starts the message of every error of this package, once: wrapping one of its
// errors in another adds context without repeating it.
const prefix = "grafana: "

// pkgError is an error of this package made by errorf: its message without the prefix and
// the errors it wraps.
type pkgError struct {
	text    string
	wrapped []error
}

func (e *pkgError) Error() string       { return prefix + e.text }
func (e *pkgError) bareMessage() string { return e.text }
func (e *pkgError) Unwrap() []error     { return e.wrapped }

// bare is an error's message without this package's prefix: errors of this package say
// what they are without it; any other error as it is.
func bare(err error) string {
	if b, ok := err.(interface{ bareMessage() string }); ok {
		return b.bareMessage()
	}
	return err.Error()
}

// errorf is fmt.Errorf for this package: the message gets the prefix once, each %w operand
// is wrapped (for errors.Is and errors.As) and shown without its own prefix.
func errorf(format string, args ...any) error {
	shown := make([]any, len(args))
	var wrapped []error
	for i, a := range args {
		shown[i] = a
		if err, ok := a.(error); ok && err != nil {
			shown[i] = bare(err)
			wrapped = append(wrapped, err)
		}
	}
	return &pkgError{text: fmt.Sprintf(strings.ReplaceAll(format, "%w", "%s"), shown...), wrapped: wrapped}
}

// joined joins errors as errors.Join does, in one message with the prefix once: their
// messages separated by "; ". It is nil when every error is.
func joined(errs ...error) error {
	var kept []error
	var texts []string
	for _, err := range errs {
		if err != nil {
			kept = append(kept, err)
			texts = append(texts, bare(err))
		}
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	return &pkgError{text: strings.Join(texts, "; "), wrapped: kept}
}
