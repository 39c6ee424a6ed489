package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
func startFake(t *testing.T, opts ...fakegrafana.Option) (*fakegrafana.TestServer, *api.Client) {
	t.Helper()
	base := []fakegrafana.Option{
		fakegrafana.WithOrg(2, "Second Org"),
		fakegrafana.WithUser(fakegrafana.User{ID: 10, Login: "dave", Email: "dave@example.com", Name: "Dave", Password: "pw", Orgs: map[int64]gen.OrgRole{2: gen.OrgRoleViewer}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 11, Login: "erin", Email: "erin@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 13, Login: "ed", Email: "ed@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}, GrantAddUsers: true}),
		fakegrafana.WithUser(fakegrafana.User{ID: 14, Login: "ria", Email: "ria@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin}, CannotAddExistingUsers: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: "glsa_editor", Name: "ed", OrgID: 1, Role: gen.OrgRoleEditor}),
		fakegrafana.WithToken(fakegrafana.Token{Token: "glsa_org2", Name: "two", OrgID: 2, Role: gen.OrgRoleAdmin}),
		fakegrafana.WithToken(fakegrafana.Token{Token: "glsa_expired", Name: "old", OrgID: 1, Role: gen.OrgRoleAdmin, Expired: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: "glsa_revoked", Name: "gone", OrgID: 1, Role: gen.OrgRoleAdmin, Revoked: true}),
	}
	fg := fakegrafana.Start(t, append(base, opts...)...)
	return fg, newClient(t, fg.URL, api.WithToken(fg.Token), noRetry)
}

func TestInviteOutcomes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		opts    []fakegrafana.Option
		client  func(fg *fakegrafana.TestServer) []api.Option // nil: the admin token
		req     api.InviteRequest
		outcome api.InviteOutcome
		userID  int64
		message string
		err     []error
		invites int // invites in the fake afterwards
		emails  int
	}{
		{name: "created, no email", req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer},
			outcome: api.InviteCreated, message: "Created invite for new@example.com", invites: 1},
		{name: "sent", req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleEditor, SendEmail: true},
			outcome: api.InviteSent, message: "Sent invite to new@example.com", invites: 1, emails: 1},
		{name: "existing user added", req: api.InviteRequest{LoginOrEmail: "Dave@Example.com", Role: api.RoleEditor},
			outcome: api.ExistingUserAdded, userID: 10, message: "Existing Grafana user Dave added to org Main Org."},
		{name: "already a member (412)", req: api.InviteRequest{LoginOrEmail: "erin", Role: api.RoleViewer},
			err: []error{api.ErrAlreadyMember, api.ErrPreconditionFailed}},
		{name: "SMTP not configured (412, saved)", opts: []fakegrafana.Option{fakegrafana.WithSMTP(false)}, req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer, SendEmail: true},
			err: []error{api.ErrSMTPNotConfigured}, invites: 1},
		{name: "existing user, email fails (500, added)", opts: []fakegrafana.Option{fakegrafana.WithSMTP(false)}, req: api.InviteRequest{LoginOrEmail: "dave", Role: api.RoleViewer, SendEmail: true},
			err: []error{api.ErrServer}},
		{name: "login form disabled (400)", opts: []fakegrafana.Option{fakegrafana.WithLoginFormDisabled(true)}, req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer},
			err: []error{api.ErrLoginDisabled, api.ErrBadRequest}},
		{name: "quota (403)", opts: []fakegrafana.Option{fakegrafana.WithUserQuota(2)}, req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer},
			err: []error{api.ErrQuotaReached, api.ErrForbidden}},
		{name: "role above the caller's (403)", client: func(*fakegrafana.TestServer) []api.Option { return []api.Option{api.WithBasicAuth("ed", "pw")} },
			req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleAdmin}, err: []error{api.ErrForbidden}},
		{name: "existing user, caller may not add (403)", client: func(*fakegrafana.TestServer) []api.Option { return []api.Option{api.WithBasicAuth("ria", "pw")} },
			req: api.InviteRequest{LoginOrEmail: "dave", Role: api.RoleViewer}, err: []error{api.ErrForbidden}},
		{name: "missing permission (403)", client: func(*fakegrafana.TestServer) []api.Option { return []api.Option{api.WithToken("glsa_editor")} },
			req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer}, err: []error{api.ErrForbidden}},
		{name: "invalid token (401)", client: func(*fakegrafana.TestServer) []api.Option { return []api.Option{api.WithToken("glsa_nope")} },
			req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer}, err: []error{api.ErrUnauthorized}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fg, c := startFake(t, tt.opts...)
			if tt.client != nil {
				c = newClient(t, fg.URL, append(tt.client(fg), noRetry)...)
			}
			res, err := c.Invite(ctx, tt.req)
			if tt.err != nil {
				require.Error(t, err)
				for _, e := range tt.err {
					assert.ErrorIs(t, err, e)
				}
				assert.Nil(t, res)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.outcome, res.Outcome)
				assert.Equal(t, tt.userID, res.UserID)
				assert.Equal(t, tt.message, res.Message)
			}
			assert.Len(t, fg.Invites(), tt.invites)
			assert.Len(t, fg.Outbox(), tt.emails)
			assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite), "exactly one POST")
		})
	}
}

