package fakegrafana

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/grafana-invites/grafana-invites/gen"
)

// Grafana's messages, as its handlers and middlewares write them.
const (
	msgBadRequest        = "bad request data"
	msgNotFound          = "Not found"
	msgInviteNotFound    = "Invite not found"
	msgRoleEscalation    = "Cannot assign a role higher than user's role"
	msgCannotAddExisting = "Permission denied: not permitted to add an existing user to this organisation"
	msgLoginDisabled     = "Cannot invite external user when login is disabled."
	msgSMTPNotConfigured = "SMTP not configured, check your grafana.ini config file's [smtp] section"
	msgQuotaReached      = "user Quota reached"
	msgRevokeDenied      = "Permission denied: not permitted to revoke invite"
	msgInviteRevoked     = "Invite revoked"
	msgEmailFailed       = "Failed to send email invited_to_org"
	msgAccessDenied      = "You'll need additional permissions to perform this action. Permissions needed: org.users:add"
	msgBodyTooLarge      = "request body too large"
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

// newHandler assembles the HTTP side: faults, the body limit, the generated routes wrapped
// in Grafana's authentication and access control, and JSON answers for everything else.
func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(strictServer{s}, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeBindError(w, err)
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
			writeMessage(w, http.StatusInternalServerError, "Internal server error")
		},
	})
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseURL:     "/api",
		BaseRouter:  mux,
		Middlewares: []gen.MiddlewareFunc{s.authorize},
		ErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
			writeMessage(w, http.StatusBadRequest, msgBadRequest)
		},
	})
	// Grafana's router has no 405: another method, or an unknown path, is 404.
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeMessage(w, http.StatusNotFound, msgNotFound)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/") { // "*" and the like, which ServeMux answers without a body
			writeMessage(w, http.StatusBadRequest, msgBadRequest)
			return
		}
		var fault *Fault
		if op, ok := operationOf(r); ok {
			if f, ok := s.takeFault(op); ok {
				if !f.AfterHandling && !s.applyFault(w, r, f) {
					return
				}
				fault = &f
			}
		}
		if r.Method == http.MethodPost { // the only route that reads a body
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		// Grafana ignores an org id it cannot parse; the generated router would answer 400.
		sanitizeOrgHeader(r.Header)
		if fault != nil && fault.AfterHandling {
			mux.ServeHTTP(httptest.NewRecorder(), r) // handled, answer lost
			s.applyFault(w, r, *fault)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// operationOf tells which operation a request addresses, for faults and call counts.
func operationOf(r *http.Request) (Operation, bool) {
	p := r.URL.Path
	switch {
	case p == "/api/org/invites" && r.Method == http.MethodGet:
		return OpGetPendingOrgInvites, true
	case p == "/api/org/invites" && r.Method == http.MethodPost:
		return OpAddOrgInvite, true
	case r.Method == http.MethodPatch && strings.HasPrefix(p, "/api/org/invites/") && strings.HasSuffix(p, "/revoke"):
		return OpRevokeInvite, true
	}
	return "", false
}

// applyFault delays the request and/or answers it with the fault's status. It reports
// whether the request should go on to be answered normally.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	if f.Status == 0 {
		return true
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeMessage(w, f.Status, http.StatusText(f.Status))
	return false
}

// sanitizeOrgHeader keeps the first X-Grafana-Org-Id if it is a number, as Grafana reads
// it, and drops it otherwise.
func sanitizeOrgHeader(h http.Header) {
	const key = "X-Grafana-Org-Id"
	v := h.Values(key)
	if len(v) == 0 {
		return
	}
	id := strings.TrimSpace(v[0])
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		h.Del(key)
		return
	}
	if len(v) > 1 || id != v[0] {
		h.Set(key, id)
	}
}

// authorize is Grafana's middleware chain for the three routes: authentication, org
// selection, the permission org.users:add, then (POST) the user quota and body binding.
func (s *Server) authorize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		if !id.serverAdmin && id.role != gen.OrgRoleAdmin && !id.grantAddUsers {
			writeJSON(w, http.StatusForbidden, accessDeniedBody{
				AccessErrorID: accessErrorID(),
				Message:       msgAccessDenied,
				Title:         "Access denied",
			})
			return
		}
		if r.Method == http.MethodPost {
			if s.quotaReached() {
				writeMessage(w, http.StatusForbidden, msgQuotaReached)
				return
			}
			if err := bindInviteForm(r); err != nil {
				writeBindError(w, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
	})
}

type authErrorBody struct {
	Extra      any    `json:"extra"`
	Message    string `json:"message"`
	MessageID  string `json:"messageId"`
	StatusCode int    `json:"statusCode"`
	TraceID    string `json:"traceID"`
}

type accessDeniedBody struct {
	AccessErrorID string `json:"accessErrorId"`
	Message       string `json:"message"`
	Title         string `json:"title"`
}

func writeAuthError(w http.ResponseWriter, messageID, message string) {
	writeJSON(w, http.StatusUnauthorized, authErrorBody{Message: message, MessageID: messageID, StatusCode: http.StatusUnauthorized})
}

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

// errBind is a body Grafana's binding refuses.
var errBind = errors.New(msgBadRequest)

// bindInviteForm validates the POST body as Grafana's binding does, and replaces it with
// the canonical form the generated handler decodes. Grafana's binding tells an absent or
// null role (refused) from "" (Viewer), which the generated type cannot.
func bindInviteForm(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errBind
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return err // *http.MaxBytesError, or the client went away
	}
	var in struct {
		LoginOrEmail string  `json:"loginOrEmail"`
		Name         string  `json:"name"`
		Role         *string `json:"role"`
		SendEmail    bool    `json:"sendEmail"`
	}
	if err := json.Unmarshal(raw, &in); err != nil || in.LoginOrEmail == "" || in.Role == nil {
		return errBind
	}
	role, ok := parseRole(*in.Role)
	if !ok {
		return errBind
	}
	form := gen.AddInviteForm{LoginOrEmail: in.LoginOrEmail, Role: role, SendEmail: &in.SendEmail}
	if in.Name != "" {
		form.Name = &in.Name
	}
	canonical, err := json.Marshal(form)
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(canonical))
	r.ContentLength = int64(len(canonical))
	return nil
}

// parseRole is Grafana's: the first letter upper-cased, "" is Viewer.
func parseRole(s string) (Role, bool) {
	if s == "" {
		return gen.OrgRoleViewer, true
	}
	r, size := utf8.DecodeRuneInString(s)
	role := Role(string(unicode.ToUpper(r)) + s[size:])
	return role, role.Valid()
}

func writeBindError(w http.ResponseWriter, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeMessage(w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
		return
	}
	writeMessage(w, http.StatusBadRequest, msgBadRequest)
}

type messageBody struct {
	Message string `json:"message"`
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, messageBody{Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func accessErrorID() string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("ACE%010d", (uint64(b[0])<<32|uint64(b[1])<<24|uint64(b[2])<<16|uint64(b[3])<<8|uint64(b[4]))%10_000_000_000)
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}
