package api_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// renew plans a renewal and applies it, as the command-line tool does.
func renew(ctx context.Context, c *api.Client, opts api.RenewOptions, apply api.ApplyOptions) (*api.Report, error) {
	p, err := c.PlanRenew(ctx, opts)
	if err != nil {
		return nil, err
	}
	return c.Apply(ctx, p, apply)
}

// pendingPerAddress counts the fake's pending invites of org 1 by address.
func pendingPerAddress(fg *fakegrafanatest.Server) map[string][]gen.TempUserDTO {
	return pendingByEmail(fg)
}

// TestRenewBeforeInvitesLapse: on a fake with Grafana's 24 h lifetime, invites renewed at
// 20 h are still pending at 30 h with new codes, the old ones are Revoked, and no address
// has two pending invites.
func TestRenewBeforeInvitesLapse(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now), fakegrafana.WithInviteLifetime(24*time.Hour))
	ctx := context.Background()
	_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "Ann@example.com", Name: "Ann", Role: api.RoleEditor})
	require.NoError(t, err)
	mustInvite(t, c, "bob@example.com", api.RoleViewer)
	clock.Advance(time.Minute)
	mustInvite(t, c, "bob@example.com", api.RoleAdmin) // a newer duplicate: its role wins
	before := fg.Invites()

	clock.Advance(20 * time.Hour)
	var progress []int
	report, err := renew(ctx, c, api.RenewOptions{CreatedBefore: clock.Now().Add(-19 * time.Hour)}, api.ApplyOptions{Concurrency: 1,
		Progress: func(done, total int, _ api.ReportEntry) {
			progress = append(progress, done)
			assert.Equal(t, 2, total, "two renewals")
		}})
	require.NoError(t, err)
	require.NoError(t, report.Err())
	assert.Equal(t, 2, report.Count(api.OutcomeRenewed))
	assert.Equal(t, []int{1, 2}, progress, "one call per renewal, once its old invites are revoked")
	var order []string
	for _, e := range report.Entries {
		order = append(order, e.Email+" "+string(e.Outcome)+" "+strconv.Itoa(len(e.Revoked)))
	}
	assert.Equal(t, []string{"ann@example.com renewed 1", "bob@example.com renewed 2"}, order,
		"by address; bob's older duplicate is revoked with the invite renewed")

	clock.Advance(10 * time.Hour) // 30 h after the first invites
	pending := pendingPerAddress(fg)
	require.Len(t, pending, 2)
	for addr, invs := range pending {
		require.Len(t, invs, 1, addr)
		for _, old := range before {
			assert.NotEqual(t, old.Code, invs[0].Code, "a new code")
		}
	}
	assert.Equal(t, api.RoleEditor, pending["ann@example.com"][0].Role)
	assert.Equal(t, "Ann", pending["ann@example.com"][0].Name)
	assert.Equal(t, "Ann@example.com", pending["ann@example.com"][0].Email, "the address as it was stored")
	assert.Equal(t, api.RoleAdmin, pending["bob@example.com"][0].Role, "the newest invite's role")
	for _, inv := range fg.Invites() {
		for _, old := range before {
			if inv.Code == old.Code {
				assert.Equal(t, gen.TempUserStatusRevoked, inv.Status, inv.Email)
			}
		}
	}

	again, err := c.PlanRenew(ctx, api.RenewOptions{CreatedBefore: clock.Now().Add(-19 * time.Hour)})
	require.NoError(t, err)
	assert.Zero(t, again.Changes(), "nothing is due: a re-run changes nothing")
}