func TestAuthErrorsThroughClient(t *testing.T) {
	fg, _ := startFake(t)
	tests := []struct {
		name      string
		opts      []api.Option
		messageID string
	}{
		{"no credentials", nil, "auth.unauthorized"},
		{"invalid token", []api.Option{api.WithToken("glsa_nope")}, "api-key.invalid"},
		{"expired token", []api.Option{api.WithToken("glsa_expired")}, "api-key.expired"},
		{"revoked token", []api.Option{api.WithToken("glsa_revoked")}, "api-key.revoked"},
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

func TestListPendingThroughClient(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	l, err := c.ListPending(ctx)
	require.NoError(t, err)
	assert.NotNil(t, l)
	assert.Empty(t, l)

	for _, e := range []string{"a@example.com", "b@example.com"} {
		_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: e, Role: api.RoleEditor, Name: "N"})
		require.NoError(t, err)
	}
	other := newClient(t, fg.URL, api.WithToken("glsa_org2"))
	_, err = other.Invite(ctx, api.InviteRequest{LoginOrEmail: "z@example.com", Role: api.RoleViewer})
	require.NoError(t, err)

	l, err = c.ListPending(ctx)
	require.NoError(t, err)
	require.Len(t, l, 2)
	assert.Equal(t, "b@example.com", l[0].Email, "newest first")
	got := l[1]
	assert.Equal(t, "a@example.com", got.Email)
	assert.Equal(t, api.RoleEditor, got.Role)
	assert.Equal(t, api.StatusPending, got.Status)
	assert.Equal(t, "N", got.Name)
	assert.Equal(t, int64(1), got.OrgID)
	assert.Len(t, got.Code, 30)
	assert.Equal(t, fg.URL+"invite/"+got.Code, got.URL)
	assert.False(t, got.CreatedOn.IsZero())
}

