package fakegrafana

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/grafana-invites/grafana-invites/gen"
)

// strictServer implements gen.StrictServerInterface: the handlers, after authentication,
// access control and binding (see authorize).
type strictServer struct{ s *Server }

var _ gen.StrictServerInterface = strictServer{}

func callerOf(ctx context.Context) identity {
	id, _ := ctx.Value(identityKey{}).(identity)
	return id
}

func ptr[T any](v T) *T { return &v }

func errBody(msg string) gen.ErrorResponseBody { return gen.ErrorResponseBody{Message: ptr(msg)} }

var roleRank = map[Role]int{gen.OrgRoleNone: 0, gen.OrgRoleViewer: 1, gen.OrgRoleEditor: 2, gen.OrgRoleAdmin: 3}

// AddOrgInvite is POST /api/org/invites, with Grafana's checks in Grafana's order.
func (h strictServer) AddOrgInvite(ctx context.Context, req gen.AddOrgInviteRequestObject) (gen.AddOrgInviteResponseObject, error) {
	s, caller, form := h.s, callerOf(ctx), req.Body
	sendEmail := form.SendEmail != nil && *form.SendEmail
	if !caller.serverAdmin && roleRank[form.Role] > roleRank[caller.role] {
		return gen.AddOrgInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgRoleEscalation))}, nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	org := s.orgs[caller.orgID]
	orgName := ""
	if org != nil {
		orgName = org.Name
	}

	if u := s.findUserLocked(form.LoginOrEmail); u != nil {
		if caller.cannotAddExistingUsers {
			return gen.AddOrgInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgCannotAddExisting))}, nil
		}
		if _, member := u.Orgs[caller.orgID]; member {
			return gen.AddOrgInvite412JSONResponse(errBody("User " + form.LoginOrEmail + " is already added to organization")), nil
		}
		u.Orgs[caller.orgID] = form.Role
		if sendEmail {
			if !s.smtp {
				return gen.AddOrgInvite500JSONResponse{InternalServerErrorJSONResponse: gen.InternalServerErrorJSONResponse(errBody(msgEmailFailed))}, nil
			}
			s.outbox = append(s.outbox, Email{To: u.Email, Template: "invited_to_org", OrgID: caller.orgID, SentAt: now})
		}
		return gen.AddOrgInvite200JSONResponse{
			Message: "Existing Grafana user " + cmp.Or(u.Name, u.Login, u.Email) + " added to org " + orgName,
			UserID:  ptr(u.ID),
		}, nil
	}

	if s.loginDisabled {
		return gen.AddOrgInvite400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(errBody(msgLoginDisabled))}, nil
	}
	s.nextInviteID++
	created := now.Truncate(1e9)
	inv := &gen.TempUserDTO{
		ID:             s.nextInviteID,
		OrgID:          caller.orgID,
		Name:           deref(form.Name),
		Email:          form.LoginOrEmail,
		Role:           form.Role,
		InvitedByLogin: caller.login,
		InvitedByEmail: caller.email,
		InvitedByName:  caller.name,
		Code:           newCode(),
		Status:         gen.TempUserStatusInvitePending,
		EmailSent:      false,
		EmailSentOn:    created,
		CreatedOn:      created,
	}
	inv.URL = s.rootURL + "invite/" + inv.Code
	s.invites = append(s.invites, inv)
	s.changedLocked()

	if sendEmail && isEmail(form.LoginOrEmail) {
		if !s.smtp {
			// The invite stays saved and pending, with emailSent false.
			return gen.AddOrgInvite412JSONResponse(errBody(msgSMTPNotConfigured)), nil
		}
		inv.EmailSent = true
		s.outbox = append(s.outbox, Email{To: form.LoginOrEmail, Template: "new_user_invite", OrgID: caller.orgID, Code: inv.Code, SentAt: now})
		return gen.AddOrgInvite200JSONResponse{Message: "Sent invite to " + form.LoginOrEmail}, nil
	}
	return gen.AddOrgInvite200JSONResponse{Message: "Created invite for " + form.LoginOrEmail}, nil
}

// GetPendingOrgInvites is GET /api/org/invites: pending invites of the current org,
// newest first.
func (h strictServer) GetPendingOrgInvites(ctx context.Context, _ gen.GetPendingOrgInvitesRequestObject) (gen.GetPendingOrgInvitesResponseObject, error) {
	s, caller := h.s, callerOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	if body, ok := s.lists[caller.orgID]; ok {
		return encodedList(body), nil
	}
	out := make(gen.GetPendingOrgInvites200JSONResponse, 0)
	for i := len(s.invites) - 1; i >= 0; i-- {
		if inv := s.invites[i]; inv.OrgID == caller.orgID && inv.Status == gen.TempUserStatusInvitePending {
			out = append(out, *inv)
		}
	}
	newestFirst := func(a, b gen.TempUserDTO) int { return b.CreatedOn.Compare(a.CreatedOn) }
	if !slices.IsSortedFunc(out, newestFirst) { // only an injected clock going back unsorts them
		slices.SortStableFunc(out, newestFirst)
	}
	body, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	body = append(body, '\n') // as gen's json.Encoder writes it
	s.lists[caller.orgID] = body
	return encodedList(body), nil
}

// encodedList is a pending list already encoded as gen.GetPendingOrgInvites200JSONResponse
// would write it: the list is encoded once per change, not once per request.
type encodedList []byte

func (b encodedList) VisitGetPendingOrgInvitesResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}

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

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
