package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
func TestInviteOutcomes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		opts      []fakegrafana.Option
		client    func(fg *fakegrafanatest.Server) []api.Option // nil: the admin token
		req       api.InviteRequest
		outcome   api.Outcome
		emailSent bool
		userID    int64
		message   string
		err       []error
		invites   int // invites in the fake afterwards
		emails    int
	}{
		{name: "created, no email", req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer},
			outcome: api.OutcomeInvited, message: "Created invite for new@example.com", invites: 1},
		{name: "sent", req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleEditor, SendEmail: true},
			outcome: api.OutcomeInvited, emailSent: true, message: "Sent invite to new@example.com", invites: 1, emails: 1},
		{name: "existing user added", req: api.InviteRequest{LoginOrEmail: "Dave@Example.com", Role: api.RoleEditor},
			outcome: api.OutcomeUserAdded, userID: 10, message: "Existing Grafana user Dave added to org Main Org."},
		{name: "already a member (412)", req: api.InviteRequest{LoginOrEmail: "erin", Role: api.RoleViewer},
			err: []error{api.ErrAlreadyMember, api.ErrPreconditionFailed}},
		{name: "SMTP not configured (412, saved)", opts: []fakegrafana.Option{fakegrafana.WithSMTP(false)}, req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer, SendEmail: true},
			err: []error{api.ErrSMTPNotConfigured}, invites: 1},
		{name: "existing user, email fails (500, added)", opts: []fakegrafana.Option{fakegrafana.WithSMTP(false)}, req: api.InviteRequest{LoginOrEmail: "dave", Role: api.RoleViewer, SendEmail: true},
			outcome: api.OutcomeUserAdded, message: "Failed to send email invited_to_org"},
		{name: "login form disabled (400)", opts: []fakegrafana.Option{fakegrafana.WithLoginFormDisabled(true)}, req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer},
			err: []error{api.ErrLoginDisabled, api.ErrBadRequest}},
		{name: "quota (403)", opts: []fakegrafana.Option{fakegrafana.WithUserQuota(2)}, req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer},
			err: []error{api.ErrQuotaReached, api.ErrForbidden}},
		{name: "role above the caller's (403)", client: func(*fakegrafanatest.Server) []api.Option { return []api.Option{api.WithBasicAuth("ed", "pw")} },
			req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleAdmin}, err: []error{api.ErrForbidden}},
		{name: "existing user, caller may not add (403)", client: func(*fakegrafanatest.Server) []api.Option { return []api.Option{api.WithBasicAuth("ria", "pw")} },
			req: api.InviteRequest{LoginOrEmail: "dave", Role: api.RoleViewer}, err: []error{api.ErrForbidden}},
		{name: "missing permission (403)", client: func(*fakegrafanatest.Server) []api.Option { return []api.Option{api.WithToken(editorToken)} },
			req: api.InviteRequest{LoginOrEmail: "new@example.com", Role: api.RoleViewer}, err: []error{api.ErrForbidden}},
		{name: "invalid token (401)", client: func(*fakegrafanatest.Server) []api.Option { return []api.Option{api.WithToken("glsa_nope")} },
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
				assert.Equal(t, tt.emailSent, res.EmailSent)
				assert.Equal(t, tt.userID, res.UserID)
				assert.Equal(t, tt.message, res.Message)
			}
			assert.Len(t, fg.Invites(), tt.invites)
			assert.Len(t, fg.Outbox(), tt.emails)
			assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite), "exactly one POST")
		})
	}
}