// TestRenewInterruptedConverges cuts a run off at each of its steps; the run after it
// always ends with exactly one fresh invite per address, and no address is ever left
// without one.
func TestRenewInterruptedConverges(t *testing.T) {
	// Each step lets `pass` calls of op through, then fails the next: the run is cut off
	// there. A run calls: list (to plan), POST, list (to find the new invite), revoke,
	// revoke.
	steps := []struct {
		name string
		op   fakegrafana.Operation
		pass int
		f    fakegrafana.Fault
	}{
		{"the first list fails", fakegrafana.OpGetPendingOrgInvites, 0, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the POST fails", fakegrafana.OpAddOrgInvite, 0, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the POST's answer is lost", fakegrafana.OpAddOrgInvite, 0, fakegrafana.Fault{Times: 1, Status: 502, AfterHandling: true}},
		{"the list after the POST fails", fakegrafana.OpGetPendingOrgInvites, 1, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the lost POST and the list after it fail", fakegrafana.OpGetPendingOrgInvites, 1, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the first revoke fails", fakegrafana.OpRevokeInvite, 0, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the second revoke fails", fakegrafana.OpRevokeInvite, 1, fakegrafana.Fault{Times: 1, Status: 500}},
		{"every revoke fails", fakegrafana.OpRevokeInvite, 0, fakegrafana.Fault{Times: 2, Status: 500}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock := newClock()
			fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
			ctx := context.Background()
			mustInvite(t, c, "bob@example.com", api.RoleViewer)
			mustInvite(t, c, "bob@example.com", api.RoleViewer)
			clock.Advance(20 * time.Hour)
			cutoff := clock.Now().Add(-19 * time.Hour)

			if step.pass > 0 {
				fg.Inject(step.op, fakegrafana.Fault{Times: step.pass}) // let them through
			}
			if step.name == "the lost POST and the list after it fail" {
				fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 502, AfterHandling: true})
			}
			fg.Inject(step.op, step.f)
			_, _ = renew(ctx, c, api.RenewOptions{CreatedBefore: cutoff}, api.ApplyOptions{})
			assert.NotEmpty(t, pendingPerAddress(fg)["bob@example.com"], "never without an invite")

			report, err := renew(ctx, c, api.RenewOptions{CreatedBefore: cutoff}, api.ApplyOptions{})
			require.NoError(t, err)
			require.NoError(t, report.Err())
			invs := pendingPerAddress(fg)["bob@example.com"]
			require.Len(t, invs, 1, "exactly one invite after the re-run")
			assert.False(t, invs[0].CreatedOn.Before(cutoff), "and it is fresh")
		})
	}
}

// TestRenewMembers: an address that became a member (412), or an existing user whom the
// POST now adds at once, has its stale invite revoked and is reported so.
func TestRenewMembers(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
	ctx := context.Background()
	mustInvite(t, c, "joined@example.com", api.RoleViewer)
	mustInvite(t, c, "known@example.com", api.RoleViewer)
	fg.AddUser(fakegrafana.User{Login: "joined", Email: "joined@example.com", Orgs: map[int64]fakegrafana.Role{1: api.RoleViewer}})
	fg.AddUser(fakegrafana.User{Login: "known", Email: "known@example.com"})
	clock.Advance(20 * time.Hour)
	report, err := renew(ctx, c, api.RenewOptions{CreatedBefore: clock.Now().Add(-19 * time.Hour)}, api.ApplyOptions{})
	require.NoError(t, err)
	got := map[string]api.Outcome{}
	for _, e := range report.Entries {
		got[e.Email] = e.Outcome
	}
	assert.Equal(t, map[string]api.Outcome{"joined@example.com": api.OutcomeAlreadyMember, "known@example.com": api.OutcomeUserAdded}, got)
	assert.Empty(t, pendingPerAddress(fg))
}

