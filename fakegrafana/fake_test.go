package fakegrafana_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

const (
	invites = "/api/org/invites"
	json1   = "application/json"
)

// call is one raw request to the fake.
type call struct {
	method, path string
	auth         string // Authorization header; "" for none
	header       map[string]string
	body         string
	contentType  string // defaults to application/json when body is set
}

type answer struct {
	status int
	header http.Header
	body   string
}

// bearer and basic build Authorization values.
func bearer(tok string) string { return "Bearer " + tok }
func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

var admin = bearer(fakegrafana.DefaultAdminToken)

// Tokens of the seed of seeded, in Grafana's format.
var (
	editorToken  = fakegrafana.TokenFromSecret("editor")
	org2Token    = fakegrafana.TokenFromSecret("org2")
	expiredToken = fakegrafana.TokenFromSecret("expired")
	revokedToken = fakegrafana.TokenFromSecret("revoked")
)

func serve(t *testing.T, s *fakegrafana.Server, c call) answer {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), c.method, c.path, strings.NewReader(c.body))
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", json1)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// invite POSTs a form as the default admin token and requires the given status.
func invite(t *testing.T, s *fakegrafana.Server, body string, want int) answer {
	t.Helper()
	return inviteAs(t, s, admin, body, want)
}

func list(t *testing.T, s *fakegrafana.Server, auth string, hdr map[string]string) []gen.TempUserDTO {
	t.Helper()
	a := serve(t, s, call{method: http.MethodGet, path: invites, auth: auth, header: hdr})
	require.Equal(t, http.StatusOK, a.status, a.body)
	var out []gen.TempUserDTO
	require.NoError(t, json.Unmarshal([]byte(a.body), &out))
	return out
}

