// Package conformance checks that a Grafana answers the organisation-invites API as
// docs/grafana-behaviour.md says: one case per row of that document, named after the row,
// run against the in-process fake (make test, under every version profile) or against any
// Grafana by URL (make conformance).
//
// Against a real Grafana it is safe: every address it invites is unique and under
// example.invalid; every invite it creates is revoked, failures included; it touches
// nothing it did not create. What it needs beyond the three endpoints (a user who is not a
// member, a second organisation, a throwaway user for the lockout case) it takes from
// Target.Accounts, or creates through Grafana's admin HTTP API and deletes afterwards; when
// neither is possible the case is skipped with its reason.
package conformance

import (
	"net/http"
	"time"
)

// Target is the Grafana to check.
type Target struct {
	// URL is Grafana's root URL, e.g. "http://localhost:3000/".
	URL string
	// AdminLogin and AdminPassword are a Grafana server admin's (Basic auth).
	AdminLogin, AdminPassword string
	// Token is an Admin service-account token of organisation 1; the cases that need one are
	// skipped without it.
	Token string
	// Version is the Grafana release ("11.2.0"); empty means the newest behaviour.
	Version string
	// Control changes what a real Grafana keeps in its configuration (SMTP, clock, …); the
	// in-process fake offers it, a URL does not. Cases that need it are skipped without it.
	Control Control
	// Accounts are prerequisites given; those missing are created through the admin API
	// when the server offers it.
	Accounts Accounts
	// HTTPClient sends the requests (default: a client with a 30 s timeout).
	HTTPClient *http.Client
}

// Control is what a suite may change on a server it controls.
type Control interface {
	SetSMTP(configured bool)
	SetLoginFormDisabled(disabled bool)
	SetUserQuota(n int)
	SetAnonymousAccess(enabled bool)
	// Advance moves the server's clock.
	Advance(d time.Duration)
	// InjectStatus answers the next call of the operation (an operationId) with status,
	// before anything else is checked.
	InjectStatus(operationID string, status int)
	// AddUser adds a user who belongs to no organisation.
	AddUser(login, email, password string)
	// RenameUser changes a user's display name.
	RenameUser(login, name string)
}

// Account is a user's login and password.
type Account struct {
	Login, Password string
}

// Accounts are the prerequisites of the cases beyond the server admin.
type Accounts struct {
	// Member is a Viewer of organisation 1 (its current organisation) and an Admin of
	// SecondOrg.
	Member *Account
	// SecondOrg is an organisation the server admin does not belong to; 0 if none.
	SecondOrg int64
	// Inviter is a second server admin, an Admin of SecondOrg, who invites there (in every
	// version: 9.x lets only server admins invite new people) and may be renamed (LIST-4).
	Inviter *Account
	// Outsider is a user who is not a member of organisation 1.
	Outsider *Account
	// Throwaway is a user whose login the lockout case (AUTH-7) may lock.
	Throwaway *Account
	// ExpiredToken and RevokedToken are service-account tokens of organisation 1.
	ExpiredToken, RevokedToken string
	// Granted is an Editor of organisation 1 granted org.users:add by a custom role
	// (Grafana Enterprise RBAC), for ADD-4.
	Granted *Account
	// Restricted is an Admin of organisation 1 whose custom role may not add existing users,
	// for ADD-5.
	Restricted *Account
}
