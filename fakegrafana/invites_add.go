package fakegrafana

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/grafana-invites/grafana-invites/gen"
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

// errBind is a body Grafana's binding refuses.
var errBind = errors.New(msgBadRequest)

// bindInviteForm decodes the POST body as Grafana's binding does: JSON only, the first
// JSON value only (trailing bytes are ignored), loginOrEmail required, role required but
// "" meaning Viewer, which the generated type cannot tell from an absent role.
func bindInviteForm(r *http.Request) (gen.AddInviteForm, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return gen.AddInviteForm{}, errBind
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return gen.AddInviteForm{}, err // *http.MaxBytesError, or the client went away
	}
	var in struct {
		LoginOrEmail string  `json:"loginOrEmail"`
		Name         string  `json:"name"`
		Role         *string `json:"role"`
		SendEmail    bool    `json:"sendEmail"`
	}
	if err := json.Unmarshal(raw, &in); err != nil || in.LoginOrEmail == "" || in.Role == nil {
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
