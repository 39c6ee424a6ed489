package api_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

// splitTransport sends GETs to the fake and answers POSTs with post.
func splitTransport(lists *atomic.Int32, post func(r *http.Request) (*http.Response, error)) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost {
			return post(r)
		}
		lists.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
}

// The paths of EnsureInvited after its POST fails.
func TestEnsureInvitedAfterAFailedPOST(t *testing.T) {
	ctx := context.Background()
	req := api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}}
	t.Run("nothing was sent: no second list", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		var lists atomic.Int32
		hc := splitTransport(&lists, func(*http.Request) (*http.Response, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		})
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
		res, err := c.EnsureInvited(ctx, req)
		require.Error(t, err)
		assert.Nil(t, res)
		assert.Contains(t, err.Error(), "connection refused")
		assert.Equal(t, int32(1), lists.Load(), "a refused connection saved nothing: no list to settle it")
	})
	t.Run("an invalid 2xx answer is an error, not a panic", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		var lists atomic.Int32
		hc := splitTransport(&lists, func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
		})
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
		res, err := c.EnsureInvited(ctx, req)
		require.ErrorIs(t, err, api.ErrInvalidResponse)
		assert.Nil(t, res)
		assert.Equal(t, int32(1), lists.Load())
	})
	t.Run("a lost answer and a failing list: the invite may be saved", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 502, AfterHandling: true})
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodPost {
				fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 500})
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
		res, err := c.EnsureInvited(ctx, req)
		assert.Nil(t, res)
		require.ErrorIs(t, err, api.ErrServer)
		assert.Contains(t, err.Error(), "may have been saved")
		assert.Len(t, fg.Invites(), 1, "it was")
	})
}

// The paths of EnsureInvited after its POST succeeds: the list that finds the new invite
// fails, or does not hold it.
func TestEnsureInvitedAfterASuccessfulPOST(t *testing.T) {
	ctx := context.Background()
	req := api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}}
	created := func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"message":"Created invite for bob@example.com"}`)), Request: r}, nil
	}
	t.Run("the list after it fails", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		var lists atomic.Int32
		hc := splitTransport(&lists, func(r *http.Request) (*http.Response, error) {
			fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 500})
			return created(r)
		})
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
		res, err := c.EnsureInvited(ctx, req)
		assert.Nil(t, res)
		require.ErrorIs(t, err, api.ErrServer)
		assert.Contains(t, err.Error(), "invited bob@example.com, but listing the pending invites to find it failed")
		assert.NotErrorIs(t, err, api.ErrInvalidResponse)
	})
	t.Run("the list after it does not hold the invite", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		var lists atomic.Int32
		hc := splitTransport(&lists, created) // the POST never reaches the fake
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
		res, err := c.EnsureInvited(ctx, req)
		assert.Nil(t, res)
		require.ErrorIs(t, err, api.ErrInvalidResponse)
		assert.Contains(t, err.Error(), "invited bob@example.com, but the invite is not in the pending list")
		assert.Equal(t, int32(2), lists.Load(), "one list before, one after")
	})
}

// TestApplyZeroOptions: zero ApplyOptions work, with 4 requests in flight at most.
func TestApplyZeroOptions(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	var inflight, peak atomic.Int32
	gate := make(chan struct{})
	var once atomic.Bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost {
			n := inflight.Add(1)
			for p := peak.Load(); n > p; p = peak.Load() {
				if peak.CompareAndSwap(p, n) {
					break
				}
			}
			if n == 4 && once.CompareAndSwap(false, true) {
				close(gate) // the default concurrency is reached: let them all go
			}
			select {
			case <-gate:
			case <-r.Context().Done():
			}
			defer inflight.Add(-1)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
	var desired []api.Desired
	for _, e := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		desired = append(desired, api.Desired{Email: e + "@example.com", Role: api.RoleViewer})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, err := c.Plan(ctx, desired, api.PlanOptions{})
	require.NoError(t, err)
	report, err := c.Apply(ctx, plan, api.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, 8, report.Count(api.OutcomeInvited))
	assert.Equal(t, int32(4), peak.Load(), "the default concurrency")
}
