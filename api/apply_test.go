package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

func TestPlanApply(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	mustInvite(t, c, "kept@example.com", api.RoleViewer)
	mustInvite(t, c, "kept@example.com", api.RoleViewer) // an older duplicate: pruned
	mustInvite(t, c, "Role@Example.com", api.RoleViewer) // wrong role: replaced
	mustInvite(t, c, "stale@example.com", api.RoleEditor)
	desired := []api.Desired{
		{Email: "kept@example.com", Role: api.RoleViewer},
		{Email: "role@example.com", Role: api.RoleEditor},
		{Email: "new@example.com", Role: "admin", Name: "New"},
		{Email: "NEW@example.com", Role: api.RoleAdmin},   // the same address again: fine
		{Email: "erin@example.com", Role: api.RoleViewer}, // a member
		{Email: "dave@example.com", Role: api.RoleEditor}, // an existing user, not a member
	}

	t.Run("dry run without prune", func(t *testing.T) {
		p, err := c.Plan(ctx, desired, api.PlanOptions{})
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"invite": 3, "role_mismatch": 1, "stale": 2, "already_invited": 1}, kinds(p))
		assert.Equal(t, 3, p.Changes())
		assert.Zero(t, fg.Calls(fakegrafana.OpAddOrgInvite)-4, "planning sends nothing")
	})

	opts := api.PlanOptions{Prune: true, ReplaceRoleMismatch: true}
	p, err := c.Plan(ctx, desired, opts)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"invite": 3, "replace": 1, "revoke": 2, "already_invited": 1}, kinds(p),
		"the stale invite and the older duplicate are revoked")
	assert.Len(t, p.Pending, 4, "the list it was made from")

	var progress []int
	report, err := c.Apply(ctx, p, api.ApplyOptions{Concurrency: 3, Progress: func(done, total int, _ api.ReportEntry) {
		progress = append(progress, done)
		assert.Equal(t, 6, total)
	}})
	require.NoError(t, err)
	require.NoError(t, report.Err())
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, progress)

	// Sorted by address; one address's entries keep the order of the work: jobs (creations,
	// replacements, revocations), then what was already so.
	var order []string
	for _, e := range report.Entries {
		order = append(order, e.Email+" "+string(e.Outcome))
	}
	assert.Equal(t, []string{
		"dave@example.com user_added", "erin@example.com already_member",
		"kept@example.com revoked", "kept@example.com already_invited",
		"new@example.com invited", "role@example.com replaced", "stale@example.com revoked",
	}, order)

	results := map[string][]api.Outcome{}
	for _, e := range report.Entries {
		results[e.Email] = append(results[e.Email], e.Outcome)
	}
	assert.Equal(t, map[string][]api.Outcome{
		"dave@example.com":  {api.OutcomeUserAdded},
		"erin@example.com":  {api.OutcomeAlreadyMember},
		"kept@example.com":  {api.OutcomeAlreadyInvited, api.OutcomeRevoked},
		"new@example.com":   {api.OutcomeInvited},
		"role@example.com":  {api.OutcomeReplaced},
		"stale@example.com": {api.OutcomeRevoked},
	}, sortResults(results))
	for _, e := range report.Entries {
		if e.Outcome == api.OutcomeInvited || e.Outcome == api.OutcomeReplaced {
			require.NotNil(t, e.Invite, e.Email)
			assert.Len(t, e.Invite.Code, 30, "the report carries the new invite's code")
		}
	}

	pending := pendingByEmail(fg)
	assert.Len(t, pending, 3)
	assert.Equal(t, api.RoleViewer, pending["kept@example.com"][0].Role)
	assert.Equal(t, api.RoleEditor, pending["role@example.com"][0].Role)
	assert.Equal(t, api.RoleAdmin, pending["new@example.com"][0].Role)
	assert.Equal(t, "New", pending["new@example.com"][0].Name)

	again, err := c.Plan(ctx, desired, api.PlanOptions{Prune: true, ReplaceRoleMismatch: true, Members: report.Members()})
	require.NoError(t, err)
	assert.Zero(t, again.Changes(), "a re-run plans nothing")
	assert.Equal(t, 2, kinds(again)["already_member"])
}

func sortResults(m map[string][]api.Outcome) map[string][]api.Outcome {
	for _, v := range m {
		for i := 1; i < len(v); i++ {
			for j := i; j > 0 && v[j] < v[j-1]; j-- {
				v[j], v[j-1] = v[j-1], v[j]
			}
		}
	}
	return m
}

func TestApplyPartialFailureAndLostAnswers(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	var desired []api.Desired
	for i := range 6 {
		desired = append(desired, api.Desired{Email: fmt.Sprintf("p%d@example.com", i), Role: api.RoleViewer})
	}
	p, err := c.Plan(ctx, desired, api.PlanOptions{})
	require.NoError(t, err)
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 500})
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 504, AfterHandling: true})
	report, err := c.Apply(ctx, p, api.ApplyOptions{Concurrency: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, report.Count(api.OutcomeFailed), "the 500 failed; the lost 504 was saved and is settled")
	assert.Equal(t, 5, report.Count(api.OutcomeInvited))
	assert.ErrorIs(t, report.Err(), api.ErrServer)
	assert.Len(t, fg.Invites(), 5)

	again, err := c.Plan(ctx, desired, api.PlanOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, kinds(again)["invite"], "only the failed address is left")
}
