package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestInviteExistingUserEmailFails: Grafana without SMTP adds an existing user, then fails
// to email them with a 500; the user was added, so that is a result, not an error, in
// Invite, EnsureInvited and Apply alike.
func TestInviteExistingUserEmailFails(t *testing.T) {
	ctx := context.Background()
	_, c := startFake(t, fakegrafana.WithSMTP(false))
	res, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "dave@example.com", Role: api.RoleViewer, SendEmail: true})
	require.NoError(t, err)
	assert.True(t, res.NotifyFailed)

	_, c = startFake(t, fakegrafana.WithSMTP(false))
	ens, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "dave@example.com", Role: api.RoleViewer, SendEmail: true}})
	require.NoError(t, err)
	assert.Equal(t, api.OutcomeUserAdded, ens.Outcome)
	assert.True(t, ens.EmailNotSent)

	_, c = startFake(t, fakegrafana.WithSMTP(false))
	plan, err := c.Plan(ctx, []api.Desired{{Email: "dave@example.com", Role: api.RoleViewer}}, api.PlanOptions{SendEmail: true})
	require.NoError(t, err)
	report, err := c.Apply(ctx, plan, api.ApplyOptions{})
	require.NoError(t, err)
	require.Len(t, report.Entries, 1)
	assert.Equal(t, api.OutcomeUserAdded, report.Entries[0].Outcome)
	assert.True(t, report.Entries[0].EmailNotSent)
	assert.NoError(t, report.Err())
}
