package api

import (
	"context"
	"net/http"
	"net/http/httptest"
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

	// The timer is reused: the next calls get a fresh bound, and a caller's earlier deadline
	// governs on its own.
	_, err = c.ListPending(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = c.ListPending(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, c.deadlines.free, 1, "one timer served every call")
}

func TestDeadlineTimerReuse(t *testing.T) {
	var ds deadlines
	ctx, release := ds.withDeadline(context.Background(), time.Now())
	<-ctx.Done() // the bound passed: the timer cancels the call
	assert.Equal(t, context.DeadlineExceeded, context.Cause(ctx))
	release()
	require.Len(t, ds.free, 1)
	d := ds.free[0]

	ctx, release = ds.withDeadline(context.Background(), time.Now().Add(time.Hour))
	require.Empty(t, ds.free, "the free timer was taken")
	d.fire() // a stale firing, racing the re-arm
	assert.NoError(t, ctx.Err(), "a firing before the armed deadline is ignored")
	release()
	assert.ErrorIs(t, ctx.Err(), context.Canceled, "release ends the call's context")
	d.fire() // the pending timer firing after its call: a no-op
	assert.Len(t, ds.free, 1)
}
