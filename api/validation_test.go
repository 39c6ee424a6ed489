package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// startFake serves a fake Grafana with a few extra users and tokens and returns it with an
// admin client.
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
	assert.NoError(t, api.CheckCode(strings.Repeat("a", 255)), "255 characters is the longest code")
	assert.NoError(t, api.CheckCode("Z"), "one character is a code")
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
