package fakegrafana

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/gen"
	"github.com/grafana-invites/grafana-invites/internal/grafanaid"
)

// identity is the authenticated caller, in the organisation of the request.
type identity struct {
	userID                 int64  // the user, or 0
	token                  *Token // the service account's token, or nil
	anonymous              bool
	orgID                  int64 // −1: a user naming an org they are not in (ORG-5)
	role                   Role  // in orgID; "" when not a member
	serverAdmin            bool
	cannotAddExistingUsers bool
	grantAddUsers          bool
}

type identityKey struct{}

// Brute-force protection of Basic auth (AUTH-7): Grafana's defaults.
const (
	maxFailedLogins   = 5
	failedLoginWindow = 5 * time.Minute
)

// authenticate finds the caller and the organisation of the request, or answers 401.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (identity, bool) {
	requested := requestedOrg(r)
	authz := r.Header.Get("Authorization")
	switch {
	case authz == "":
		s.mu.Lock()
		anonymous := s.anonymous
		s.mu.Unlock()
		if anonymous { // the anonymous viewer of the main org: refused by the permission check
			return identity{anonymous: true, orgID: 1, role: gen.OrgRoleViewer}, true
		}
	case strings.HasPrefix(authz, "Bearer "): // case-sensitive, as Grafana matches it (AUTH-4)
		if tok := strings.TrimPrefix(authz, "Bearer "); tok != "" {
			return s.authenticateToken(w, tok, requested)
		}
	case len(authz) > 6 && strings.EqualFold(authz[:6], "Basic "):
		login, password, ok := r.BasicAuth()
		if !ok {
			break
		}
		if login == "api_key" { // AUTH-5
			return s.authenticateToken(w, password, requested)
		}
		return s.authenticateUser(w, login, password, requested)
	}
	writeAuthError(w, "auth.unauthorized", "Unauthorized")
	return identity{}, false
}

// authenticateToken is AUTH-1 to AUTH-4 and ORG-4.
func (s *Server) authenticateToken(w http.ResponseWriter, token string, requested int64) (identity, bool) {
	if !grafanaid.TokenDecodes(token) { // AUTH-1
		writeAuthError(w, "api-key.invalid", "Invalid API key")
		return identity{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[token]
	switch {
	case !ok:
		writeJSON(w, http.StatusUnauthorized, traced("Unauthorized"))
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
	return identity{token: t, orgID: t.OrgID, role: t.Role, grantAddUsers: t.GrantAddUsers}, true
}

// authenticateUser is AUTH-6, AUTH-7, ORG-3 and ORG-5.
func (s *Server) authenticateUser(w http.ResponseWriter, login, password string, requested int64) (identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(login)
	if s.lockedOutLocked(key) {
		writeAuthError(w, "password-auth.failed", "Invalid username or password")
		return identity{}, false
	}
	u := s.findUserLocked(login)
	if u == nil || u.Password == "" || u.Password != password {
		s.failedLogins[key] = append(s.failedLogins[key], s.now())
		writeAuthError(w, "password-auth.failed", "Invalid username or password")
		return identity{}, false
	}
	org := requested
	if org == 0 {
		org = currentOrg(u)
	}
	role, member := u.Orgs[org]
	if !member {
		org, role = orgMissing, ""
	}
	return identity{
		userID: u.ID, orgID: org, role: role, serverAdmin: u.ServerAdmin,
		cannotAddExistingUsers: u.CannotAddExistingUsers,
		grantAddUsers:          u.GrantAddUsers && member,
	}, true
}

// lockedOutLocked reports whether login has failed maxFailedLogins times within the last
// failedLoginWindow, forgetting older failures.
func (s *Server) lockedOutLocked(key string) bool {
	since := s.now().Add(-failedLoginWindow)
	recent := s.failedLogins[key][:0]
	for _, t := range s.failedLogins[key] {
		if t.After(since) {
			recent = append(recent, t)
		}
	}
	if len(recent) == 0 {
		delete(s.failedLogins, key)
		return false
	}
	s.failedLogins[key] = recent
	return len(recent) >= maxFailedLogins
}

// orgMissing is the organisation Grafana gives a signed-in user who names one they are not
// a member of (ORG-5): a server admin then works across every organisation.
const orgMissing = -1

// currentOrg is the org a user works in without a header (ORG-3).
func currentOrg(u *User) int64 {
	if u.CurrentOrg != 0 {
		return u.CurrentOrg
	}
	if len(u.Orgs) == 0 {
		return 0
	}
	return slices.Min(slices.Collect(maps.Keys(u.Orgs)))
}

// requestedOrg is targetOrgId when above 0 (ORG-1), else X-Grafana-Org-Id when an integer
// above 0 (ORG-2), else 0 (the identity's default).
func requestedOrg(r *http.Request) int64 {
	if r.URL.RawQuery != "" { // parse the query only when there is one
		if id, err := strconv.ParseInt(r.URL.Query().Get("targetOrgId"), 10, 64); err == nil && id > 0 {
			return id
		}
	}
	if id, err := strconv.ParseInt(r.Header.Get("X-Grafana-Org-Id"), 10, 64); err == nil {
		return max(id, 0) // 0 and below: the identity's default
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
