package conformance

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// What the cases of the invitee's routes (ACCEPT-*, VER-3, VER-4) need: a pending invite of
// their own, its info and its completion, without credentials, as an invitee has none.

// pendingInvite invites a fresh address into org 1 as the server admin and returns the
// address and the invite's code.
func (c *check) pendingInvite() (addr, code string) {
	addr = c.addr()
	c.status(c.invite(c.s.admin, addr, "Editor", false), http.StatusOK, "invite "+addr)
	got := c.pendingOf(c.s.admin, nil, addr)
	if len(got) != 1 {
		c.fatalf("the invite of %s is not listed", addr)
	}
	return addr, str(got[0], "code")
}

// info is GET /api/user/invite/{code}, without credentials.
func (c *check) info(code string) answer {
	return c.call("", http.MethodGet, "api/user/invite/"+code, nil, "")
}

// password is one that Grafana's strong password policy accepts too.
func (c *check) password() string { return c.s.runID + "-Pw-1!aA" }

// complete is POST /api/user/invite/complete without credentials. A user it creates is
// deleted when the run ends (through the admin API, where the server has one).
func (c *check) complete(code, email, username, password string) answer {
	c.s.secrets = append(c.s.secrets, password)
	body := fmt.Sprintf(`{"inviteCode":%q,"email":%q,"username":%q,"name":"conformance","password":%q,"confirmPassword":%q}`,
		code, email, username, password, password)
	a := c.call("", http.MethodPost, "api/user/invite/complete", nil, body)
	if id := num(a.obj, "id"); a.status == http.StatusOK && id > 0 {
		c.s.cleanup = append(c.s.cleanup, func() { c.s.adminJSON(http.MethodDelete, fmt.Sprintf("api/admin/users/%d", id), "", nil) })
	}
	return a
}

// login is a fresh username of this run.
func (c *check) login() string {
	c.n++
	return fmt.Sprintf("%s-%s-%d", c.s.runID, strings.ToLower(c.id), c.n)
}