// seeded is a fake with a second org, users of every kind and tokens of every kind.
func seeded(opts ...fakegrafana.Option) *fakegrafana.Server {
	base := []fakegrafana.Option{
		fakegrafana.WithOrg(2, "Second Org"),
		fakegrafana.WithUser(fakegrafana.User{ID: 10, Login: "dave", Email: "Dave@Example.com", Name: "Dave", Password: "pw", Orgs: map[int64]gen.OrgRole{2: gen.OrgRoleViewer}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 11, Login: "erin", Email: "erin@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 12, Login: "olga", Email: "olga@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleViewer, 2: gen.OrgRoleAdmin}}),
		fakegrafana.WithUser(fakegrafana.User{ID: 13, Login: "ed", Email: "ed@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}, GrantAddUsers: true}),
		fakegrafana.WithUser(fakegrafana.User{ID: 14, Login: "ria", Email: "ria@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin}, CannotAddExistingUsers: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: editorToken, Name: "ed", OrgID: 1, Role: gen.OrgRoleEditor}),
		fakegrafana.WithToken(fakegrafana.Token{Token: org2Token, Name: "two", OrgID: 2, Role: gen.OrgRoleAdmin}),
		fakegrafana.WithToken(fakegrafana.Token{Token: expiredToken, Name: "old", OrgID: 1, Role: gen.OrgRoleAdmin, Expired: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: revokedToken, Name: "gone", OrgID: 1, Role: gen.OrgRoleAdmin, Revoked: true}),
	}
	return fakegrafana.MustNew(append(base, opts...)...)
}

func authBody(msgID, msg string) string {
	return fmt.Sprintf(`{"extra":null,"message":%q,"messageId":%q,"statusCode":401,"traceID":""}`, msg, msgID)
}

func msg(m string) string { return fmt.Sprintf(`{"message":%q}`, m) }

// traced is a message body with the traceID Grafana adds where an internal error stood
// behind the answer (ERR-1).
func traced(m string) string { return fmt.Sprintf(`{"message":%q,"traceID":""}`, m) }

func TestAuthentication(t *testing.T) {
	s := seeded()
	tests := []struct {
		name   string
		c      call
		status int
		body   string // exact JSON, when set
	}{
		{"no credentials", call{auth: ""}, 401, authBody("auth.unauthorized", "Unauthorized")},
		{"unknown scheme", call{auth: "Token abc"}, 401, authBody("auth.unauthorized", "Unauthorized")},
		{"invalid token", call{auth: bearer("glsa_nope")}, 401, authBody("api-key.invalid", "Invalid API key")},
		{"expired token", call{auth: bearer(expiredToken)}, 401, authBody("api-key.expired", "Expired API key")},
		{"revoked token", call{auth: bearer(revokedToken)}, 401, authBody("api-key.revoked", "Revoked API key")},
		{"token for another org (header)", call{auth: admin, header: map[string]string{"X-Grafana-Org-Id": "2"}}, 401,
			authBody("api-key.organization-mismatch", "API key does not belong to the requested organization")},
		{"token for another org (targetOrgId)", call{auth: admin, path: invites + "?targetOrgId=2"}, 401,
			authBody("api-key.organization-mismatch", "API key does not belong to the requested organization")},
		{"targetOrgId wins over the header", call{auth: admin, path: invites + "?targetOrgId=1", header: map[string]string{"X-Grafana-Org-Id": "2"}}, 200, "[]"},
		{"unparsable org header is ignored", call{auth: admin, header: map[string]string{"X-Grafana-Org-Id": "two"}}, 200, "[]"},
		{"bearer token", call{auth: admin}, 200, "[]"},
		{"token as basic api_key", call{auth: basic("api_key", fakegrafana.DefaultAdminToken)}, 200, "[]"},
		{"invalid token as basic api_key", call{auth: basic("api_key", "nope")}, 401, authBody("api-key.invalid", "Invalid API key")},
		{"basic login", call{auth: basic("admin", "admin")}, 200, "[]"},
		{"basic email, any case", call{auth: basic("ADMIN@localhost", "admin")}, 200, "[]"},
		{"basic wrong password", call{auth: basic("admin", "nope")}, 401, authBody("password-auth.failed", "Invalid username or password")},
		{"basic unknown user", call{auth: basic("zed", "admin")}, 401, authBody("password-auth.failed", "Invalid username or password")},
		{"basic user, org admin via header", call{auth: basic("olga", "pw"), header: map[string]string{"X-Grafana-Org-Id": "2"}}, 200, "[]"},
		{"server admin in an org it is not in", call{auth: basic("admin", "admin"), header: map[string]string{"X-Grafana-Org-Id": "2"}}, 200, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			c.method = http.MethodGet
			if c.path == "" {
				c.path = invites
			}
			a := serve(t, s, c)
			assert.Equal(t, tt.status, a.status)
			assert.Equal(t, json1, a.header.Get("Content-Type"))
			assert.JSONEq(t, tt.body, a.body)
		})
	}
}

var aceRE = regexp.MustCompile(`^ACE\d{10}$`)

func TestAccessControl(t *testing.T) {
	s := seeded()
	denied := []struct {
		name string
		c    call
	}{
		{"editor token lists", call{method: http.MethodGet, path: invites, auth: bearer(editorToken)}},
		{"editor token invites", call{method: http.MethodPost, path: invites, auth: bearer(editorToken), body: `{"loginOrEmail":"a@b.co","role":"Viewer"}`}},
		{"editor token revokes", call{method: http.MethodPatch, path: invites + "/abc/revoke", auth: bearer(editorToken)}},
		{"viewer user", call{method: http.MethodGet, path: invites, auth: basic("olga", "pw")}},
		{"user not in the org", call{method: http.MethodGet, path: invites, auth: basic("dave", "pw"), header: map[string]string{"X-Grafana-Org-Id": "1"}}},
		{"access control before body binding", call{method: http.MethodPost, path: invites, auth: bearer(editorToken), body: `nonsense`}},
	}
	for _, tt := range denied {
		t.Run(tt.name, func(t *testing.T) {
			a := serve(t, s, tt.c)
			require.Equal(t, http.StatusForbidden, a.status)
			var body map[string]string
			require.NoError(t, json.Unmarshal([]byte(a.body), &body))
			assert.Equal(t, "Access denied", body["title"])
			assert.Equal(t, "You'll need additional permissions to perform this action. Permissions needed: org.users:add", body["message"])
			assert.Regexp(t, aceRE, body["accessErrorId"])
			assert.Len(t, body, 3)
		})
	}
	t.Run("authentication before access control", func(t *testing.T) {
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer("glsa_nope")})
		assert.Equal(t, http.StatusUnauthorized, a.status)
	})
}

