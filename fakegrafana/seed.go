package fakegrafana

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
