package api

import (
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy says how calls are retried: idempotent ones (ListPending, Revoke) on
// connection errors and on the statuses of retryStatuses; Invite only when no connection
// could be made at all.
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

// statusRule is what an answer's status says about the request.
type statusRule struct {
	// retried: an idempotent request answered so is worth another attempt.
	retried bool
	// mayBeHandled: the answer may come from a proxy or gateway in front of Grafana, so
	// Grafana may have handled the request all the same (an invite saved).
	mayBeHandled bool
}

// retryStatuses is the one table of statuses that the retry decision and the lost-answer
// check of EnsureInvited and Apply read. A status that is absent is neither.
var retryStatuses = map[int]statusRule{
	http.StatusTooManyRequests:    {retried: true},
	http.StatusBadGateway:         {retried: true, mayBeHandled: true},
	http.StatusServiceUnavailable: {retried: true, mayBeHandled: true},
	http.StatusGatewayTimeout:     {retried: true, mayBeHandled: true},
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

// shouldRetry is the retry decision for a failed attempt of an operation.
func shouldRetry(idempotent bool, err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return idempotent && retryStatuses[ae.StatusCode].retried
	}
	var te *transportError
	if !errors.As(err, &te) {
		return false // invalid input or an invalid/too large 2xx body: retrying will not help
	}
	// A timeout of one attempt (http.Client.Timeout) is transient; the end of the call's own
	// context is checked by the caller before it asks.
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return false
	}
	return te.dial || idempotent
}

// mayHaveBeenHandled reports whether a failed request may have been handled by Grafana all
// the same: its answer was lost on the way back, or came from a proxy rather than from
// Grafana's handler. For an invite, only a list can tell.
func mayHaveBeenHandled(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return retryStatuses[ae.StatusCode].mayBeHandled
	}
	var te *transportError
	return errors.As(err, &te) && !te.dial
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

// retryWait is the wait before the next attempt after err: Retry-After when the answer
// has one, else the policy's backoff.
func (c *Client) retryWait(attempt int, err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		if d, ok := parseRetryAfter(ae.RetryAfter, time.Now()); ok {
			return d
		}
	}
	return c.retry.backoff(attempt)
}
