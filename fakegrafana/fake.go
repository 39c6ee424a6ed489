// Package fakegrafana is an in-memory Grafana that answers the organisation-invites API
// exactly as a real Grafana (11.x–13.x) does: the same routes (revoke is PATCH), the same
// order of checks, the same statuses and the same JSON bodies, errors included. It lets
// tests, demos and clients in other languages run without a Grafana.
//
// It implements the strict server interface generated in package gen from openapi.yaml, so
// it cannot disagree with the client about the wire format by accident.
//
// A Server is an http.Handler. In tests, Start serves one on 127.0.0.1 and stops it with
// the test:
//
//	fg := fakegrafana.Start(t)
//	c, _ := api.New(fg.URL, api.WithToken(fg.Token))
//
// The default seed is org 1 "Main Org.", the server-admin user admin/admin (Admin of org 1)
// and one Admin service-account token, DefaultAdminToken. SMTP is configured by default
// (emails land in the outbox, see Outbox); WithSMTP(false) makes it behave like a Grafana
// without SMTP.
package fakegrafana

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grafana-invites/grafana-invites/gen"
)

// DefaultAdminToken is the service-account token of the default seed: org 1, role Admin.
const DefaultAdminToken = "glsa_fakegrafanaAdminToken0000000000_00000000" //nolint:gosec // the fake's documented test token, not a credential

// DefaultRootURL is Grafana's root_url unless WithRootURL sets another.
const DefaultRootURL = "http://localhost:3000/"

// MaxBodyBytes is the request-body limit; a larger body answers 413 in JSON.
const MaxBodyBytes = 1 << 20

// Role is an organisation role.
type Role = gen.OrgRole

// Operation names an operation of the API, as its operationId, for fault injection and call
// counts.
type Operation string

// The operations.
const (
	OpAddOrgInvite         Operation = "addOrgInvite"
	OpGetPendingOrgInvites Operation = "getPendingOrgInvites"
	OpRevokeInvite         Operation = "revokeInvite"
)

// Org is an organisation.
type Org struct {
	ID   int64
	Name string
}

// User is a Grafana user.
type User struct {
	ID       int64 // 0: assigned
	Login    string
	Email    string
	Name     string
	Password string
	// ServerAdmin makes the user a Grafana server admin: org.users:add in every org.
	ServerAdmin bool
	// Orgs maps the organisations the user belongs to onto the role there. The lowest id is
	// the user's default organisation.
	Orgs map[int64]Role
	// CannotAddExistingUsers simulates a custom role that may invite people but not add
	// existing users (Grafana answers 403 when such a caller names an existing user).
	CannotAddExistingUsers bool
	// GrantAddUsers grants org.users:add whatever the role, as a custom RBAC role would;
	// such a caller still cannot assign a role above its own.
	GrantAddUsers bool
}

// Token is a service-account token.
type Token struct {
	Token   string
	Name    string // the service account's name; its login is "sa-" + Name
	OrgID   int64
	Role    Role
	Expired bool
	Revoked bool
	// GrantAddUsers grants org.users:add whatever the role (see User.GrantAddUsers).
	GrantAddUsers bool
}

// Email is a message in the outbox.
type Email struct {
	To       string
	Template string // "new_user_invite" for an invite, "invited_to_org" for an existing user
	OrgID    int64
	Code     string // the invitation code, for "new_user_invite"
	SentAt   time.Time
}

// Fault is injected into the next Times calls of an operation, before anything else is
// checked. With Status 0 the call is only delayed, then answered normally.
type Fault struct {
	Times      int
	Status     int           // answer this status, with body {"message": StatusText}
	RetryAfter string        // the Retry-After header of that answer, if any
	Delay      time.Duration // wait this long first (ends early if the client goes away)
	// AfterHandling lets the request be handled (an invite is saved, say) before its answer
	// is replaced by Status: a response lost on the way back, as when a proxy times out.
	AfterHandling bool
}

// Server is the fake Grafana. It is safe for concurrent use.
type Server struct {
	mu            sync.Mutex
	orgs          map[int64]*Org
	users         []*User
	tokens        map[string]*Token
	invites       []*gen.TempUserDTO // in creation order
	lists         map[int64][]byte   // each org's encoded pending list; dropped on every change
	outbox        []Email
	faults        map[Operation][]Fault
	calls         map[Operation]int
	nextUserID    int64
	nextInviteID  int64
	smtp          bool
	loginDisabled bool
	userQuota     int // 0: none
	lifetime      time.Duration
	now           func() time.Time
	rootURL       string
	rootURLSet    bool

	handler http.Handler
}

// Option configures a Server.
type Option func(*Server)

// WithOrg adds (or renames) an organisation.
func WithOrg(id int64, name string) Option {
	return func(s *Server) { s.orgs[id] = &Org{ID: id, Name: name} }
}

// WithUser adds a user.
func WithUser(u User) Option { return func(s *Server) { s.addUserLocked(u) } }

// WithToken adds a service-account token.
func WithToken(t Token) Option { return func(s *Server) { s.addTokenLocked(t) } }

// WithSMTP says whether SMTP is configured (default true). Without it, an invite with
// sendEmail answers 412 after saving the invite.
func WithSMTP(configured bool) Option { return func(s *Server) { s.smtp = configured } }

// WithLoginFormDisabled simulates [auth] disable_login_form: new people cannot be invited.
func WithLoginFormDisabled(disabled bool) Option {
	return func(s *Server) { s.loginDisabled = disabled }
}