func TestAddInviteBinding(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		contentType string
		status      int
		role        gen.OrgRole // stored role when 200
	}{
		{"not JSON", `{"loginOrEmail":`, "", 400, ""},
		{"content type not JSON", `{"loginOrEmail":"a@b.co","role":"Viewer"}`, "text/plain", 400, ""},
		{"content type form", `loginOrEmail=a`, "application/x-www-form-urlencoded", 400, ""},
		{"loginOrEmail missing", `{"role":"Viewer"}`, "", 400, ""},
		{"loginOrEmail empty", `{"loginOrEmail":"","role":"Viewer"}`, "", 400, ""},
		{"loginOrEmail not a string", `{"loginOrEmail":5,"role":"Viewer"}`, "", 400, ""},
		{"role missing", `{"loginOrEmail":"a@b.co"}`, "", 400, ""},
		{"role null", `{"loginOrEmail":"a@b.co","role":null}`, "", 400, ""},
		{"role upper case", `{"loginOrEmail":"a@b.co","role":"VIEWER"}`, "", 400, ""},
		{"role unknown", `{"loginOrEmail":"a@b.co","role":"Owner"}`, "", 400, ""},
		{"sendEmail not a bool", `{"loginOrEmail":"a@b.co","role":"Viewer","sendEmail":"yes"}`, "", 400, ""},
		{"role lower case", `{"loginOrEmail":"a@b.co","role":"editor"}`, "", 200, gen.OrgRoleEditor},
		{"role empty is Viewer", `{"loginOrEmail":"a@b.co","role":""}`, "", 200, gen.OrgRoleViewer},
		{"role None", `{"loginOrEmail":"a@b.co","role":"none"}`, "", 200, gen.OrgRoleNone},
		{"charset parameter", `{"loginOrEmail":"a@b.co","role":"Admin"}`, "application/json; charset=utf-8", 200, gen.OrgRoleAdmin},
		{"unknown keys ignored", `{"loginOrEmail":"a@b.co","role":"Viewer","x":1}`, "", 200, gen.OrgRoleViewer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakegrafana.MustNew()
			a := serve(t, s, call{method: http.MethodPost, path: invites, auth: admin, body: tt.body, contentType: tt.contentType})
			require.Equal(t, tt.status, a.status, a.body)
			if tt.status == 400 {
				assert.JSONEq(t, traced("bad request data"), a.body)
				assert.Empty(t, s.Invites())
				return
			}
			require.Len(t, s.Invites(), 1)
			assert.Equal(t, tt.role, s.Invites()[0].Role)
		})
	}
}

