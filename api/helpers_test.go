package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

func mustInvite(t *testing.T, c *api.Client, email string, role api.Role) {
	t.Helper()
	_, err := c.Invite(context.Background(), api.InviteRequest{LoginOrEmail: email, Role: role})
	require.NoError(t, err)
}

// pendingByEmail is the fake's pending invites of org 1, by address.
func pendingByEmail(fg *fakegrafana.TestServer) map[string][]gen.TempUserDTO {
	out := map[string][]gen.TempUserDTO{}
	for _, inv := range fg.Invites() {
		if inv.Status == gen.TempUserStatusInvitePending && inv.OrgID == 1 {
			out[api.NormalizeEmail(inv.Email)] = append(out[api.NormalizeEmail(inv.Email)], inv)
		}
	}
	return out
}

func TestFindPendingAndRevokeByEmail(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	mustInvite(t, c, "Bob@Example.com", api.RoleViewer)
	mustInvite(t, c, "bob@example.com", api.RoleEditor)
	mustInvite(t, c, "alice@example.com", api.RoleViewer)

	found, err := c.FindPending(ctx, "  BOB@example.COM ")
	require.NoError(t, err)
	require.Len(t, found, 2)
	assert.Equal(t, api.RoleEditor, found[0].Role, "newest first")

	_, err = c.FindPending(ctx, " ")
	assert.ErrorIs(t, err, api.ErrInvalidInput)

	revoked, err := c.RevokeByEmail(ctx, "bob@EXAMPLE.com")
	require.NoError(t, err)
	assert.Len(t, revoked, 2)
	assert.Len(t, pendingByEmail(fg), 1)
	assert.Contains(t, pendingByEmail(fg), "alice@example.com")

	revoked, err = c.RevokeByEmail(ctx, "nobody@example.com")
	require.NoError(t, err)
	assert.Empty(t, revoked)

	t.Run("partial failure", func(t *testing.T) {
		mustInvite(t, c, "carl@example.com", api.RoleViewer)
		mustInvite(t, c, "carl@example.com", api.RoleViewer)
		fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Status: 500})
		revoked, err := c.RevokeByEmail(ctx, "carl@example.com")
		assert.ErrorIs(t, err, api.ErrServer)
		assert.Len(t, revoked, 1)
	})
}

func TestEnsureInvited(t *testing.T) {
	ctx := context.Background()
	ensure := func(c *api.Client, email string, role api.Role, replace bool) (*api.EnsureResult, error) {
		return c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: email, Role: role}, ReplaceRoleMismatch: replace})
	}

	t.Run("creates once, then returns the same invite without POST", func(t *testing.T) {
		fg, c := startFake(t)
		first, err := ensure(c, "Bob@Example.com", "editor", false)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureCreated, first.Status)
		require.NotNil(t, first.Invite)
		assert.Len(t, first.Invite.Code, 30)
		assert.Equal(t, fg.URL+"invite/"+first.Invite.Code, first.Invite.URL)
		again, err := ensure(c, "bob@example.com", api.RoleEditor, false)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureExisting, again.Status)
		assert.Equal(t, first.Invite.Code, again.Invite.Code)
		assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite))
	})
	t.Run("already a member is a result, not an error", func(t *testing.T) {
		_, c := startFake(t)
		res, err := ensure(c, "erin@example.com", api.RoleViewer, false)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureAlreadyMember, res.Status)
	})
	t.Run("existing user added", func(t *testing.T) {
		_, c := startFake(t)
		res, err := ensure(c, "dave", api.RoleViewer, false)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureUserAdded, res.Status)
		assert.Equal(t, int64(10), res.UserID)
	})
	t.Run("another role is reported, or replaced on request", func(t *testing.T) {
		fg, c := startFake(t)
		mustInvite(t, c, "bob@example.com", api.RoleViewer)
		res, err := ensure(c, "bob@example.com", api.RoleAdmin, false)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureRoleMismatch, res.Status)
		require.Len(t, res.Pending, 1)
		assert.Equal(t, api.RoleViewer, res.Pending[0].Role)
		assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite), "nothing sent")

		res, err = ensure(c, "bob@example.com", api.RoleAdmin, true)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureReplaced, res.Status)
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
		assert.Equal(t, api.EnsureCreated, res.Status)
		assert.True(t, res.EmailNotSent)
		assert.NotEmpty(t, res.Invite.URL)
		assert.Len(t, fg.Invites(), 1)
	})
	t.Run("lost answer: found by listing, not invited twice", func(t *testing.T) {
		fg, c := startFake(t)
		fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 504, AfterHandling: true})
		res, err := ensure(c, "bob@example.com", api.RoleViewer, false)
		require.NoError(t, err)
		assert.Equal(t, api.EnsureCreated, res.Status)
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
					assert.Contains(t, []api.EnsureStatus{api.EnsureCreated, api.EnsureExisting}, res.Status)
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

