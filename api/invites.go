package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// Role is an organisation role.
type Role = gen.OrgRole

// The organisation roles.
const (
	RoleNone   Role = gen.OrgRoleNone
	RoleViewer Role = gen.OrgRoleViewer
	RoleEditor Role = gen.OrgRoleEditor
	RoleAdmin  Role = gen.OrgRoleAdmin
)

// Invite is a pending (or other) invitation, as Grafana lists it. Its Code is a secret:
// anyone holding it, or its URL, can join the organisation.
type Invite = gen.TempUserDTO

// InviteStatus is the state of an invite.
type InviteStatus = gen.TempUserStatus

// The states of an invite. Only pending invites are listed.
const (
	StatusSignUpStarted InviteStatus = gen.TempUserStatusSignUpStarted
	StatusPending       InviteStatus = gen.TempUserStatusInvitePending
	StatusCompleted     InviteStatus = gen.TempUserStatusCompleted
	StatusRevoked       InviteStatus = gen.TempUserStatusRevoked
	StatusExpired       InviteStatus = gen.TempUserStatusExpired
)

// ParseRole returns the role named s, ignoring case and surrounding spaces ("viewer",
// " ADMIN "). Anything else is a *ValidationError.
func ParseRole(s string) (Role, error) {
	t := strings.TrimSpace(s)
	for _, r := range []Role{RoleNone, RoleViewer, RoleEditor, RoleAdmin} {
		if strings.EqualFold(t, string(r)) {
			return r, nil
		}
	}
	if t == "" {
		return "", &ValidationError{Field: "role", Problem: "empty; want one of None, Viewer, Editor, Admin"}
	}
	return "", &ValidationError{Field: "role", Problem: quoteShort(s) + " is not a role; want one of None, Viewer, Editor, Admin"}
}

// InviteRequest is what Invite sends.
type InviteRequest struct {
	// LoginOrEmail is an email address, or the login of an existing user. Required. Grafana
	// stores it exactly as sent; surrounding white space is refused.
	LoginOrEmail string
	// Name is optional free text shown in the invite.
	Name string
	// Role is required; any case is accepted ("viewer") and sent in Grafana's spelling.
	Role Role
	// SendEmail asks Grafana to send the invitation email. false is sent explicitly.
	SendEmail bool
}

// InviteOutcome says what a successful Invite did.
type InviteOutcome int

const (
	// InviteCreated means a new invite was saved and no email was sent (SendEmail false, or
	// LoginOrEmail is not an address). Hand its URL over yourself (see FindPending).
	InviteCreated InviteOutcome = iota + 1
	// InviteSent means a new invite was saved and Grafana sent the invitation email.
	InviteSent
	// ExistingUserAdded means LoginOrEmail matched an existing Grafana user, who was added to
	// the organisation directly. No invite exists; InviteResult.UserID is the user's id.
	ExistingUserAdded
)

// String names the outcome.
func (o InviteOutcome) String() string {
	switch o {
	case InviteCreated:
		return "invite created"
	case InviteSent:
		return "invite sent"
	case ExistingUserAdded:
		return "existing user added"
	}
	return "unknown outcome"
}

// InviteResult is the answer of a successful Invite.
type InviteResult struct {
	Outcome InviteOutcome
	// UserID is the id of the existing user added (ExistingUserAdded only).
	UserID int64
	// Message is Grafana's message, e.g. "Created invite for bob@example.com".
	Message string
}

// Invite invites req.LoginOrEmail to the client's organisation (POST /api/org/invites), or
// adds the existing Grafana user it names.
//
// Grafana does not de-duplicate invites, so Invite is never retried once the request may
// have reached the server, and calling it twice creates two invites: use EnsureInvited to
// invite idempotently. The answer carries no invitation code; FindPending finds it.
//
// Errors to expect: ErrAlreadyMember and ErrSMTPNotConfigured (412; with the latter the
// invite WAS saved), ErrForbidden (a role above the caller's, ErrQuotaReached),
// ErrLoginDisabled, and ErrInvalidInput before any I/O.
func (c *Client) Invite(ctx context.Context, req InviteRequest) (*InviteResult, error) {
	form, err := inviteForm(req)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(form)
	if err != nil {
		return nil, fmt.Errorf("grafana: encoding the invite: %w", err)
	}
	var out gen.AddInviteResponseBody
	err = c.do(ctx, request{op: "addOrgInvite", method: http.MethodPost, url: c.invites, body: body}, &out)
	if err != nil {
		return nil, err
	}
	res := &InviteResult{Outcome: InviteCreated, Message: out.Message}
	switch {
	case out.UserID != nil:
		res.Outcome, res.UserID = ExistingUserAdded, *out.UserID
	case strings.HasPrefix(out.Message, "Sent invite"):
		res.Outcome = InviteSent
	}
	return res, nil
}

