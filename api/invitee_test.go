package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// codeOf returns the code of the newest pending invite of address.
func codeOf(t *testing.T, fg *fakegrafanatest.Server, address string) string {
	t.Helper()
	p := pendingByEmail(fg)[address]
	require.NotEmpty(t, p, address)
	return p[len(p)-1].Code
}

// TestInviteeLifecycle: an invitee's client, made without credentials, reads the invite and
// accepts it; the new user is a member with the invite's role, and the invite is gone.
func TestInviteeLifecycle(t *testing.T) {
	ctx := context.Background()
	fg, admin := startFake(t)
	_, err := admin.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Name: "Bob", Role: api.RoleEditor})
	require.NoError(t, err)
	code := codeOf(t, fg, "bob@example.com")

	var auths atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") != "" {
			auths.Add(1)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	invitee := newClient(t, fg.URL, api.WithHTTPClient(hc), api.WithToken(fg.Token)) // a token it must not send
	info, err := invitee.InviteInfo(ctx, code)
	require.NoError(t, err)
	assert.Equal(t, api.InviteInfo{Email: "bob@example.com", Name: "Bob", Username: "bob@example.com", InvitedBy: "fake-admin", OrgName: ptr("Main Org.")}, *info)

	id, err := invitee.AcceptInvite(ctx, api.Acceptance{Code: code, Email: "bob@example.com", Username: "bob", Name: "Bob", Password: "bob-secret-pw"})
	require.NoError(t, err)
	assert.Positive(t, id)
	assert.Zero(t, auths.Load(), "the invitee's routes take no credentials, and none are sent")

	_, err = invitee.InviteInfo(ctx, code)
	assert.ErrorIs(t, err, api.ErrNotFound, "an accepted invite is not pending")
	_, err = invitee.AcceptInvite(ctx, api.Acceptance{Code: code, Email: "bob@example.com", Password: "bob-secret-pw"})
	assert.ErrorIs(t, err, api.ErrPreconditionFailed, "accepting twice")
	assert.Empty(t, pendingByEmail(fg))

	bob := newClient(t, fg.URL, api.WithBasicAuth("bob", "bob-secret-pw"), noRetry)
	_, err = bob.ListPending(ctx)
	assert.ErrorIs(t, err, api.ErrForbidden, "bob signs in: an Editor, so 403, not 401")
	_, err = admin.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})
	assert.ErrorIs(t, err, api.ErrAlreadyMember)
}

func ptr[T any](v T) *T { return &v }

