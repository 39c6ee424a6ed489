package fakegrafana

import (
	"context"

	"github.com/grafana-invites/grafana-invites/gen"
)

// RevokeInvite is PATCH /api/org/invites/{code}/revoke (REV-1 to REV-3). Releases before
// the fix of October 2024 (VER-1) look nothing up: every code answers 200, and another
// org's invite is revoked too.
func (h strictServer) RevokeInvite(ctx context.Context, req gen.RevokeInviteRequestObject) (gen.RevokeInviteResponseObject, error) {
	s, caller := h.s, callerOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	checks := s.version.RevokeChecks()
	for _, inv := range s.invites {
		if inv.dto.Code != req.InvitationCode {
			continue
		}
		if checks && inv.dto.OrgID != caller.orgID && !caller.serverAdmin {
			return gen.RevokeInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgRevokeDenied))}, nil
		}
		inv.dto.Status = gen.TempUserStatusRevoked
		s.changedLocked()
		return gen.RevokeInvite200JSONResponse{Message: msgInviteRevoked}, nil
	}
	if !checks {
		return gen.RevokeInvite200JSONResponse{Message: msgInviteRevoked}, nil
	}
	return gen.RevokeInvite404JSONResponse(errBody(msgInviteNotFound)), nil
}
