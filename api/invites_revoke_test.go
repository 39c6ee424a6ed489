package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/gen"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
func TestRevokeThroughClient(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "a@example.com", Role: api.RoleViewer})
	require.NoError(t, err)
	other := newClient(t, fg.URL, api.WithToken(org2Token), noRetry)
	_, err = other.Invite(ctx, api.InviteRequest{LoginOrEmail: "z@example.com", Role: api.RoleViewer})
	require.NoError(t, err)
	mine, theirs := fg.Invites()[0].Code, fg.Invites()[1].Code

	assert.ErrorIs(t, c.Revoke(ctx, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"), api.ErrNotFound)
	assert.ErrorIs(t, c.Revoke(ctx, theirs), api.ErrForbidden)
	require.NoError(t, c.Revoke(ctx, mine))
	require.NoError(t, c.Revoke(ctx, mine), "revoking again succeeds")
	assert.Equal(t, gen.TempUserStatusRevoked, fg.Invites()[0].Status)
	l, err := c.ListPending(ctx)
	require.NoError(t, err)
	assert.Empty(t, l)

	err = c.Revoke(ctx, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
	assert.NotContains(t, err.Error(), "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm", "codes are shortened in errors")
	assert.Contains(t, err.Error(), "/org/invites/Q2zr…/revoke")
}

func TestShortCode(t *testing.T) {
	assert.Equal(t, "Q2zr…", api.ShortCode("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"))
	assert.Equal(t, "a…", api.ShortCode("abc"))
	assert.Equal(t, "…", api.ShortCode(""))
	assert.Equal(t, "…", api.ShortCode("/abcdefgh"))
}
