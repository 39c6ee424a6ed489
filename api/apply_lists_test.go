package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestApplyListsOnlyForCreations: the list that finds new invites' codes runs when the plan
// creates or replaces, and not for a plan that only revokes, nor for one stopped before any
// creation started.
func TestApplyListsOnlyForCreations(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t)
	mustInvite(t, c, "old@example.com", api.RoleViewer)
	mustInvite(t, c, "role@example.com", api.RoleViewer)

	revokeOnly, err := c.Plan(ctx, []api.Desired{{Email: "role@example.com", Role: api.RoleViewer}}, api.PlanOptions{Prune: true})
	require.NoError(t, err)
	require.Equal(t, map[string]int{"revoke": 1, "already_invited": 1}, kinds(revokeOnly))
	lists := fg.Calls(fakegrafana.OpGetPendingOrgInvites)
	_, err = c.Apply(ctx, revokeOnly, api.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, lists, fg.Calls(fakegrafana.OpGetPendingOrgInvites), "nothing created: no list")

	replaceOnly, err := c.Plan(ctx, []api.Desired{{Email: "role@example.com", Role: api.RoleEditor}}, api.PlanOptions{ReplaceRoleMismatch: true})
	require.NoError(t, err)
	require.Equal(t, map[string]int{"replace": 1}, kinds(replaceOnly))
	report, err := c.Apply(ctx, replaceOnly, api.ApplyOptions{})
	require.NoError(t, err)
	require.Len(t, report.Entries, 1)
	require.NotNil(t, report.Entries[0].Invite, "a replacement alone is listed for its code")
	assert.Equal(t, api.RoleEditor, report.Entries[0].Invite.Role)

	stopped := make(chan struct{})
	close(stopped)
	create, err := c.Plan(ctx, []api.Desired{{Email: "new@example.com", Role: api.RoleViewer}}, api.PlanOptions{})
	require.NoError(t, err)
	lists, posts := fg.Calls(fakegrafana.OpGetPendingOrgInvites), fg.Calls(fakegrafana.OpAddOrgInvite)
	report, err = c.Apply(ctx, create, api.ApplyOptions{Stop: stopped})
	require.ErrorIs(t, err, api.ErrStopped)
	assert.Equal(t, api.OutcomeNotStarted, report.Entries[0].Outcome)
	assert.Equal(t, lists, fg.Calls(fakegrafana.OpGetPendingOrgInvites), "nothing started: no list")
	assert.Equal(t, posts, fg.Calls(fakegrafana.OpAddOrgInvite), "nothing sent")
}
