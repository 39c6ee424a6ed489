package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

func TestEnsureInvited(t *testing.T) {
	ctx := context.Background()
	ensure := func(c *api.Client, email string, role api.Role, replace bool) (*api.EnsureResult, error) {
		return c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: email, Role: role}, ReplaceRoleMismatch: replace})
	}

	t.Run("creates once, then returns the same invite without POST", func(t *testing.T) {
		fg, c := startFake(t)
		first, err := ensure(c, "Bob@Example.com", "editor", false)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeInvited, first.Outcome)
		require.NotNil(t, first.Invite)
		assert.Len(t, first.Invite.Code, 30)
		assert.Equal(t, fg.URL+"invite/"+first.Invite.Code, first.Invite.URL)
		again, err := ensure(c, "bob@example.com", api.RoleEditor, false)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeAlreadyInvited, again.Outcome)
		assert.Equal(t, first.Invite.Code, again.Invite.Code)
		assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite))
	})
	t.Run("already a member is a result, not an error", func(t *testing.T) {
		_, c := startFake(t)
		res, err := ensure(c, "erin@example.com", api.RoleViewer, false)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeAlreadyMember, res.Outcome)
	})
	t.Run("existing user added", func(t *testing.T) {
		_, c := startFake(t)
		res, err := ensure(c, "dave", api.RoleViewer, false)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeUserAdded, res.Outcome)
		assert.Equal(t, int64(10), res.UserID)
	})
	t.Run("another role is reported, or replaced on request", func(t *testing.T) {
		fg, c := startFake(t)
		mustInvite(t, c, "bob@example.com", api.RoleViewer)
		res, err := ensure(c, "bob@example.com", api.RoleAdmin, false)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeRoleMismatch, res.Outcome)
		require.Len(t, res.Pending, 1)
		assert.Equal(t, api.RoleViewer, res.Pending[0].Role)
		assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite), "nothing sent")

		res, err = ensure(c, "bob@example.com", api.RoleAdmin, true)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeReplaced, res.Outcome)
		assert.Equal(t, api.RoleAdmin, res.Invite.Role)
		require.Len(t, res.Pending, 1)
		p := pendingByEmail(fg)["bob@example.com"]
		require.Len(t, p, 1)
		assert.Equal(t, api.RoleAdmin, p[0].Role)
	})
	t.Run("SMTP not configured: the saved invite is returned", func(t *testing.T) {
		fg, c := startFake(t, fakegrafana.WithSMTP(false))
		res, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer, SendEmail: true}})
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeInvited, res.Outcome)
		assert.False(t, res.EmailSent, "asked, but Grafana has no SMTP")
		assert.NotEmpty(t, res.Invite.URL)
		assert.Len(t, fg.Invites(), 1)
	})
	t.Run("lost answer: found by listing, not invited twice", func(t *testing.T) {
		fg, c := startFake(t)
		fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 504, AfterHandling: true})
		res, err := ensure(c, "bob@example.com", api.RoleViewer, false)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeInvited, res.Outcome)
		assert.Len(t, fg.Invites(), 1)
	})
	t.Run("refused POST: the error, nothing saved", func(t *testing.T) {
		fg, c := startFake(t)
		fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 503})
		_, err := ensure(c, "bob@example.com", api.RoleViewer, false)
		assert.ErrorIs(t, err, api.ErrServer)
		assert.Empty(t, fg.Invites())
	})
	t.Run("invalid input before any I/O", func(t *testing.T) {
		fg, c := startFake(t)
		_, err := ensure(c, "", api.RoleViewer, false)
		assert.ErrorIs(t, err, api.ErrInvalidInput)
		_, err = ensure(c, "a@b.co", "boss", false)
		assert.ErrorIs(t, err, api.ErrInvalidInput)
		assert.Zero(t, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
	})
}

func TestEnsureInvitedConcurrently(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				n := (g*7 + i*13) % 100 // overlapping addresses across goroutines
				email := fmt.Sprintf("user%02d@example.com", n)
				if g%2 == 1 {
					email = strings.ToUpper(email) // the same address, spelled differently
				}
				cl := c
				if g%3 == 0 {
					cl = c.WithOrgID(1) // copies share the per-address lock
				}
				res, err := cl.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: email, Role: api.RoleViewer}})
				if assert.NoError(t, err) {
					assert.Contains(t, []api.Outcome{api.OutcomeInvited, api.OutcomeAlreadyInvited}, res.Outcome)
				}
			}
		}()
	}
	wg.Wait()
	pending := pendingByEmail(fg)
	for addr, invs := range pending {
		assert.Equal(t, 1, len(invs), "pending invites for %s", addr)
	}
	assert.Equal(t, len(pending), len(fg.Invites()), "no invite was created twice")
}
