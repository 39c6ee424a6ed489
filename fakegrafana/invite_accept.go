package fakegrafana

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// The invitee's side (docs/grafana-behaviour.md, ACCEPT-1 to ACCEPT-7): two public routes,
// without credentials, on which the invitation code is the authority.

// completeInviteRules: a public route that binds its body as Grafana does.
var completeInviteRules = opRules{public: true, bind: bindCompleteInvite}

// bindCompleteInvite binds the body of POST /api/user/invite/complete: JSON only; every key
// may be missing (it is then "").
func bindCompleteInvite(r *http.Request, request any) (any, error) {
	req, _ := request.(gen.CompleteInviteRequestObject)
	var in gen.CompleteInviteForm
	if err := bindJSON(r, &in); err != nil {
		return nil, err
	}
	req.Body = &in
	return req, nil
}

// Acceptance is what an invitee sends to accept an invite, as POST
// /api/user/invite/complete carries it. Password is a secret.
type Acceptance struct {
	// Email must be the invite's address when the invite was made for one (from 9.2.4).
	Email string
	// Username is the new user's login; without one, the login is Email.
	Username string
	Name     string
	// Password must have 4 characters or more; empty makes a user who cannot sign in with
	// a password.
	Password string
}

// AcceptError is Grafana's refusal of an invite's acceptance: the status and message the
// endpoint answers.
type AcceptError struct {
	Status  int
	Message string
}

func (e *AcceptError) Error() string {
	return fmt.Sprintf("fakegrafana: accepting the invite: %d %s", e.Status, e.Message)
}

// AcceptInvite accepts the invite whose code is code as its invitee would, through the
// code path of POST /api/user/invite/complete: the user is created, added to the invite's
// organisation with its role, and the invite becomes Completed. It returns the new user's
// id, or an *AcceptError with the status and message Grafana would answer.
func (s *Server) AcceptInvite(code string, a Acceptance) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, refusal := s.completeLocked(code, a)
	if refusal != nil {
		return 0, &AcceptError{Status: refusal.status, Message: refusal.message}
	}
	return id, nil
}

// refusal is a non-2xx answer of the invitee's routes. traced: an internal error stood
// behind it, so Grafana's body carries traceID.
type refusal struct {
	status  int
	message string
	traced  bool
}

func (r *refusal) body() gen.ErrorResponseBody {
	if r.traced {
		return traced(r.message)
	}
	return errBody(r.message)
}

// inviteByCodeLocked finds an invite by its code, whatever its organisation and status,
// after applying the expiry job.
func (s *Server) inviteByCodeLocked(code string) *invite {
	s.sweepLocked()
	for _, inv := range s.invites {
		if inv.dto.Code == code {
			return inv
		}
	}
	return nil
}

// GetInviteInfoByCode is GET /api/user/invite/{code} (ACCEPT-1, VER-3, VER-4).
func (h strictServer) GetInviteInfoByCode(_ context.Context, req gen.GetInviteInfoByCodeRequestObject) (gen.GetInviteInfoByCodeResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.inviteByCodeLocked(req.InvitationCode)
	if inv == nil || (s.version.InviteChecks() && inv.dto.Status != gen.TempUserStatusInvitePending) {
		return gen.GetInviteInfoByCode404JSONResponse(errBody(msgInviteNotFound)), nil
	}
	dto := s.readLocked(inv)
	info := gen.InviteInfo{Email: dto.Email, Name: dto.Name, Username: dto.Email,
		InvitedBy: cmp.Or(dto.InvitedByName, dto.InvitedByLogin, dto.InvitedByEmail)}
	if s.version.InviteOrgName() {
		org := s.orgs[dto.OrgID]
		if org == nil {
			return gen.GetInviteInfoByCode404JSONResponse(errBody(msgOrgNotFound)), nil
		}
		info.OrgName = &org.Name
	}
	return gen.GetInviteInfoByCode200JSONResponse(info), nil
}

// CompleteInvite is POST /api/user/invite/complete (ACCEPT-2 to ACCEPT-6).
func (h strictServer) CompleteInvite(_ context.Context, req gen.CompleteInviteRequestObject) (gen.CompleteInviteResponseObject, error) {
	s, form := h.s, req.Body
	s.mu.Lock()
	defer s.mu.Unlock()
	id, r := s.completeLocked(form.InviteCode, Acceptance{Email: form.Email, Username: deref(form.Username), Name: deref(form.Name), Password: form.Password})
	switch {
	case r == nil:
		out := gen.CompleteInvite200JSONResponse{Message: msgUserCreated}
		if s.version.InviteChecks() {
			out.ID = &id
		}
		return out, nil
	case r.status == http.StatusBadRequest:
		return gen.CompleteInvite400JSONResponse(r.body()), nil
	case r.status == http.StatusNotFound:
		return gen.CompleteInvite404JSONResponse(r.body()), nil
	case r.status == http.StatusPreconditionFailed:
		return gen.CompleteInvite412JSONResponse(r.body()), nil
	}
	return gen.CompleteInvite500JSONResponse{InternalServerErrorJSONResponse: gen.InternalServerErrorJSONResponse(r.body())}, nil
}

// completeLocked is Grafana's completion, in Grafana's order: the address, the code, the
// status, the address against the invite's, then the user.
func (s *Server) completeLocked(code string, a Acceptance) (int64, *refusal) {
	email := a.Email
	if email != "" {
		addr, err := mail.ParseAddress(email)
		if err != nil {
			return 0, &refusal{status: http.StatusBadRequest, message: msgInvalidEmail}
		}
		email = addr.Address
	}
	username := strings.TrimSpace(a.Username)
	inv := s.inviteByCodeLocked(code)
	if inv == nil {
		return 0, &refusal{status: http.StatusNotFound, message: msgInviteNotFound}
	}
	if inv.dto.Status != gen.TempUserStatusInvitePending {
		return 0, &refusal{status: http.StatusPreconditionFailed, message: "Invite cannot be used in status " + string(inv.dto.Status)}
	}
	if invited, err := mail.ParseAddress(inv.dto.Email); err == nil && s.version.InviteChecks() && invited.Address != email {
		return 0, &refusal{status: http.StatusBadRequest, message: msgOtherEmail}
	}
	login := cmp.Or(username, email)
	if s.userTakenLocked(login, email) {
		return 0, &refusal{status: http.StatusPreconditionFailed, traced: true,
			message: fmt.Sprintf("User with email '%s' or username '%s' already exists", email, username)}
	}
	if n := len(a.Password); n > 0 && n < minPasswordLen {
		return 0, &refusal{status: http.StatusInternalServerError, message: msgCreateUserFailed, traced: true}
	}
	id := s.addUserLocked(User{Login: login, Email: cmp.Or(email, login), Name: a.Name, Password: a.Password,
		Orgs: map[int64]Role{inv.dto.OrgID: inv.dto.Role}, CurrentOrg: inv.dto.OrgID})
	inv.dto.Status = gen.TempUserStatusCompleted
	s.changedLocked()
	return id, nil
}

// minPasswordLen is Grafana's basic password policy.
const minPasswordLen = 4

// userTakenLocked reports whether a user has login or email as login or email, in any case.
func (s *Server) userTakenLocked(login, email string) bool {
	for _, u := range s.users {
		for _, mine := range []string{u.Login, u.Email} {
			if mine != "" && (strings.EqualFold(mine, login) || strings.EqualFold(mine, email)) {
				return true
			}
		}
	}
	return false
}
