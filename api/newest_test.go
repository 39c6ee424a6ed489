package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

// Grafana lists invites made within one second in ascending id, not newest first (LIST-2 of
// docs/grafana-behaviour.md). Every choice of "the newest invite of an address" must break
// the tie by id; these tests freeze the fake's clock so that all invites share a second.

func frozenFake(t *testing.T) (*fakegrafanatest.Server, *api.Client) {
	t.Helper()
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	return startFake(t, fakegrafana.WithClock(func() time.Time { return at }))
}

func ids(invites []api.Invite) []int64 {
	var out []int64
	for _, inv := range invites {
		out = append(out, inv.ID)
	}
	return out
}

func TestTiesAreBrokenByID(t *testing.T) {
	ctx := context.Background()
	t.Run("the fake lists ties in ascending id", func(t *testing.T) {
		_, c := frozenFake(t)
		for range 3 {
			mustInvite(t, c, "bob@example.com", api.RoleViewer)
		}
		all, err := c.ListPending(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2, 3}, ids(all), "what the client must not lean on")
	})
	t.Run("FindPending is newest first", func(t *testing.T) {
		_, c := frozenFake(t)
		for range 3 {
			mustInvite(t, c, "bob@example.com", api.RoleViewer)
		}
		found, err := c.FindPending(ctx, "bob@example.com")
		require.NoError(t, err)
		assert.Equal(t, []int64{3, 2, 1}, ids(found))
	})
	t.Run("EnsureInvited returns the newest", func(t *testing.T) {
		_, c := frozenFake(t)
		for range 3 {
			mustInvite(t, c, "bob@example.com", api.RoleViewer)
		}
		res, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}})
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeAlreadyInvited, res.Outcome)
		assert.Equal(t, int64(3), res.Invite.ID)
	})
	t.Run("Plan keeps the newest and prunes the older", func(t *testing.T) {
		_, c := frozenFake(t)
		for range 3 {
			mustInvite(t, c, "bob@example.com", api.RoleViewer)
		}
		plan, err := c.Plan(ctx, []api.Desired{{Email: "bob@example.com", Role: api.RoleViewer}}, api.PlanOptions{Prune: true})
		require.NoError(t, err)
		require.Len(t, plan.Unchanged, 1)
		assert.Equal(t, int64(3), plan.Unchanged[0].Invite.ID)
		var revoked []api.Invite
		for _, a := range plan.Actions {
			revoked = append(revoked, a.Old...)
		}
		assert.ElementsMatch(t, []int64{1, 2}, ids(revoked))
	})
	t.Run("EnsureInvited finds the invite it created among new ones", func(t *testing.T) {
		fg, _ := frozenFake(t)
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(raceInvite(t)))
		res, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}})
		require.NoError(t, err)
		assert.Equal(t, api.OutcomeInvited, res.Outcome)
		assert.Equal(t, int64(2), res.Invite.ID, "the newer of the two invites made in one second")
	})
	t.Run("Apply attaches the newest invite", func(t *testing.T) {
		fg, _ := frozenFake(t)
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithHTTPClient(raceInvite(t)))
		plan, err := c.Plan(ctx, []api.Desired{{Email: "bob@example.com", Role: api.RoleViewer}}, api.PlanOptions{})
		require.NoError(t, err)
		report, err := c.Apply(ctx, plan, api.ApplyOptions{})
		require.NoError(t, err)
		require.Len(t, report.Entries, 1)
		assert.Equal(t, int64(2), report.Entries[0].Invite.ID)
	})
}

// raceInvite is an HTTP client whose every POST is preceded by the same POST from someone
// else, in the same second: two new invites of the address, in ascending id.
func raceInvite(t *testing.T) *http.Client {
	t.Helper()
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			other := r.Clone(r.Context())
			other.Body = io.NopCloser(bytes.NewReader(body))
			resp, err := http.DefaultTransport.RoundTrip(other)
			require.NoError(t, err)
			_ = resp.Body.Close()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
}
