package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

func mustInvite(t *testing.T, c *api.Client, email string, role api.Role) {
	t.Helper()
	_, err := c.Invite(context.Background(), api.InviteRequest{LoginOrEmail: email, Role: role})
	require.NoError(t, err)
}

// pendingByEmail is the fake's pending invites of org 1, by address.
func pendingByEmail(fg *fakegrafanatest.Server) map[string][]gen.TempUserDTO {
	out := map[string][]gen.TempUserDTO{}
	for _, inv := range fg.Invites() {
		if inv.Status == gen.TempUserStatusInvitePending && inv.OrgID == 1 {
			out[api.NormalizeEmail(inv.Email)] = append(out[api.NormalizeEmail(inv.Email)], inv)
		}
	}
	return out
}

func startFake(t *testing.T, opts ...fakegrafana.Option) (*fakegrafanatest.Server, *api.Client) {
	t.Helper()
	base := []fakegrafana.Option{
		fakegrafana.WithOrg(2, "Second Org"),
		fakegrafana.WithUser(fakegrafana.User{ID: 10, Login: "dave", Email: "dave@example.com", Name: "Dave", Password: "pw", Orgs: map[int64]gen.OrgRole{2: gen.OrgRoleViewer}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 11, Login: "erin", Email: "erin@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 13, Login: "ed", Email: "ed@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}, GrantAddUsers: true}),
		fakegrafana.WithUser(fakegrafana.User{ID: 14, Login: "ria", Email: "ria@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin}, CannotAddExistingUsers: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: editorToken, Name: "ed", OrgID: 1, Role: gen.OrgRoleEditor}),
		fakegrafana.WithToken(fakegrafana.Token{Token: org2Token, Name: "two", OrgID: 2, Role: gen.OrgRoleAdmin}),
		fakegrafana.WithToken(fakegrafana.Token{Token: expiredToken, Name: "old", OrgID: 1, Role: gen.OrgRoleAdmin, Expired: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: revokedToken, Name: "gone", OrgID: 1, Role: gen.OrgRoleAdmin, Revoked: true}),
	}
	fg := fakegrafanatest.Start(t, append(base, opts...)...)
	return fg, newClient(t, fg.URL, api.WithToken(fg.Token), noRetry)
}

// Tokens of the seed of startFake, in Grafana's format (see fakegrafana.TokenFromSecret).
var (
	editorToken  = fakegrafana.TokenFromSecret("editor")
	org2Token    = fakegrafana.TokenFromSecret("org2")
	expiredToken = fakegrafana.TokenFromSecret("expired")
	revokedToken = fakegrafana.TokenFromSecret("revoked")
)

// newClock is a settable clock for the fake, at 2026-11-25 09:00 UTC.
func newClock() *fakegrafana.Clock {
	return fakegrafana.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
}

// unknownCode is a code that differs from code in its last character, so never equals it
// (appending a fixed letter collided whenever the code ended in that letter).
func unknownCode(code string) string {
	last := byte('Z')
	if code[len(code)-1] == last {
		last = 'Y'
	}
	return code[:len(code)-1] + string(last)
}

// kinds counts a plan's actions by kind, and its unchanged entries by outcome.
func kinds(p *api.Plan) map[string]int {
	out := map[string]int{}
	for _, a := range p.Actions {
		out[string(a.Kind)]++
	}
	for _, e := range p.Unchanged {
		out[string(e.Outcome)]++
	}
	return out
}
