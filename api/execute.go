package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// transportError is a failure to get an answer at all.
type transportError struct {
	err  error
	dial bool // no connection was established: nothing was sent
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// do runs r, with retries and within the client's timeout, and decodes a 2xx JSON body into
// out (unless out is nil). Every other outcome is an error: *APIError for another status.
func (c *Client) do(ctx context.Context, r request, out any) error {
	ctx, release := c.bound(ctx)
	defer release()
	deadline, _ := ctx.Deadline()
	for attempt := 1; ; attempt++ {
		start := time.Now()
		code, err := c.attempt(ctx, r, out)
		if c.logger != nil {
			c.logAttempt(ctx, r, attempt, code, time.Since(start), err)
		}
		if err == nil {
			return nil
		}
		if attempt >= c.retry.MaxAttempts || ctx.Err() != nil || !shouldRetry(r.op.idempotent, err) {
			return c.wrap(r, err)
		}
		wait := c.retryWait(attempt, err)
		if time.Until(deadline) < wait {
			return c.wrap(r, err) // no time left to wait: the last error now, not a timeout later
		}
		if werr := c.wait(ctx, wait); werr != nil {
			return fmt.Errorf("grafana: %s: %w after attempt %d: %w", c.where(r), werr, attempt, c.wrap(r, err))
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

// wrap gives transport errors the request's method and redacted URL.
func (c *Client) wrap(r request, err error) error {
	var te *transportError
	if errors.As(err, &te) {
		return fmt.Errorf("grafana: %s: %w", c.where(r), err)
	}
	return err
}

// attempt sends r once. It returns the status (0 without an answer) and the outcome.
func (c *Client) attempt(ctx context.Context, r request, out any) (int, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.op.method, r.url, body)
	if err != nil {
		return 0, fmt.Errorf("grafana: %s: building the request: %w", c.where(r), r.redact().scrubError(err))
	}
	h := req.Header
	if r.body != nil {
		h.Set("Content-Type", "application/json")
	}
	h.Set("User-Agent", c.userAgent)
	h.Set("Accept", "application/json")
	if c.auth != nil {
		if err := c.auth(ctx, req); err != nil {
			return 0, err
		}
	}
	if c.orgID > 0 {
		h.Set(orgIDHeader, strconv.FormatInt(c.orgID, 10))
	}
	for i, ed := range c.editors {
		if err := ed(ctx, req); err != nil {
			return 0, fmt.Errorf("grafana: request editor %d (WithRequestEditor): %w", i+1, r.redact().scrubError(err))
		}
	}
	resp, err := c.httpc.Do(req)
	if err != nil {
		if re, ok := asRedirectError(err); ok {
			return 0, fmt.Errorf("grafana: %s: %s", c.where(r), r.redact().scrub(re.Error()))
		}
		te := newTransportError(err)
		te.err = r.redact().scrubError(te.err)
		return 0, te
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		errBody, truncated := readErrorBody(resp.Body)
		return resp.StatusCode, newAPIError(r.op.method, c.server+r.path, resp, errBody, truncated, r.redact())
	}
	if err := c.decodeAnswer(resp, out); err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			return resp.StatusCode, fmt.Errorf("grafana: %s: %w: more than %d bytes (see WithMaxResponseBytes)", c.where(r), ErrResponseTooLarge, c.maxBody)
		}
		var ib *invalidBody
		if errors.As(err, &ib) {
			return resp.StatusCode, fmt.Errorf("grafana: %s: %w: status %d: %s (Content-Type %q)",
				c.where(r), ErrInvalidResponse, resp.StatusCode, r.redact().scrub(ib.problem), printable(resp.Header.Get("Content-Type"), 60))
		}
		return resp.StatusCode, newTransportError(fmt.Errorf("reading the response body: %w", r.redact().scrubError(err)))
	}
	return resp.StatusCode, nil
}

// decodeAnswer reads a 2xx body, at most maxBody bytes, into out: streamed when out decodes
// itself (the pending list), else from a buffer (the small answers of Invite and Revoke);
// then checks it when out can.
func (c *Client) decodeAnswer(resp *http.Response, out any) error {
	if resp.ContentLength > c.maxBody {
		return ErrResponseTooLarge
	}
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

func (c *Client) logAttempt(ctx context.Context, r request, attempt, code int, d time.Duration, err error) {
	level := slog.LevelDebug
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", r.op.id),
		slog.String("method", r.op.method),
		slog.String("path", r.path),
		slog.Int("status", code),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", r.redact().scrub(err.Error())))
	}
	c.logger.LogAttrs(ctx, level, "grafana request", attrs...)
}