func TestAddInviteNewInvitee(t *testing.T) {
	t.Run("no email", func(t *testing.T) {
		s := fakegrafana.MustNew(fakegrafana.WithRootURL("https://grafana.example.com/sub"))
		a := invite(t, s, `{"loginOrEmail":"Bob@Example.com ","name":"Bob","role":"Editor","sendEmail":false}`, 200)
		assert.JSONEq(t, msg("Created invite for Bob@Example.com "), a.body)
		inv := s.Invites()
		require.Len(t, inv, 1)
		got := inv[0]
		assert.Equal(t, "Bob@Example.com ", got.Email, "stored as sent")
		assert.Equal(t, "Bob", got.Name)
		assert.Equal(t, gen.OrgRoleEditor, got.Role)
		assert.Equal(t, gen.TempUserStatusInvitePending, got.Status)
		assert.Regexp(t, `^[0-9A-Za-z]{30}$`, got.Code)
		assert.Equal(t, "https://grafana.example.com/sub/invite/"+got.Code, got.URL)
		assert.False(t, got.EmailSent)
		assert.False(t, got.EmailSentOn.IsZero(), "emailSentOn is set even without email")
		assert.Equal(t, "admin", got.InvitedByLogin[len(got.InvitedByLogin)-5:])
		assert.Empty(t, s.Outbox())
	})
	t.Run("email sent", func(t *testing.T) {
		s := fakegrafana.MustNew()
		a := invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer","sendEmail":true}`, 200)
		assert.JSONEq(t, msg("Sent invite to bob@example.com"), a.body)
		inv := s.Invites()
		require.Len(t, inv, 1)
		assert.True(t, inv[0].EmailSent)
		out := s.Outbox()
		require.Len(t, out, 1)
		assert.Equal(t, "bob@example.com", out[0].To)
		assert.Equal(t, "new_user_invite", out[0].Template)
		assert.Equal(t, inv[0].Code, out[0].Code)
	})
	t.Run("sendEmail for a login that is not an address", func(t *testing.T) {
		s := fakegrafana.MustNew(fakegrafana.WithSMTP(false))
		a := invite(t, s, `{"loginOrEmail":"bob","role":"Viewer","sendEmail":true}`, 200)
		assert.JSONEq(t, msg("Created invite for bob"), a.body)
	})
	t.Run("SMTP not configured: 412 after saving", func(t *testing.T) {
		s := fakegrafana.MustNew(fakegrafana.WithSMTP(false))
		a := invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer","sendEmail":true}`, 412)
		assert.JSONEq(t, traced("SMTP not configured, check your grafana.ini config file's [smtp] section"), a.body)
		inv := s.Invites()
		require.Len(t, inv, 1, "the invite was saved")
		assert.Equal(t, gen.TempUserStatusInvitePending, inv[0].Status)
		assert.False(t, inv[0].EmailSent)
		assert.Len(t, list(t, s, admin, nil), 1)
		assert.Empty(t, s.Outbox())
	})
	t.Run("duplicates are not refused", func(t *testing.T) {
		s := fakegrafana.MustNew()
		invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer"}`, 200)
		invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer"}`, 200)
		inv := s.Invites()
		require.Len(t, inv, 2)
		assert.NotEqual(t, inv[0].Code, inv[1].Code)
	})
	t.Run("login form disabled", func(t *testing.T) {
		s := fakegrafana.MustNew(fakegrafana.WithLoginFormDisabled(true))
		a := invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer"}`, 400)
		assert.JSONEq(t, msg("Cannot invite external user when login is disabled."), a.body)
		assert.Empty(t, s.Invites())
	})
	t.Run("user quota reached", func(t *testing.T) {
		s := fakegrafana.MustNew(fakegrafana.WithUserQuota(1))
		a := invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer"}`, 403)
		assert.JSONEq(t, msg("user Quota reached"), a.body)
		assert.Empty(t, s.Invites())
	})
}

