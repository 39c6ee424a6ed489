// Package fakegrafana is an in-memory Grafana that answers the organisation-invites API
// exactly as a real Grafana does: the same routes (revoke is PATCH), the same order of
// checks, the same statuses and the same JSON bodies, errors included. It lets tests, demos
// and clients in other languages run without a Grafana.
//
// Every behaviour it reproduces is a row of docs/grafana-behaviour.md in the repository
// (AUTH-1, LIST-2, …), and its tests are named after the rows. It behaves as
// DefaultGrafanaVersion unless WithGrafanaVersion names another release (9.0.0 and later):
// releases before the revoke fix of October 2024 and 9.x differ.
//
// It implements the strict server interface generated in package gen from openapi.yaml, so
// it cannot disagree with the client about the wire format by accident.
//
// A Server is an http.Handler. New returns one (MustNew panics instead of returning a
// refused option). In tests, package fakegrafanatest serves one on 127.0.0.1 and stops it
// with the test:
//
//	fg := fakegrafanatest.Start(t)
//	c, _ := api.New(fg.URL, api.WithToken(fg.Token))
//
// The default seed is org 1 "Main Org.", the server-admin user admin/admin (Admin of org 1)
// and one Admin service-account token, DefaultAdminToken. SMTP is configured by default
// (emails land in the outbox, see Outbox); WithSMTP(false) makes it behave like a Grafana
// without SMTP. Tokens have Grafana's format and checksum: seed them with an empty
// Token.Token (one is generated; AddToken returns it) or build them with TokenFromSecret.
// The clock (WithClock) drives invite expiry, which runs as Grafana's periodic sweep.
//
// Options (With…) set a fake up before it serves; use them. A setting has a run-time twin
// only where tests change it while the fake runs, as the conformance suite does between its
// cases: SetSMTP, SetLoginFormDisabled, SetAnonymousAccess and SetUserQuota, and AddUser and
// AddToken for identities a test creates midway. Organisations are options only (WithOrg).
package fakegrafana

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/grafana-invites/grafana-invites/gen"
	"github.com/grafana-invites/grafana-invites/internal/grafanaid"
	"github.com/grafana-invites/grafana-invites/internal/grafanaversion"
)

// DefaultAdminToken is the service-account token of the default seed: org 1, role Admin,
// account "fake-admin". It has Grafana's format and checksum (see TokenFromSecret).
const DefaultAdminToken = "glsa_fakegrafanaAdminToken00000000000_7bc37915" //nolint:gosec // the fake's documented test token, not a credential

// DefaultRootURL is Grafana's root_url unless WithRootURL sets another.
const DefaultRootURL = "http://localhost:3000/"

// DefaultInviteLifetime is Grafana's default user_invite_max_lifetime_duration.
const DefaultInviteLifetime = 24 * time.Hour

// MinInviteLifetime is the shortest lifetime Grafana starts with.
const MinInviteLifetime = 15 * time.Minute

// DefaultSweepInterval is how often Grafana's cleanup job expires invites.
const DefaultSweepInterval = 10 * time.Minute

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
	// Orgs maps the organisations the user belongs to onto the role there.
	Orgs map[int64]Role
	// CurrentOrg is the organisation the user works in when a request names none: in
	// Grafana, the one last switched to. 0 means the lowest id of Orgs.
	CurrentOrg int64
	// CannotAddExistingUsers simulates a custom role that may invite people but not add
	// existing users (Grafana answers 403 when such a caller names an existing user).
	CannotAddExistingUsers bool
	// GrantAddUsers grants org.users:add whatever the role, as a custom RBAC role would;
	// such a caller still cannot assign a role above its own.
	GrantAddUsers bool
}

