package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/gen"
)

// transportError is a failure to get an answer at all.
type transportError struct {
	err  error
	dial bool // no connection was established: nothing was sent
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// editorError is a request editor of WithRequestEditor that refused a request.
type editorError struct {
	index int // 1-based, in the order given to New
	err   error
}

func (e *editorError) Error() string { return e.err.Error() }
func (e *editorError) Unwrap() error { return e.err }

// numbered makes fn's errors editorErrors, so that an attempt tells them from the
// transport's.
func numbered(index int, fn gen.RequestEditorFn) gen.RequestEditorFn {
	return func(ctx context.Context, req *http.Request) error {
		if err := fn(ctx, req); err != nil {
			return &editorError{index: index, err: err}
		}
		return nil
	}
}

// headerEditor sets the headers every request carries.
func headerEditor(userAgent string) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Accept", "application/json")
		return nil
	}
}

// do runs k, with retries and within the client's timeout, and decodes a 2xx JSON body into
// out (unless out is nil). Every other outcome is an error: *APIError for another status.
// Each attempt is one call of gen's generated method (k.send), so the client's editors run
// on every attempt.
func (c *Client) do(ctx context.Context, k call, out any) error {
	ctx, release := c.bound(ctx)
	defer release()
	deadline, _ := ctx.Deadline()
	k.secrets = c.secrets
	var s sent
	base := c.editors
	if k.op.public {
		base = c.public
	}
	editors := make([]gen.RequestEditorFn, 0, len(base)+1)
	editors = append(append(editors, s.record), base...)
	for attempt := 1; ; attempt++ {
		start := time.Now()
		s.req = nil
		code, err := c.attempt(ctx, &k, &s, editors, out)
		if c.logger != nil {
			c.logAttempt(ctx, &k, &s, attempt, code, time.Since(start), err)
		}
		if err == nil {
			return nil
		}
		if attempt >= c.retry.MaxAttempts || ctx.Err() != nil || !shouldRetry(k.op.idempotent, err) {
			return wrap(&k, &s, err)
		}
		wait := c.retryWait(attempt, err)
		if time.Until(deadline) < wait {
			return wrap(&k, &s, err) // no time left to wait: the last error now, not a timeout later
		}
		if werr := c.wait(ctx, wait); werr != nil {
			return errorf("%s: %w after attempt %d: %w", where(&k, &s), werr, attempt, wrap(&k, &s, err))
		}
	}
}

// bound gives ctx the client's timeout (WithTimeout), unless ctx already ends earlier.
// Workflows bound themselves once, so that their requests share one bound.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		return ctx, func() {} // the caller's earlier bound governs
	}
	return context.WithDeadline(ctx, deadline)
}

// sleep waits for d, or until ctx ends (then it returns the context's cause).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// where is the method and redacted URL of k's request, for error messages.
func where(k *call, s *sent) string {
	method, url := s.target(k)
	if method == "" {
		return url
	}
	return method + " " + url
}

// wrap gives transport errors the request's method and redacted URL.
func wrap(k *call, s *sent, err error) error {
	var te *transportError
	if errors.As(err, &te) {
		return errorf("%s: %w", where(k, s), err)
	}
	return err
}

// attempt sends k once through gen. It returns the status (0 without an answer) and the
// outcome.
func (c *Client) attempt(ctx context.Context, k *call, s *sent, editors []gen.RequestEditorFn, out any) (int, error) {
	resp, err := k.send(ctx, editors)
	if err != nil {
		return 0, sendError(k, s, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		errBody, truncated := readErrorBody(resp.Body)
		method, url := s.target(k)
		return resp.StatusCode, newAPIError(method, url, resp, errBody, truncated, k.redact())
	}
	if err := c.decodeAnswer(resp, out); err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			return resp.StatusCode, errorf("%s: %w: more than %d bytes (see WithMaxResponseBytes)", where(k, s), ErrResponseTooLarge, c.maxBody)
		}
		var ib *invalidBody
		if errors.As(err, &ib) {
			return resp.StatusCode, errorf("%s: %w: status %d: %s (Content-Type %q)",
				where(k, s), ErrInvalidResponse, resp.StatusCode, k.redact().scrub(ib.problem), printable(resp.Header.Get("Content-Type"), 60))
		}
		return resp.StatusCode, newTransportError(fmt.Errorf("reading the response body: %w", k.redact().scrubError(err)))
	}
	return resp.StatusCode, nil
}

// sendError classifies an error of gen's generated method: gen could not build the
// request, an editor refused it (no request was sent either way), or http.Client.Do
// failed (always a *url.Error): a refused redirect or a transport error.
func sendError(k *call, s *sent, err error) error {
	redact := k.redact()
	var ee *editorError
	var ue *url.Error
	switch {
	case errors.As(err, &ee):
		return errorf("request editor %d (WithRequestEditor): %w", ee.index, redact.scrubError(ee.err))
	case s.req == nil:
		return errorf("%s: building the request: %w", where(k, s), redact.scrubError(err))
	case !errors.As(err, &ue):
		return redact.scrubError(err) // the credentials' editor refused the request
	}
	if re, ok := asRedirectError(err); ok {
		return errorf("%s: %s", where(k, s), redact.scrub(re.Error()))
	}
	te := newTransportError(err)
	te.err = redact.scrubError(te.err)
	return te
}

// decodeAnswer reads a 2xx body, at most maxBody bytes, into out: streamed when out decodes
// itself (the pending list), else from a buffer (the small answers of Invite and Revoke);
// then checks it when out can.
func (c *Client) decodeAnswer(resp *http.Response, out any) error {
	if resp.ContentLength > c.maxBody {
		return ErrResponseTooLarge
	}
	resp.Body = cutBody{resp.Body}
	switch o := out.(type) {
	case nil: // read and dropped, so that the connection is reused
		var buf bytes.Buffer
		return readBody(&buf, resp, c.maxBody)
	case streamDecoder:
		if err := o.decodeStream(&capReader{r: resp.Body, left: c.maxBody}, resp.ContentLength); err != nil {
			return err
		}
	default:
		var buf bytes.Buffer
		if err := readBody(&buf, resp, c.maxBody); err != nil {
			return err
		}
		if err := json.Unmarshal(buf.Bytes(), out); err != nil {
			return describeDecodeError(err, 0)
		}
	}
	if v, ok := out.(validator); ok {
		return v.validate()
	}
	return nil
}

// newTransportError strips url.Error's copy of the URL (it may hold an invitation code) and
// classifies the failure.
func newTransportError(err error) *transportError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	te := &transportError{err: err}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		te.dial = true
	}
	return te
}

func (c *Client) logAttempt(ctx context.Context, k *call, s *sent, attempt, code int, d time.Duration, err error) {
	level := slog.LevelDebug
	if !c.logger.Enabled(ctx, level) {
		return
	}
	method, url := s.target(k)
	attrs := []slog.Attr{
		slog.String("operation", k.op.id),
		slog.String("method", method),
		slog.String("path", strings.TrimPrefix(url, c.server)),
		slog.Int("status", code),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", k.redact().scrub(err.Error())))
	}
	c.logger.LogAttrs(ctx, level, "grafana request", attrs...)
}