// TestAcceptInviteRefusals: validation before any I/O; Grafana's refusals as sentinels; the
// POST is not retried; the code and the password appear in no error, log record or fmt.
func TestAcceptInviteRefusals(t *testing.T) {
	ctx := context.Background()
	const password = "Sup3r-secret-pw"
	fg, admin := startFake(t)
	mustInvite(t, admin, "bob@example.com", api.RoleViewer)
	code := codeOf(t, fg, "bob@example.com")
	var logs bytes.Buffer
	c := newClient(t, fg.URL, api.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

	for _, tt := range []struct {
		a    api.Acceptance
		want string
	}{
		{api.Acceptance{Code: "../x", Email: "bob@example.com", Password: password}, "invitation code"},
		{api.Acceptance{Code: code, Email: " ", Password: password}, "email: empty"},
		{api.Acceptance{Code: code, Email: "bob@example.com", Password: "abc"}, "password: shorter than 4 characters"},
		{api.Acceptance{Code: code, Email: "bob@example.com", Name: "a\x00b", Password: password}, "control characters"},
	} {
		_, err := c.AcceptInvite(ctx, tt.a)
		require.ErrorIs(t, err, api.ErrInvalidInput)
		assert.Contains(t, err.Error(), tt.want)
	}
	_, err := c.InviteInfo(ctx, "a/b")
	require.ErrorIs(t, err, api.ErrInvalidInput)
	assert.Zero(t, fg.Calls(fakegrafana.OpCompleteInvite)+fg.Calls(fakegrafana.OpGetInviteInfoByCode), "nothing sent")

	var errs []error
	_, err = c.AcceptInvite(ctx, api.Acceptance{Code: code, Email: "other@example.com", Password: password})
	assert.ErrorIs(t, err, api.ErrBadRequest, "another address than the invite's")
	errs = append(errs, err)
	_, err = c.AcceptInvite(ctx, api.Acceptance{Code: unknownCode(code), Email: "bob@example.com", Password: password})
	assert.ErrorIs(t, err, api.ErrNotFound)
	errs = append(errs, err)

	fg.Inject(fakegrafana.OpCompleteInvite, fakegrafana.Fault{Times: 1, Status: 502, AfterHandling: true})
	_, err = c.AcceptInvite(ctx, api.Acceptance{Code: code, Email: "bob@example.com", Password: password})
	assert.ErrorIs(t, err, api.ErrServer, "a lost answer is reported, not retried")
	errs = append(errs, err)
	assert.Equal(t, 3, fg.Calls(fakegrafana.OpCompleteInvite), "one POST per call")
	assert.Equal(t, gen.TempUserStatusCompleted, statusOf(fg, code), "the lost answer's POST was handled")

	a := api.Acceptance{Code: code, Email: "bob@example.com", Password: password}
	shown := []string{logs.String(), fmt.Sprintf("%v %+v %#v %s %q", a, a, a, a, a), fmt.Sprint([]api.Acceptance{a}), fmt.Sprintf("%v", &a)}
	for _, err := range errs {
		shown = append(shown, err.Error())
	}
	var rec bytes.Buffer
	slog.New(slog.NewJSONHandler(&rec, nil)).Info("accepting", "acceptance", a)
	shown = append(shown, rec.String())
	for _, s := range shown {
		assert.NotContains(t, s, password)
		assert.NotContains(t, s, code)
	}
	assert.Contains(t, fmt.Sprint(a), "password: [REDACTED]")
}

func statusOf(fg *fakegrafanatest.Server, code string) gen.TempUserStatus {
	for _, inv := range fg.Invites() {
		if inv.Code == code {
			return inv.Status
		}
	}
	return ""
}

// TestWorkflowsSeeAcceptance: once an invite is accepted between two runs, EnsureInvited,
// Plan/Apply and renew report the address as a member (or leave it alone), and none invites
// it again.
func TestWorkflowsSeeAcceptance(t *testing.T) {
	ctx := context.Background()
	accept := func(t *testing.T, fg *fakegrafanatest.Server, addr string) {
		t.Helper()
		_, err := fg.AcceptInvite(codeOf(t, fg, addr), fakegrafana.Acceptance{Email: addr, Username: strings.Split(addr, "@")[0], Password: "pass-word"})
		require.NoError(t, err)
	}
	t.Run("EnsureInvited", func(t *testing.T) {
		fg, c := startFake(t)
		req := api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}}
		res, err := c.EnsureInvited(ctx, req)
		require.NoError(t, err)
		require.Equal(t, api.OutcomeInvited, res.Outcome)
		accept(t, fg, "bob@example.com")
		posts := fg.Calls(fakegrafana.OpAddOrgInvite)
		res, err = c.EnsureInvited(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeAlreadyMember, res.Outcome)
		assert.Empty(t, pendingByEmail(fg), "not invited again")
		assert.Equal(t, posts+1, fg.Calls(fakegrafana.OpAddOrgInvite), "one POST, answered 412")
	})
	t.Run("Plan and Apply", func(t *testing.T) {
		fg, c := startFake(t)
		desired := []api.Desired{{Email: "bob@example.com", Role: api.RoleViewer}, {Email: "ann@example.com", Role: api.RoleViewer}}
		p, err := c.Plan(ctx, desired, api.PlanOptions{Prune: true})
		require.NoError(t, err)
		first, err := c.Apply(ctx, p, api.ApplyOptions{})
		require.NoError(t, err)
		require.Equal(t, 2, first.Count(api.OutcomeInvited))
		accept(t, fg, "bob@example.com")

		p, err = c.Plan(ctx, desired, api.PlanOptions{Prune: true, Members: first.Members()})
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"invite": 1, "already_invited": 1}, kinds(p), "bob's invite left the list: planned as an invite")
		second, err := c.Apply(ctx, p, api.ApplyOptions{})
		require.NoError(t, err)
		assert.Equal(t, []string{"bob@example.com"}, second.Members(), "Apply finds bob a member")
		assert.Len(t, pendingByEmail(fg), 1, "only ann is pending: bob was not invited again")

		p, err = c.Plan(ctx, desired, api.PlanOptions{Prune: true, Members: second.Members()})
		require.NoError(t, err)
		assert.Zero(t, p.Changes(), "with the members of the last run, nothing to do")
	})
	t.Run("renew", func(t *testing.T) {
		clock := newClock()
		fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
		mustInvite(t, c, "bob@example.com", api.RoleViewer)
		mustInvite(t, c, "ann@example.com", api.RoleViewer)
		clock.Advance(21 * time.Hour)
		accept(t, fg, "bob@example.com")
		report, err := renew(ctx, c, api.RenewOptions{CreatedBefore: clock.Now().Add(-20 * time.Hour)}, api.ApplyOptions{})
		require.NoError(t, err)
		require.Len(t, report.Entries, 1, "bob accepted: left alone")
		assert.Equal(t, "ann@example.com", report.Entries[0].Email)
		assert.Equal(t, api.OutcomeRenewed, report.Entries[0].Outcome)
		assert.NotContains(t, pendingByEmail(fg), "bob@example.com", "bob was not invited again")
	})
	t.Run("renew after a plan made before the acceptance", func(t *testing.T) {
		clock := newClock()
		fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
		mustInvite(t, c, "bob@example.com", api.RoleViewer)
		clock.Advance(21 * time.Hour)
		p, err := c.PlanRenew(ctx, api.RenewOptions{CreatedBefore: clock.Now().Add(-20 * time.Hour)})
		require.NoError(t, err)
		accept(t, fg, "bob@example.com")
		report, err := c.Apply(ctx, p, api.ApplyOptions{})
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeAlreadyMember, report.Entries[0].Outcome, "the renewal's POST finds a member")
		assert.Empty(t, pendingByEmail(fg), "no new invite")
	})
}
