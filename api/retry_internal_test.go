package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"

	"github.com/grafana-invites/grafana-invites/gen"
)

var fast = RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}

// waits records the backoff waits of c instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) install(c *Client) {
	c.wait = func(ctx context.Context, d time.Duration) error {
		w.mu.Lock()
		w.d = append(w.d, d)
		w.mu.Unlock()
		return ctx.Err()
	}
}

func (w *waits) got() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func fakeClient(t *testing.T, opts ...Option) (*fakegrafanatest.Server, *Client) {
	t.Helper()
	fg := fakegrafanatest.Start(t)
	c, err := New(fg.URL, append([]Option{WithToken(fg.Token), WithRetry(fast)}, opts...)...)
	require.NoError(t, err)
	return fg, c
}

func TestRetryIdempotent(t *testing.T) {
	ctx := context.Background()
	t.Run("GET: 503, 503, 200 succeeds on the third attempt", func(t *testing.T) {
		fg, c := fakeClient(t)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 2, Status: 503})
		_, err := c.ListPending(ctx)
		require.NoError(t, err)
		assert.Equal(t, 3, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
	})
	t.Run("every retryable status", func(t *testing.T) {
		for _, status := range []int{429, 502, 503, 504} {
			fg, c := fakeClient(t)
			fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: status})
			_, err := c.ListPending(ctx)
			require.NoError(t, err, status)
			assert.Equal(t, 2, fg.Calls(fakegrafana.OpGetPendingOrgInvites), status)
		}
	})
	t.Run("other statuses are not retried", func(t *testing.T) {
		for _, status := range []int{400, 401, 403, 404, 412, 500, 501} {
			fg, c := fakeClient(t)
			fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: status})
			_, err := c.ListPending(ctx)
			require.Error(t, err, status)
			assert.Equal(t, 1, fg.Calls(fakegrafana.OpGetPendingOrgInvites), status)
		}
	})
	t.Run("revoke is retried", func(t *testing.T) {
		fg, c := fakeClient(t)
		_, err := c.Invite(ctx, InviteRequest{LoginOrEmail: "a@example.com", Role: RoleViewer})
		require.NoError(t, err)
		fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Status: 502, AfterHandling: true})
		require.NoError(t, c.Revoke(ctx, fg.Invites()[0].Code))
		assert.Equal(t, 2, fg.Calls(fakegrafana.OpRevokeInvite))
		assert.Equal(t, gen.TempUserStatusRevoked, fg.Invites()[0].Status)
	})
	t.Run("exhausted: the last APIError, status intact", func(t *testing.T) {
		fg, c := fakeClient(t)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 10, Status: 503})
		_, err := c.ListPending(ctx)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 503, ae.StatusCode)
		assert.ErrorIs(t, err, ErrServer)
		assert.Equal(t, 4, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
	})
}

func TestPOSTIsNeverRetriedOnceSent(t *testing.T) {
	ctx := context.Background()
	for _, f := range []fakegrafana.Fault{
		{Times: 2, Status: 503, AfterHandling: true}, // Grafana saved it, the answer was lost
		{Times: 2, Status: 503},                      // a proxy refused it
		{Times: 2, Status: 429},
	} {
		fg, c := fakeClient(t)
		fg.Inject(fakegrafana.OpAddOrgInvite, f)
		_, err := c.Invite(ctx, InviteRequest{LoginOrEmail: "a@example.com", Role: RoleViewer})
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, f.Status, ae.StatusCode)
		assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite), "one POST")
		want := 0
		if f.AfterHandling {
			want = 1
		}
		assert.Len(t, fg.Invites(), want, "exactly the invites Grafana saved")
	}
}

