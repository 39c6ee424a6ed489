package fakegrafana_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

// TestBehaviour pins each row of docs/grafana-behaviour.md, named after the row, under
// every version profile it applies to.

// profiles are the Grafana versions the fake's behaviour is tested as: below and above the
// revoke fix, 9.x before and after its invite fix (VER-3), and the default.
var profiles = []string{"9.1.0", "9.5.0", "10.4.0", "11.2.0", fakegrafana.DefaultGrafanaVersion}

// root is the default seed's server admin, who may invite new people in every version.
var root = basic("admin", "admin")

func newFakeClock() *fakegrafana.Clock {
	return fakegrafana.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
}

type behaviour struct {
	id string
	// applies says which profiles the row holds for; nil: all.
	applies func(version string) bool
	run     func(t *testing.T, version string)
}

func TestBehaviour(t *testing.T) {
	for _, b := range behaviours {
		for _, v := range profiles {
			if b.applies != nil && !b.applies(v) {
				continue
			}
			t.Run(b.id+"/"+v, func(t *testing.T) { b.run(t, v) })
		}
	}
}

// as is seeded under a version profile.
func as(version string, opts ...fakegrafana.Option) *fakegrafana.Server {
	return seeded(append([]fakegrafana.Option{fakegrafana.WithGrafanaVersion(version)}, opts...)...)
}

func is9(v string) bool         { return strings.HasPrefix(v, "9.") }
func not9(v string) bool        { return !is9(v) }
func revokeFixed(v string) bool { return v == fakegrafana.DefaultGrafanaVersion }

func revokePath(code string) string { return invites + "/" + code + "/revoke" }

func inviteAs(t *testing.T, s *fakegrafana.Server, auth, body string, want int) answer {
	t.Helper()
	a := serve(t, s, call{method: http.MethodPost, path: invites, auth: auth, body: body})
	require.Equal(t, want, a.status, a.body)
	return a
}

func emailsOf(l []gen.TempUserDTO) []string {
	out := []string{}
	for _, i := range l {
		out = append(out, i.Email)
	}
	return out
}

var tokenRE = regexp.MustCompile(`^glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}$`)

