package fakegrafana_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
	"github.com/grafana-invites/grafana-invites/internal/grafanaversion"
)

// behaviours are every row's: the admin's operations, then the invitee's.
var behaviours = append(adminBehaviours, inviteeBehaviours...)

const (
	infoPath     = "/api/user/invite/"
	completePath = "/api/user/invite/complete"
)

// checks reports whether v has the invite fixes of 9.2.4 (VER-3); orgName whether its info
// names the organisation (VER-4).
func checks(v string) bool  { return must(grafanaversion.Parse(v)).InviteChecks() }
func orgName(v string) bool { return must(grafanaversion.Parse(v)).InviteOrgName() }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// pendingCode invites addr into org 1 as the server admin and returns the invite's code.
func pendingCode(t *testing.T, s *fakegrafana.Server, addr string) string {
	t.Helper()
	inviteAs(t, s, root, fmt.Sprintf(`{"loginOrEmail":%q,"name":"New","role":"Editor"}`, addr), 200)
	l := s.Invites()
	return l[len(l)-1].Code
}

func info(t *testing.T, s *fakegrafana.Server, code string) answer {
	t.Helper()
	return serve(t, s, call{method: http.MethodGet, path: infoPath + code})
}

func complete(t *testing.T, s *fakegrafana.Server, code, email, username, password string) answer {
	t.Helper()
	body := fmt.Sprintf(`{"inviteCode":%q,"email":%q,"username":%q,"name":"New","password":%q,"confirmPassword":"not checked"}`, code, email, username, password)
	return serve(t, s, call{method: http.MethodPost, path: completePath, body: body})
}

func statusOf(s *fakegrafana.Server, code string) gen.TempUserStatus {
	for _, inv := range s.Invites() {
		if inv.Code == code {
			return inv.Status
		}
	}
	return ""
}