func TestPOSTIsRetriedWhenNothingWasSent(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now: every dial is refused
	var w waits
	c, err := New("http://"+addr, WithToken("glsa_x"), WithRetry(fast))
	require.NoError(t, err)
	w.install(c)
	_, err = c.Invite(context.Background(), InviteRequest{LoginOrEmail: "a@example.com", Role: RoleViewer})
	require.Error(t, err)
	assert.Len(t, w.got(), 3, "a refused connection sent nothing: retried")
	assert.Contains(t, err.Error(), "POST http://"+addr+"/api/org/invites")
	assert.Contains(t, err.Error(), "refused")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for _, ra := range []struct {
		header string
		want   time.Duration
		delta  time.Duration // an HTTP date has whole seconds, and time passes
	}{
		{"2", 2 * time.Second, 0},
		{"0", 0, 0},
		{time.Now().Add(3 * time.Hour).UTC().Format(http.TimeFormat), 3 * time.Hour, time.Second},
	} {
		fg, c := fakeClient(t, WithTimeout(24*time.Hour))
		var w waits
		w.install(c)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 429, RetryAfter: ra.header})
		_, err := c.ListPending(context.Background())
		require.NoError(t, err)
		got := w.got()
		require.Len(t, got, 1)
		assert.InDelta(t, float64(ra.want), float64(got[0]), float64(ra.delta), ra.header)
	}
	t.Run("a Retry-After past the deadline ends the call at once", func(t *testing.T) {
		fg, c := fakeClient(t, WithTimeout(time.Minute))
		var w waits
		w.install(c)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 503, RetryAfter: "3600"})
		_, err := c.ListPending(context.Background())
		assert.ErrorIs(t, err, ErrServer)
		assert.Empty(t, w.got(), "no wait that cannot end before the deadline")
	})
}

func TestCancelEndsBackoff(t *testing.T) {
	fg, c := fakeClient(t, WithTimeout(24*time.Hour))
	fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 503, RetryAfter: "3600"})
	ctx, cancel := context.WithCancel(context.Background())
	waiting := make(chan struct{})
	c.wait = func(ctx context.Context, d time.Duration) error {
		close(waiting)
		return sleep(ctx, d) // the real sleep: only the cancel can end it
	}
	errc := make(chan error, 1)
	go func() {
		_, err := c.ListPending(ctx)
		errc <- err
	}()
	<-waiting
	cancel()
	err := <-errc // an hour-long backoff would hang the test here
	assert.ErrorIs(t, err, context.Canceled)
	var ae *APIError
	require.ErrorAs(t, err, &ae, "the last answer is kept")
	assert.Equal(t, 503, ae.StatusCode)
	assert.Equal(t, 1, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
}

func TestDefaultRetryPolicy(t *testing.T) {
	assert.Equal(t, RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}, DefaultRetryPolicy())
	c, err := New("http://127.0.0.1:1/")
	require.NoError(t, err)
	assert.Equal(t, DefaultRetryPolicy(), c.retry, "a client without WithRetry uses it")
}

func TestWithRetryValidation(t *testing.T) {
	for _, tt := range []struct {
		p  RetryPolicy
		ok bool
	}{
		{RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}, true},
		{RetryPolicy{MaxAttempts: 0, BaseDelay: time.Millisecond, MaxDelay: time.Second}, false},
		{RetryPolicy{MaxAttempts: 3, BaseDelay: 0, MaxDelay: time.Second}, false},
		{RetryPolicy{MaxAttempts: 3, BaseDelay: -time.Millisecond, MaxDelay: time.Second}, false},
		{RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Second - 1}, false},
	} {
		c, err := New("http://127.0.0.1:1/", WithRetry(tt.p))
		if !tt.ok {
			assert.ErrorContains(t, err, "want MaxAttempts ≥ 1 and 0 < BaseDelay ≤ MaxDelay", "%+v", tt.p)
			continue
		}
		require.NoError(t, err, "%+v", tt.p)
		assert.Equal(t, tt.p, c.retry)
	}
}

func TestBackoffBounds(t *testing.T) {
	// The doubling stops at 31 doublings, and a shift that overflows (to a negative value or
	// to zero) means MaxDelay.
	for _, tt := range []struct {
		base time.Duration
		n    int
		full time.Duration
	}{
		{1, 1, 1}, // the smallest wait: 0 or 1 ns
		{1, 31, 1 << 30},
		{1, 32, 1 << 31},
		{1, 33, 1 << 40},
		{1 << 33, 32, 1 << 40}, // 2^33 << 31 = 2^64: zero
		{1 << 32, 32, 1 << 40}, // 2^32 << 31 = 2^63: negative
	} {
		p := RetryPolicy{MaxAttempts: 40, BaseDelay: tt.base, MaxDelay: 1 << 40}
		for range 20 {
			d := p.backoff(tt.n)
			assert.GreaterOrEqual(t, d, tt.full/2, "%v, attempt %d", tt.base, tt.n)
			assert.LessOrEqual(t, d, tt.full, "%v, attempt %d", tt.base, tt.n)
		}
	}
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, full := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 40: time.Second, 70: time.Second} {
		for range 50 {
			d := p.backoff(n)
			assert.GreaterOrEqual(t, d, full/2, n)
			assert.LessOrEqual(t, d, full, n)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"5", 5 * time.Second, true},
		{"0", 0, true},
		{"86400", 24 * time.Hour, true},
		{"86401", 24 * time.Hour, true},
		{"-1", 0, false},
		{"99999999999999", 24 * time.Hour, true},
		{"soon", 0, false},
		{"Wed, 25 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Wed, 25 Nov 2026 11:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		d, ok := parseRetryAfter(tt.in, now)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, d, tt.in)
	}
}

