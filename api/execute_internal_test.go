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

	// The next call gets a fresh bound, and a caller's earlier deadline governs on its own.
	_, err = c.ListPending(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = c.ListPending(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}
