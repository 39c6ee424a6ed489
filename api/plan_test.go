package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

func TestPlanValidation(t *testing.T) {
	fg, c := startFake(t)
	ok := api.Desired{Email: "ok@b.co", Role: api.RoleViewer}
	for _, tt := range []struct {
		d    []api.Desired
		want string
	}{
		{[]api.Desired{ok, {Email: " ", Role: api.RoleViewer}}, "desired entry 2"},
		{[]api.Desired{ok, ok, {Email: "a@b.co", Role: "chief"}}, "desired entry 3 (a@b.co)"},
		{[]api.Desired{{Email: "a@b.co", Role: api.RoleViewer}, {Email: "A@B.CO", Role: api.RoleAdmin}}, "desired entry 2 (a@b.co): listed twice, as Viewer and as Admin"},
	} {
		_, err := c.Plan(context.Background(), tt.d, api.PlanOptions{})
		assert.ErrorIs(t, err, api.ErrInvalidInput)
		assert.Contains(t, err.Error(), tt.want)
	}
	assert.Zero(t, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
}

// TestChanges: a plan's changes are its actions, not what it leaves as it is.
func TestChanges(t *testing.T) {
	p := &api.Plan{Actions: make([]api.Action, 3), Unchanged: make([]api.ReportEntry, 5)}
	assert.Equal(t, 3, p.Changes())
}
