package fakegrafana

import (
	"fmt"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/internal/grafanaversion"
)

// Option configures a Server in New (or MustNew); a refused option is an error there.
type Option func(*Server) error

// WithOrg adds (or renames) an organisation.
func WithOrg(id int64, name string) Option {
	return func(s *Server) error {
		s.orgs[id] = &Org{ID: id, Name: name}
		return nil
	}
}

// WithUser adds a user.
func WithUser(u User) Option {
	return func(s *Server) error {
		s.addUserLocked(u)
		return nil
	}
}

// WithToken adds a service-account token; an empty Token.Token gets a generated one.
func WithToken(t Token) Option {
	return func(s *Server) error {
		s.addTokenLocked(t)
		return nil
	}
}

// WithSMTP says whether SMTP is configured (default true). Without it, an invite with
// sendEmail answers 412 after saving the invite.
func WithSMTP(configured bool) Option {
	return func(s *Server) error {
		s.smtp = configured
		return nil
	}
}

// WithLoginFormDisabled simulates [auth] disable_login_form: new people cannot be invited.
func WithLoginFormDisabled(disabled bool) Option {
	return func(s *Server) error {
		s.loginDisabled = disabled
		return nil
	}
}

// WithAnonymousAccess simulates [auth.anonymous] enabled: a request without credentials is
// the anonymous viewer, refused with 403 rather than 401 (behaviour AUTH-8).
func WithAnonymousAccess(enabled bool) Option {
	return func(s *Server) error {
		s.anonymous = enabled
		return nil
	}
}

// WithUserQuota caps the number of users (quotas enabled); inviting answers 403 once there
// are that many. 0 means no quota.
func WithUserQuota(n int) Option {
	return func(s *Server) error {
		s.userQuota = n
		return nil
	}
}

// WithInviteLifetime sets [users] user_invite_max_lifetime_duration (default
// DefaultInviteLifetime). Invites older than that are expired by the next sweep (see
// WithSweepInterval). Like Grafana at startup, it refuses less than MinInviteLifetime.
func WithInviteLifetime(d time.Duration) Option {
	return func(s *Server) error {
		if d < MinInviteLifetime {
			return fmt.Errorf("WithInviteLifetime(%v): Grafana refuses a user_invite_max_lifetime_duration under %v at startup", d, MinInviteLifetime)
		}
		s.lifetime = d
		return nil
	}
}

// WithSweepInterval sets how often the expiry job runs on the fake's clock (default
// DefaultSweepInterval, Grafana's): an invite stays listed until the first run after its
// lifetime ends.
func WithSweepInterval(d time.Duration) Option {
	return func(s *Server) error {
		if d <= 0 {
			return fmt.Errorf("WithSweepInterval(%v): want a positive interval", d)
		}
		s.sweepEvery = d
		return nil
	}
}

// WithLatency delays every request to an API operation by d before it is looked at, as a distant Grafana
// would (a client that goes away meanwhile gets no answer). Faults' own delays add to it.
func WithLatency(d time.Duration) Option {
	return func(s *Server) error {
		if d < 0 {
			return fmt.Errorf("WithLatency(%v): want zero or more", d)
		}
		s.latency = d
		return nil
	}
}

// WithClock replaces the clock (default time.Now), e.g. to age invites in a test. The
// expiry job's runs are counted from the clock's time when the server is made.
func WithClock(now func() time.Time) Option {
	return func(s *Server) error {
		if now == nil {
			return fmt.Errorf("WithClock: nil clock")
		}
		s.now = now
		return nil
	}
}

// WithRootURL sets Grafana's root_url, from which invite URLs are made (default
// DefaultRootURL). A trailing slash is added when missing.
func WithRootURL(u string) Option {
	return func(s *Server) error {
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		s.rootURL = u
		return nil
	}
}

// WithGrafanaVersion makes the fake behave as a Grafana release ("11.2.0"; default
// DefaultGrafanaVersion): the revoke of releases before the fix of October 2024 and 9.x's
// rules for inviting (docs/grafana-behaviour.md, VER-1 and VER-2). Releases before 9.0.0
// are refused.
func WithGrafanaVersion(v string) Option {
	return func(s *Server) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("WithGrafanaVersion: empty; want major.minor.patch, e.g. 11.2.0")
		}
		parsed, err := grafanaversion.Parse(v)
		if err != nil {
			return fmt.Errorf("WithGrafanaVersion: %w", err)
		}
		s.version = parsed
		return nil
	}
}
