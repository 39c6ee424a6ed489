package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
)

// TestOrgMismatch: a server admin naming an organisation it is not a member of is answered
// in org −1 with every organisation's invites; a client made for that organisation refuses
// the list, and so every workflow built on it, before acting.
func TestOrgMismatch(t *testing.T) {
	ctx := context.Background()
	fg, c := startFake(t) // org 2 exists; the admin is a member of org 1 only
	mustInvite(t, c, "one@example.com", api.RoleViewer)
	admin := newClient(t, fg.URL, api.WithBasicAuth("admin", "admin"))

	_, err := admin.WithOrgID(2).ListPending(ctx)
	require.ErrorIs(t, err, api.ErrOrgMismatch)
	assert.ErrorContains(t, err, "asked for organisation 2, Grafana listed an invite of organisation 1")
	assert.ErrorContains(t, err, "add them to organisation 2")

	_, err = admin.WithOrgID(2).Plan(ctx, []api.Desired{{Email: "x@example.com", Role: api.RoleViewer}}, api.PlanOptions{Prune: true})
	require.ErrorIs(t, err, api.ErrOrgMismatch, "a plan is refused before anything is sent")
	assert.Len(t, fg.Invites(), 1)

	got, err := admin.WithOrgID(1).ListPending(ctx)
	require.NoError(t, err, "its own organisation")
	assert.Len(t, got, 1)
	got, err = admin.ListPending(ctx)
	require.NoError(t, err, "no organisation named: nothing to check against")
	assert.Len(t, got, 1)
}

// TestOrgMismatchOfOrgOne: organisation 1 is checked like any other.
func TestOrgMismatchOfOrgOne(t *testing.T) {
	rec := &recorder{header: map[string]string{"Content-Type": "application/json"}, body: `[{"code":"abc","email":"a@example.com","orgId":2}]`}
	c := newClient(t, startRecorder(t, rec, ""), api.WithToken("glsa_x"), api.WithOrgID(1), noRetry)
	_, err := c.ListPending(context.Background())
	require.ErrorIs(t, err, api.ErrOrgMismatch)
	assert.ErrorContains(t, err, "asked for organisation 1, Grafana listed an invite of organisation 2")
}