func TestAddInviteChecks(t *testing.T) {
	t.Run("role above the caller's", func(t *testing.T) {
		s := seeded()
		a := serve(t, s, call{method: http.MethodPost, path: invites, auth: basic("ed", "pw"), body: `{"loginOrEmail":"x@y.co","role":"Admin"}`})
		assert.Equal(t, 403, a.status)
		assert.JSONEq(t, msg("Cannot assign a role higher than user's role"), a.body)
		a = serve(t, s, call{method: http.MethodPost, path: invites, auth: basic("ed", "pw"), body: `{"loginOrEmail":"x@y.co","role":"Editor"}`})
		assert.Equal(t, 200, a.status, "its own role is fine")
	})
	t.Run("server admin may assign any role", func(t *testing.T) {
		s := seeded()
		a := serve(t, s, call{method: http.MethodPost, path: invites, auth: basic("admin", "admin"), header: map[string]string{"X-Grafana-Org-Id": "2"}, body: `{"loginOrEmail":"x@y.co","role":"Admin"}`})
		assert.Equal(t, 200, a.status, a.body)
	})
	t.Run("existing user by email, any case: added with userId, no invite", func(t *testing.T) {
		s := seeded()
		a := invite(t, s, `{"loginOrEmail":"dave@EXAMPLE.com","role":"Editor"}`, 200)
		assert.JSONEq(t, `{"message":"Existing Grafana user Dave added to org Main Org.","userId":10}`, a.body)
		assert.Equal(t, gen.OrgRoleEditor, s.Members(1)["dave"])
		assert.Empty(t, s.Invites())
	})
	t.Run("existing user by login, named by login", func(t *testing.T) {
		s := seeded()
		a := serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(org2Token), body: `{"loginOrEmail":"ERIN","role":"Viewer"}`})
		require.Equal(t, 200, a.status)
		assert.JSONEq(t, `{"message":"Existing Grafana user erin added to org Second Org","userId":11}`, a.body)
	})
	t.Run("existing user already a member", func(t *testing.T) {
		s := seeded()
		a := invite(t, s, `{"loginOrEmail":"Erin@example.com","role":"Viewer"}`, 412)
		assert.JSONEq(t, traced("User Erin@example.com is already added to organization"), a.body)
	})
	t.Run("existing user, caller may not add users", func(t *testing.T) {
		s := seeded()
		a := serve(t, s, call{method: http.MethodPost, path: invites, auth: basic("ria", "pw"), body: `{"loginOrEmail":"dave","role":"Viewer"}`})
		assert.Equal(t, 403, a.status)
		assert.JSONEq(t, msg("Permission denied: not permitted to add an existing user to this organisation"), a.body)
		_, member := s.Members(1)["dave"]
		assert.False(t, member)
	})
	t.Run("existing user added, email fails without SMTP: 500 but added", func(t *testing.T) {
		s := seeded(fakegrafana.WithSMTP(false))
		a := invite(t, s, `{"loginOrEmail":"dave","role":"Viewer","sendEmail":true}`, 500)
		assert.JSONEq(t, traced("Failed to send email invited_to_org"), a.body)
		assert.Equal(t, gen.OrgRoleViewer, s.Members(1)["dave"])
	})
	t.Run("existing user added with email", func(t *testing.T) {
		s := seeded()
		invite(t, s, `{"loginOrEmail":"dave","role":"Viewer","sendEmail":true}`, 200)
		out := s.Outbox()
		require.Len(t, out, 1)
		assert.Equal(t, "invited_to_org", out[0].Template)
	})
	t.Run("login form disabled still adds existing users", func(t *testing.T) {
		s := seeded(fakegrafana.WithLoginFormDisabled(true))
		invite(t, s, `{"loginOrEmail":"dave","role":"Viewer"}`, 200)
	})
}

func TestListPending(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	s := seeded(fakegrafana.WithClock(func() time.Time { return *clock.Load() }), fakegrafana.WithInviteLifetime(time.Hour))
	at := func(d time.Duration) { t2 := now.Add(d); clock.Store(&t2) }

	a := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin})
	assert.Equal(t, "[]", strings.TrimSpace(a.body), "an empty list is [], never null")

	invite(t, s, `{"loginOrEmail":"old@example.com","role":"Viewer"}`, 200)
	at(10 * time.Minute)
	invite(t, s, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
	invite(t, s, `{"loginOrEmail":"b@example.com","role":"Viewer"}`, 200) // same second as a
	at(20 * time.Minute)
	invite(t, s, `{"loginOrEmail":"gone@example.com","role":"Viewer"}`, 200)
	serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(org2Token), body: `{"loginOrEmail":"other@example.com","role":"Viewer"}`})
	gone := s.Invites()[3]
	require.Equal(t, 200, serve(t, s, call{method: http.MethodPatch, path: invites + "/" + gone.Code + "/revoke", auth: admin}).status)

	emails := func(l []gen.TempUserDTO) []string {
		var out []string
		for _, i := range l {
			out = append(out, i.Email)
		}
		return out
	}
	got := list(t, s, admin, nil)
	assert.Equal(t, []string{"a@example.com", "b@example.com", "old@example.com"}, emails(got), "pending only, this org only, newest first by second, ties in ascending id")

	t.Run("all 14 keys", func(t *testing.T) {
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin})
		var raw []map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.body), &raw))
		require.NotEmpty(t, raw)
		keys := []string{"id", "orgId", "name", "email", "role", "invitedByLogin", "invitedByEmail", "invitedByName", "code", "status", "url", "emailSent", "emailSentOn", "createdOn"}
		for _, k := range keys {
			assert.Contains(t, raw[0], k)
		}
		assert.Len(t, raw[0], 14)
		assert.Equal(t, "2026-11-25T10:10:00Z", raw[0]["createdOn"], "RFC 3339, no zero fractional seconds")
	})
	t.Run("old invites expire and leave the list", func(t *testing.T) {
		at(65 * time.Minute)
		assert.Equal(t, []string{"a@example.com", "b@example.com"}, emails(list(t, s, admin, nil)))
		assert.Equal(t, gen.TempUserStatusExpired, s.Invites()[0].Status)
	})
	t.Run("the other org sees its own", func(t *testing.T) {
		assert.Equal(t, []string{"other@example.com"}, emails(list(t, s, bearer(org2Token), nil)))
	})
}

