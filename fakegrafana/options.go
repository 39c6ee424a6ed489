package fakegrafana

import (
	"strings"
	"time"
)

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
