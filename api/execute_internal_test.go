package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeoutEndsAHungCall(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hang) })
	c, err := New(srv.URL, WithToken("glsa_x"), WithTimeout(50*time.Millisecond), WithRetry(fast))
	require.NoError(t, err)
	_, err = c.ListPending(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "deadline exceeded")

	// The next call gets a fresh bound, and a caller's earlier deadline governs on its own.
	_, err = c.ListPending(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = c.ListPending(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestCallerCauseIsKept: a call cut short by the caller's cancellation carries the cause
// the caller gave, not only "context canceled".
func TestCallerCauseIsKept(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, WithToken("glsa_x"), WithRetry(fast))
	require.NoError(t, err)
	ctx, cancel := context.WithCancelCause(context.Background())
	why := errors.New("the operator pressed Ctrl-C")
	go func() {
		<-arrived
		cancel(why)
	}()
	_, err = c.ListPending(ctx)
	require.ErrorIs(t, err, why)
}

// TestStatusRangeOfSuccess: every 2xx is a success, 300 is not (a 1xx is never final).
func TestStatusRangeOfSuccess(t *testing.T) {
	for status, ok := range map[int]bool{200: true, 204: true, 299: true, 300: false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"message":"Invite revoked"}`))
		}))
		c, err := New(srv.URL, WithToken("glsa_x"), WithRetry(RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
		require.NoError(t, err)
		err = c.Revoke(context.Background(), "abc")
		srv.Close()
		if ok {
			assert.NoError(t, err, "status %d", status)
		} else {
			var ae *APIError
			assert.ErrorAs(t, err, &ae, "status %d", status)
		}
	}
}

// TestEditorErrorNamesTheEditor: a failing request editor is named by its position.
func TestEditorErrorNamesTheEditor(t *testing.T) {
	ok := func(context.Context, *http.Request) error { return nil }
	bad := func(context.Context, *http.Request) error { return errors.New("no") }
	c, err := New("http://127.0.0.1:1/", WithToken("glsa_x"), WithRequestEditor(ok), WithRequestEditor(bad))
	require.NoError(t, err)
	_, err = c.ListPending(context.Background())
	assert.ErrorContains(t, err, "grafana: request editor 2 (WithRequestEditor): no")
}

// TestCopiesShareNoMutableEditors: a per-org copy gets its own organisation parameter, and
// the editors it shares with the original cannot grow into each other's backing array.
func TestCopiesShareNoMutableEditors(t *testing.T) {
	c, err := New("https://grafana.example.com/", WithToken("glsa_copies"),
		WithRequestEditor(func(context.Context, *http.Request) error { return nil }))
	require.NoError(t, err)
	cp := c.WithOrgID(2)
	require.Len(t, c.editors, 3, "headers, credentials, the caller's editor")
	assert.Equal(t, len(c.editors), cap(c.editors), "an append to a copy's editors must not write into the original's")
	assert.Nil(t, c.orgParam)
	require.NotNil(t, cp.orgParam)
	assert.Equal(t, int64(2), *cp.orgParam)
	cp3 := cp.WithOrgID(3)
	assert.Equal(t, int64(2), *cp.orgParam, "a copy of a copy leaves it alone")
	assert.Equal(t, int64(3), *cp3.orgParam)
	assert.Nil(t, cp.WithOrgID(0).orgParam, "below 1: the credentials' default organisation")
}

// TestEveryAttemptIsOneGeneratedCall: each attempt runs every editor again (the credentials
// and the caller's), and a list whose body is cut off mid-way is retried, not decoded.
func TestEveryAttemptIsOneGeneratedCall(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		assert.Equal(t, "Bearer glsa_attempts", r.Header.Get("Authorization"), "attempt %d", n)
		assert.Equal(t, "2", r.Header.Get("X-Grafana-Org-Id"), "attempt %d", n)
		assert.Equal(t, strconv.Itoa(int(n)), r.Header.Get("X-Attempt"), "the editor ran again for attempt %d", n)
		switch n {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2: // announce a body, send part of it, and drop the connection
			conn, buf, err := http.NewResponseController(w).Hijack()
			require.NoError(t, err)
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{\"code\":\"abc")
			_ = buf.Flush()
			_ = conn.Close()
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`[]`))
		}
	}))
	defer srv.Close()
	var edits atomic.Int32
	c, err := New(srv.URL, WithToken("glsa_attempts"), WithOrgID(2),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
		WithRequestEditor(func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-Attempt", strconv.Itoa(int(edits.Add(1))))
			return nil
		}))
	require.NoError(t, err)
	c.wait = func(context.Context, time.Duration) error { return nil }
	l, err := c.ListPending(context.Background())
	require.NoError(t, err)
	assert.Empty(t, l)
	assert.Equal(t, int32(3), calls.Load())
	assert.Equal(t, int32(3), edits.Load())
}
