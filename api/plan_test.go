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
	for _, d := range [][]api.Desired{
		{{Email: " ", Role: api.RoleViewer}},
		{{Email: "a@b.co", Role: "chief"}},
		{{Email: "a@b.co", Role: api.RoleViewer}, {Email: "A@B.CO", Role: api.RoleAdmin}},
	} {
		_, err := c.Plan(context.Background(), d, api.PlanOptions{})
		assert.ErrorIs(t, err, api.ErrInvalidInput)
		assert.Contains(t, err.Error(), "desired entry")
	}
	assert.Zero(t, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
}