// WithUserQuota caps the number of users (quotas enabled); inviting answers 403 once there
// are that many. 0 means no quota.
func WithUserQuota(n int) Option { return func(s *Server) { s.userQuota = n } }

// WithInviteLifetime sets [users] user_invite_max_lifetime_duration (default 24h): older
// invites become Expired and leave the pending list.
func WithInviteLifetime(d time.Duration) Option { return func(s *Server) { s.lifetime = d } }

// WithClock replaces the clock (default time.Now), e.g. to age invites in a test.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithRootURL sets Grafana's root_url, from which invite URLs are made (default
// DefaultRootURL). A trailing slash is added when missing.
func WithRootURL(u string) Option {
	return func(s *Server) {
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		s.rootURL, s.rootURLSet = u, true
	}
}

// New returns a fake Grafana with the default seed plus what opts add.
func New(opts ...Option) *Server {
	s := &Server{
		orgs:       map[int64]*Org{1: {ID: 1, Name: "Main Org."}},
		tokens:     map[string]*Token{},
		faults:     map[Operation][]Fault{},
		lists:      map[int64][]byte{},
		calls:      map[Operation]int{},
		nextUserID: 1,
		smtp:       true,
		lifetime:   24 * time.Hour,
		now:        time.Now,
		rootURL:    DefaultRootURL,
	}
	s.addUserLocked(User{Login: "admin", Email: "admin@localhost", Password: "admin", ServerAdmin: true, Orgs: map[int64]Role{1: gen.OrgRoleAdmin}})
	s.addTokenLocked(Token{Token: DefaultAdminToken, Name: "fake-admin", OrgID: 1, Role: gen.OrgRoleAdmin})
	for _, opt := range opts {
		opt(s)
	}
	s.handler = s.newHandler()
	return s
}

// ServeHTTP answers one request as Grafana would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// AddUser adds a user at run time and returns its id.
func (s *Server) AddUser(u User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(u)
}

// AddToken adds a service-account token at run time.
func (s *Server) AddToken(t Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTokenLocked(t)
}

// AddOrg adds an organisation at run time.
func (s *Server) AddOrg(id int64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgs[id] = &Org{ID: id, Name: name}
}

func (s *Server) addUserLocked(u User) int64 {
	if u.ID == 0 {
		u.ID = s.nextUserID
	}
	s.nextUserID = max(s.nextUserID, u.ID+1)
	u.Orgs = cloneRoles(u.Orgs) // never nil: adding the user to an org writes to it
	s.users = append(s.users, &u)
	return u.ID
}

func (s *Server) addTokenLocked(t Token) {
	s.tokens[t.Token] = &t
}

func cloneRoles(m map[int64]Role) map[int64]Role {
	out := make(map[int64]Role, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// SetSMTP switches SMTP on or off at run time.
func (s *Server) SetSMTP(configured bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.smtp = configured
}

// SetLoginFormDisabled switches the login form at run time.
func (s *Server) SetLoginFormDisabled(disabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loginDisabled = disabled
}

// SetUserQuota changes the user quota at run time (0: none).
func (s *Server) SetUserQuota(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userQuota = n
}

// Inject queues a fault for the next f.Times calls of op (after faults queued before).
func (s *Server) Inject(op Operation, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times > 0 {
		s.faults[op] = append(s.faults[op], f)
	}
}

// takeFault consumes one call of the first queued fault of op, if any.
func (s *Server) takeFault(op Operation) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	q := s.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0]
	if q[0].Times--; q[0].Times == 0 {
		s.faults[op] = q[1:]
	}
	return f, true
}

// Calls returns how many requests for op reached the fake (faulted ones included).
func (s *Server) Calls(op Operation) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Invites returns every invite ever created, in creation order, whatever its status
// (revoked and expired ones too). They are copies.
func (s *Server) Invites() []gen.TempUserDTO {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	out := make([]gen.TempUserDTO, len(s.invites))
	for i, inv := range s.invites {
		out[i] = *inv
	}
	return out
}

// Outbox returns the emails "sent", oldest first.
func (s *Server) Outbox() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.outbox)
}

// Members returns the users of an organisation with their role there, by login.
func (s *Server) Members(orgID int64) map[string]Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Role{}
	for _, u := range s.users {
		if r, ok := u.Orgs[orgID]; ok {
			out[u.Login] = r
		}
	}
	return out
}

// expireLocked flips pending invites older than the lifetime to Expired, as Grafana's
// periodic job does.
func (s *Server) expireLocked() {
	if s.lifetime <= 0 {
		return
	}
	cutoff := s.now().Add(-s.lifetime)
	for _, inv := range s.invites {
		if inv.Status == gen.TempUserStatusInvitePending && inv.CreatedOn.Before(cutoff) {
			inv.Status = gen.TempUserStatusExpired
			s.changedLocked()
		}
	}
}

// changedLocked drops the encoded lists after a change of the invites.
func (s *Server) changedLocked() { clear(s.lists) }

const codeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newCode returns a 30-character invitation code from [0-9A-Za-z], from crypto/rand
// without modulo bias.
func newCode() string {
	var b [30]byte
	var buf [64]byte
	i := 0
	for i < len(b) {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(fmt.Sprintf("fakegrafana: crypto/rand: %v", err)) // never happens on supported platforms
		}
		for _, x := range buf {
			if x >= 248 { // 248 = 4*62: reject to keep the distribution uniform
				continue
			}
			b[i] = codeAlphabet[int(x)%62]
			if i++; i == len(b) {
				break
			}
		}
	}
	return string(b[:])
}