func TestRevokeThroughClient(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "a@example.com", Role: api.RoleViewer})
	require.NoError(t, err)
	other := newClient(t, fg.URL, api.WithToken("glsa_org2"), noRetry)
	_, err = other.Invite(ctx, api.InviteRequest{LoginOrEmail: "z@example.com", Role: api.RoleViewer})
	require.NoError(t, err)
	mine, theirs := fg.Invites()[0].Code, fg.Invites()[1].Code

	assert.ErrorIs(t, c.Revoke(ctx, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"), api.ErrNotFound)
	assert.ErrorIs(t, c.Revoke(ctx, theirs), api.ErrForbidden)
	require.NoError(t, c.Revoke(ctx, mine))
	require.NoError(t, c.Revoke(ctx, mine), "revoking again succeeds")
	assert.Equal(t, api.StatusRevoked, fg.Invites()[0].Status)
	l, err := c.ListPending(ctx)
	require.NoError(t, err)
	assert.Empty(t, l)

	err = c.Revoke(ctx, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
	assert.NotContains(t, err.Error(), "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm", "codes are shortened in errors")
	assert.Contains(t, err.Error(), "/org/invites/Q2zr…/revoke")
}

func TestValidationBeforeIO(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	invites := []struct {
		name    string
		req     api.InviteRequest
		problem string
	}{
		{"empty loginOrEmail", api.InviteRequest{Role: api.RoleViewer}, "loginOrEmail: empty"},
		{"blank loginOrEmail", api.InviteRequest{LoginOrEmail: "  ", Role: api.RoleViewer}, "loginOrEmail: empty"},
		{"surrounding space", api.InviteRequest{LoginOrEmail: " a@b.co", Role: api.RoleViewer}, "surrounding white space"},
		{"control character", api.InviteRequest{LoginOrEmail: "a@b.co\r\nX: y", Role: api.RoleViewer}, "control characters"},
		{"empty role", api.InviteRequest{LoginOrEmail: "a@b.co"}, "role: empty"},
		{"unknown role", api.InviteRequest{LoginOrEmail: "a@b.co", Role: "Owner"}, `"Owner" is not a role`},
	}
	for _, tt := range invites {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Invite(ctx, tt.req)
			require.ErrorIs(t, err, api.ErrInvalidInput)
			var ve *api.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, err.Error(), tt.problem)
		})
	}
	codes := []struct {
		code, problem string
	}{
		{"", "empty"},
		{".", "another route"},
		{"..", "another route"},
		{"../../admin/users", "'.' at position 1"},
		{"abc/def", "'/' at position 4"},
		{"abc%2Fdef", "'%' at position 4"},
		{"abc?x=1", "'?' at position 4"},
		{"abc#frag", "'#' at position 4"},
		{"abc def", "' ' at position 4"},
		{"abc\\def", "position 4"},
		{"abcé", "byte 0xc3 at position 4"},
		{strings.Repeat("a", 256), "longer than 255"},
	}
	for _, tt := range codes {
		t.Run("code "+tt.code, func(t *testing.T) {
			err := c.Revoke(ctx, tt.code)
			require.ErrorIs(t, err, api.ErrInvalidInput)
			assert.Contains(t, err.Error(), tt.problem)
			assert.Contains(t, err.Error(), "invitation code")
		})
	}
	assert.Zero(t, fg.Calls(fakegrafana.OpAddOrgInvite)+fg.Calls(fakegrafana.OpGetPendingOrgInvites)+fg.Calls(fakegrafana.OpRevokeInvite), "nothing was sent")
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]api.Role{"viewer": api.RoleViewer, " ADMIN ": api.RoleAdmin, "Editor": api.RoleEditor, "none": api.RoleNone} {
		got, err := api.ParseRole(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	_, err := api.ParseRole("root")
	assert.ErrorIs(t, err, api.ErrInvalidInput)
}

func TestShortCode(t *testing.T) {
	assert.Equal(t, "Q2zr…", api.ShortCode("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"))
	assert.Equal(t, "a…", api.ShortCode("abc"))
	assert.Equal(t, "…", api.ShortCode(""))
	assert.Equal(t, "…", api.ShortCode("/abcdefgh"))
}

func TestInviteOutcomeString(t *testing.T) {
	assert.Equal(t, "invite created", api.InviteCreated.String())
	assert.Equal(t, "invite sent", api.InviteSent.String())
	assert.Equal(t, "existing user added", api.ExistingUserAdded.String())
	assert.Equal(t, "unknown outcome", api.InviteOutcome(0).String())
}
