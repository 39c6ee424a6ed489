package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

// TestNoSecretsInLogsOrErrors runs every operation, failing and succeeding, with a debug
// logger, and scans every record and error string for credentials and invitation codes.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	const password = "pa55-w0rd-s3cret"
	fg, _ := startFake(t, fakegrafana.WithUser(fakegrafana.User{Login: "pat", Email: "pat@example.com", Password: password, Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin}}))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	tokenClient := newClient(t, fg.URL, api.WithToken(fg.Token), api.WithLogger(logger), noRetry)
	basicClient := newClient(t, fg.URL, api.WithBasicAuth("pat", password), api.WithLogger(logger), noRetry)
	wrongClient := newClient(t, fg.URL, api.WithBasicAuth("pat", password+"x"), api.WithLogger(logger), noRetry)
	badToken := newClient(t, fg.URL, api.WithToken("glsa_wrong_"+fg.Token), api.WithLogger(logger), noRetry)

	for _, c := range []*api.Client{tokenClient, basicClient, wrongClient, badToken} {
		_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "x@example.com", Role: api.RoleViewer})
		keep(err)
		_, err = c.ListPending(ctx)
		keep(err)
		_, err = c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "y@example.com", Role: api.RoleViewer}})
		keep(err)
	}
	invites := fg.Invites()
	require.NotEmpty(t, invites)
	for _, inv := range invites {
		keep(tokenClient.Revoke(ctx, inv.Code))
		keep(badToken.Revoke(ctx, inv.Code))
		keep(tokenClient.Revoke(ctx, unknownCode(inv.Code))) // unknown: 404
	}
	fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Status: 502})
	keep(tokenClient.Revoke(ctx, invites[0].Code))
	keep(tokenClient.Revoke(ctx, invites[0].Code+"/../x"))

	secrets := []string{fg.Token, password, "glsa_wrong_"}
	for _, inv := range invites {
		secrets = append(secrets, inv.Code, unknownCode(inv.Code), inv.URL)
	}
	require.NotEmpty(t, errs)
	require.Contains(t, logs.String(), `"operation":"revokeInvite"`)
	require.Contains(t, logs.String(), `"attempt":1`)
	for _, s := range secrets {
		assert.NotContains(t, logs.String(), s, "a log record leaks a secret")
		for _, err := range errs {
			assert.NotContains(t, err.Error(), s, "an error leaks a secret")
			assert.NotContains(t, fmt.Sprintf("%+v", err), s)
		}
	}
}
