package fakegrafana

import (
	"net/http"
	"strconv"
	"strings"
)

// identity is the authenticated caller, in the organisation of the request.
type identity struct {
	login, email, name     string
	orgID                  int64
	role                   Role // in orgID; "" when not a member
	serverAdmin            bool
	cannotAddExistingUsers bool
	grantAddUsers          bool
}

type identityKey struct{}

// authenticate finds the caller and the organisation of the request, or answers 401.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (identity, bool) {
	requested := requestedOrg(r)
	authz := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(authz, " ")
	cred = strings.TrimSpace(cred)
	var token string
	switch {
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		token = cred
	case strings.EqualFold(scheme, "Basic") && cred != "":
		login, password, ok := r.BasicAuth()
		if !ok {
			writeAuthError(w, "auth.unauthorized", "Unauthorized")
			return identity{}, false
		}
		if login == "api_key" {
			token = password
			break
		}
		return s.authenticateUser(w, login, password, requested)
	default:
		writeAuthError(w, "auth.unauthorized", "Unauthorized")
		return identity{}, false
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[token]
	switch {
	case !ok:
		writeAuthError(w, "api-key.invalid", "Invalid API key")
		return identity{}, false
	case t.Revoked:
		writeAuthError(w, "api-key.revoked", "Revoked API key")
		return identity{}, false
	case t.Expired:
		writeAuthError(w, "api-key.expired", "Expired API key")
		return identity{}, false
	case requested != 0 && requested != t.OrgID:
		writeAuthError(w, "api-key.organization-mismatch", "API key does not belong to the requested organization")
		return identity{}, false
	}
	return identity{login: "sa-" + t.Name, name: t.Name, orgID: t.OrgID, role: t.Role, grantAddUsers: t.GrantAddUsers}, true
}

func (s *Server) authenticateUser(w http.ResponseWriter, login, password string, requested int64) (identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUserLocked(login)
	if u == nil || u.Password == "" || u.Password != password {
		writeAuthError(w, "password-auth.failed", "Invalid username or password")
		return identity{}, false
	}
	org := requested
	if org == 0 {
		org = defaultOrg(u)
	}
	return identity{
		login: u.Login, email: u.Email, name: u.Name,
		orgID: org, role: u.Orgs[org], serverAdmin: u.ServerAdmin,
		cannotAddExistingUsers: u.CannotAddExistingUsers,
		grantAddUsers:          u.GrantAddUsers && u.Orgs[org] != "",
	}, true
}

func defaultOrg(u *User) int64 {
	var best int64
	for id := range u.Orgs {
		if best == 0 || id < best {
			best = id
		}
	}
	return best
}

// requestedOrg is targetOrgId, else X-Grafana-Org-Id, else 0 (the default organisation).
func requestedOrg(r *http.Request) int64 {
	if r.URL.RawQuery != "" { // parse the query only when there is one
		if id, err := strconv.ParseInt(r.URL.Query().Get("targetOrgId"), 10, 64); err == nil {
			return id
		}
	}
	if id, err := strconv.ParseInt(r.Header.Get("X-Grafana-Org-Id"), 10, 64); err == nil {
		return id
	}
	return 0
}

// findUserLocked finds a user as Grafana does: by email when s holds '@', then by login,
// case-insensitively.
func (s *Server) findUserLocked(loginOrEmail string) *User {
	if strings.Contains(loginOrEmail, "@") {
		for _, u := range s.users {
			if strings.EqualFold(u.Email, loginOrEmail) {
				return u
			}
		}
	}
	for _, u := range s.users {
		if strings.EqualFold(u.Login, loginOrEmail) {
			return u
		}
	}
	return nil
}

func (s *Server) quotaReached() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userQuota > 0 && len(s.users) >= s.userQuota
}
