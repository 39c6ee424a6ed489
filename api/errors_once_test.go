package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestErrorsSayThePrefixOnce: an error wrapped by a workflow adds its context without
// repeating "grafana: ", and still matches its sentinel.
func TestErrorsSayThePrefixOnce(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t)
	mustInvite(t, c, "bob@example.com", api.RoleViewer)
	mustInvite(t, c, "carl@example.com", api.RoleViewer)

	plan, err := c.Plan(ctx, []api.Desired{{Email: "ann@example.com", Role: api.RoleViewer}, {Email: "bob@example.com", Role: api.RoleAdmin}},
		api.PlanOptions{ReplaceRoleMismatch: true, Members: []string{"carl@example.com"}})
	require.NoError(t, err)
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 10, Status: 403})
	report, err := c.Apply(ctx, plan, api.ApplyOptions{Concurrency: 1})
	require.NoError(t, err)

	fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 10, Status: 500})
	_, ensureErr := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "carl@example.com", Role: api.RoleAdmin}, ReplaceRoleMismatch: true})

	_, validation := c.Plan(ctx, []api.Desired{{Email: "a@b.co", Role: "chief"}}, api.PlanOptions{})
	for _, tt := range []struct {
		name string
		err  error
		is   error
	}{
		{"a report's joined failures", report.Err(), api.ErrForbidden},
		{"a failed entry", report.Entries[0].Err, api.ErrForbidden},
		{"a replacement whose revoke failed", ensureErr, api.ErrServer},
		{"a validation error in a plan", validation, api.ErrInvalidInput},
	} {
		require.Error(t, tt.err, tt.name)
		assert.Equal(t, 1, strings.Count(tt.err.Error(), "grafana: "), "%s: %s", tt.name, tt.err)
		assert.True(t, strings.HasPrefix(tt.err.Error(), "grafana: "), "%s: %s", tt.name, tt.err)
		assert.ErrorIs(t, tt.err, tt.is, tt.name)
	}
	assert.Contains(t, report.Err().Error(), "ann@example.com: POST ")
}

// TestPlanSavedAsJSON: a plan is plain data; saved and read back, it applies as made,
// SendEmail included.
func TestPlanSavedAsJSON(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t)
	plan, err := c.Plan(ctx, []api.Desired{{Email: "ann@example.com", Role: api.RoleEditor, Name: "Ann"}}, api.PlanOptions{SendEmail: true})
	require.NoError(t, err)
	data, err := json.Marshal(plan)
	require.NoError(t, err)
	var saved api.Plan
	require.NoError(t, json.Unmarshal(data, &saved))
	assert.True(t, saved.SendEmail)
	assert.Equal(t, plan.Actions, saved.Actions)

	report, err := c.Apply(ctx, &saved, api.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, api.OutcomeInvited, report.Entries[0].Outcome)
	assert.True(t, report.Entries[0].EmailSent)
	require.Len(t, fg.Outbox(), 1, "the saved plan's SendEmail was kept")
	assert.Equal(t, "ann@example.com", fg.Outbox()[0].To)
}