var inviteeBehaviours = []behaviour{
	{id: "ACCEPT-1", run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "new@example.com")
		a := info(t, s, code)
		require.Equal(t, 200, a.status, a.body)
		want := `{"email":"new@example.com","name":"New","username":"new@example.com","invitedBy":"admin"}`
		if orgName(v) {
			want = `{"email":"new@example.com","name":"New","username":"new@example.com","invitedBy":"admin","orgName":"Main Org."}`
		}
		assert.JSONEq(t, want, a.body, "no credentials needed")
		a = serve(t, s, call{method: http.MethodGet, path: infoPath + code, auth: bearer("glsa_x")})
		assert.Equal(t, 200, a.status, "credentials sent along are ignored, even bad ones")

		a = info(t, s, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
		assert.Equal(t, 404, a.status)
		assert.JSONEq(t, msg("Invite not found"), a.body)
		serve(t, s, call{method: http.MethodPatch, path: revokePath(code), auth: root})
		if checks(v) {
			assert.Equal(t, 404, info(t, s, code).status, "a revoked invite is not found")
		}
	}},
	{id: "ACCEPT-2", run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "new@example.com")
		a := complete(t, s, code, "new@example.com", " newbie ", "pass")
		require.Equal(t, 200, a.status, a.body)
		var out struct {
			Message string
			ID      *int64
		}
		require.NoError(t, json.Unmarshal([]byte(a.body), &out))
		assert.Equal(t, "User created and logged in", out.Message)
		assert.Equal(t, checks(v), out.ID != nil, "the id, from 9.2.4")
		assert.Equal(t, gen.TempUserStatusCompleted, statusOf(s, code))
		assert.Empty(t, list(t, s, root, nil), "a completed invite leaves the list")

		u := basic("newbie", "pass") // the username trimmed
		assert.Equal(t, 403, serve(t, s, call{method: http.MethodGet, path: invites, auth: u}).status, "an Editor of org 1: 403, not 401")
		a = inviteAs(t, s, root, `{"loginOrEmail":"new@example.com","role":"Viewer"}`, 412)
		assert.Contains(t, a.body, "already added to organization", "a member now")
	}},
	{id: "ACCEPT-3", run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "new@example.com")
		a := serve(t, s, call{method: http.MethodPost, path: completePath, body: `{"inviteCode":`})
		assert.Equal(t, 400, a.status)
		assert.JSONEq(t, traced("bad request data"), a.body)
		a = serve(t, s, call{method: http.MethodPost, path: completePath, body: fmt.Sprintf(`{"inviteCode":%q}`, code), contentType: "text/plain"})
		assert.Equal(t, 400, a.status, "JSON only")
		a = complete(t, s, code, "not an address", "", "pass")
		assert.Equal(t, 400, a.status)
		assert.JSONEq(t, msg("Invalid email address provided"), a.body)
		a = complete(t, s, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm", "new@example.com", "", "pass")
		assert.Equal(t, 404, a.status)
		assert.JSONEq(t, msg("Invite not found"), a.body)
		assert.Equal(t, gen.TempUserStatusInvitePending, statusOf(s, code), "nothing changed")
	}},
	{id: "ACCEPT-4", run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "new@example.com")
		require.Equal(t, 200, complete(t, s, code, "new@example.com", "", "pass").status)
		a := complete(t, s, code, "new@example.com", "other", "pass")
		assert.Equal(t, 412, a.status, "completing twice")
		assert.JSONEq(t, msg("Invite cannot be used in status Completed"), a.body)
		revoked := pendingCode(t, s, "gone@example.com")
		serve(t, s, call{method: http.MethodPatch, path: revokePath(revoked), auth: root})
		a = complete(t, s, revoked, "gone@example.com", "", "pass")
		assert.Equal(t, 412, a.status)
		assert.JSONEq(t, msg("Invite cannot be used in status Revoked"), a.body)
	}},
	{id: "ACCEPT-5", applies: checks, run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "New@example.com")
		for _, other := range []string{"other@example.com", "new@example.com"} {
			a := complete(t, s, code, other, "", "pass")
			assert.Equal(t, 400, a.status, "%s: compared exactly, case included", other)
			assert.JSONEq(t, msg("The provided email is different from the address that is found in the invite"), a.body)
		}
		a := complete(t, s, code, "New <New@example.com>", "", "pass")
		assert.Equal(t, 200, a.status, "the address of a display form: %s", a.body)
		byLogin := pendingCode(t, s, "someone")
		assert.Equal(t, 200, complete(t, s, byLogin, "any@example.com", "someone", "pass").status, "an invite for a login takes any address")
	}},
	{id: "ACCEPT-6", run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "taken@example.com")
		s.AddUser(fakegrafana.User{Login: "someone", Email: "Taken@Example.com"}) // signed up meanwhile
		a := complete(t, s, code, "taken@example.com", "taken", "pass")
		assert.Equal(t, 412, a.status)
		assert.JSONEq(t, traced("User with email 'taken@example.com' or username 'taken' already exists"), a.body)
		code = pendingCode(t, s, "new@example.com")
		a = complete(t, s, code, "new@example.com", "DAVE", "pass")
		assert.Equal(t, 412, a.status, "a login taken, in any case")
		a = complete(t, s, code, "new@example.com", "newbie", "abc")
		assert.Equal(t, 500, a.status, "a password under 4 characters")
		assert.JSONEq(t, traced("failed to create user"), a.body)
		assert.Equal(t, gen.TempUserStatusInvitePending, statusOf(s, code))
	}},
	{id: "ACCEPT-7", run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "new@example.com")
		require.Equal(t, 200, complete(t, s, code, "new@example.com", "newbie", "pass").status)
		a := serve(t, s, call{method: http.MethodPatch, path: revokePath(code), auth: root})
		assert.Equal(t, 200, a.status, "the revoke handler does not look at the status")
		assert.Equal(t, gen.TempUserStatusRevoked, statusOf(s, code))
		assert.Equal(t, 403, serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("newbie", "pass")}).status, "still a member")
	}},
	{id: "VER-3", applies: func(v string) bool { return !checks(v) }, run: func(t *testing.T, v string) {
		s := as(v)
		code := pendingCode(t, s, "new@example.com")
		serve(t, s, call{method: http.MethodPatch, path: revokePath(code), auth: root})
		assert.Equal(t, 200, info(t, s, code).status, "before 9.2.4 a revoked invite is found")
		code = pendingCode(t, s, "two@example.com")
		a := complete(t, s, code, "other@example.com", "", "pass")
		require.Equal(t, 200, a.status, "any address")
		assert.JSONEq(t, msg("User created and logged in"), a.body, "no id")
	}},
	{id: "VER-4", run: func(t *testing.T, v string) {
		s := as(v)
		a := info(t, s, pendingCode(t, s, "new@example.com"))
		assert.Equal(t, orgName(v), json.Valid([]byte(a.body)) && jsonHas(a.body, "orgName"), "orgName from 11.4.0: %s", a.body)
	}},
}

func jsonHas(body, key string) bool {
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	_, ok := m[key]
	return ok
}

// TestAcceptInvite: the Go method takes the endpoint's path, refusals included.
func TestAcceptInvite(t *testing.T) {
	s := seeded()
	inviteAs(t, s, root, `{"loginOrEmail":"new@example.com","role":"Viewer"}`, 200)
	code := s.Invites()[0].Code
	_, err := s.AcceptInvite(code, fakegrafana.Acceptance{Email: "other@example.com", Password: "pass"})
	var ae *fakegrafana.AcceptError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, fakegrafana.AcceptError{Status: 400, Message: "The provided email is different from the address that is found in the invite"}, *ae)
	id, err := s.AcceptInvite(code, fakegrafana.Acceptance{Email: "new@example.com", Username: "newbie", Password: "pass"})
	require.NoError(t, err)
	assert.Positive(t, id)
	assert.Equal(t, 403, serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("newbie", "pass")}).status, "a Viewer now")
	_, err = s.AcceptInvite(code, fakegrafana.Acceptance{Email: "new@example.com", Password: "pass"})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 412, ae.Status)
}