// Token is a service-account token.
type Token struct {
	// Token is the token itself. Empty: a valid one is generated (NewToken) when it is
	// added. Any other value is kept as given, so that malformed tokens can be seeded to
	// test Grafana's 401 for them (behaviour AUTH-1).
	Token string
	// Name is the service account's name; its login and email are
	// "sa-<OrgID>-<name lower-cased, spaces as '-'>".
	Name    string
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

// invite is a saved invite and who made it; the inviter's fields are read when listing
// (behaviour LIST-4).
type invite struct {
	dto      gen.TempUserDTO // InvitedBy* filled in when read
	byUserID int64           // the inviting user, or 0
	byToken  *Token          // the inviting service account's token, or nil
}

// Server is the fake Grafana. It is safe for concurrent use.
type Server struct {
	mu            sync.Mutex
	version       grafanaversion.Version
	orgs          map[int64]*Org
	users         []*User
	tokens        map[string]*Token
	invites       []*invite        // in creation order
	lists         map[int64][]byte // each org's encoded pending list; dropped on every change
	outbox        []Email
	faultQueue    map[Operation][]Fault
	calls         map[Operation]int
	failedLogins  map[string][]time.Time // by lower-cased login, for the lockout (AUTH-7)
	nextUserID    int64
	nextInviteID  int64
	smtp          bool
	loginDisabled bool
	anonymous     bool
	userQuota     int // 0: none
	lifetime      time.Duration
	sweepEvery    time.Duration
	latency       time.Duration // added to every request (WithLatency)
	sweptUpTo     time.Time     // the time of the latest expiry sweep applied
	started       time.Time     // sweeps run at started + k·sweepEvery
	now           func() time.Time
	rootURL       string

	handler http.Handler
}

// MustNew is New for a fixed set of options, in a test or an example: it panics when an
// option is refused.
func MustNew(opts ...Option) *Server {
	s, err := New(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// New returns a fake Grafana with the default seed plus what opts add, or the error of an
// option it refuses, as Grafana refuses to start (an invite lifetime under 15 minutes, an
// unknown Grafana version).
func New(opts ...Option) (*Server, error) {
	s := &Server{
		orgs:         map[int64]*Org{1: {ID: 1, Name: "Main Org."}},
		tokens:       map[string]*Token{},
		faultQueue:   map[Operation][]Fault{},
		lists:        map[int64][]byte{},
		calls:        map[Operation]int{},
		failedLogins: map[string][]time.Time{},
		nextUserID:   1,
		smtp:         true,
		lifetime:     DefaultInviteLifetime,
		sweepEvery:   DefaultSweepInterval,
		now:          time.Now,
		rootURL:      DefaultRootURL,
	}
	v, err := grafanaversion.Parse(DefaultGrafanaVersion)
	if err != nil {
		return nil, err
	}
	s.version = v
	s.addUserLocked(User{Login: "admin", Email: "admin@localhost", Password: "admin", ServerAdmin: true, Orgs: map[int64]Role{1: gen.OrgRoleAdmin}})
	s.addTokenLocked(Token{Token: DefaultAdminToken, Name: "fake-admin", OrgID: 1, Role: gen.OrgRoleAdmin})
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("fakegrafana: nil Option")
		}
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("fakegrafana: %w", err)
		}
	}
	s.started = s.now()
	s.sweptUpTo = s.started
	s.handler = s.newHandler()
	return s, nil
}

// ServeHTTP answers one request as Grafana would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// GrafanaVersion is the release the fake behaves as, e.g. "13.0.0".
func (s *Server) GrafanaVersion() string { return s.version.String() }

// sweepLocked applies Grafana's expiry job (behaviour LIST-6): it runs every sweepEvery
// from the start, and marks pending invites created at or before (run time − lifetime) as
// Expired. Only the latest run that has come matters, so it is applied once, lazily.
func (s *Server) sweepLocked() {
	now := s.now()
	if now.Before(s.sweptUpTo.Add(s.sweepEvery)) {
		return
	}
	runs := now.Sub(s.started) / s.sweepEvery
	s.sweptUpTo = s.started.Add(runs * s.sweepEvery)
	cutoff := s.sweptUpTo.Add(-s.lifetime)
	for _, inv := range s.invites {
		if inv.dto.Status == gen.TempUserStatusInvitePending && !inv.dto.CreatedOn.After(cutoff) {
			inv.dto.Status = gen.TempUserStatusExpired
			s.changedLocked()
		}
	}
}

// changedLocked drops the encoded lists after a change of the invites or of their
// inviters.
func (s *Server) changedLocked() { clear(s.lists) }

// readLocked returns inv as Grafana lists it, the inviter's fields read now.
func (s *Server) readLocked(inv *invite) gen.TempUserDTO {
	dto := inv.dto
	switch {
	case inv.byToken != nil:
		login := grafanaid.ServiceAccountLogin(inv.byToken.OrgID, inv.byToken.Name) // ADD-13
		dto.InvitedByLogin, dto.InvitedByEmail, dto.InvitedByName = login, login, inv.byToken.Name
	case inv.byUserID != 0:
		if u := s.userByIDLocked(inv.byUserID); u != nil {
			dto.InvitedByLogin, dto.InvitedByEmail, dto.InvitedByName = u.Login, u.Email, u.Name
		}
	}
	return dto
}

func (s *Server) userByIDLocked(id int64) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}