func TestRevoke(t *testing.T) {
	s := seeded()
	invite(t, s, `{"loginOrEmail":"bob@example.com","role":"Viewer"}`, 200)
	serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(org2Token), body: `{"loginOrEmail":"x@example.com","role":"Viewer"}`})
	mine, theirs := s.Invites()[0].Code, s.Invites()[1].Code
	revoke := func(code, auth, method string) answer {
		return serve(t, s, call{method: method, path: invites + "/" + code + "/revoke", auth: auth})
	}

	tests := []struct {
		name   string
		a      func() answer
		status int
		body   string
	}{
		{"DELETE is not a route", func() answer { return revoke(mine, admin, http.MethodDelete) }, 404, msg("Not found")},
		{"unknown code", func() answer { return revoke("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm", admin, http.MethodPatch) }, 404, msg("Invite not found")},
		{"another org's invite", func() answer { return revoke(theirs, admin, http.MethodPatch) }, 403, msg("Permission denied: not permitted to revoke invite")},
		{"own invite", func() answer { return revoke(mine, admin, http.MethodPatch) }, 200, msg("Invite revoked")},
		{"already revoked: 200 again", func() answer { return revoke(mine, admin, http.MethodPatch) }, 200, msg("Invite revoked")},
		{"server admin revokes in another org", func() answer { return revoke(theirs, basic("admin", "admin"), http.MethodPatch) }, 200, msg("Invite revoked")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a()
			assert.Equal(t, tt.status, a.status)
			assert.JSONEq(t, tt.body, a.body)
		})
	}
	assert.Equal(t, gen.TempUserStatusRevoked, s.Invites()[0].Status)
	assert.Empty(t, list(t, s, admin, nil))
	t.Run("a body is ignored", func(t *testing.T) {
		invite(t, s, `{"loginOrEmail":"c@example.com","role":"Viewer"}`, 200)
		a := serve(t, s, call{method: http.MethodPatch, path: invites + "/" + s.Invites()[2].Code + "/revoke", auth: admin, body: `{}`})
		assert.Equal(t, 200, a.status)
	})
}