func inviteForm(req InviteRequest) (gen.AddInviteForm, error) {
	login := req.LoginOrEmail
	switch {
	case strings.TrimSpace(login) == "":
		return gen.AddInviteForm{}, &ValidationError{Field: "loginOrEmail", Problem: "empty"}
	case strings.TrimSpace(login) != login:
		return gen.AddInviteForm{}, &ValidationError{Field: "loginOrEmail", Problem: quoteShort(login) + " has surrounding white space, which Grafana would store as part of it"}
	case strings.ContainsFunc(login, isControl):
		return gen.AddInviteForm{}, &ValidationError{Field: "loginOrEmail", Problem: quoteShort(login) + " holds control characters"}
	}
	role, err := ParseRole(string(req.Role))
	if err != nil {
		return gen.AddInviteForm{}, err
	}
	sendEmail := req.SendEmail
	form := gen.AddInviteForm{LoginOrEmail: login, Role: role, SendEmail: &sendEmail}
	if req.Name != "" {
		name := req.Name
		form.Name = &name
	}
	return form, nil
}

// ListPending returns the pending invites of the client's organisation, newest first
// (GET /api/org/invites). The list is never nil. It is retried on transient failures.
func (c *Client) ListPending(ctx context.Context) ([]Invite, error) {
	var out []Invite
	err := c.do(ctx, request{op: "getPendingOrgInvites", method: http.MethodGet, url: c.invites, idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Invite{}
	}
	return out, nil
}

// Revoke revokes the invite whose invitation code is code
// (PATCH /api/org/invites/{code}/revoke; Grafana's published spec wrongly says DELETE).
// Revoking an invite that is no longer pending succeeds too. It is retried on transient
// failures.
//
// Errors to expect: ErrNotFound (unknown code), ErrForbidden (an invite of another
// organisation), and ErrInvalidInput before any I/O when code is empty, "." or "..", or
// holds anything outside [0-9A-Za-z].
func (c *Client) Revoke(ctx context.Context, code string) error {
	if err := CheckCode(code); err != nil {
		return err
	}
	// CheckCode allows only [0-9A-Za-z]: the code needs no escaping in the path.
	return c.do(ctx, request{op: "revokeInvite", method: http.MethodPatch, url: c.invites + "/" + code + "/revoke", code: code, idempotent: true}, nil)
}

// invitesPath is the operations' path relative to the API base.
const invitesPath = "org/invites"

// maxCodeLen bounds an invitation code; Grafana's are 30 characters.
const maxCodeLen = 255

// CheckCode reports whether code can be an invitation code: 1 to 255 characters from
// [0-9A-Za-z] (Grafana makes 30). Anything else, "." and ".." included, could address
// another route, and is a *ValidationError that shows only the start of the code.
func CheckCode(code string) error {
	switch {
	case code == "":
		return &ValidationError{Field: "invitation code", Problem: "empty"}
	case code == "." || code == "..":
		return &ValidationError{Field: "invitation code", Problem: "\"" + code + "\" would address another route"}
	case len(code) > maxCodeLen:
		return &ValidationError{Field: "invitation code", Problem: "longer than 255 characters"}
	}
	for i := 0; i < len(code); i++ {
		if !isAlnum(code[i]) {
			return &ValidationError{Field: "invitation code", Problem: "character " + quoteByte(code[i]) +
				" at position " + strconv.Itoa(i+1) + " is outside [0-9A-Za-z]"}
		}
	}
	return nil
}

func isAlnum(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// codePrefix is how many characters of an invitation code logs and errors show.
const codePrefix = 4

// ShortCode returns the first characters of an invitation code followed by "…": enough to
// tell invites apart in logs and errors, too little to join the organisation.
func ShortCode(code string) string {
	n := min(codePrefix, len(code)/2)
	for i := 0; i < n; i++ {
		if !isAlnum(code[i]) {
			n = i
			break
		}
	}
	return code[:n] + "…"
}
