package api_test

import (
	"context"
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
	report, err := c.Renew(ctx, api.RenewOptions{CreatedBefore: clock.Now().Add(-19 * time.Hour), Concurrency: 1,
		Progress: func(done, total int, _ api.RenewEntry) {
			progress = append(progress, done)
			assert.Equal(t, 2, total, "two addresses")
		}})
	require.NoError(t, err)
	require.NoError(t, report.Err())
	assert.Equal(t, 2, report.Count(api.OutcomeRenewed))
	assert.Equal(t, 1, report.Count(api.OutcomeRevoked), "bob's older duplicate")
	assert.Equal(t, []int{1, 2, 2}, progress, "one call per entry, counting addresses done")
	var order []string
	for _, e := range report.Entries {
		order = append(order, strings.ToLower(e.Email)+" "+string(e.Outcome))
	}
	assert.Equal(t, []string{"ann@example.com renewed", "bob@example.com renewed", "bob@example.com revoked"}, order,
		"by address, then in the order of the work")

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

	again, err := c.Renew(ctx, api.RenewOptions{CreatedBefore: clock.Now().Add(-19 * time.Hour)})
	require.NoError(t, err)
	assert.Empty(t, again.Entries, "nothing is due: a re-run changes nothing")
}

// TestRenewInterruptedConverges cuts a run off at each of its steps; the run after it
// always ends with exactly one fresh invite per address, and no address is ever left
// without one.
func TestRenewInterruptedConverges(t *testing.T) {
	// Each step lets `pass` calls of op through, then fails the next: the run is cut off
	// there. A run calls: list (all), list (the address), POST, list (to find the new
	// invite), revoke, revoke.
	steps := []struct {
		name string
		op   fakegrafana.Operation
		pass int
		f    fakegrafana.Fault
	}{
		{"the first list fails", fakegrafana.OpGetPendingOrgInvites, 0, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the address's list fails", fakegrafana.OpGetPendingOrgInvites, 1, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the POST fails", fakegrafana.OpAddOrgInvite, 0, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the POST's answer is lost", fakegrafana.OpAddOrgInvite, 0, fakegrafana.Fault{Times: 1, Status: 502, AfterHandling: true}},
		{"the list after the POST fails", fakegrafana.OpGetPendingOrgInvites, 2, fakegrafana.Fault{Times: 1, Status: 500}},
		{"the lost POST and the list after it fail", fakegrafana.OpGetPendingOrgInvites, 2, fakegrafana.Fault{Times: 1, Status: 500}},
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
			_, _ = c.Renew(ctx, api.RenewOptions{CreatedBefore: cutoff})
			assert.NotEmpty(t, pendingPerAddress(fg)["bob@example.com"], "never without an invite")

			report, err := c.Renew(ctx, api.RenewOptions{CreatedBefore: cutoff})
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
	report, err := c.Renew(ctx, api.RenewOptions{CreatedBefore: clock.Now().Add(-19 * time.Hour)})
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
	_, err := c.Renew(ctx, api.RenewOptions{})
	require.ErrorIs(t, err, api.ErrInvalidInput)
	_, err = c.Renew(ctx, api.RenewOptions{CreatedBefore: clock.Now(), Emails: []string{" "}})
	require.ErrorIs(t, err, api.ErrInvalidInput)

	mustInvite(t, c, "a@example.com", api.RoleViewer)
	mustInvite(t, c, "b@example.com", api.RoleViewer)
	clock.Advance(time.Hour)
	report, err := c.Renew(ctx, api.RenewOptions{CreatedBefore: clock.Now(), Emails: []string{"B@Example.com"}, SendEmail: true})
	require.NoError(t, err)
	require.Len(t, report.Entries, 1)
	assert.Equal(t, "b@example.com", report.Entries[0].Email)
	assert.Equal(t, api.OutcomeRenewed, report.Entries[0].Outcome)
	assert.Len(t, fg.Outbox(), 1, "the new invite was emailed")
	assert.NotNil(t, report.Entries[0].New)
	assert.NotNil(t, report.Entries[0].Old)
}

// TestRenewStop: a closed Stop starts no address and reports ErrStopped.
func TestRenewStop(t *testing.T) {
	clock := newClock()
	fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
	mustInvite(t, c, "a@example.com", api.RoleViewer)
	clock.Advance(time.Hour)
	stop := make(chan struct{})
	close(stop)
	report, err := c.Renew(context.Background(), api.RenewOptions{CreatedBefore: clock.Now(), Stop: stop})
	require.ErrorIs(t, err, api.ErrStopped)
	assert.Empty(t, report.Entries)
	assert.Zero(t, fg.Calls(fakegrafana.OpRevokeInvite))
}

// TestRenewRereadsEachAddress: each address is listed afresh under its lock; one gone
// meanwhile is skipped, one whose listing fails is reported failed, and nothing is sent
// for either.
func TestRenewRereadsEachAddress(t *testing.T) {
	for _, tt := range []struct {
		name    string
		second  func(fg *fakegrafanatest.Server, other *api.Client)
		entries int
	}{
		{"gone meanwhile", func(fg *fakegrafanatest.Server, other *api.Client) {
			for _, inv := range fg.Invites() {
				require.NoError(t, other.Revoke(context.Background(), inv.Code))
			}
		}, 0},
		{"the listing fails", func(fg *fakegrafanatest.Server, _ *api.Client) {
			fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 500})
		}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			fg, c := startFake(t, fakegrafana.WithClock(clock.Now))
			mustInvite(t, c, "a@example.com", api.RoleViewer)
			clock.Advance(time.Hour)
			other := c
			var lists atomic.Int32
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if r.Method == http.MethodGet && lists.Add(1) == 2 {
					tt.second(fg, other) // between the run's list and the address's own
				}
				return http.DefaultTransport.RoundTrip(r)
			})}
			c = newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(hc))
			posts := fg.Calls(fakegrafana.OpAddOrgInvite)
			report, err := c.Renew(context.Background(), api.RenewOptions{CreatedBefore: clock.Now()})
			require.NoError(t, err)
			require.Len(t, report.Entries, tt.entries)
			if tt.entries == 1 {
				assert.Equal(t, api.OutcomeFailed, report.Entries[0].Outcome)
				assert.ErrorIs(t, report.Entries[0].Err, api.ErrServer)
			}
			assert.Equal(t, posts, fg.Calls(fakegrafana.OpAddOrgInvite), "nothing sent")
		})
	}
}
