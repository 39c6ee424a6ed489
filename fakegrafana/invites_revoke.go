package fakegrafana

import (
	"context"

	"github.com/grafana-invites/grafana-invites/gen"
)

// RevokeInvite is PATCH /api/org/invites/{code}/revoke.
func (h strictServer) RevokeInvite(ctx context.Context, req gen.RevokeInviteRequestObject) (gen.RevokeInviteResponseObject, error) {
	s, caller := h.s, callerOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, inv := range s.invites {
		if inv.Code != req.InvitationCode {
			continue
		}
		if inv.OrgID != caller.orgID && !caller.serverAdmin {
			return gen.RevokeInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgRevokeDenied))}, nil
		}
		inv.Status = gen.TempUserStatusRevoked
		s.changedLocked()
		return gen.RevokeInvite200JSONResponse{Message: msgInviteRevoked}, nil
	}
	return gen.RevokeInvite404JSONResponse(errBody(msgInviteNotFound)), nil
}
