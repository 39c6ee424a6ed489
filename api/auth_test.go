package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
func TestAuthErrorsThroughClient(t *testing.T) {
	fg, _ := startFake(t)
	tests := []struct {
		name      string
		opts      []api.Option
		messageID string
	}{
		{"no credentials", nil, "auth.unauthorized"},
		{"invalid token", []api.Option{api.WithToken("glsa_nope")}, "api-key.invalid"},
		{"expired token", []api.Option{api.WithToken(expiredToken)}, "api-key.expired"},
		{"revoked token", []api.Option{api.WithToken(revokedToken)}, "api-key.revoked"},
		{"token for another org", []api.Option{api.WithToken(fakegrafana.DefaultAdminToken), api.WithOrgID(2)}, "api-key.organization-mismatch"},
		{"wrong password", []api.Option{api.WithBasicAuth("admin", "wrong")}, "password-auth.failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, fg.URL, append(tt.opts, noRetry)...)
			_, err := c.ListPending(context.Background())
			require.ErrorIs(t, err, api.ErrUnauthorized)
			var ae *api.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.messageID, ae.MessageID)
			assert.NotContains(t, err.Error(), fakegrafana.DefaultAdminToken)
			assert.NotContains(t, err.Error(), "wrong")
		})
	}
}