func TestErrorsAreJSON(t *testing.T) {
	s := fakegrafana.MustNew()
	tests := []struct {
		name   string
		c      call
		status int
		body   string
	}{
		{"unknown route", call{method: http.MethodGet, path: "/api/nope", auth: admin}, 404, msg("Not found")},
		{"unknown route without auth", call{method: http.MethodGet, path: "/api/nope"}, 404, msg("Not found")},
		{"wrong method", call{method: http.MethodPut, path: invites, auth: admin}, 404, msg("Not found")},
		// An empty path segment is cleaned by the router first: a redirect, not a JSON error.
		{"revoke without code", call{method: http.MethodPatch, path: invites + "//revoke", auth: admin}, http.StatusTemporaryRedirect, ""},
		{"body over 1 MiB", call{method: http.MethodPost, path: invites, auth: admin, body: `{"name":"` + strings.Repeat("x", fakegrafana.MaxBodyBytes) + `"}`}, 413, msg("request body too large")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := serve(t, s, tt.c)
			assert.Equal(t, tt.status, a.status)
			if tt.body != "" {
				assert.JSONEq(t, tt.body, a.body)
			} else {
				assert.Equal(t, invites+"/revoke", a.header.Get("Location"))
			}
			if a.status >= 400 {
				assert.Equal(t, json1, a.header.Get("Content-Type"))
				assert.True(t, json.Valid([]byte(a.body)), a.body)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	s := fakegrafana.MustNew()
	s.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 2, Status: 503, RetryAfter: "1"})
	s.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 429})
	for i, want := range []int{503, 503, 429, 200, 200} {
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin})
		assert.Equal(t, want, a.status, "call %d", i+1)
		if want == 503 {
			assert.Equal(t, "1", a.header.Get("Retry-After"))
			assert.JSONEq(t, msg("Service Unavailable"), a.body)
		}
	}
	assert.Equal(t, 5, s.Calls(fakegrafana.OpGetPendingOrgInvites))
	assert.Equal(t, 0, s.Calls(fakegrafana.OpAddOrgInvite), "faults are per operation")

	t.Run("a faulted POST creates nothing", func(t *testing.T) {
		s.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 502})
		invite(t, s, `{"loginOrEmail":"a@b.co","role":"Viewer"}`, 502)
		assert.Empty(t, s.Invites())
	})
	t.Run("a POST handled, its answer lost", func(t *testing.T) {
		s.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 504, AfterHandling: true})
		invite(t, s, `{"loginOrEmail":"a@b.co","role":"Viewer"}`, 504)
		assert.Len(t, s.Invites(), 1, "the invite was saved")
	})
	t.Run("delay then answer", func(t *testing.T) {
		const d = 30 * time.Millisecond
		s.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Delay: d})
		start := time.Now()
		a := serve(t, s, call{method: http.MethodPatch, path: invites + "/abc/revoke", auth: admin})
		assert.GreaterOrEqual(t, time.Since(start), d, "the delay came first")
		assert.Equal(t, 404, a.status, "then the real answer")
	})
	t.Run("handled, the answer delayed but delivered", func(t *testing.T) {
		s.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 2, Delay: time.Millisecond, AfterHandling: true})
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin})
		assert.Equal(t, http.StatusOK, a.status)
		assert.True(t, strings.HasPrefix(a.body, "["), a.body)
		// Over a real connection, where headers are sent with the first write.
		fg := fakegrafanatest.Start(t)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Delay: time.Millisecond, AfterHandling: true})
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, fg.URL+"api/org/invites", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", bearer(fg.Token))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, "[]", strings.TrimSpace(string(body)))
		assert.Equal(t, json1, resp.Header.Get("Content-Type"), "written once, by the operation")
		a = serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer("glsa_nope")})
		assert.Equal(t, http.StatusUnauthorized, a.status, "a refusal is delivered as it was written")
		assert.Contains(t, a.body, "Invalid API key")
	})
	t.Run("a fault for zero calls is no fault", func(t *testing.T) {
		s.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 0, Status: 500})
		a := serve(t, s, call{method: http.MethodPatch, path: invites + "/abc/revoke", auth: admin})
		assert.Equal(t, 404, a.status)
	})
}

// TestLatency: WithLatency holds every API request at least that long; a negative latency
// is refused.
func TestLatency(t *testing.T) {
	const latency = 30 * time.Millisecond
	s := fakegrafana.MustNew(fakegrafana.WithLatency(latency))
	for _, c := range []call{
		{method: http.MethodGet, path: invites, auth: admin},
		{method: http.MethodPatch, path: invites + "/abc/revoke", auth: admin},
	} {
		start := time.Now()
		a := serve(t, s, c)
		assert.GreaterOrEqual(t, time.Since(start), latency, "%s %s answered %d early", c.method, c.path, a.status)
	}
	_, err := fakegrafana.New(fakegrafana.WithLatency(-time.Second))
	assert.ErrorContains(t, err, "want zero or more")
}