func TestRenewOptions(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
	ctx := context.Background()
	_, err := c.PlanRenew(ctx, api.RenewOptions{})
	require.ErrorIs(t, err, api.ErrInvalidInput)
	_, err = c.PlanRenew(ctx, api.RenewOptions{CreatedBefore: clock.Now(), Emails: []string{" "}})
	require.ErrorIs(t, err, api.ErrInvalidInput)

	mustInvite(t, c, "a@example.com", api.RoleViewer)
	mustInvite(t, c, "b@example.com", api.RoleViewer)
	clock.Advance(time.Hour)
	report, err := renew(ctx, c, api.RenewOptions{CreatedBefore: clock.Now(), Emails: []string{"B@Example.com"}, SendEmail: true}, api.ApplyOptions{})
	require.NoError(t, err)
	require.Len(t, report.Entries, 1)
	e := report.Entries[0]
	assert.Equal(t, "b@example.com", e.Email)
	assert.Equal(t, api.OutcomeRenewed, e.Outcome)
	assert.Len(t, fg.Outbox(), 1, "the new invite was emailed")
	assert.True(t, e.EmailSent)
	require.NotNil(t, e.Invite)
	require.Len(t, e.Revoked, 1)
	assert.NotEqual(t, e.Invite.Code, e.Revoked[0].Code)
}

// TestRenewStop: a closed Stop starts no renewal, reports each not started, and says
// ErrStopped.
func TestRenewStop(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
	mustInvite(t, c, "a@example.com", api.RoleViewer)
	clock.Advance(time.Hour)
	stop := make(chan struct{})
	close(stop)
	report, err := renew(context.Background(), c, api.RenewOptions{CreatedBefore: clock.Now()}, api.ApplyOptions{Stop: stop})
	require.ErrorIs(t, err, api.ErrStopped)
	require.Len(t, report.Entries, 1)
	assert.Equal(t, api.OutcomeNotStarted, report.Entries[0].Outcome, "reported, as every workflow reports what it did not start")
	assert.Zero(t, fg.Calls(fakegrafana.OpRevokeInvite))
	assert.Equal(t, 1, fg.Calls(fakegrafana.OpAddOrgInvite), "the invite made before, and no other")
}

// TestRenewPreviewIsWhatIsDone: an address with a 30 h and a 1 h invite under a 20 h renew
// age keeps the fresh invite and has the old one revoked; the plan says exactly that, and
// Apply does exactly what the plan says.
func TestRenewPreviewIsWhatIsDone(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now), fakegrafana.WithInviteLifetime(48*time.Hour))
	ctx := context.Background()
	mustInvite(t, c, "bob@example.com", api.RoleViewer)
	old := fg.Invites()[0]
	mustInvite(t, c, "ann@example.com", api.RoleEditor)
	clock.Advance(29 * time.Hour)
	mustInvite(t, c, "bob@example.com", api.RoleViewer)
	clock.Advance(time.Hour) // bob: 30 h and 1 h; ann: 30 h

	p, err := c.PlanRenew(ctx, api.RenewOptions{CreatedBefore: clock.Now().Add(-20 * time.Hour)})
	require.NoError(t, err)
	var preview []string
	for _, a := range p.Actions {
		preview = append(preview, a.Email+" "+string(a.Kind))
	}
	assert.Equal(t, []string{"ann@example.com renew", "bob@example.com revoke"}, preview)
	require.Equal(t, old.Code, p.Actions[1].Old[0].Code, "bob's 30 h invite is the one to go")
	require.Len(t, p.Unchanged, 1)
	assert.Equal(t, api.OutcomeAlreadyInvited, p.Unchanged[0].Outcome, "bob's 1 h invite is kept")

	posts := fg.Calls(fakegrafana.OpAddOrgInvite)
	report, err := c.Apply(ctx, p, api.ApplyOptions{})
	require.NoError(t, err)
	var done []string
	for _, e := range report.Entries {
		done = append(done, e.Email+" "+string(e.Outcome))
	}
	assert.Equal(t, []string{"ann@example.com renewed", "bob@example.com revoked", "bob@example.com already_invited"}, done)
	assert.Equal(t, posts+1, fg.Calls(fakegrafana.OpAddOrgInvite), "one invite made: ann's")
	pending := pendingPerAddress(fg)
	require.Len(t, pending["bob@example.com"], 1)
	assert.NotEqual(t, old.Code, pending["bob@example.com"][0].Code, "bob keeps the fresh invite")
}
