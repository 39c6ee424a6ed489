package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

func TestFindPendingAndRevokeByEmail(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	mustInvite(t, c, "Bob@Example.com", api.RoleViewer)
	mustInvite(t, c, "bob@example.com", api.RoleEditor)
	mustInvite(t, c, "alice@example.com", api.RoleViewer)

	found, err := c.FindPending(ctx, "  BOB@example.COM ")
	require.NoError(t, err)
	require.Len(t, found, 2)
	assert.Equal(t, api.RoleEditor, found[0].Role, "newest first")

	_, err = c.FindPending(ctx, " ")
	assert.ErrorIs(t, err, api.ErrInvalidInput)

	revoked, err := c.RevokeByEmail(ctx, "bob@EXAMPLE.com")
	require.NoError(t, err)
	assert.Len(t, revoked, 2)
	assert.Len(t, pendingByEmail(fg), 1)
	assert.Contains(t, pendingByEmail(fg), "alice@example.com")

	revoked, err = c.RevokeByEmail(ctx, "nobody@example.com")
	require.NoError(t, err)
	assert.Empty(t, revoked)

	t.Run("partial failure", func(t *testing.T) {
		mustInvite(t, c, "carl@example.com", api.RoleViewer)
		mustInvite(t, c, "carl@example.com", api.RoleViewer)
		fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Status: 500})
		revoked, err := c.RevokeByEmail(ctx, "carl@example.com")
		assert.ErrorIs(t, err, api.ErrServer)
		assert.Len(t, revoked, 1)
	})
}