// acceptCases are the cases of the invitee's routes, in the order of their rows.
var acceptCases = []testCase{
	{"ACCEPT-1", func(c *check) {
		addr, code := c.pendingInvite()
		a := c.info(code)
		if c.status(a, http.StatusOK, "the info of a pending invite, without credentials") {
			want := []string{"email", "name", "username", "invitedBy"}
			if c.version().InviteOrgName() {
				want = append(want, "orgName")
			}
			c.keys(a, "the info", want...)
			if str(a.obj, "email") != addr || str(a.obj, "username") != addr {
				c.errorf("the info names %q (username %q), want %s", str(a.obj, "email"), str(a.obj, "username"), addr)
			}
		}
		unknown := c.info("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
		c.status(unknown, http.StatusNotFound, "an unknown code")
		c.message(unknown, "Invite not found", "an unknown code")
		if !c.version().InviteChecks() {
			return // VER-3: found whatever its status
		}
		c.status(c.complete(code, addr, c.login(), c.password()), http.StatusOK, "complete")
		c.status(c.info(code), http.StatusNotFound, "the info of a completed invite")
		_, revoked := c.pendingInvite()
		c.revoke(c.s.admin, revoked)
		c.status(c.info(revoked), http.StatusNotFound, "the info of a revoked invite")
	}},
	{"ACCEPT-2", func(c *check) {
		addr, code := c.pendingInvite()
		login, pw := c.login(), c.password()
		a := c.complete(code, addr, " "+login+" ", pw)
		if !c.status(a, http.StatusOK, "complete") {
			return
		}
		c.message(a, "User created and logged in", "complete")
		if c.version().InviteChecks() && num(a.obj, "id") <= 0 {
			c.errorf("the answer has no id: %s", a.body)
		}
		if len(c.pendingOf(c.s.admin, nil, addr)) != 0 {
			c.errorf("a completed invite is still listed")
		}
		c.accessDenied(c.get(basic(login, pw), nil), "the new Editor (username trimmed) lists")
		a = c.invite(c.s.admin, addr, "Viewer", false)
		if c.status(a, http.StatusPreconditionFailed, "inviting the new member") && !strings.Contains(str(a.obj, "message"), "already added to organization") {
			c.errorf("want already added, got %s", a.body)
		}
	}},
	{"ACCEPT-3", func(c *check) {
		addr, code := c.pendingInvite()
		a := c.call("", http.MethodPost, "api/user/invite/complete", nil, `{"inviteCode":`)
		c.status(a, http.StatusBadRequest, "a body that is not JSON")
		c.message(a, "bad request data", "a body that is not JSON")
		a = c.complete(code, "not an address", c.login(), c.password())
		c.status(a, http.StatusBadRequest, "an email that is not an address")
		c.message(a, "Invalid email address provided", "an email that is not an address")
		a = c.complete("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm", addr, c.login(), c.password())
		c.status(a, http.StatusNotFound, "an unknown code")
		c.message(a, "Invite not found", "an unknown code")
		if len(c.pendingOf(c.s.admin, nil, addr)) != 1 {
			c.errorf("the invite is no longer pending after refusals")
		}
	}},
	{"ACCEPT-4", func(c *check) {
		addr, code := c.pendingInvite()
		c.status(c.complete(code, addr, c.login(), c.password()), http.StatusOK, "complete")
		a := c.complete(code, addr, c.login(), c.password())
		c.status(a, http.StatusPreconditionFailed, "complete twice")
		c.message(a, "Invite cannot be used in status Completed", "complete twice")
		addr, code = c.pendingInvite()
		c.revoke(c.s.admin, code)
		a = c.complete(code, addr, c.login(), c.password())
		c.status(a, http.StatusPreconditionFailed, "a revoked invite")
		c.message(a, "Invite cannot be used in status Revoked", "a revoked invite")
	}},
	{"ACCEPT-5", func(c *check) {
		if !c.version().InviteChecks() {
			return // VER-3: any address before 9.2.4
		}
		addr, code := c.pendingInvite()
		for _, other := range []string{c.addr(), strings.ToUpper(addr)} {
			a := c.complete(code, other, c.login(), c.password())
			c.status(a, http.StatusBadRequest, "another address than the invite's: "+other)
			c.message(a, "The provided email is different from the address that is found in the invite", "another address")
		}
	}},
	{"ACCEPT-6", func(c *check) {
		addr, code := c.pendingInvite()
		a := c.complete(code, addr, c.s.t.AdminLogin, c.password())
		if c.status(a, http.StatusPreconditionFailed, "the admin's username") && !strings.HasSuffix(str(a.obj, "message"), "already exists") {
			c.errorf("want already exists, got %s", a.body)
		}
		a = c.complete(code, addr, c.login(), "abc")
		c.status(a, http.StatusInternalServerError, "a password of 3 characters")
		c.message(a, "failed to create user", "a password of 3 characters")
		if len(c.pendingOf(c.s.admin, nil, addr)) != 1 {
			c.errorf("the invite is no longer pending after refusals")
		}
	}},
	{"ACCEPT-7", func(c *check) {
		addr, code := c.pendingInvite()
		login, pw := c.login(), c.password()
		c.status(c.complete(code, addr, login, pw), http.StatusOK, "complete")
		a := c.revoke(c.s.admin, code)
		c.status(a, http.StatusOK, "revoke a completed invite")
		c.message(a, "Invite revoked", "revoke a completed invite")
		c.accessDenied(c.get(basic(login, pw), nil), "the member, still an Editor")
	}},
}

// verCases are the version rows of the invitee's routes.
var verCases = []testCase{
	{"VER-3", func(c *check) {
		_, code := c.pendingInvite()
		c.revoke(c.s.admin, code)
		a := c.info(code)
		if found := a.status == http.StatusOK; found == c.version().InviteChecks() {
			c.errorf("Grafana %s answers the info of a revoked invite with %d; the invite fix (9.2.4) says checks=%v", c.version(), a.status, c.version().InviteChecks())
		}
	}},
	{"VER-4", func(c *check) {
		_, code := c.pendingInvite()
		a := c.info(code)
		if _, has := a.obj["orgName"]; c.status(a, http.StatusOK, "info") && has != c.version().InviteOrgName() {
			c.errorf("Grafana %s sends orgName=%v; VER-4 says %v", c.version(), has, c.version().InviteOrgName())
		}
	}},
}

// cases are every case: the admin's operations', then the invitee's, then their versions.
var cases = slices.Concat(adminCases, acceptCases, verCases)
