package api_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grafana-invites/grafana-invites/api"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
// TestOutcomeTokens: the outcomes are the snake_case tokens scripts match on, each with a
// label for people.
func TestOutcomeTokens(t *testing.T) {
	for o, want := range map[api.Outcome][2]string{
		api.OutcomeInvited:        {"invited", "invited"},
		api.OutcomeUserAdded:      {"user_added", "existing user added"},
		api.OutcomeAlreadyMember:  {"already_member", "already a member"},
		api.OutcomeAlreadyInvited: {"already_invited", "already invited"},
		api.OutcomeRoleMismatch:   {"role_mismatch", "pending with another role"},
		api.OutcomeReplaced:       {"replaced", "replaced"},
		api.OutcomeRevoked:        {"revoked", "revoked"},
		api.OutcomeRenewed:        {"renewed", "renewed"},
		api.OutcomeStale:          {"stale", "stale (kept)"},
		api.OutcomeNotStarted:     {"not_started", "not started"},
		api.OutcomeFailed:         {"failed", "failed"},
	} {
		assert.Equal(t, want[0], string(o))
		assert.Equal(t, want[1], o.Label())
	}
	assert.Equal(t, "made_up", api.Outcome("made_up").Label(), "an unknown outcome is its token")
}