// FuzzRetryDecision checks the retry policy's invariants: a POST is retried only when no
// connection was made, only 429/502/503/504 are retried, Retry-After is never negative.
func FuzzRetryDecision(f *testing.F) {
	f.Add(true, 503, "1", false)
	f.Add(false, 503, "Wed, 25 Nov 2026 12:00:30 GMT", false)
	f.Add(false, 0, "", true)
	f.Add(true, 0, "", false)
	f.Add(true, 429, "-5", false)
	f.Fuzz(func(t *testing.T, idempotent bool, status int, retryAfter string, dial bool) {
		var err error
		if status == 0 {
			err = &transportError{err: errors.New("connection reset"), dial: dial}
		} else {
			err = &APIError{StatusCode: status, RetryAfter: retryAfter}
		}
		retry := shouldRetry(idempotent, err)
		if status != 0 && retry && (!idempotent || (status != 429 && status != 502 && status != 503 && status != 504)) {
			t.Fatalf("retried status %d (idempotent %v)", status, idempotent)
		}
		if status == 0 && !idempotent && retry != dial {
			t.Fatalf("POST transport error retried=%v with dial=%v", retry, dial)
		}
		if d, ok := parseRetryAfter(retryAfter, time.Now()); ok && (d < 0 || d > 24*time.Hour) {
			t.Fatalf("Retry-After %q gave %v", retryAfter, d)
		}
		// A timeout of one attempt (http.Client.Timeout, which matches DeadlineExceeded) is
		// transient: retried when idempotent. The end of the call's own context is do's to
		// see (TestCancelEndsBackoff, TestPerAttemptTimeoutIsRetried).
		if retried := shouldRetry(idempotent, &transportError{err: context.DeadlineExceeded, dial: dial}); retried != (idempotent || dial) {
			t.Fatalf("attempt timeout retried=%v (idempotent %v, dial %v)", retried, idempotent, dial)
		}
	})
}

// FuzzErrorBody decodes arbitrary error answers: never a panic, the status always kept,
// the body bounded, and the message free of control characters.
func FuzzErrorBody(f *testing.F) {
	f.Add(401, "application/json", []byte(`{"extra":null,"message":"Invalid API key","messageId":"api-key.invalid","statusCode":401,"traceID":""}`))
	f.Add(403, "application/json", []byte(`{"accessErrorId":"ACE0123456789","message":"denied","title":"Access denied"}`))
	f.Add(412, "application/json", []byte(`{"message":"SMTP not configured, check your grafana.ini config file's [smtp] section"}`))
	f.Add(502, "text/html", []byte("<html>bad gateway</html>"))
	f.Add(500, "", []byte{})
	f.Add(400, "application/json", []byte(`{"message":5}`))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}}}
		b, truncated := readErrorBody(strings.NewReader(string(body)))
		e := newAPIError(http.MethodGet, "http://g/api/org/invites", resp, b, truncated, nil)
		if e.StatusCode != status {
			t.Fatalf("status %d became %d", status, e.StatusCode)
		}
		if len(e.Body) > maxErrorBodyBytes {
			t.Fatalf("body of %d bytes kept", len(e.Body))
		}
		if msg := e.Error(); strings.ContainsFunc(msg, func(r rune) bool { return isControl(r) || isFormat(r) }) || len(msg) > 1000 {
			t.Fatalf("error string %q: control characters or unbounded", msg)
		}
		if !strings.HasPrefix(strings.TrimSpace(string(body)), "{") && strings.ContainsFunc(e.Message, isControl) {
			t.Fatalf("message %q holds control characters", e.Message)
		}
		for _, s := range []*APIError{ErrAlreadyMember, ErrSMTPNotConfigured} {
			if errors.Is(e, s) && status != http.StatusPreconditionFailed {
				t.Fatalf("status %d matched a 412 sentinel", status)
			}
		}
	})
}
