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
	assert.Equal(t, api.OutcomeUserAdded, res.Outcome)
	assert.False(t, res.EmailSent)

	_, c = startFake(t, fakegrafana.WithSMTP(false))
	ens, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "dave@example.com", Role: api.RoleViewer, SendEmail: true}})
	require.NoError(t, err)
	assert.Equal(t, api.OutcomeUserAdded, ens.Outcome)
	assert.False(t, ens.EmailSent)

	_, c = startFake(t, fakegrafana.WithSMTP(false))
	plan, err := c.Plan(ctx, []api.Desired{{Email: "dave@example.com", Role: api.RoleViewer}}, api.PlanOptions{SendEmail: true})
	require.NoError(t, err)
	report, err := c.Apply(ctx, plan, api.ApplyOptions{})
	require.NoError(t, err)
	require.Len(t, report.Entries, 1)
	assert.Equal(t, api.OutcomeUserAdded, report.Entries[0].Outcome)
	assert.False(t, report.Entries[0].EmailSent)
	assert.NoError(t, report.Err())
}

// TestEmailSent: with SMTP, EmailSent says the email went out, in Invite, EnsureInvited
// and Apply alike, and is false when no email was asked for.
func TestEmailSent(t *testing.T) {
	ctx := context.Background()
	_, c := startFake(t)
	res, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "a@example.com", Role: api.RoleViewer, SendEmail: true})
	require.NoError(t, err)
	assert.True(t, res.EmailSent)
	res, err = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "b@example.com", Role: api.RoleViewer})
	require.NoError(t, err)
	assert.False(t, res.EmailSent)

	ens, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "c@example.com", Role: api.RoleViewer, SendEmail: true}})
	require.NoError(t, err)
	assert.True(t, ens.EmailSent)

	plan, err := c.Plan(ctx, []api.Desired{{Email: "d@example.com", Role: api.RoleViewer}}, api.PlanOptions{SendEmail: true})
	require.NoError(t, err)
	report, err := c.Apply(ctx, plan, api.ApplyOptions{})
	require.NoError(t, err)
	for _, e := range report.Entries {
		assert.Equal(t, e.Email == "d@example.com", e.EmailSent, "%+v", e)
	}
}
