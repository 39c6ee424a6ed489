package conformance

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/internal/grafanaid"
)

// The admin's cases, one per row of docs/grafana-behaviour.md and in its order. Each creates what
// it needs under the run's unique addresses; the runner revokes it all afterwards.
var adminCases = []testCase{
	{"OP-1", func(c *check) {
		a := c.call(c.s.admin, http.MethodDelete, "api/org/invites/Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm/revoke", nil, "")
		c.status(a, http.StatusNotFound, "DELETE of the revoke route")
		c.message(a, "Not found", "DELETE of the revoke route")
		c.status(c.call(c.s.admin, http.MethodPut, "api/org/invites", nil, "{}"), http.StatusNotFound, "PUT, no 405")
	}},
	{"OP-2", func(c *check) {
		m := c.account(c.s.t.Accounts.Member, "a Viewer of org 1 (Accounts.Member)")
		c.accessDenied(c.get(basic(m.Login, m.Password), nil), "a Viewer lists")
		c.accessDenied(c.invite(basic(m.Login, m.Password), c.addr(), "Viewer", false), "a Viewer invites")
	}},
	{"AUTH-1", func(c *check) {
		tok := c.token()
		c.status(c.get(bearer(tok), nil), http.StatusOK, "a valid token")
		wrongSum := tok[:len(tok)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", tok[len(tok)-1])+1)%16])
		for _, t := range []string{wrongSum, "glsa_x", "x", "glsa_a_b_c"} {
			c.authError(c.get(bearer(t), nil), "api-key.invalid", "token "+t)
		}
	}},
	{"AUTH-2", func(c *check) {
		a := c.get(bearer(grafanaid.Token(c.s.runID+"0000000000000000000000")), nil)
		if c.status(a, http.StatusUnauthorized, "an unknown well-formed token") {
			c.keys(a, "an unknown well-formed token", "message", "traceID")
			c.message(a, "Unauthorized", "an unknown well-formed token")
		}
	}},
	{"AUTH-3", func(c *check) {
		acc := c.s.t.Accounts
		if acc.ExpiredToken == "" || acc.RevokedToken == "" {
			c.skip("needs an expired and a revoked service-account token (Accounts.ExpiredToken, RevokedToken)")
		}
		c.authError(c.get(bearer(acc.ExpiredToken), nil), "api-key.expired", "an expired token")
		c.authError(c.get(bearer(acc.RevokedToken), nil), "api-key.revoked", "a revoked token")
	}},
	{"AUTH-4", func(c *check) {
		tok := grafanaid.Token("conformance")
		if c.s.t.Token != "" {
			tok = c.s.t.Token
		}
		for _, a := range []auth{auth("bearer " + tok), auth("Token " + tok), auth("Bearer "), ""} {
			c.authError(c.get(a, nil), "auth.unauthorized", "Authorization "+strings.SplitN(string(a), " ", 2)[0])
		}
	}},
	{"AUTH-5", func(c *check) {
		c.status(c.get(basic("api_key", c.token()), nil), http.StatusOK, "Basic api_key:<token>")
		c.authError(c.get(basic("api_key", "glsa_x"), nil), "api-key.invalid", "Basic api_key:<malformed>")
	}},
	{"AUTH-6", func(c *check) {
		t := c.account(c.s.t.Accounts.Throwaway, "a throwaway user (Accounts.Throwaway)")
		c.authError(c.get(basic(t.Login, t.Password+"-wrong"), nil), "password-auth.failed", "a wrong password")
		c.authError(c.get(basic(c.s.runID+"-nobody", "x"), nil), "password-auth.failed", "an unknown user")
	}},
	{"AUTH-7", func(c *check) {
		t := c.account(c.s.t.Accounts.Throwaway, "a throwaway user (Accounts.Throwaway), which this case locks out")
		for i := 0; i < 5; i++ {
			c.get(basic(t.Login, t.Password+"-wrong"), nil)
		}
		c.authError(c.get(basic(t.Login, t.Password), nil), "password-auth.failed", "the right password after 5 failures")
		if c.s.t.Control == nil {
			return // the window passing needs the clock
		}
		c.s.t.Control.Advance(5*time.Minute + time.Second)
		if a := c.get(basic(t.Login, t.Password), nil); a.status == http.StatusUnauthorized {
			c.errorf("still locked once the 5-minute window has passed: %s", a.body)
		}
	}},
	{"AUTH-8", func(c *check) {
		ctl := c.control()
		ctl.SetAnonymousAccess(true)
		defer ctl.SetAnonymousAccess(false)
		c.accessDenied(c.get("", nil), "no credentials with anonymous access")
	}},
	{"ORG-1", func(c *check) {
		m, org := c.account(c.s.t.Accounts.Member, "a Viewer of org 1 who is Admin of a second org (Accounts.Member)"), c.secondOrg()
		a := basic(m.Login, m.Password)
		c.status(c.call(a, http.MethodGet, fmt.Sprintf("api/org/invites?targetOrgId=%d", org), orgHeader(1), ""), http.StatusOK, "targetOrgId wins over the header")
		for _, q := range []string{"0", "-1"} {
			c.status(c.call(a, http.MethodGet, "api/org/invites?targetOrgId="+q, orgHeader(org), ""), http.StatusOK, "targetOrgId="+q+" is ignored")
		}
	}},
	{"ORG-2", func(c *check) {
		m, org := c.account(c.s.t.Accounts.Member, "a Viewer of org 1 who is Admin of a second org (Accounts.Member)"), c.secondOrg()
		a := basic(m.Login, m.Password)
		c.status(c.get(a, orgHeader(org)), http.StatusOK, "the header selects the org")
		c.accessDenied(c.get(a, map[string]string{"X-Grafana-Org-Id": "two"}), "a header that is not a number is ignored")
	}},
	{"ORG-3", func(c *check) {
		m := c.account(c.s.t.Accounts.Member, "a Viewer of org 1 (its current org) who is Admin of a second org (Accounts.Member)")
		c.secondOrg()
		c.accessDenied(c.get(basic(m.Login, m.Password), nil), "without a header: the current org, org 1")
	}},
	{"ORG-4", func(c *check) {
		tok, org := c.token(), c.secondOrg()
		c.authError(c.get(bearer(tok), orgHeader(org)), "api-key.organization-mismatch", "a token asked for another org")
	}},
	{"ORG-5", func(c *check) {
		org := c.secondOrg()
		m := c.account(c.s.t.Accounts.Member, "a Viewer of org 1 (Accounts.Member)")
		c.accessDenied(c.get(basic(m.Login, m.Password), orgHeader(1000000+org)), "a non-admin outside the org")
		one := c.addr()
		c.status(c.invite(c.s.admin, one, "Viewer", false), http.StatusOK, "invite in org 1")
		minus := c.addr()
		c.status(c.post(c.s.admin, orgHeader(org), fmt.Sprintf(`{"loginOrEmail":%q,"role":"Viewer"}`, minus)), http.StatusOK, "invite as a server admin outside the org")
		found := c.pendingOf(c.s.admin, orgHeader(org), minus)
		if len(found) != 1 || num(found[0], "orgId") != -1 {
			c.errorf("the invite made outside the org: %v, want one with orgId -1", found)
		}
		if len(c.pendingOf(c.s.admin, orgHeader(org), one)) != 1 {
			c.errorf("org −1 does not list org 1's invite: it should list every org's")
		}
	}},
	{"ADD-1", func(c *check) {
		for _, body := range []string{`{"role":"Viewer"}`, `{"loginOrEmail":"","role":"Viewer"}`, `{"loginOrEmail":"a@example.invalid"}`, `{"loginOrEmail":"a@example.invalid","role":null}`, `{"loginOrEmail":"a@example.invalid","role":"VIEWER"}`, `nope`} {
			a := c.post(c.s.admin, nil, body)
			if c.status(a, http.StatusBadRequest, body) {
				c.message(a, "bad request data", body)
			}
		}
		for role, want := range map[string]string{"": "Viewer", "editor": "Editor"} {
			addr := c.addr()
			c.status(c.post(c.s.admin, nil, fmt.Sprintf(`{"loginOrEmail":%q,"role":%q}`, addr, role)), http.StatusOK, "role "+role)
			if got := c.pendingOf(c.s.admin, nil, addr); len(got) != 1 || str(got[0], "role") != want {
				c.errorf("role %q saved as %v, want %s", role, got, want)
			}
		}
	}},
	{"ADD-2", func(c *check) {
		addr := c.addr()
		c.status(c.post(c.s.admin, nil, fmt.Sprintf(`{"loginOrEmail":%q,"role":"Viewer"} trailing junk`, addr)), http.StatusOK, "trailing bytes")
	}},
	{"ADD-3", func(c *check) {
		bad := `{"role":`
		c.authError(c.post("", nil, bad), "auth.unauthorized", "a bad body without credentials")
		if m := c.s.t.Accounts.Member; m != nil {
			c.accessDenied(c.post(basic(m.Login, m.Password), nil, bad), "a bad body from a Viewer")
		}
		if ctl := c.s.t.Control; ctl != nil {
			ctl.SetUserQuota(1)
			a := c.post(c.s.admin, nil, bad)
			ctl.SetUserQuota(0)
			if c.status(a, http.StatusForbidden, "a bad body with the quota reached") {
				c.message(a, "user Quota reached", "quota before binding")
			}
		}
		c.status(c.post(c.s.admin, nil, bad), http.StatusBadRequest, "then the binding")
	}},
	{"ADD-4", func(c *check) {
		g := c.account(c.s.t.Accounts.Granted, "an Editor granted org.users:add by a custom role (Accounts.Granted, Grafana Enterprise)")
		a := c.invite(basic(g.Login, g.Password), c.addr(), "Admin", false)
		if c.status(a, http.StatusForbidden, "a role above the caller's") {
			c.message(a, "Cannot assign a role higher than user's role", "role escalation")
		}
	}},
	{"ADD-5", func(c *check) {
		r := c.account(c.s.t.Accounts.Restricted, "an Admin whose custom role may not add existing users (Accounts.Restricted, Grafana Enterprise)")
		o := c.account(c.s.t.Accounts.Outsider, "a user outside org 1 (Accounts.Outsider)")
		a := c.invite(basic(r.Login, r.Password), o.Login, "Viewer", false)
		if c.status(a, http.StatusForbidden, "an existing user by a restricted caller") {
			c.message(a, "Permission denied: not permitted to add an existing user to this organisation", "restricted caller")
		}
	}},
	{"ADD-6", func(c *check) {
		m := c.account(c.s.t.Accounts.Member, "a member of org 1 (Accounts.Member)")
		login := strings.ToUpper(m.Login)
		a := c.invite(c.s.admin, login, "Viewer", false)
		if c.status(a, http.StatusPreconditionFailed, "a member") {
			c.keys(a, "a member", "message", "traceID")
			c.message(a, "User "+login+" is already added to organization", "a member")
		}
	}},
	{"ADD-7", func(c *check) {
		login := c.outsider("ADD-7 adds it to org 1 for good")
		a := c.invite(c.s.admin, login, "Editor", false)
		if c.status(a, http.StatusOK, "an existing user outside the org") {
			if num(a.obj, "userId") == 0 || !strings.HasPrefix(str(a.obj, "message"), "Existing Grafana user ") {
				c.errorf("want the existing-user answer with userId, got %s", a.body)
			}
		}
		c.status(c.invite(c.s.admin, login, "Editor", false), http.StatusPreconditionFailed, "a member now")
	}},
	{"ADD-8", func(c *check) {
		ctl := c.control()
		ctl.SetSMTP(false)
		defer ctl.SetSMTP(true)
		valid := c.outsider("")
		a := c.invite(c.s.admin, valid, "Viewer", true)
		if c.status(a, http.StatusInternalServerError, "an existing user, mail without SMTP") {
			c.keys(a, "mail without SMTP", "message", "traceID")
			c.message(a, "Failed to send email invited_to_org", "mail without SMTP")
		}
		c.status(c.invite(c.s.admin, valid, "Viewer", false), http.StatusPreconditionFailed, "added all the same")
		local := c.s.runID + "-local"
		ctl.AddUser(local, local+"@localhost", "pw-"+local)
		a = c.invite(c.s.admin, local, "Viewer", true)
		c.status(a, http.StatusOK, "an address Grafana refuses: no mail, no error, even without SMTP")
	}},
	{"ADD-9", func(c *check) {
		ctl := c.control()
		ctl.SetLoginFormDisabled(true)
		defer ctl.SetLoginFormDisabled(false)
		a := c.invite(c.s.admin, c.addr(), "Viewer", false)
		if c.status(a, http.StatusBadRequest, "a new person, login form disabled") {
			c.keys(a, "login form disabled", "message")
			c.message(a, c.version().LoginDisabledMessage(), "login form disabled")
		}
	}},
	{"ADD-10", func(c *check) {
		ctl := c.control()
		ctl.SetSMTP(false)
		defer ctl.SetSMTP(true)
		addr := c.addr()
		a := c.invite(c.s.admin, addr, "Viewer", true)
		if c.status(a, http.StatusPreconditionFailed, "mail without SMTP") {
			c.keys(a, "SMTP 412", "message", "traceID")
		}
		if got := c.pendingOf(c.s.admin, nil, addr); len(got) != 1 || got[0]["emailSent"] != false {
			c.errorf("the invite was not saved pending with emailSent false: %v", got)
		}
	}},
	{"ADD-11", func(c *check) {
		login := c.s.runID + "-login"
		a := c.invite(c.s.admin, login, "Viewer", true)
		c.status(a, http.StatusOK, "a login with sendEmail")
		c.message(a, "Created invite for "+login, "not an address: no mail")
		addr := c.addr()
		a = c.invite(c.s.admin, addr, "Viewer", false)
		c.message(a, "Created invite for "+addr, "no sendEmail")
		if ctl := c.s.t.Control; ctl != nil {
			ctl.SetSMTP(true)
			addr = c.addr()
			c.message(c.invite(c.s.admin, addr, "Viewer", true), "Sent invite to "+addr, "mailed")
		}
	}},
	{"ADD-12", func(c *check) {
		addr := c.addr()
		c.invite(c.s.admin, addr, "Viewer", false)
		c.invite(c.s.admin, addr, "Viewer", false)
		if n := len(c.pendingOf(c.s.admin, nil, addr)); n != 2 {
			c.errorf("%d pending invites after inviting twice, want 2", n)
		}
	}},
	{"ADD-13", func(c *check) {
		addr := c.addr()
		if c.version().NewUserNeedsUsersCreate() { // 9.x: a service account invites no new person (ADD-14)
			c.status(c.invite(bearer(c.token()), addr, "Viewer", false), http.StatusForbidden, "9.x: a new person by a token")
			return
		}
		c.status(c.invite(bearer(c.token()), addr, "Viewer", false), http.StatusOK, "invite with the token")
		got := c.pendingOf(c.s.admin, nil, addr)
		if len(got) != 1 {
			c.fatalf("the invite is not listed")
		}
		name := str(got[0], "invitedByName")
		want := grafanaid.ServiceAccountLogin(1, name)
		if str(got[0], "invitedByLogin") != want || str(got[0], "invitedByEmail") != want {
			c.errorf("invitedByLogin %q, invitedByEmail %q, want both %q", str(got[0], "invitedByLogin"), str(got[0], "invitedByEmail"), want)
		}
	}},
	{"ADD-14", func(c *check) {
		tok := c.token()
		a := c.invite(bearer(tok), c.addr(), "Viewer", false)
		if c.version().NewUserNeedsUsersCreate() {
			if c.status(a, http.StatusForbidden, "9.x: a new person by a non-admin") {
				c.message(a, "Permission denied: not permitted to create a new user", "9.x")
			}
		} else {
			c.status(a, http.StatusOK, "a new person by an Admin token")
		}
		c.status(c.invite(c.s.admin, c.addr(), "Viewer", false), http.StatusOK, "a new person by a server admin")
	}},
	{"LIST-1", func(c *check) {
		addr := c.addr()
		c.invite(c.s.admin, addr, "Viewer", false)
		a := c.get(c.s.admin, nil)
		if !c.status(a, http.StatusOK, "list") || a.list == nil {
			c.fatalf("the list is not a JSON array: %s", a.body)
		}
		for _, inv := range a.list {
			if len(inv) != 14 || str(inv, "status") != "InvitePending" || num(inv, "orgId") != 1 {
				c.errorf("a listed invite is not a pending invite of org 1 with 14 keys: %v", keysOf(inv))
				break
			}
		}
	}},
	{"LIST-2", func(c *check) {
		for i := 0; i < 3; i++ {
			c.invite(c.s.admin, c.addr(), "Viewer", false)
		}
		l := c.get(c.s.admin, nil).list
		for i := 1; i < len(l); i++ {
			p, q := l[i-1], l[i]
			switch tp, tq := created(p), created(q); {
			case tp.Before(tq):
				c.errorf("not newest first: id %d (%s) before id %d (%s)", num(p, "id"), str(p, "createdOn"), num(q, "id"), str(q, "createdOn"))
			case tp.Equal(tq) && num(p, "id") > num(q, "id"):
				c.errorf("ties of one second not in ascending id: %d before %d", num(p, "id"), num(q, "id"))
			}
		}
	}},
	{"LIST-3", func(c *check) {
		addr := c.addr()
		c.invite(c.s.admin, addr, "Viewer", false)
		for _, inv := range c.pendingOf(c.s.admin, nil, addr) {
			if strings.Contains(str(inv, "createdOn"), ".") || str(inv, "emailSentOn") == "" {
				c.errorf("createdOn %q has fractional seconds, or emailSentOn %q is empty", str(inv, "createdOn"), str(inv, "emailSentOn"))
			}
		}
	}},
	{"LIST-4", func(c *check) {
		in, org := c.account(c.s.t.Accounts.Inviter, "a second server admin who is Admin of a second org (Accounts.Inviter)"), c.secondOrg()
		addr := c.addr()
		c.status(c.post(basic(in.Login, in.Password), orgHeader(org), fmt.Sprintf(`{"loginOrEmail":%q,"role":"Viewer"}`, addr)), http.StatusOK, "invite by the inviter")
		got := c.pendingOf(basic(in.Login, in.Password), orgHeader(org), addr)
		if len(got) != 1 || !strings.EqualFold(str(got[0], "invitedByLogin"), in.Login) {
			c.fatalf("invitedByLogin of the inviter's invite: %v", got)
		}
		name := c.s.runID + " renamed"
		if !c.s.rename(in.Login, name) {
			return // neither server control nor an inviter this run created: the rename is not checked
		}
		if got = c.pendingOf(basic(in.Login, in.Password), orgHeader(org), addr); len(got) != 1 || str(got[0], "invitedByName") != name {
			c.errorf("invitedByName after the inviter was renamed: %v, want %q", got, name)
		}
	}},
	{"LIST-5", func(c *check) {
		addr := c.addr()
		c.invite(c.s.admin, addr, "Viewer", false)
		for _, inv := range c.pendingOf(c.s.admin, nil, addr) {
			code := str(inv, "code")
			if !codeRE.MatchString(code) || len(code) != 30 || !strings.HasSuffix(str(inv, "url"), "/invite/"+code) {
				c.errorf("code or url not as Grafana makes them")
			}
		}
	}},
	{"LIST-6", func(c *check) {
		ctl := c.control()
		addr := c.addr()
		c.invite(c.s.admin, addr, "Viewer", false)
		ctl.Advance(24*time.Hour - time.Minute)
		if len(c.pendingOf(c.s.admin, nil, addr)) != 1 {
			c.errorf("gone before its lifetime ended")
		}
		ctl.Advance(11 * time.Minute)
		if len(c.pendingOf(c.s.admin, nil, addr)) != 0 {
			c.errorf("still listed after the first sweep past its lifetime")
		}
	}},
	{"REV-1", func(c *check) {
		a := c.revoke(c.s.admin, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
		if c.version().RevokeChecks() {
			c.status(a, http.StatusNotFound, "an unknown code")
			c.message(a, "Invite not found", "an unknown code")
		} else {
			c.status(a, http.StatusOK, "an unknown code before the fix")
		}
	}},
	{"REV-2", func(c *check) {
		in, org := c.account(c.s.t.Accounts.Inviter, "a server admin who is Admin of a second org (Accounts.Inviter)"), c.secondOrg()
		tok := c.token()
		addr := c.addr()
		c.post(basic(in.Login, in.Password), orgHeader(org), fmt.Sprintf(`{"loginOrEmail":%q,"role":"Viewer"}`, addr))
		got := c.pendingOf(basic(in.Login, in.Password), orgHeader(org), addr)
		if len(got) != 1 {
			c.fatalf("the second org's invite is not listed")
		}
		a := c.revoke(bearer(tok), str(got[0], "code"))
		if c.version().RevokeChecks() {
			c.status(a, http.StatusForbidden, "another org's invite")
			c.message(a, "Permission denied: not permitted to revoke invite", "another org's invite")
		} else {
			c.status(a, http.StatusOK, "another org's invite before the fix")
		}
	}},
	{"REV-3", func(c *check) {
		addr := c.addr()
		c.invite(c.s.admin, addr, "Viewer", false)
		got := c.pendingOf(c.s.admin, nil, addr)
		if len(got) != 1 {
			c.fatalf("the invite is not listed")
		}
		for i := 0; i < 2; i++ {
			a := c.revoke(c.s.admin, str(got[0], "code"))
			c.status(a, http.StatusOK, "revoke")
			c.message(a, "Invite revoked", "revoke")
		}
		if len(c.pendingOf(c.s.admin, nil, addr)) != 0 {
			c.errorf("still listed after revoke")
		}
	}},
	{"EMAIL-1", func(c *check) {
		ctl := c.control()
		ctl.SetSMTP(true)
		for addr, sent := range map[string]bool{c.s.runID + "-a@example.invalid.": true, c.s.runID + "-b@localhost": false, c.s.runID + "-c@example.123": false} {
			a := c.invite(c.s.admin, addr, "Viewer", true)
			if got := strings.HasPrefix(str(a.obj, "message"), "Sent invite"); got != sent {
				c.errorf("%s: mailed %v, want %v", addr, got, sent)
			}
		}
	}},
	{"ERR-1", func(c *check) {
		c.keys(c.post(c.s.admin, nil, `{}`), "400 bad request data", "message", "traceID")
		c.keys(c.revoke(c.s.admin, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"), "404 or 200 of an unknown code", "message")
		if m := c.s.t.Accounts.Member; m != nil {
			c.keys(c.invite(c.s.admin, m.Login, "Viewer", false), "412", "message", "traceID")
		}
	}},
	{"VER-1", func(c *check) {
		v := c.version()
		a := c.revoke(c.s.admin, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
		if fixed := a.status == http.StatusNotFound; fixed != v.RevokeChecks() {
			c.errorf("Grafana %s revokes an unknown code with %d; the table of fixed releases says fixed=%v", v, a.status, v.RevokeChecks())
		}
	}},
	{"VER-2", func(c *check) {
		if !c.version().NewUserNeedsUsersCreate() {
			c.status(c.invite(bearer(c.token()), c.addr(), "Viewer", false), http.StatusOK, "after 9.x an Admin token invites new people")
			return
		}
		c.status(c.invite(bearer(c.token()), c.addr(), "Viewer", false), http.StatusForbidden, "9.x: an Admin token may not create users")
	}},
	{"FAKE-1", func(c *check) {
		if c.s.t.Control == nil {
			c.skip("the fake's own limit, not Grafana's")
		}
		a := c.post(c.s.admin, nil, `{"name":"`+strings.Repeat("x", 1<<20)+`"}`)
		c.status(a, http.StatusRequestEntityTooLarge, "a body over 1 MiB")
	}},
	{"FAKE-2", func(c *check) {
		ctl := c.control()
		ctl.InjectStatus("getPendingOrgInvites", http.StatusServiceUnavailable)
		c.status(c.get("", nil), http.StatusServiceUnavailable, "a fault before authentication")
	}},
}
