package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

func TestListPendingThroughClient(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
	ctx := context.Background()
	l, err := c.ListPending(ctx)
	require.NoError(t, err)
	assert.NotNil(t, l)
	assert.Empty(t, l)

	for _, e := range []string{"a@example.com", "b@example.com"} {
		_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: e, Role: api.RoleEditor, Name: "N"})
		require.NoError(t, err)
		clock.Advance(time.Second)
	}
	other := newClient(t, fg.URL, api.WithToken(org2Token))
	_, err = other.Invite(ctx, api.InviteRequest{LoginOrEmail: "z@example.com", Role: api.RoleViewer})
	require.NoError(t, err)

	l, err = c.ListPending(ctx)
	require.NoError(t, err)
	require.Len(t, l, 2)
	assert.Equal(t, "b@example.com", l[0].Email, "newest first")
	got := l[1]
	assert.Equal(t, "a@example.com", got.Email)
	assert.Equal(t, api.RoleEditor, got.Role)
	assert.Equal(t, gen.TempUserStatusInvitePending, got.Status)
	assert.Equal(t, "N", got.Name)
	assert.Equal(t, int64(1), got.OrgID)
	assert.Len(t, got.Code, 30)
	assert.Equal(t, fg.URL+"invite/"+got.Code, got.URL)
	assert.False(t, got.CreatedOn.IsZero())
}

// TestListPendingStreamsLargeLists: a list over 1 MiB is decoded invite by invite as it
// streams in (the fake sends it without Content-Length), and comes out whole and in order.
func TestListPendingStreamsLargeLists(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
	ctx := context.Background()
	const n = 3000 // about 1.3 MiB of JSON
	for i := range n {
		_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: fmt.Sprintf("person%04d@example.com", i), Role: api.RoleViewer, Name: strings.Repeat("n", 60)})
		require.NoError(t, err)
		clock.Advance(time.Second)
	}
	l, err := c.ListPending(ctx)
	require.NoError(t, err)
	require.Len(t, l, n)
	want := fg.Invites()
	for i, inv := range l {
		assert.Equal(t, want[len(want)-1-i].Code, inv.Code, "newest first")
	}
}
