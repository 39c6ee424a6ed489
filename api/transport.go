package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// RetryPolicy says how idempotent calls (ListPending, Revoke) are retried on connection
// errors and on 429, 502, 503 and 504. Invite is retried only when no connection could be
// made at all.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; it doubles for each further one,
	// up to MaxDelay, with jitter (each wait is between half and all of that value).
	BaseDelay time.Duration
	// MaxDelay caps one backoff wait. A Retry-After header is honoured as given, unless the
	// call's deadline comes first: then the call ends at once with the last error.
	MaxDelay time.Duration
}

// DefaultRetryPolicy is 4 attempts, backoff from 250 ms up to 8 s: about 2 s of waiting in
// all when nothing says otherwise, enough to ride out a Grafana restart or a proxy's brief
// 503 within DefaultTimeout.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}
}

// WithRetry replaces the retry policy. MaxAttempts must be at least 1, delays positive with
// BaseDelay ≤ MaxDelay.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxAttempts < 1 || p.BaseDelay <= 0 || p.MaxDelay < p.BaseDelay {
			return fmt.Errorf("WithRetry: %+v; want MaxAttempts ≥ 1 and 0 < BaseDelay ≤ MaxDelay", p)
		}
		c.retry = p
		return nil
	}
}

// backoff is the wait before attempt n+1, after attempt n failed (n ≥ 1).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.MaxDelay
	if n-1 < 32 {
		if b := p.BaseDelay << (n - 1); b > 0 && b < d {
			d = b
		}
	}
	half := d / 2
	return half + rand.N(d-half+1) //nolint:gosec // backoff jitter needs no cryptographic randomness
}

// request describes one operation for do. Requests are built here rather than by gen's
// builders, which parse the base URL twice and the result once more on every call; the
// test TestRequestsMatchGenerated pins them to what gen's builders produce.
type request struct {
	op         string // Grafana's operationId
	method     string
	url        string // the full URL
	body       []byte // a JSON body, or nil
	code       string // the invitation code in the path, if any
	idempotent bool
}

// path is the request's path relative to the API base, the code shortened: for logs and
// errors.
func (r request) path() string {
	if r.code != "" {
		return "org/invites/" + ShortCode(r.code) + "/revoke"
	}
	return "org/invites"
}

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
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d // the caller's earlier bound governs
	} else {
		var release func()
		ctx, release = c.deadlines.withDeadline(ctx, deadline)
		defer release()
	}
	for attempt := 1; ; attempt++ {
		var start time.Time
		if c.logger != nil {
			start = time.Now()
		}
		code, err := c.attempt(ctx, r, out)
		if c.logger != nil {
			c.logAttempt(ctx, r, attempt, code, time.Since(start), err)
		}
		if err == nil {
			return nil
		}
		if attempt >= c.retry.MaxAttempts || !shouldRetry(r.idempotent, err) || ctx.Err() != nil {
			return c.wrap(r, err)
		}
		wait := c.retry.backoff(attempt)
		var ae *APIError
		if errors.As(err, &ae) {
			if d, ok := parseRetryAfter(ae.RetryAfter, time.Now()); ok {
				wait = d
			}
		}
		if time.Until(deadline) < wait {
			return c.wrap(r, err) // no time left to wait: the last error now, not a timeout later
		}
		if werr := c.wait(ctx, wait); werr != nil {
			return fmt.Errorf("grafana: %s %s: %w after attempt %d: %w", r.method, c.server+r.path(), werr, attempt, err)
		}
	}
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
		return fmt.Errorf("grafana: %s %s: %w", r.method, c.server+r.path(), err)
	}
	return err
}

// shouldRetry is the retry decision for a failed attempt.
func shouldRetry(idempotent bool, err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return idempotent
		}
		return false
	}
	var te *transportError
	if !errors.As(err, &te) {
		return false // invalid input or an invalid/too large 2xx body: retrying will not help
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return false
	}
	return te.dial || idempotent
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 86400)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), 24*time.Hour), true
}

// attempt sends r once. It returns the status (0 without an answer) and the outcome.
func (c *Client) attempt(ctx context.Context, r request, out any) (int, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return 0, fmt.Errorf("grafana: %s %s: building the request: %w", r.method, c.server+r.path(), err)
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
	for _, ed := range c.editors {
		if err := ed(ctx, req); err != nil {
			return 0, fmt.Errorf("grafana: request editor: %w", err)
		}
	}
	resp, err := c.httpc.Do(req)
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
			err = fmt.Errorf("%w: %w", cause, err) // say "deadline exceeded" when the timeout ended it
		}
		return 0, newTransportError(err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		errBody, truncated := readErrorBody(resp.Body)
		return resp.StatusCode, newAPIError(r.method, c.server+r.path(), resp, errBody, truncated)
	}
	buf := c.getBuffer()
	defer c.putBuffer(buf)
	if err := readBody(buf, resp, c.maxBody); err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			return resp.StatusCode, fmt.Errorf("grafana: %s %s: %w: more than %d bytes (see WithMaxResponseBytes)", r.method, c.server+r.path(), err, c.maxBody)
		}
		return resp.StatusCode, newTransportError(fmt.Errorf("reading the response body: %w", err))
	}
	if out == nil {
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		return resp.StatusCode, fmt.Errorf("grafana: %s %s: %w: status %d with a body that does not decode (%w): %s",
			r.method, c.server+r.path(), ErrInvalidResponse, resp.StatusCode, err, excerptOrEmpty(buf.Bytes(), resp.Header.Get("Content-Type")))
	}
	return resp.StatusCode, nil
}

func excerptOrEmpty(body []byte, ct string) string {
	if s := excerpt(body, ct); s != "" {
		return s
	}
	return "empty body"
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

// readBody reads a 2xx body into buf, failing with ErrResponseTooLarge past limit bytes.
// It reads straight into buf's free space (no io.LimitReader to allocate per call).
func readBody(buf *bytes.Buffer, resp *http.Response, limit int64) error {
	if cl := resp.ContentLength; cl > limit {
		return ErrResponseTooLarge
	} else if cl > 0 {
		buf.Grow(int(cl) + 1) // +1: the read that sees EOF needs room
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

// bufferPool recycles response buffers: json.Unmarshal copies what it keeps, so a buffer is
// free again once the body is decoded. Buffers above 16 MiB are left to the collector.
type bufferPool struct{ sync.Pool }

func (c *Client) getBuffer() *bytes.Buffer {
	if b, ok := c.bufs.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (c *Client) putBuffer(b *bytes.Buffer) {
	if b.Cap() > 16<<20 {
		return
	}
	b.Reset()
	c.bufs.Put(b)
}

func (c *Client) logAttempt(ctx context.Context, r request, attempt, code int, d time.Duration, err error) {
	level := slog.LevelDebug
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", r.op),
		slog.String("method", r.method),
		slog.String("path", r.path()),
		slog.Int("status", code),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, level, "grafana request", attrs...)
}