func TestPlanApply(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	mustInvite(t, c, "kept@example.com", api.RoleViewer)
	mustInvite(t, c, "kept@example.com", api.RoleViewer) // an older duplicate: pruned
	mustInvite(t, c, "Role@Example.com", api.RoleViewer) // wrong role: replaced
	mustInvite(t, c, "stale@example.com", api.RoleEditor)
	desired := []api.Desired{
		{Email: "kept@example.com", Role: api.RoleViewer},
		{Email: "role@example.com", Role: api.RoleEditor},
		{Email: "new@example.com", Role: "admin", Name: "New"},
		{Email: "NEW@example.com", Role: api.RoleAdmin},   // the same address again: fine
		{Email: "erin@example.com", Role: api.RoleViewer}, // a member
		{Email: "dave@example.com", Role: api.RoleEditor}, // an existing user, not a member
	}

	t.Run("dry run without prune", func(t *testing.T) {
		p, err := c.Plan(ctx, desired, api.PlanOptions{})
		require.NoError(t, err)
		assert.Len(t, p.Create, 3)
		assert.Len(t, p.Mismatched, 1)
		assert.Len(t, p.Stale, 2)
		assert.Empty(t, p.Revoke)
		assert.Equal(t, 3, p.Changes())
		assert.Zero(t, fg.Calls(fakegrafana.OpAddOrgInvite)-4, "planning sends nothing")
	})

	opts := api.PlanOptions{Prune: true, ReplaceRoleMismatch: true}
	p, err := c.Plan(ctx, desired, opts)
	require.NoError(t, err)
	assert.Len(t, p.Unchanged, 1)
	assert.Len(t, p.Replace, 1)
	assert.Len(t, p.Revoke, 2, "the stale invite and the older duplicate")
	assert.Len(t, p.Create, 3)

	var progress []int
	report, err := c.Apply(ctx, p, api.ApplyOptions{Concurrency: 3, Progress: func(done, total int, _ api.ReportEntry) {
		progress = append(progress, done)
		assert.Equal(t, 6, total)
	}})
	require.NoError(t, err)
	require.NoError(t, report.Err())
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, progress)

	results := map[string][]api.Result{}
	for _, e := range report.Entries {
		results[e.Email] = append(results[e.Email], e.Result)
	}
	assert.Equal(t, map[string][]api.Result{
		"dave@example.com":  {api.ResultUserAdded},
		"erin@example.com":  {api.ResultAlreadyMember},
		"kept@example.com":  {api.ResultRevoked, api.ResultUnchanged},
		"new@example.com":   {api.ResultInvited},
		"role@example.com":  {api.ResultReplaced},
		"stale@example.com": {api.ResultRevoked},
	}, sortResults(results))
	for _, e := range report.Entries {
		if e.Result == api.ResultInvited || e.Result == api.ResultReplaced {
			require.NotNil(t, e.Invite, e.Email)
			assert.Len(t, e.Invite.Code, 30, "the report carries the new invite's code")
		}
	}

	pending := pendingByEmail(fg)
	assert.Len(t, pending, 3)
	assert.Equal(t, api.RoleViewer, pending["kept@example.com"][0].Role)
	assert.Equal(t, api.RoleEditor, pending["role@example.com"][0].Role)
	assert.Equal(t, api.RoleAdmin, pending["new@example.com"][0].Role)
	assert.Equal(t, "New", pending["new@example.com"][0].Name)

	again, err := c.Plan(ctx, desired, api.PlanOptions{Prune: true, ReplaceRoleMismatch: true, Members: report.Members()})
	require.NoError(t, err)
	assert.Zero(t, again.Changes(), "a re-run plans nothing")
	assert.Len(t, again.Members, 2)
}

func sortResults(m map[string][]api.Result) map[string][]api.Result {
	for _, v := range m {
		for i := 1; i < len(v); i++ {
			for j := i; j > 0 && v[j] < v[j-1]; j-- {
				v[j], v[j-1] = v[j-1], v[j]
			}
		}
	}
	return m
}

func TestApplyPartialFailureAndLostAnswers(t *testing.T) {
	fg, c := startFake(t)
	ctx := context.Background()
	var desired []api.Desired
	for i := range 6 {
		desired = append(desired, api.Desired{Email: fmt.Sprintf("p%d@example.com", i), Role: api.RoleViewer})
	}
	p, err := c.Plan(ctx, desired, api.PlanOptions{})
	require.NoError(t, err)
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 500})
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 504, AfterHandling: true})
	report, err := c.Apply(ctx, p, api.ApplyOptions{Concurrency: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, report.Failed(), "the 500 failed; the lost 504 was saved and is settled")
	assert.Equal(t, 5, report.Count(api.ResultInvited))
	assert.ErrorIs(t, report.Err(), api.ErrServer)
	assert.Len(t, fg.Invites(), 5)

	again, err := c.Plan(ctx, desired, api.PlanOptions{})
	require.NoError(t, err)
	assert.Len(t, again.Create, 1, "only the failed address is left")
}

func TestPlanValidation(t *testing.T) {
	fg, c := startFake(t)
	for _, d := range [][]api.Desired{
		{{Email: " ", Role: api.RoleViewer}},
		{{Email: "a@b.co", Role: "chief"}},
		{{Email: "a@b.co", Role: api.RoleViewer}, {Email: "A@B.CO", Role: api.RoleAdmin}},
	} {
		_, err := c.Plan(context.Background(), d, api.PlanOptions{})
		assert.ErrorIs(t, err, api.ErrInvalidInput)
		assert.Contains(t, err.Error(), "desired entry")
	}
	assert.Zero(t, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
}

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
		keep(tokenClient.Revoke(ctx, inv.Code[:29]+"Z")) // unknown: 404
	}
	fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Status: 502})
	keep(tokenClient.Revoke(ctx, invites[0].Code))
	keep(tokenClient.Revoke(ctx, invites[0].Code+"/../x"))

	secrets := []string{fg.Token, password, "glsa_wrong_"}
	for _, inv := range invites {
		secrets = append(secrets, inv.Code, inv.Code[:29]+"Z", inv.URL)
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
