package fakegrafana

import (
	"cmp"
	"context"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/grafana-invites/grafana-invites/gen"
	"github.com/grafana-invites/grafana-invites/internal/emailaddr"
)

// addOrgInviteRules: Grafana checks the user quota, then binds the body.
var addOrgInviteRules = opRules{quota: true, bind: bindAddOrgInvite}

// bindAddOrgInvite binds the body of POST /api/org/invites as Grafana does.
func bindAddOrgInvite(r *http.Request, request any) (any, error) {
	req, _ := request.(gen.AddOrgInviteRequestObject)
	form, err := bindInviteForm(r)
	if err != nil {
		return nil, err
	}
	req.Body = &form
	return req, nil
}

// AddOrgInvite is POST /api/org/invites, with Grafana's checks in Grafana's order
// (docs/grafana-behaviour.md, ADD-4 to ADD-14).
func (h strictServer) AddOrgInvite(ctx context.Context, req gen.AddOrgInviteRequestObject) (gen.AddOrgInviteResponseObject, error) {
	s, caller, form := h.s, callerOf(ctx), req.Body
	sendEmail := form.SendEmail != nil && *form.SendEmail
	if !caller.serverAdmin && roleRank[form.Role] > roleRank[caller.role] {
		return gen.AddOrgInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgRoleEscalation))}, nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	orgName := ""
	if org := s.orgs[caller.orgID]; org != nil {
		orgName = org.Name
	}

	if u := s.findUserLocked(form.LoginOrEmail); u != nil {
		if caller.cannotAddExistingUsers {
			return gen.AddOrgInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgCannotAddExisting))}, nil
		}
		if _, member := u.Orgs[caller.orgID]; member {
			return gen.AddOrgInvite412JSONResponse(traced("User " + form.LoginOrEmail + " is already added to organization")), nil
		}
		u.Orgs[caller.orgID] = form.Role
		s.changedLocked()
		if sendEmail && emailaddr.Valid(u.Email) { // ADD-8: no mail, and no error, for an address Grafana refuses
			if !s.smtp {
				return gen.AddOrgInvite500JSONResponse{InternalServerErrorJSONResponse: gen.InternalServerErrorJSONResponse(traced(msgEmailFailed))}, nil
			}
			s.outbox = append(s.outbox, Email{To: u.Email, Template: "invited_to_org", OrgID: caller.orgID, SentAt: now})
		}
		return gen.AddOrgInvite200JSONResponse{
			Message: "Existing Grafana user " + cmp.Or(u.Name, u.Login, u.Email) + " added to org " + orgName,
			UserID:  ptr(u.ID),
		}, nil
	}

	if s.loginDisabled {
		return gen.AddOrgInvite400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(errBody(s.version.LoginDisabledMessage()))}, nil
	}
	if s.version.NewUserNeedsUsersCreate() && !caller.serverAdmin {
		return gen.AddOrgInvite403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse(errBody(msgCannotCreateUser))}, nil
	}
	s.nextInviteID++
	created := now.Truncate(time.Second) // Grafana stores Unix seconds (LIST-3)
	inv := &invite{
		dto: gen.TempUserDTO{
			ID:          s.nextInviteID,
			OrgID:       caller.orgID,
			Name:        deref(form.Name),
			Email:       form.LoginOrEmail,
			Role:        form.Role,
			Code:        newCode(),
			Status:      gen.TempUserStatusInvitePending,
			EmailSent:   false,
			EmailSentOn: created,
			CreatedOn:   created,
		},
		byUserID: caller.userID,
		byToken:  caller.token,
	}
	inv.dto.URL = s.rootURL + "invite/" + inv.dto.Code
	s.invites = append(s.invites, inv)
	s.changedLocked()

	if sendEmail && emailaddr.Valid(form.LoginOrEmail) {
		if !s.smtp {
			// The invite stays saved and pending, with emailSent false (ADD-10).
			return gen.AddOrgInvite412JSONResponse(traced(msgSMTPNotConfigured)), nil
		}
		inv.dto.EmailSent = true
		s.outbox = append(s.outbox, Email{To: form.LoginOrEmail, Template: "new_user_invite", OrgID: caller.orgID, Code: inv.dto.Code, SentAt: now})
		return gen.AddOrgInvite200JSONResponse{Message: "Sent invite to " + form.LoginOrEmail}, nil
	}
	return gen.AddOrgInvite200JSONResponse{Message: "Created invite for " + form.LoginOrEmail}, nil
}

// bindInviteForm decodes the POST body as Grafana's binding does: JSON only, the first
// JSON value only (trailing bytes are ignored), loginOrEmail required, role required but
// "" meaning Viewer, which the generated type cannot tell from an absent role.
func bindInviteForm(r *http.Request) (gen.AddInviteForm, error) {
	var in struct {
		LoginOrEmail string  `json:"loginOrEmail"`
		Name         string  `json:"name"`
		Role         *string `json:"role"`
		SendEmail    bool    `json:"sendEmail"`
	}
	if err := bindJSON(r, &in); err != nil {
		return gen.AddInviteForm{}, err
	}
	if in.LoginOrEmail == "" || in.Role == nil {
		return gen.AddInviteForm{}, errBind
	}
	role, ok := parseRole(*in.Role)
	if !ok {
		return gen.AddInviteForm{}, errBind
	}
	form := gen.AddInviteForm{LoginOrEmail: in.LoginOrEmail, Role: role, SendEmail: &in.SendEmail}
	if in.Name != "" {
		form.Name = &in.Name
	}
	return form, nil
}

// parseRole is Grafana's: the first letter upper-cased, "" is Viewer.
func parseRole(s string) (Role, bool) {
	if s == "" {
		return gen.OrgRoleViewer, true
	}
	r, size := utf8.DecodeRuneInString(s)
	role := Role(string(unicode.ToUpper(r)) + s[size:])
	return role, role.Valid()
}
