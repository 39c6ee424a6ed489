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
	"sync"
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
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d // the caller's earlier bound governs
	} else {
		var release context.CancelFunc
		ctx, release = context.WithDeadline(ctx, deadline)
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
		if attempt >= c.retry.MaxAttempts || !shouldRetry(r.op.idempotent, err) || ctx.Err() != nil {
			return c.wrap(r, err)
		}
		wait := c.retryWait(attempt, err)
		if time.Until(deadline) < wait {
			return c.wrap(r, err) // no time left to wait: the last error now, not a timeout later
		}
		if werr := c.wait(ctx, wait); werr != nil {
			return fmt.Errorf("grafana: %s: %w after attempt %d: %w", c.where(r), werr, attempt, err)
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
		return 0, fmt.Errorf("grafana: %s: building the request: %w", c.where(r), err)
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
			return 0, fmt.Errorf("grafana: request editor %d (WithRequestEditor): %w", i+1, err)
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
		return resp.StatusCode, newAPIError(r.op.method, c.server+r.path, resp, errBody, truncated)
	}
	buf := c.getBuffer()
	defer c.putBuffer(buf)
	if err := readBody(buf, resp, c.maxBody); err != nil {
		if errors.Is(err, ErrResponseTooLarge) {
			return resp.StatusCode, fmt.Errorf("grafana: %s: %w: more than %d bytes (see WithMaxResponseBytes)", c.where(r), err, c.maxBody)
		}
		return resp.StatusCode, newTransportError(fmt.Errorf("reading the response body: %w", err))
	}
	if out == nil {
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		return resp.StatusCode, fmt.Errorf("grafana: %s: %w: status %d with a body that does not decode (%w): %s",
			c.where(r), ErrInvalidResponse, resp.StatusCode, err, excerptOrEmpty(buf.Bytes(), resp.Header.Get("Content-Type")))
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
		slog.String("operation", r.op.id),
		slog.String("method", r.op.method),
		slog.String("path", r.path),
		slog.Int("status", code),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, level, "grafana request", attrs...)
}
