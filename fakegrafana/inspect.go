package fakegrafana

import (
	"slices"

	"github.com/grafana-invites/grafana-invites/gen"
)

// Invites returns every invite ever created, in creation order, whatever its status
// (revoked and expired ones too). They are copies.
func (s *Server) Invites() []gen.TempUserDTO {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
	out := make([]gen.TempUserDTO, len(s.invites))
	for i, inv := range s.invites {
		out[i] = s.readLocked(inv)
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
