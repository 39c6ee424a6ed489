package api_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestApplyStop: closing Stop starts no new job, lets those under way finish and reports
// each truthfully: every invite reported revoked is gone, every one not started is still
// pending, and Apply says ErrStopped.
func TestApplyStop(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	for i := range 8 {
		mustInvite(t, c, fmt.Sprintf("u%d@example.com", i), api.RoleViewer)
	}
	plan, err := c.Plan(ctx, []api.Desired{{Email: "new@example.com", Role: api.RoleViewer}}, api.PlanOptions{Prune: true})
	require.NoError(t, err)
	require.Equal(t, map[string]int{"revoke": 8, "invite": 1}, kinds(plan))

	stop := make(chan struct{})
	var once sync.Once
	report, err := c.Apply(ctx, plan, api.ApplyOptions{Concurrency: 2, Stop: stop,
		Progress: func(int, int, api.ReportEntry) { once.Do(func() { close(stop) }) }})
	require.ErrorIs(t, err, api.ErrStopped)

	pending := pendingByEmail(fg)
	counts := map[api.Outcome]int{}
	for _, e := range report.Entries {
		counts[e.Outcome]++
		switch e.Outcome {
		case api.OutcomeRevoked:
			assert.NotContains(t, pending, e.Email, "reported revoked, so gone")
		case api.OutcomeInvited:
			assert.Contains(t, pending, e.Email, "reported invited, so pending")
			assert.NotNil(t, e.Invite, "its code was looked up after the stop")
		case api.OutcomeNotStarted:
			assert.NoError(t, e.Err)
			assert.Len(t, pending[e.Email], 1, "not started, so as before")
		default:
			t.Errorf("%s: unexpected outcome %s (%v)", e.Email, e.Outcome, e.Err)
		}
	}
	assert.Equal(t, 1, counts[api.OutcomeInvited], "the first job, whose end closed Stop")
	assert.GreaterOrEqual(t, counts[api.OutcomeNotStarted], 1)
	assert.Equal(t, counts[api.OutcomeRevoked], fg.Calls(fakegrafana.OpRevokeInvite), "each revoke sent is reported")
}
