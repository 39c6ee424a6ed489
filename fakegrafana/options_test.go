package fakegrafana_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

// TestOptionsRefuse: options refuse what Grafana would not start with.
func TestOptionsRefuse(t *testing.T) {
	for _, tt := range []struct {
		opt  fakegrafana.Option
		want string // "" when accepted
	}{
		{fakegrafana.WithSweepInterval(0), "want a positive interval"},
		{fakegrafana.WithSweepInterval(-time.Second), "want a positive interval"},
		{fakegrafana.WithSweepInterval(time.Nanosecond), ""},
		{fakegrafana.WithLatency(0), ""},
		{fakegrafana.WithLatency(-1), "want zero or more"},
		{fakegrafana.WithSeed([]byte(`{"orgs":[{"id":0,"name":"Zero"}]}`)), `org "Zero" has id 0; want 1 or more`},
		{fakegrafana.WithSeed([]byte(`{"orgs":[{"id":1,"name":"One"}]}`)), ""},
		{fakegrafana.WithSeed([]byte(`{"users":[{"email":"x@example.invalid"}]}`)), "a user has no login"},
		{fakegrafana.WithSeed([]byte(`{"users":`)), "WithSeed: unexpected end of JSON input"},
	} {
		_, err := fakegrafana.New(tt.opt)
		if tt.want == "" {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, tt.want)
		}
	}
}

// TestSeedAddsUsersAndTokens: a seed's users sign in, its generated token works, and its
// org exists for them.
func TestSeedAddsUsersAndTokens(t *testing.T) {
	s := fakegrafana.MustNew(fakegrafana.WithSeed([]byte(`{
		"orgs": [{"id": 2, "name": "Second"}],
		"users": [{"login": "boss", "email": "boss@example.com", "password": "pw", "orgs": {"2": "Admin"}}],
		"tokens": [{"token": "", "name": "ci", "orgId": 2, "role": "Admin"}]}`)))
	a := serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("boss", "pw")})
	assert.Equal(t, http.StatusOK, a.status, "the seed's user, in its only org")
	assert.Equal(t, map[string]fakegrafana.Role{"boss": gen.OrgRoleAdmin}, s.Members(2))
}

// TestUpdateAndDeleteUsers: the first user can be found like any other; an edit that drops
// the user's orgs leaves a usable empty set.
func TestUpdateAndDeleteUsers(t *testing.T) {
	s := fakegrafana.MustNew(fakegrafana.WithUser(fakegrafana.User{Login: "dave", Email: "dave@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{2: gen.OrgRoleViewer}}))
	const first = "admin" // the default seed's first user
	assert.True(t, s.UpdateUser(first, func(*fakegrafana.User) {}), "the first user")
	assert.False(t, s.UpdateUser("nobody", func(*fakegrafana.User) {}))
	require.True(t, s.UpdateUser("dave", func(u *fakegrafana.User) { u.Orgs = nil }))
	invite(t, s, `{"loginOrEmail":"dave","role":"Viewer"}`, http.StatusOK) // added to org 1: the set is written to
	assert.Equal(t, gen.OrgRoleViewer, s.Members(1)["dave"])
	assert.False(t, s.DeleteUser("nobody"))
	assert.True(t, s.DeleteUser(first), "the first user")
	assert.NotContains(t, s.Members(1), first)
	a := serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("admin", "admin")})
	assert.Equal(t, http.StatusUnauthorized, a.status, "a deleted user cannot sign in")
}
