package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestPlanRevoke: codes and addresses name pending invites, each revoked once; a code no
// invite has is reported failed (ErrNotFound) and changes nothing; what the plan lists is
// what Apply revokes.
func TestPlanRevoke(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t)
	mustInvite(t, c, "Bob@example.com", api.RoleViewer)
	mustInvite(t, c, "bob@example.com", api.RoleEditor)
	mustInvite(t, c, "ann@example.com", api.RoleViewer)
	mustInvite(t, c, "kept@example.com", api.RoleViewer)
	byMail := pendingByEmail(fg)
	annCode := byMail["ann@example.com"][0].Code
	unknown := strings.Repeat("Z", 30)

	p, err := c.PlanRevoke(ctx, api.RevokeTargets{Codes: []string{annCode, unknown, unknown}, Emails: []string{" BOB@example.com", "ann@example.com", "nobody@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"revoke": 3, "failed": 1}, kinds(p), "ann's code and address name one invite")
	require.Len(t, p.Unchanged, 1)
	assert.ErrorIs(t, p.Unchanged[0].Err, api.ErrNotFound)
	assert.Equal(t, unknown, p.Unchanged[0].Invite.Code)
	assert.NotContains(t, p.Unchanged[0].Err.Error(), unknown, "a code is never shown whole")

	report, err := c.Apply(ctx, p, api.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, report.Count(api.OutcomeRevoked))
	assert.Equal(t, 1, report.Count(api.OutcomeFailed))
	assert.Equal(t, 3, fg.Calls(fakegrafana.OpRevokeInvite), "one PATCH per action, none for the unknown code")
	assert.Equal(t, []string{"kept@example.com"}, keys(pendingByEmail(fg)))

	_, err = c.PlanRevoke(ctx, api.RevokeTargets{Codes: []string{"../x"}})
	assert.ErrorIs(t, err, api.ErrInvalidInput)
	_, err = c.PlanRevoke(ctx, api.RevokeTargets{Emails: []string{" "}})
	assert.ErrorIs(t, err, api.ErrInvalidInput)
}

// TestPlanRevokeFrom: planned on a list the caller holds, a revocation sends nothing and is
// the plan PlanRevoke makes from the same list; bad targets are refused alike.
func TestPlanRevokeFrom(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t)
	mustInvite(t, c, "bob@example.com", api.RoleViewer)
	mustInvite(t, c, "ann@example.com", api.RoleViewer)
	pending, err := c.ListPending(ctx)
	require.NoError(t, err)
	targets := api.RevokeTargets{Codes: []string{pending[0].Code}, Emails: []string{"BOB@example.com"}}
	lists := fg.Calls(fakegrafana.OpGetPendingOrgInvites)
	from, err := api.PlanRevokeFrom(pending, targets)
	require.NoError(t, err)
	assert.Equal(t, lists, fg.Calls(fakegrafana.OpGetPendingOrgInvites), "nothing sent")
	planned, err := c.PlanRevoke(ctx, targets)
	require.NoError(t, err)
	assert.Equal(t, planned, from)

	_, err = api.PlanRevokeFrom(pending, api.RevokeTargets{Codes: []string{"../x"}})
	assert.ErrorIs(t, err, api.ErrInvalidInput)
	_, err = api.PlanRevokeFrom(pending, api.RevokeTargets{Emails: []string{" "}})
	assert.ErrorIs(t, err, api.ErrInvalidInput)
}

// TestRevokeGoneMeanwhileIsDone: an invite revoked by someone else between the plan and
// Apply (a 404) is done, in Apply and RevokeByEmail alike.
func TestRevokeGoneMeanwhileIsDone(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t)
	mustInvite(t, c, "bob@example.com", api.RoleViewer)
	p, err := c.PlanRevoke(ctx, api.RevokeTargets{Emails: []string{"bob@example.com"}})
	require.NoError(t, err)
	fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 2, Status: 404})
	report, err := c.Apply(ctx, p, api.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, api.OutcomeRevoked, report.Entries[0].Outcome)

	revoked, err := c.RevokeByEmail(ctx, "bob@example.com")
	require.NoError(t, err, "a 404 means the invite is gone, which is what was asked")
	assert.Len(t, revoked, 1)
}

// TestApplyChecksHandMadePlans: a plan made by hand is checked before anything is sent.
func TestApplyChecksHandMadePlans(t *testing.T) {
	fg, c := startFake(t)
	for _, tt := range []struct {
		a    api.Action
		want string
	}{
		{api.Action{Kind: api.ActionInvite, Role: api.RoleViewer}, "plan action 1: empty email"},
		{api.Action{Kind: api.ActionInvite, Email: "a@b.co", Role: "chief"}, "invalid plan action 1 (a@b.co), role: \"chief\" is not a role"},
		{api.Action{Kind: "delete", Email: "a@b.co", Role: api.RoleViewer}, "\"delete\" is not an action"},
		{api.Action{Kind: api.ActionRevoke, Email: "a@b.co"}, "a revoke names exactly one invite"},
		{api.Action{Kind: api.ActionRenew, Email: "a@b.co", Role: api.RoleViewer, Old: []api.Invite{{Code: "../admin"}}}, "invalid plan action 1 (a@b.co), invitation code: character '.'"},
	} {
		_, err := c.Apply(context.Background(), &api.Plan{Actions: []api.Action{tt.a}}, api.ApplyOptions{})
		require.ErrorIs(t, err, api.ErrInvalidInput)
		assert.Contains(t, err.Error(), tt.want)
		assert.Equal(t, 1, strings.Count(err.Error(), "grafana: "), err.Error())
	}
	assert.Zero(t, fg.Calls(fakegrafana.OpAddOrgInvite)+fg.Calls(fakegrafana.OpRevokeInvite)+fg.Calls(fakegrafana.OpGetPendingOrgInvites))
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
