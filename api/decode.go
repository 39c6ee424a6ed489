package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxPresize bounds how much a body's Content-Length may make the client allocate before
// any byte arrives: a server may announce 60 MiB and send 2 bytes. Beyond it, buffers grow
// as bytes come.
const maxPresize = 1 << 20

// streamDecoder is a 2xx answer that decodes itself as the body streams in, so that a large
// body is never held whole in memory (the pending list). contentLength is the body's
// announced length, -1 when unknown; body is already capped.
type streamDecoder interface {
	decodeStream(body io.Reader, contentLength int64) error
}

// validator is a 2xx answer that checks it is one of Grafana's after decoding.
type validator interface {
	validate() error
}

// invalidBody is why a 2xx body is not Grafana's. Its text never quotes the body: a
// successful answer carries invitation codes.
type invalidBody struct{ problem string }

func (e *invalidBody) Error() string { return e.problem }

// cutBody reads a 2xx body and marks every failure to read it (the connection dropped
// before the announced length arrived, a reset) as a bodyCutError, so that it is not taken
// for a body that ends too early: a cut GET is retried, a cut POST settled by listing.
type cutBody struct{ io.ReadCloser }

func (b cutBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, &bodyCutError{err: err}
	}
	return n, err
}

// bodyCutError is a failure of the connection while a body was read.
type bodyCutError struct{ err error }

func (e *bodyCutError) Error() string { return "the connection failed mid-body: " + e.err.Error() }
func (e *bodyCutError) Unwrap() error { return e.err }

// describeDecodeError says what is wrong with a body from a decoding error, by kind and
// position only. encoding/json's own messages can quote the body (a number, a date), so
// they are not passed on.
func describeDecodeError(err error, offset int64) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		date   *time.ParseError
		ib     *invalidBody
		cut    *bodyCutError
	)
	switch {
	case errors.As(err, &cut):
		return err // the connection, not the body: a transport failure
	case errors.As(err, &ib):
		return ib
	case errors.Is(err, ErrResponseTooLarge):
		return err
	case errors.As(err, &syntax):
		return &invalidBody{fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)}
	case errors.As(err, &typ):
		kind, _, _ := strings.Cut(typ.Value, " ") // "number 5" → "number": no value
		field := typ.Field
		if field == "" {
			field = "a value"
		}
		return &invalidBody{fmt.Sprintf("at byte %d, %s is a JSON %s where %s belongs", typ.Offset, field, kind, typ.Type)}
	case errors.As(err, &date):
		return &invalidBody{fmt.Sprintf("a date-time before byte %d is not in RFC 3339 form", offset)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &invalidBody{fmt.Sprintf("the body ends in the middle of a JSON value, after %d bytes (truncated?)", offset)}
	}
	return &invalidBody{fmt.Sprintf("the body does not decode, near byte %d", offset)}
}

// capReader reads at most limit bytes of r; reading more fails with ErrResponseTooLarge.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, err := c.r.Read(one[:]); n > 0 {
			return 0, ErrResponseTooLarge
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// inviteList is the pending list, decoded one invite at a time as the body arrives.
type inviteList []Invite

// minListedBytes is less than the JSON of any listed invite: its fourteen keys, a code, a
// URL and two dates. A list's Content-Length divided by it bounds the number of invites.
const minListedBytes = 300

// decodeStream decodes a list announced at up to maxPresize bytes at once, from a buffer
// (the common case, and the fastest), and a larger or unannounced one invite by invite, so
// that the body is never held whole: the peak heap stays near the decoded list's own size.
func (l *inviteList) decodeStream(body io.Reader, contentLength int64) error {
	// Pre-sized from Content-Length, the list is not copied as it grows; at most 4 096
	// invites (about 1 MiB, see maxPresize) are reserved before they arrive.
	out := make(inviteList, 0, min(max(contentLength, 0)/minListedBytes, 4096))
	if contentLength > 0 && contentLength <= maxPresize {
		data := make([]byte, contentLength) // net/http ends the body at its Content-Length
		if n, err := io.ReadFull(body, data); errors.Is(err, io.ErrUnexpectedEOF) {
			return describeDecodeError(err, int64(n))
		} else if err != nil {
			return err
		}
		if err := json.Unmarshal(data, &out); err != nil {
			return describeDecodeError(err, 0)
		}
		for i := range out {
			if err := checkListed(i+1, &out[i]); err != nil {
				return err
			}
		}
		if out == nil { // null
			out = inviteList{}
		}
		*l = out
		return nil
	}
	dec := json.NewDecoder(body)
	tok, err := dec.Token()
	if err != nil {
		return describeDecodeError(err, dec.InputOffset())
	}
	switch tok {
	case nil: // null: Grafana sends [], but an empty list is what it means
	case json.Delim('['):
		for i := 1; dec.More(); i++ {
			out = append(out, Invite{}) // decoded in place: no copy, no allocation per invite
			if err := dec.Decode(&out[len(out)-1]); err != nil {
				return describeDecodeError(err, dec.InputOffset())
			}
			if err := checkListed(i, &out[len(out)-1]); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // the closing ']'
			return describeDecodeError(err, dec.InputOffset())
		}
	default:
		return &invalidBody{fmt.Sprintf("want a JSON array of invites, got %s", jsonKind(tok))}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &invalidBody{fmt.Sprintf("data after the JSON array, at byte %d", dec.InputOffset())}
	}
	*l = out
	return nil
}

// checkListed refuses a listed invite without the fields every Grafana sends and the
// client relies on: a "null" or "{}" entry, or one without code or email.
func checkListed(i int, inv *Invite) error {
	switch {
	case inv.Code == "":
		return &invalidBody{fmt.Sprintf("invite %d of the list has no code", i)}
	case inv.Email == "":
		return &invalidBody{fmt.Sprintf("invite %d of the list has no email", i)}
	}
	return nil
}

func jsonKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "an object"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "something else"
}

// inviteAnswer is the answer of POST /api/org/invites.
type inviteAnswer struct {
	Message string `json:"message"`
	UserID  *int64 `json:"userId,omitempty"`
}

// validate refuses an answer without Grafana's message ("null", "{}", another shape).
func (a *inviteAnswer) validate() error {
	if a.Message == "" {
		return &invalidBody{"the answer has no message; Grafana always sends one"}
	}
	return nil
}

// readBody reads a 2xx body into buf, failing with ErrResponseTooLarge past limit bytes.
// It pre-sizes from Content-Length up to maxPresize only, and reads straight into buf's
// free space (no io.LimitReader to allocate per call).
func readBody(buf *bytes.Buffer, resp *http.Response, limit int64) error {
	if cl := resp.ContentLength; cl > limit {
		return ErrResponseTooLarge
	} else if cl > 0 {
		buf.Grow(int(min(cl, maxPresize)) + 1) // +1: the read that sees EOF needs room
	}
	for {
		if buf.Available() == 0 {
			buf.Grow(bytes.MinRead)
		}
		free := buf.AvailableBuffer()
		n, err := resp.Body.Read(free[:cap(free)])
		buf.Write(free[:n])
		if int64(buf.Len()) > limit {
			return ErrResponseTooLarge
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readErrorBody reads at most maxErrorBodyBytes of an error body. A read that fails midway
// keeps what arrived, reported as truncated: the status matters more than the body.
func readErrorBody(body io.Reader) ([]byte, bool) {
	b, err := io.ReadAll(io.LimitReader(body, maxErrorBodyBytes+1))
	if len(b) > maxErrorBodyBytes {
		return b[:maxErrorBodyBytes], true
	}
	return b, err != nil
}
