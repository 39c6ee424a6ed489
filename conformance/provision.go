package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// provision creates, through Grafana's admin HTTP API, the accounts the target did not give,
// and schedules their deletion. A server without that API (the fake) leaves them missing:
// the cases that need them are skipped.
func (s *session) provision() {
	a := &s.t.Accounts
	if a.Member != nil && a.SecondOrg != 0 && a.Inviter != nil && a.Outsider != nil && a.Throwaway != nil {
		return
	}
	if st, _, err := s.send(s.admin, http.MethodGet, "api/admin/settings", nil, ""); err != nil || st != http.StatusOK {
		return // no admin API (or not a server admin): nothing to create
	}
	var me struct{ ID int64 }
	if !s.adminJSON(http.MethodGet, "api/user", "", &me) {
		return
	}
	newUser := func(role string) *Account {
		acc := &Account{Login: s.runID + "-" + role, Password: s.runID + "-Pw-" + role}
		body := fmt.Sprintf(`{"name":%q,"login":%q,"email":"%s@example.invalid","password":%q}`, acc.Login, acc.Login, acc.Login, acc.Password)
		var out struct{ ID int64 }
		if !s.adminJSON(http.MethodPost, "api/admin/users", body, &out) {
			return nil
		}
		s.cleanup = append(s.cleanup, func() { s.adminJSON(http.MethodDelete, fmt.Sprintf("api/admin/users/%d", out.ID), "", nil) })
		s.userIDs[acc.Login] = out.ID
		return acc
	}
	if a.Throwaway == nil {
		a.Throwaway = newUser("throwaway")
	}
	if a.Outsider == nil {
		if acc := newUser("outsider"); acc != nil {
			// New users join the main org (auto_assign_org); the outsider leaves it.
			s.adminJSON(http.MethodDelete, fmt.Sprintf("api/orgs/1/users/%d", s.userIDs[acc.Login]), "", nil)
			a.Outsider = acc
		}
	}
	if a.Member == nil || a.SecondOrg == 0 {
		member := newUser("member")
		var org struct{ OrgID int64 }
		if member == nil || !s.adminJSON(http.MethodPost, "api/orgs", fmt.Sprintf(`{"name":%q}`, s.runID+"-second"), &org) {
			return
		}
		s.cleanup = append(s.cleanup, func() { s.adminJSON(http.MethodDelete, fmt.Sprintf("api/orgs/%d", org.OrgID), "", nil) })
		if !s.adminJSON(http.MethodPost, fmt.Sprintf("api/orgs/%d/users", org.OrgID), fmt.Sprintf(`{"loginOrEmail":%q,"role":"Admin"}`, member.Login), nil) ||
			!s.adminJSON(http.MethodDelete, fmt.Sprintf("api/orgs/%d/users/%d", org.OrgID, me.ID), "", nil) {
			return
		}
		a.Member, a.SecondOrg = member, org.OrgID
	}
	if a.Inviter == nil && a.SecondOrg != 0 {
		inviter := newUser("inviter")
		if inviter == nil ||
			!s.adminJSON(http.MethodPut, fmt.Sprintf("api/admin/users/%d/permissions", s.userIDs[inviter.Login]), `{"isGrafanaAdmin":true}`, nil) ||
			!s.adminJSON(http.MethodPost, fmt.Sprintf("api/orgs/%d/users", a.SecondOrg), fmt.Sprintf(`{"loginOrEmail":%q,"role":"Admin"}`, inviter.Login), nil) {
			return
		}
		a.Inviter = inviter
	}
}

// rename renames a user through server control, or through the admin API when this run
// created the user; it reports whether it could.
func (s *session) rename(login, name string) bool {
	if s.t.Control != nil {
		s.t.Control.RenameUser(login, name)
		return true
	}
	id, ok := s.userIDs[login]
	return ok && s.adminJSON(http.MethodPut, fmt.Sprintf("api/users/%d", id),
		fmt.Sprintf(`{"name":%q,"login":%q,"email":"%s@example.invalid"}`, name, login, login), nil)
}

// adminJSON sends an admin-API request as the server admin and decodes a 2xx answer into
// out (unless nil); it reports success.
func (s *session) adminJSON(method, path, body string, out any) bool {
	st, b, err := s.send(s.admin, method, path, nil, body)
	if err != nil || st < 200 || st > 299 {
		return false
	}
	return out == nil || json.Unmarshal([]byte(b), out) == nil
}