var adminBehaviours = []behaviour{
	{id: "OP-1", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodDelete, path: revokePath("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"), auth: admin})
		assert.Equal(t, 404, a.status)
		assert.JSONEq(t, msg("Not found"), a.body)
		a = serve(t, s, call{method: http.MethodPut, path: invites, auth: admin})
		assert.Equal(t, 404, a.status, "no 405")
	}},
	{id: "OP-2", run: func(t *testing.T, v string) {
		s := as(v)
		for _, c := range []call{
			{method: http.MethodGet, path: invites, auth: bearer(editorToken)},
			{method: http.MethodPost, path: invites, auth: basic("erin", "pw"), body: `{"loginOrEmail":"a@b.co","role":"Viewer"}`},
			{method: http.MethodPatch, path: revokePath("abc"), auth: bearer(editorToken)},
		} {
			a := serve(t, s, c)
			assert.Equal(t, 403, a.status, c.method)
			var body map[string]string
			require.NoError(t, json.Unmarshal([]byte(a.body), &body))
			assert.Regexp(t, `^ACE\d{10}$`, body["accessErrorId"])
			assert.Equal(t, "Access denied", body["title"])
		}
	}},
	{id: "AUTH-1", run: func(t *testing.T, v string) {
		s := as(v)
		assert.Regexp(t, tokenRE, fakegrafana.DefaultAdminToken)
		assert.Equal(t, 200, serve(t, s, call{method: http.MethodGet, path: invites, auth: admin}).status)
		generated := s.AddToken(fakegrafana.Token{Name: "gen", OrgID: 1, Role: gen.OrgRoleAdmin})
		assert.Regexp(t, tokenRE, generated, "an empty Token gets a valid generated one")
		assert.Equal(t, 200, serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer(generated)}).status)
		malformed := s.AddToken(fakegrafana.Token{Token: "glsa_seeded", Name: "bad", OrgID: 1, Role: gen.OrgRoleAdmin})
		wrongSum := fakegrafana.DefaultAdminToken[:len(fakegrafana.DefaultAdminToken)-1] + "0"
		s.AddToken(fakegrafana.Token{Token: wrongSum, Name: "sum", OrgID: 1, Role: gen.OrgRoleAdmin})
		for _, tok := range []string{malformed, wrongSum, "glsa_x", "x", "glsa_a_b_c", "nope_" + fakegrafana.DefaultAdminToken[5:]} {
			a := serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer(tok)})
			assert.Equal(t, 401, a.status, tok)
			assert.JSONEq(t, authBody("api-key.invalid", "Invalid API key"), a.body, "refused before any lookup, even when seeded: %s", tok)
		}
	}},
	{id: "AUTH-2", run: func(t *testing.T, v string) {
		s := as(v)
		for _, tok := range []string{fakegrafana.NewToken(), fakegrafana.TokenFromSecret("short")} {
			a := serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer(tok)})
			assert.Equal(t, 401, a.status)
			assert.JSONEq(t, traced("Unauthorized"), a.body, "no messageId")
		}
	}},
	{id: "AUTH-3", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer(expiredToken)})
		assert.JSONEq(t, authBody("api-key.expired", "Expired API key"), a.body)
		a = serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer(revokedToken)})
		assert.JSONEq(t, authBody("api-key.revoked", "Revoked API key"), a.body)
	}},
	{id: "AUTH-4", run: func(t *testing.T, v string) {
		s := as(v)
		for _, authz := range []string{"bearer " + fakegrafana.DefaultAdminToken, "BEARER " + fakegrafana.DefaultAdminToken, "Token " + fakegrafana.DefaultAdminToken, "Bearer ", ""} {
			a := serve(t, s, call{method: http.MethodGet, path: invites, auth: authz})
			assert.Equal(t, 401, a.status, authz)
			assert.JSONEq(t, authBody("auth.unauthorized", "Unauthorized"), a.body, authz)
		}
	}},
	{id: "AUTH-5", run: func(t *testing.T, v string) {
		s := as(v)
		assert.Equal(t, 200, serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("api_key", fakegrafana.DefaultAdminToken)}).status)
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("api_key", "glsa_x")})
		assert.JSONEq(t, authBody("api-key.invalid", "Invalid API key"), a.body)
	}},
	{id: "AUTH-6", run: func(t *testing.T, v string) {
		s := as(v)
		assert.Equal(t, 200, serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("admin@localhost", "admin")}).status, "by email")
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("admin", "wrong")})
		assert.JSONEq(t, authBody("password-auth.failed", "Invalid username or password"), a.body)
		a = serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("nobody", "x")})
		assert.JSONEq(t, authBody("password-auth.failed", "Invalid username or password"), a.body)
	}},
	{id: "AUTH-7", run: func(t *testing.T, v string) {
		clock := newFakeClock()
		s := as(v, fakegrafana.WithClock(clock.Now))
		get := func(auth string) int {
			return serve(t, s, call{method: http.MethodGet, path: invites, auth: auth}).status
		}
		for range 4 {
			require.Equal(t, 401, get(basic("olga", "wrong")))
		}
		assert.Equal(t, 403, get(basic("olga", "pw")), "4 failures: the right password still works (olga is a Viewer of org 1)")
		require.Equal(t, 401, get(basic("Olga", "wrong")), "the fifth failure, login case-insensitive")
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("olga", "pw")})
		assert.Equal(t, 401, a.status, "locked: even the right password")
		assert.JSONEq(t, authBody("password-auth.failed", "Invalid username or password"), a.body)
		assert.Equal(t, 200, get(root), "other users are not locked")
		clock.Advance(4*time.Minute + 59*time.Second)
		assert.Equal(t, 401, get(basic("olga", "pw")), "still within 5 minutes of the last failures")
		clock.Advance(2 * time.Second)
		assert.Equal(t, 403, get(basic("olga", "pw")), "the window has passed")
	}},
	{id: "AUTH-8", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithAnonymousAccess(true))
		a := serve(t, s, call{method: http.MethodGet, path: invites})
		assert.Equal(t, 403, a.status, a.body)
		assert.Contains(t, a.body, "Access denied")
		a = serve(t, s, call{method: http.MethodGet, path: invites, auth: bearer("glsa_x")})
		assert.Equal(t, 401, a.status, "bad credentials are still 401")
		s.SetAnonymousAccess(false)
		assert.Equal(t, 401, serve(t, s, call{method: http.MethodGet, path: invites}).status)
	}},
	{id: "ORG-1", run: func(t *testing.T, v string) {
		s := as(v)
		olga := basic("olga", "pw") // Viewer of org 1 (her current org), Admin of org 2
		get := func(query, header string) int {
			return serve(t, s, call{method: http.MethodGet, path: invites + query, auth: olga, header: map[string]string{"X-Grafana-Org-Id": header}}).status
		}
		assert.Equal(t, 403, get("", ""), "org 1, where olga may not list")
		assert.Equal(t, 200, get("?targetOrgId=2", "1"), "targetOrgId wins over the header")
		assert.Equal(t, 403, get("?targetOrgId=1", "2"))
		for _, q := range []string{"0", "-1", "x"} {
			assert.Equal(t, 200, get("?targetOrgId="+q, "2"), "targetOrgId=%s is ignored: the header's org 2", q)
		}
	}},
	{id: "ORG-2", run: func(t *testing.T, v string) {
		s := as(v)
		olga := basic("olga", "pw")
		assert.Equal(t, 200, serve(t, s, call{method: http.MethodGet, path: invites, auth: olga, header: map[string]string{"X-Grafana-Org-Id": "2"}}).status)
		for _, h := range []string{"two", "2 2", "0x2"} {
			a := serve(t, s, call{method: http.MethodGet, path: invites, auth: olga, header: map[string]string{"X-Grafana-Org-Id": h}})
			assert.Equal(t, 403, a.status, "%q is ignored: org 1, where olga is a Viewer", h)
		}
	}},
	{id: "ORG-3", run: func(t *testing.T, v string) {
		s := as(v)
		s.AddUser(fakegrafana.User{Login: "max", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleViewer, 2: gen.OrgRoleAdmin}, CurrentOrg: 2})
		get := func() int {
			return serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("max", "pw")}).status
		}
		assert.Equal(t, 200, get(), "the current org (2, Admin), not the lowest id")
		require.True(t, s.UpdateUser("max", func(u *fakegrafana.User) { u.CurrentOrg = 0 }))
		assert.Equal(t, 403, get(), "without a current org: the lowest id (1, Viewer)")
	}},
	{id: "ORG-4", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: admin, header: map[string]string{"X-Grafana-Org-Id": "2"}})
		assert.JSONEq(t, authBody("api-key.organization-mismatch", "API key does not belong to the requested organization"), a.body)
		assert.Equal(t, 200, serve(t, s, call{method: http.MethodGet, path: invites, auth: admin, header: map[string]string{"X-Grafana-Org-Id": "1"}}).status)
	}},
	{id: "ORG-5", run: func(t *testing.T, v string) {
		s := as(v)
		inviteAs(t, s, root, `{"loginOrEmail":"one@example.com","role":"Viewer"}`, 200)
		inviteAs(t, s, bearer(org2Token), `{"loginOrEmail":"two@example.com","role":"Viewer"}`, map[bool]int{true: 403, false: 200}[is9(v)])
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: basic("erin", "pw"), header: map[string]string{"X-Grafana-Org-Id": "2"}})
		assert.Equal(t, 403, a.status, "a non-admin outside the org: org −1, access denied")
		all := list(t, s, root, map[string]string{"X-Grafana-Org-Id": "2"})
		want := []string{"one@example.com", "two@example.com"}
		if is9(v) {
			want = want[:1]
		}
		assert.ElementsMatch(t, want, emailsOf(all), "a server admin outside org 2 works in org −1 and sees every org")
		a = serve(t, s, call{method: http.MethodPost, path: invites, auth: root, header: map[string]string{"X-Grafana-Org-Id": "2"}, body: `{"loginOrEmail":"minus@example.com","role":"Viewer"}`})
		require.Equal(t, 200, a.status, a.body)
		last := s.Invites()[len(s.Invites())-1]
		assert.Equal(t, int64(-1), last.OrgID, "saved in org −1")
	}},
	{id: "ADD-1", run: func(t *testing.T, v string) {
		s := as(v)
		for _, body := range []string{`{"role":"Viewer"}`, `{"loginOrEmail":"","role":"Viewer"}`, `{"loginOrEmail":"a@b.co"}`, `{"loginOrEmail":"a@b.co","role":null}`, `{"loginOrEmail":"a@b.co","role":"VIEWER"}`, `nope`} {
			a := inviteAs(t, s, root, body, 400)
			assert.JSONEq(t, traced("bad request data"), a.body, body)
		}
		inviteAs(t, s, root, `{"loginOrEmail":"a@b.co","role":""}`, 200)
		inviteAs(t, s, root, `{"loginOrEmail":"b@b.co","role":"editor"}`, 200)
		assert.Equal(t, []gen.OrgRole{gen.OrgRoleViewer, gen.OrgRoleEditor}, []gen.OrgRole{s.Invites()[0].Role, s.Invites()[1].Role})
	}},
	{id: "ADD-2", run: func(t *testing.T, v string) {
		s := as(v)
		inviteAs(t, s, root, `{"loginOrEmail":"a@b.co","role":"Viewer"} trailing junk`, 200)
		inviteAs(t, s, root, `{"loginOrEmail":"b@b.co","role":"Viewer"}{"loginOrEmail":"c@b.co"}`, 200)
		assert.Equal(t, []string{"a@b.co", "b@b.co"}, emailsOf(s.Invites()))
	}},
	{id: "ADD-3", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithUserQuota(1))
		bad := `{"role":`
		assert.Equal(t, 401, serve(t, s, call{method: http.MethodPost, path: invites, body: bad}).status, "authentication first")
		assert.Equal(t, 403, serve(t, s, call{method: http.MethodPost, path: invites, auth: bearer(editorToken), body: bad}).status, "then the permission")
		a := serve(t, s, call{method: http.MethodPost, path: invites, auth: root, body: bad})
		assert.Equal(t, 403, a.status, "then the quota, before the binding")
		assert.JSONEq(t, msg("user Quota reached"), a.body)
		s.SetUserQuota(0)
		assert.Equal(t, 400, serve(t, s, call{method: http.MethodPost, path: invites, auth: root, body: bad}).status, "then the binding")
	}},
	{id: "ADD-4", run: func(t *testing.T, v string) {
		s := as(v)
		a := inviteAs(t, s, basic("ed", "pw"), `{"loginOrEmail":"a@b.co","role":"Admin"}`, 403)
		assert.JSONEq(t, msg("Cannot assign a role higher than user's role"), a.body)
	}},
	{id: "ADD-5", run: func(t *testing.T, v string) {
		s := as(v)
		a := inviteAs(t, s, basic("ria", "pw"), `{"loginOrEmail":"DAVE@example.com","role":"Viewer"}`, 403)
		assert.JSONEq(t, msg("Permission denied: not permitted to add an existing user to this organisation"), a.body)
	}},
	{id: "ADD-6", run: func(t *testing.T, v string) {
		s := as(v)
		a := inviteAs(t, s, root, `{"loginOrEmail":"ERIN","role":"Viewer"}`, 412)
		assert.JSONEq(t, traced("User ERIN is already added to organization"), a.body)
	}},
	{id: "ADD-7", run: func(t *testing.T, v string) {
		s := as(v)
		a := inviteAs(t, s, root, `{"loginOrEmail":"dave","role":"Editor"}`, 200)
		assert.JSONEq(t, `{"message":"Existing Grafana user Dave added to org Main Org.","userId":10}`, a.body)
		assert.Empty(t, s.Invites())
		assert.Equal(t, gen.OrgRoleEditor, s.Members(1)["dave"])
	}},
	{id: "ADD-8", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithSMTP(false))
		s.AddUser(fakegrafana.User{Login: "lou", Email: "lou@localhost", Password: "pw"})
		a := inviteAs(t, s, root, `{"loginOrEmail":"lou","role":"Viewer","sendEmail":true}`, 200)
		assert.Contains(t, a.body, "Existing Grafana user lou added", "an address Grafana refuses: no mail, no error, even without SMTP")
		a = inviteAs(t, s, root, `{"loginOrEmail":"dave","role":"Viewer","sendEmail":true}`, 500)
		assert.JSONEq(t, traced("Failed to send email invited_to_org"), a.body)
		assert.Equal(t, gen.OrgRoleViewer, s.Members(1)["dave"], "added all the same")
		s.SetSMTP(true)
		inviteAs(t, s, root, `{"loginOrEmail":"erin","role":"Viewer","sendEmail":true,"x":1}`, 412)
		s.AddUser(fakegrafana.User{Login: "kim", Email: "kim@example.com", Password: "pw"})
		inviteAs(t, s, root, `{"loginOrEmail":"kim","role":"Viewer","sendEmail":true}`, 200)
		out := s.Outbox()
		require.Len(t, out, 1)
		assert.Equal(t, "kim@example.com", out[0].To)
		assert.Equal(t, "invited_to_org", out[0].Template)
	}},
	{id: "ADD-9", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithLoginFormDisabled(true))
		a := inviteAs(t, s, root, `{"loginOrEmail":"new@example.com","role":"Viewer"}`, 400)
		want := "Cannot invite external user when login is disabled."
		if is9(v) {
			want = "Cannot invite when login is disabled."
		}
		assert.JSONEq(t, msg(want), a.body, "no traceID")
		inviteAs(t, s, root, `{"loginOrEmail":"dave","role":"Viewer"}`, 200)
	}},
	{id: "ADD-10", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithSMTP(false))
		a := inviteAs(t, s, root, `{"loginOrEmail":"new@example.com","role":"Viewer","sendEmail":true}`, 412)
		assert.JSONEq(t, traced("SMTP not configured, check your grafana.ini config file's [smtp] section"), a.body)
		require.Len(t, s.Invites(), 1, "saved all the same")
		assert.Equal(t, gen.TempUserStatusInvitePending, s.Invites()[0].Status)
		assert.False(t, s.Invites()[0].EmailSent)
	}},
	{id: "ADD-11", run: func(t *testing.T, v string) {
		s := as(v)
		a := inviteAs(t, s, root, `{"loginOrEmail":"new@example.com","role":"Viewer","sendEmail":true}`, 200)
		assert.JSONEq(t, msg("Sent invite to new@example.com"), a.body)
		for _, login := range []string{"newlogin", "x@localhost", "x@example.123"} {
			a = inviteAs(t, s, root, `{"loginOrEmail":"`+login+`","role":"Viewer","sendEmail":true}`, 200)
			assert.JSONEq(t, msg("Created invite for "+login), a.body, "not an address for Grafana: no mail")
		}
		a = inviteAs(t, s, root, `{"loginOrEmail":"other@example.com","role":"Viewer"}`, 200)
		assert.JSONEq(t, msg("Created invite for other@example.com"), a.body)
		assert.Len(t, s.Outbox(), 1)
		assert.True(t, s.Invites()[0].EmailSent)
	}},
	{id: "ADD-12", run: func(t *testing.T, v string) {
		s := as(v)
		inviteAs(t, s, root, `{"loginOrEmail":"twice@example.com","role":"Viewer"}`, 200)
		inviteAs(t, s, root, `{"loginOrEmail":"twice@example.com","role":"Viewer"}`, 200)
		assert.Len(t, list(t, s, root, nil), 2)
	}},
	{id: "ADD-13", applies: not9, run: func(t *testing.T, v string) {
		s := as(v)
		for _, tc := range []struct{ name, login string }{
			{"CI Bot", "sa-1-ci-bot"},
			{"a  b -- c", "sa-1-a-b----c"},
			{"Bot.v2_x", "sa-1-bot.v2_x"},
		} {
			tok := s.AddToken(fakegrafana.Token{Name: tc.name, OrgID: 1, Role: gen.OrgRoleAdmin})
			inviteAs(t, s, bearer(tok), `{"loginOrEmail":"x@example.com","role":"Viewer"}`, 200)
			got := s.Invites()[len(s.Invites())-1]
			assert.Equal(t, tc.login, got.InvitedByLogin, tc.name)
			assert.Equal(t, tc.login, got.InvitedByEmail, tc.name)
			assert.Equal(t, tc.name, got.InvitedByName)
		}
	}},
	{id: "ADD-14", run: func(t *testing.T, v string) {
		s := as(v)
		if is9(v) {
			a := inviteAs(t, s, admin, `{"loginOrEmail":"new@example.com","role":"Viewer"}`, 403)
			assert.JSONEq(t, msg("Permission denied: not permitted to create a new user"), a.body)
			inviteAs(t, s, admin, `{"loginOrEmail":"dave","role":"Viewer"}`, 200) // existing users need no users:create
		} else {
			inviteAs(t, s, admin, `{"loginOrEmail":"new@example.com","role":"Viewer"}`, 200)
		}
		inviteAs(t, s, root, `{"loginOrEmail":"new2@example.com","role":"Viewer"}`, 200)
	}},
	{id: "ADD-15", run: func(t *testing.T, v string) {
		s := as(v)
		inviteAs(t, s, root, `{"loginOrEmail":"null@example.com","role":"Viewer","name":null,"sendEmail":null}`, 200)
		l := s.Invites()
		require.Len(t, l, 1)
		assert.Empty(t, l[0].Name, "a null name is no name")
		assert.False(t, l[0].EmailSent, "a null sendEmail sends nothing")
	}},
	{id: "HTTP-1", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodGet, path: invites + "?unknown=1&targetOrgId=x", auth: root, header: map[string]string{"X-Unknown": "42"}})
		assert.Equal(t, 200, a.status, "unknown query parameters and headers are ignored")
	}},
	{id: "LIST-1", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: root})
		assert.Equal(t, "[]", strings.TrimSpace(a.body))
		inviteAs(t, s, root, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
		inviteAs(t, s, bearer(org2Token), `{"loginOrEmail":"dave","role":"Viewer"}`, 412)
		inviteAs(t, s, root, `{"loginOrEmail":"gone@example.com","role":"Viewer"}`, 200)
		require.Equal(t, 200, serve(t, s, call{method: http.MethodPatch, path: revokePath(s.Invites()[1].Code), auth: root}).status)
		a = serve(t, s, call{method: http.MethodGet, path: invites, auth: root})
		var raw []map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.body), &raw))
		require.Len(t, raw, 1, "pending only")
		assert.Len(t, raw[0], 14)
	}},
	{id: "LIST-2", run: func(t *testing.T, v string) {
		clock := newFakeClock()
		s := as(v, fakegrafana.WithClock(clock.Now))
		inviteAs(t, s, root, `{"loginOrEmail":"first@example.com","role":"Viewer"}`, 200)
		clock.Advance(time.Second)
		for _, e := range []string{"a", "b", "c"} {
			inviteAs(t, s, root, `{"loginOrEmail":"`+e+`@example.com","role":"Viewer"}`, 200)
			clock.Advance(100 * time.Millisecond)
		}
		l := list(t, s, root, nil)
		assert.Equal(t, []string{"a@example.com", "b@example.com", "c@example.com", "first@example.com"}, emailsOf(l))
		assert.Equal(t, []int64{2, 3, 4, 1}, []int64{l[0].ID, l[1].ID, l[2].ID, l[3].ID})
	}},
	{id: "LIST-3", run: func(t *testing.T, v string) {
		at := time.Date(2026, 11, 25, 9, 0, 0, 123456789, time.UTC)
		s := as(v, fakegrafana.WithClock(func() time.Time { return at }))
		inviteAs(t, s, root, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
		a := serve(t, s, call{method: http.MethodGet, path: invites, auth: root})
		assert.Contains(t, a.body, `"createdOn":"2026-11-25T09:00:00Z"`)
		assert.Contains(t, a.body, `"emailSentOn":"2026-11-25T09:00:00Z"`, "set even without a mail")
	}},
	{id: "LIST-4", run: func(t *testing.T, v string) {
		s := as(v)
		s.AddUser(fakegrafana.User{Login: "boss", Email: "boss@example.com", Name: "Boss", Password: "pw", ServerAdmin: true, Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin}})
		inviteAs(t, s, basic("boss", "pw"), `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
		got := list(t, s, root, nil)[0]
		assert.Equal(t, []string{"boss", "boss@example.com", "Boss"}, []string{got.InvitedByLogin, got.InvitedByEmail, got.InvitedByName})
		require.True(t, s.UpdateUser("boss", func(u *fakegrafana.User) { u.Name, u.Email = "The Boss", "chief@example.com" }))
		got = list(t, s, root, nil)[0]
		assert.Equal(t, []string{"boss", "chief@example.com", "The Boss"}, []string{got.InvitedByLogin, got.InvitedByEmail, got.InvitedByName}, "read when listing")
		require.True(t, s.DeleteUser("boss"))
		got = list(t, s, root, nil)[0]
		assert.Equal(t, []string{"", "", ""}, []string{got.InvitedByLogin, got.InvitedByEmail, got.InvitedByName})
	}},
	{id: "LIST-5", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithRootURL("https://grafana.example.com/sub"))
		inviteAs(t, s, root, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
		got := list(t, s, root, nil)[0]
		assert.Regexp(t, `^[0-9A-Za-z]{30}$`, got.Code)
		assert.Equal(t, "https://grafana.example.com/sub/invite/"+got.Code, got.URL)
	}},
	{id: "LIST-6", run: func(t *testing.T, v string) {
		clock := newFakeClock()
		s := as(v, fakegrafana.WithClock(clock.Now), fakegrafana.WithInviteLifetime(time.Hour))
		clock.Advance(5 * time.Minute)
		inviteAs(t, s, root, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200) // at t0+5m; lapses at t0+65m
		clock.Advance(64 * time.Minute)                                               // t0+69m
		assert.Len(t, list(t, s, root, nil), 1, "past its lifetime, but the sweep at t0+70m has not run")
		clock.Advance(time.Minute) // t0+70m
		assert.Empty(t, list(t, s, root, nil), "gone at the first sweep after its lifetime")
		assert.Equal(t, gen.TempUserStatusExpired, s.Invites()[0].Status)

		for _, d := range []time.Duration{0, 14 * time.Minute} {
			_, err := fakegrafana.New(fakegrafana.WithGrafanaVersion(v), fakegrafana.WithInviteLifetime(d))
			require.Error(t, err, d)
			assert.Contains(t, err.Error(), "under 15m0s")
		}
		assert.Panics(t, func() { fakegrafana.MustNew(fakegrafana.WithInviteLifetime(time.Minute)) })
		_, err := fakegrafana.New(fakegrafana.WithInviteLifetime(15 * time.Minute))
		assert.NoError(t, err)
	}},
	{id: "REV-1", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodPatch, path: revokePath("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"), auth: root})
		if revokeFixed(v) {
			assert.Equal(t, 404, a.status)
			assert.JSONEq(t, msg("Invite not found"), a.body)
		} else {
			assert.Equal(t, 200, a.status, "no lookup before the fix")
			assert.JSONEq(t, msg("Invite revoked"), a.body)
		}
	}},
	{id: "REV-2", run: func(t *testing.T, v string) {
		s := as(v)
		s.AddUser(fakegrafana.User{Login: "boss2", Password: "pw", ServerAdmin: true, Orgs: map[int64]gen.OrgRole{2: gen.OrgRoleAdmin}})
		inviteAs(t, s, basic("boss2", "pw"), `{"loginOrEmail":"two@example.com","role":"Viewer"}`, 200)
		a := serve(t, s, call{method: http.MethodPatch, path: revokePath(s.Invites()[0].Code), auth: admin})
		if revokeFixed(v) {
			assert.Equal(t, 403, a.status)
			assert.JSONEq(t, msg("Permission denied: not permitted to revoke invite"), a.body)
			assert.Equal(t, gen.TempUserStatusInvitePending, s.Invites()[0].Status)
		} else {
			assert.Equal(t, 200, a.status, "another org's invite is revoked before the fix")
			assert.Equal(t, gen.TempUserStatusRevoked, s.Invites()[0].Status)
		}
	}},
	{id: "REV-3", run: func(t *testing.T, v string) {
		s := as(v)
		inviteAs(t, s, root, `{"loginOrEmail":"a@example.com","role":"Viewer"}`, 200)
		code := s.Invites()[0].Code
		for range 2 {
			a := serve(t, s, call{method: http.MethodPatch, path: revokePath(code), auth: root, body: "ignored"})
			assert.Equal(t, 200, a.status, "revoked again: still 200")
			assert.JSONEq(t, msg("Invite revoked"), a.body)
		}
		assert.Equal(t, gen.TempUserStatusRevoked, s.Invites()[0].Status)
		assert.Empty(t, list(t, s, root, nil))
	}},
	{id: "EMAIL-1", run: func(t *testing.T, v string) {
		s := as(v)
		for _, tc := range []struct {
			addr string
			sent bool
		}{{"a@example.com.", true}, {"a@localhost", false}, {"a@example.123", false}, {"a@sub.example.io", true}} {
			a := inviteAs(t, s, root, `{"loginOrEmail":"`+tc.addr+`","role":"Viewer","sendEmail":true}`, 200)
			assert.Equal(t, tc.sent, strings.Contains(a.body, "Sent invite"), tc.addr)
		}
	}},
	{id: "ERR-1", run: func(t *testing.T, v string) {
		s := as(v, fakegrafana.WithLoginFormDisabled(true))
		hasTrace := func(c call) bool {
			a := serve(t, s, c)
			var body map[string]any
			require.NoError(t, json.Unmarshal([]byte(a.body), &body), a.body)
			_, ok := body["traceID"]
			return ok
		}
		assert.True(t, hasTrace(call{method: http.MethodPost, path: invites, auth: root, body: `{}`}), "400 bad request data")
		assert.True(t, hasTrace(call{method: http.MethodPost, path: invites, auth: root, body: `{"loginOrEmail":"erin","role":"Viewer"}`}), "412")
		assert.True(t, hasTrace(call{method: http.MethodGet, path: invites, auth: bearer(fakegrafana.NewToken())}), "401 of an unknown token")
		assert.False(t, hasTrace(call{method: http.MethodPost, path: invites, auth: root, body: `{"loginOrEmail":"new@example.com","role":"Viewer"}`}), "400 login disabled")
		assert.False(t, hasTrace(call{method: http.MethodPost, path: invites, auth: basic("ed", "pw"), body: `{"loginOrEmail":"x","role":"Admin"}`}), "403")
		assert.False(t, hasTrace(call{method: http.MethodGet, path: "/api/nothing", auth: root}), "404")
		assert.False(t, hasTrace(call{method: http.MethodPost, path: invites, auth: root, body: `{"loginOrEmail":"dave","role":"Viewer"}`}), "200")
	}},
	{id: "VER-1", run: func(t *testing.T, v string) {
		s := as(v)
		assert.Equal(t, v, s.GrafanaVersion())
		_, err := fakegrafana.New(fakegrafana.WithGrafanaVersion("8.5.0"))
		assert.ErrorContains(t, err, "9.0.0 and later")
		_, err = fakegrafana.New(fakegrafana.WithGrafanaVersion("eleven"))
		assert.ErrorContains(t, err, "major.minor.patch")
	}},
	{id: "FAKE-1", run: func(t *testing.T, v string) {
		s := as(v)
		a := serve(t, s, call{method: http.MethodPost, path: invites, auth: root, body: `{"name":"` + strings.Repeat("x", fakegrafana.MaxBodyBytes) + `"}`})
		assert.Equal(t, 413, a.status)
		assert.JSONEq(t, msg("request body too large"), a.body)
		a = serve(t, s, call{method: http.MethodPatch, path: revokePath("abc"), auth: root, body: strings.Repeat("x", fakegrafana.MaxBodyBytes+1)})
		assert.NotEqual(t, 413, a.status, "revoke reads no body")
	}},
	{id: "FAKE-2", run: func(t *testing.T, v string) {
		s := as(v)
		s.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Status: 503})
		assert.Equal(t, 503, serve(t, s, call{method: http.MethodGet, path: invites}).status, "before authentication")
		assert.Equal(t, 401, serve(t, s, call{method: http.MethodGet, path: invites}).status)
		assert.Equal(t, 2, s.Calls(fakegrafana.OpGetPendingOrgInvites))
	}},
}
