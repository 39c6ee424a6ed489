package api_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grafana-invites/grafana-invites/api"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
func TestOutcomeString(t *testing.T) {
	for o, want := range map[api.Outcome]string{
		api.OutcomeInvited: "invited", api.OutcomeUserAdded: "existing user added", api.OutcomeAlreadyMember: "already a member",
		api.OutcomeAlreadyInvited: "already invited", api.OutcomeRoleMismatch: "pending with another role",
		api.OutcomeReplaced: "replaced", api.OutcomeRevoked: "revoked", api.OutcomeStale: "stale (kept)", api.OutcomeFailed: "failed",
	} {
		assert.Equal(t, want, o.String())
	}
}
