package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// APIError is an answer of Grafana other than 2xx. Whatever the body was (one of Grafana's
// three JSON error shapes, HTML from a proxy, empty or truncated), the status is kept.
//
// A server may echo what it was sent. Every field here is scrubbed of the client's token,
// its password, the base64 of its Basic credentials and the invitation code of the call
// (each 6 characters or more, and their JSON-escaped forms), which read "[REDACTED]"; Body
// is the raw body with the same replacements.
//
// Compare with the sentinels (errors.Is(err, api.ErrNotFound)) or extract the details with
// errors.As.
type APIError struct { //nolint:revive // APIError is the documented name (errors.As(err, &*api.APIError)), as in go-tfe
	// StatusCode is the HTTP status, e.g. 412.
	StatusCode int
	// Method and URL identify the request. URL holds no credentials, and an invitation code
	// in it is shortened to its first characters.
	Method string
	URL    string
	// Message is Grafana's "message", or, when the body was not JSON, a short excerpt of it;
	// Error() shows it stripped of control and invisible format characters.
	Message string
	// MessageID is Grafana's "messageId" of authentication errors, e.g. "api-key.invalid".
	MessageID string
	// TraceID is Grafana's "traceID", to find the request in its logs; often empty.
	TraceID string
	// AccessErrorID is the "accessErrorId" of access-control denials.
	AccessErrorID string
	// RetryAfter is the Retry-After header, if any.
	RetryAfter string
	// Body is the body, at most 1 MiB, secrets replaced (see above); BodyTruncated
	// reports that there was more.
	Body          []byte
	BodyTruncated bool

	match func(*APIError) bool // set on sentinels only
}

// Error reports the request, the status and Grafana's message; never credentials.
func (e *APIError) Error() string { return prefix + e.bareMessage() }

func (e *APIError) bareMessage() string {
	if e.match != nil {
		return e.Message
	}
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.URL + ": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	// What Grafana (or a proxy) said is bounded and stripped of control characters here; the
	// fields keep it as it came.
	if e.Message != "" {
		b.WriteString(": " + printable(e.Message, 300))
	}
	if e.MessageID != "" {
		b.WriteString(" (messageId " + printable(e.MessageID, 80) + ")")
	}
	if e.TraceID != "" {
		b.WriteString(" (traceID " + printable(e.TraceID, 80) + ")")
	}
	return b.String()
}

// Is reports whether target is a sentinel that matches e, such as ErrNotFound.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	return ok && t.match != nil && e.match == nil && t.match(e)
}

func sentinel(msg string, match func(*APIError) bool) *APIError {
	return &APIError{Message: msg, match: match}
}

func status(code int) func(*APIError) bool {
	return func(e *APIError) bool { return e.StatusCode == code }
}

// Sentinels for errors.Is. Each matches *APIError values of the status, or the case, it names.
var (
	// ErrBadRequest matches 400: invalid body or role, or the login form is disabled.
	ErrBadRequest = sentinel("bad request", status(http.StatusBadRequest))
	// ErrUnauthorized matches 401: missing, invalid, expired or revoked credentials, or a
	// service-account token used for another organisation (see APIError.MessageID).
	ErrUnauthorized = sentinel("unauthorized", status(http.StatusUnauthorized))
	// ErrForbidden matches 403: missing permission org.users:add, a role above the caller's,
	// a quota reached, an invite of another organisation.
	ErrForbidden = sentinel("forbidden", status(http.StatusForbidden))
	// ErrNotFound matches 404: unknown invitation code, or a route that does not exist.
	ErrNotFound = sentinel("not found", status(http.StatusNotFound))
	// ErrPreconditionFailed matches every 412; prefer ErrAlreadyMember and
	// ErrSMTPNotConfigured, which tell Grafana's two 412s apart.
	ErrPreconditionFailed = sentinel("precondition failed", status(http.StatusPreconditionFailed))
	// ErrAlreadyMember matches the 412 of an invite for a user who is already a member of
	// the organisation. Nothing was changed.
	ErrAlreadyMember = sentinel("user is already a member of the organisation", func(e *APIError) bool {
		return e.StatusCode == http.StatusPreconditionFailed && strings.Contains(e.Message, "already added to organization")
	})
	// ErrSMTPNotConfigured matches the 412 of an invite with sendEmail true on a Grafana
	// without SMTP. The invite WAS saved and is pending (emailSent false): do not invite
	// again, list the pending invites to get its URL.
	ErrSMTPNotConfigured = sentinel("SMTP not configured (the invite was saved)", func(e *APIError) bool {
		return e.StatusCode == http.StatusPreconditionFailed && strings.Contains(e.Message, "SMTP not configured")
	})
	// ErrLoginDisabled matches the 400 of an invite for a new user when Grafana's login form
	// is disabled.
	ErrLoginDisabled = sentinel("login form disabled: external users cannot be invited", func(e *APIError) bool {
		return e.StatusCode == http.StatusBadRequest && strings.Contains(e.Message, "login is disabled")
	})
	// ErrQuotaReached matches the 403 of an invite when the user quota is reached.
	ErrQuotaReached = sentinel("user quota reached", func(e *APIError) bool {
		return e.StatusCode == http.StatusForbidden && strings.Contains(strings.ToLower(e.Message), "quota reached")
	})
	// ErrTooManyRequests matches 429.
	ErrTooManyRequests = sentinel("too many requests", status(http.StatusTooManyRequests))
	// ErrServer matches every 5xx.
	ErrServer = sentinel("server error", func(e *APIError) bool { return e.StatusCode >= 500 && e.StatusCode <= 599 })
)

