package fakegrafana

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// AddUser adds a user at run time and returns its id.
func (s *Server) AddUser(u User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(u)
}

// UpdateUser changes the user whose login is login (case-insensitively) at run time, as
// Grafana's admin would: rename, switch the current org, change the password. It reports
// whether the user exists. Invites read their inviter's fields when listed (LIST-4).
func (s *Server) UpdateUser(login string, edit func(u *User)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.userIndexLocked(login)
	if i < 0 {
		return false
	}
	u := s.users[i]
	id := u.ID
	edit(u)
	u.ID = id // the id is the user's identity
	if u.Orgs == nil {
		u.Orgs = map[int64]Role{}
	}
	s.changedLocked()
	return true
}

// DeleteUser deletes the user whose login is login (case-insensitively) at run time and
// reports whether it existed. The invites it made then list empty inviter fields.
func (s *Server) DeleteUser(login string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.userIndexLocked(login)
	if i < 0 {
		return false
	}
	s.users = append(s.users[:i], s.users[i+1:]...)
	s.changedLocked()
	return true
}

// userIndexLocked is the index of the user whose login is login (case-insensitively), or -1.
func (s *Server) userIndexLocked(login string) int {
	return slices.IndexFunc(s.users, func(u *User) bool { return strings.EqualFold(u.Login, login) })
}

// AddToken adds a service-account token at run time and returns it: Token.Token, or the
// token generated when that is empty.
func (s *Server) AddToken(t Token) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addTokenLocked(t)
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

func (s *Server) addTokenLocked(t Token) string {
	if t.Token == "" {
		t.Token = NewToken()
	}
	s.tokens[t.Token] = &t
	return t.Token
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

// SetAnonymousAccess switches anonymous access at run time (see WithAnonymousAccess).
func (s *Server) SetAnonymousAccess(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.anonymous = enabled
}

// SetUserQuota changes the user quota at run time (0: none).
func (s *Server) SetUserQuota(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userQuota = n
}

// seedFile is the JSON of WithSeed. Unknown keys are ignored, so that other tools (the
// conformance suite) can keep their settings in the same file.
type seedFile struct {
	Orgs   []Org   `json:"orgs"`
	Users  []User  `json:"users"`
	Tokens []Token `json:"tokens"`
}

// WithSeed adds the organisations, users and tokens of a JSON seed (for serve-fake --seed):
//
//	{"orgs":   [{"id": 2, "name": "Second"}],
//	 "users":  [{"login": "member", "email": "member@example.invalid", "password": "pw",
//	             "orgs": {"1": "Viewer", "2": "Admin"}, "currentOrg": 1, "serverAdmin": false}],
//	 "tokens": [{"token": "", "name": "ci", "orgId": 1, "role": "Admin", "expired": false}]}
//
// Keys are the field names of Org, User and Token, in any case. A token left empty is
// generated. A seed that does not parse, or names an org 0 or a user without login, is
// refused.
func WithSeed(data []byte) Option {
	return func(s *Server) error {
		var f seedFile
		if err := json.Unmarshal(data, &f); err != nil {
			return fmt.Errorf("WithSeed: %w", err)
		}
		for _, o := range f.Orgs {
			if o.ID < 1 {
				return fmt.Errorf("WithSeed: org %q has id %d; want 1 or more", o.Name, o.ID)
			}
			s.orgs[o.ID] = &Org{ID: o.ID, Name: o.Name}
		}
		for _, u := range f.Users {
			if u.Login == "" {
				return fmt.Errorf("WithSeed: a user has no login")
			}
			s.addUserLocked(u)
		}
		for _, t := range f.Tokens {
			s.addTokenLocked(t)
		}
		return nil
	}
}