func TestConcurrentUse(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				email := fmt.Sprintf("u%d-%d@example.com", g, i)
				body := fmt.Sprintf(`{"loginOrEmail":%q,"role":"Viewer","sendEmail":true}`, email)
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, fg.URL+"api/org/invites", strings.NewReader(body))
				req.Header.Set("Authorization", bearer(fg.Token))
				req.Header.Set("Content-Type", json1)
				resp, err := http.DefaultClient.Do(req)
				if !assert.NoError(t, err) {
					return
				}
				assert.NoError(t, resp.Body.Close())
				assert.Equal(t, 200, resp.StatusCode)
				req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, fg.URL+"api/org/invites", nil)
				req.Header.Set("Authorization", bearer(fg.Token))
				resp, err = http.DefaultClient.Do(req)
				if !assert.NoError(t, err) {
					return
				}
				var l []gen.TempUserDTO
				assert.NoError(t, json.NewDecoder(resp.Body).Decode(&l))
				assert.NoError(t, resp.Body.Close())
				if i%2 == 0 && len(l) > 0 {
					req, _ = http.NewRequestWithContext(t.Context(), http.MethodPatch, fg.URL+"api/org/invites/"+l[0].Code+"/revoke", nil)
					req.Header.Set("Authorization", bearer(fg.Token))
					resp, err = http.DefaultClient.Do(req)
					if assert.NoError(t, err) {
						assert.NoError(t, resp.Body.Close())
					}
				}
				_ = fg.Invites()
				_ = fg.Outbox()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, fg.Invites(), 320)
	assert.Len(t, fg.Outbox(), 320)
}

func TestStartRootURL(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	invite(t, fg.Server, `{"loginOrEmail":"a@b.co","role":"Viewer"}`, 200)
	assert.True(t, strings.HasPrefix(fg.Invites()[0].URL, fg.URL+"invite/"), fg.Invites()[0].URL)
}

// TestEncodedListMatchesGenerated pins the fake's cached list encoding to what the
// generated response type writes.
func TestEncodedListMatchesGenerated(t *testing.T) {
	now := time.Now()
	s := fakegrafana.MustNew(fakegrafana.WithClock(func() time.Time { return now }))
	invite(t, s, `{"loginOrEmail":"a@example.com","name":"<A & B>","role":"Viewer"}`, 200)
	invite(t, s, `{"loginOrEmail":"b@example.com","role":"Editor","sendEmail":true}`, 200)
	got := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin})
	inv := s.Invites()
	rec := httptest.NewRecorder()
	// Made within one second: listed in ascending id (LIST-2).
	require.Equal(t, inv[0].CreatedOn.Unix(), inv[1].CreatedOn.Unix(), "the two invites must share a second")
	require.NoError(t, gen.GetPendingOrgInvites200JSONResponse{inv[0], inv[1]}.VisitGetPendingOrgInvitesResponse(rec))
	assert.Equal(t, rec.Body.String(), got.body)
	assert.Equal(t, rec.Header().Get("Content-Type"), got.header.Get("Content-Type"))
	again := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin})
	assert.Equal(t, got.body, again.body, "served from the cache")
}

func TestSeedingAtRunTime(t *testing.T) {
	s := fakegrafana.MustNew(fakegrafana.WithOrg(3, "Third"))
	three := s.AddToken(fakegrafana.Token{Name: "three", OrgID: 3, Role: gen.OrgRoleAdmin})
	id := s.AddUser(fakegrafana.User{Login: "zoe", Email: "zoe@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{3: gen.OrgRoleViewer}})
	assert.Equal(t, gen.OrgRoleViewer, s.Members(3)["zoe"])

	a := serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(three), body: `{"loginOrEmail":"x@example.com","role":"Viewer"}`})
	require.Equal(t, 200, a.status, a.body)
	assert.Equal(t, int64(3), s.Invites()[0].OrgID)
	a = serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(three), body: `{"loginOrEmail":"Zoe","role":"Viewer"}`})
	assert.Equal(t, 412, a.status, "zoe (user %d) is a member of org 3", id)

	s.SetUserQuota(2) // admin and zoe
	a = serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(three), body: `{"loginOrEmail":"y@example.com","role":"Viewer"}`})
	assert.Equal(t, 403, a.status)
	s.SetUserQuota(0)
	s.SetLoginFormDisabled(true)
	a = serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(three), body: `{"loginOrEmail":"y@example.com","role":"Viewer"}`})
	assert.Equal(t, 400, a.status)
}
