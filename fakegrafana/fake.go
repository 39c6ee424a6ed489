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
	"net/http"
	"sync"
	"time"

	"github.com/grafana-invites/grafana-invites/gen"
)

// DefaultAdminToken is the service-account token of the default seed: org 1, role Admin.
const DefaultAdminToken = "glsa_fakegrafanaAdminToken0000000000_00000000" //nolint:gosec // the fake's documented test token, not a credential

// DefaultRootURL is Grafana's root_url unless WithRootURL sets another.
const DefaultRootURL = "http://localhost:3000/"

// Role is an organisation role.
type Role = gen.OrgRole

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

// Server is the fake Grafana. It is safe for concurrent use.
type Server struct {
	mu            sync.Mutex
	orgs          map[int64]*Org
	users         []*User
	tokens        map[string]*Token
	invites       []*gen.TempUserDTO // in creation order
	lists         map[int64][]byte   // each org's encoded pending list; dropped on every change
	outbox        []Email
	faultQueue    map[Operation][]Fault
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

// New returns a fake Grafana with the default seed plus what opts add.
func New(opts ...Option) *Server {
	s := &Server{
		orgs:       map[int64]*Org{1: {ID: 1, Name: "Main Org."}},
		tokens:     map[string]*Token{},
		faultQueue: map[Operation][]Fault{},
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