// ErrInvalidInput is matched by every *ValidationError: the call was refused before any I/O.
var ErrInvalidInput error = &pkgError{text: "invalid input"}

// ErrInvalidResponse is matched by errors about a 2xx answer whose body is not what Grafana
// sends (not JSON, wrong shape): usually a proxy or a wrong URL.
var ErrInvalidResponse error = &pkgError{text: "invalid response"}

// ErrOrgMismatch is matched when a client made for one organisation (WithOrgID) is
// answered with another's invites: Grafana answers a server admin who is not a member of
// the organisation asked for in org −1, across every organisation. Nothing is acted on.
var ErrOrgMismatch error = &pkgError{text: "the answer is for another organisation"}

// ErrResponseTooLarge is matched when a successful answer exceeds WithMaxResponseBytes.
var ErrResponseTooLarge error = &pkgError{text: "response body too large"}

// ValidationError reports an argument refused before any request was sent.
type ValidationError struct {
	// Field names the argument, e.g. "loginOrEmail", "role", "invitation code".
	Field string
	// Problem says what is wrong with it.
	Problem string
}

func (e *ValidationError) Error() string { return prefix + e.bareMessage() }

func (e *ValidationError) bareMessage() string { return "invalid " + e.Field + ": " + e.Problem }

// Is makes every ValidationError match ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

// newAPIError builds the error of a non-2xx answer from its (bounded) body.
func newAPIError(method, url string, resp *http.Response, body []byte, truncated bool, redact redactor) *APIError {
	e := &APIError{
		StatusCode:    resp.StatusCode,
		Method:        method,
		URL:           url,
		RetryAfter:    redact.scrub(resp.Header.Get("Retry-After")),
		Body:          redact.scrubBytes(body), // before any excerpt cuts a secret in two
		BodyTruncated: truncated,
	}
	body = e.Body
	var eb gen.ErrorResponseBody
	if err := json.Unmarshal(body, &eb); err == nil {
		e.Message = redact.scrub(deref(eb.Message))
		e.MessageID = redact.scrub(deref(eb.MessageID))
		e.TraceID = redact.scrub(deref(eb.TraceID))
		e.AccessErrorID = redact.scrub(deref(eb.AccessErrorID))
		if e.Message == "" {
			e.Message = redact.scrub(deref(eb.Error))
		}
		return e
	}
	e.Message = redact.scrub(excerpt(body, resp.Header.Get("Content-Type")))
	return e
}

// excerpt describes a body that is not JSON: its first line of text, shortened. Both the
// body and the Content-Type come from the network: control characters are dropped.
func excerpt(body []byte, contentType string) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	if ct := strings.ToLower(contentType); strings.Contains(ct, "html") || strings.HasPrefix(s, "<") {
		return "non-JSON body (" + firstNonEmpty(printable(contentType, 60), "HTML") + "); is the URL Grafana's root URL, and is a proxy answering?"
	}
	first := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' })[0] // s is trimmed: not empty
	return printable(first, 200)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
