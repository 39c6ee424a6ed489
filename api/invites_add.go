package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// opAddOrgInvite is gen's AddOrgInvite. It is not idempotent: Grafana saves a new invite
// every time.
var opAddOrgInvite = operation{id: "addOrgInvite"}

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

// InviteResult is the answer of a successful Invite.
type InviteResult struct {
	// Outcome is OutcomeInvited (a new invite was saved) or OutcomeUserAdded (LoginOrEmail
	// matched an existing Grafana user, who was added to the organisation directly; no
	// invite exists).
	Outcome Outcome
	// EmailSent reports that Grafana sent the invitation email, or told the existing user
	// added (with SendEmail). Without it, hand the invite's URL over yourself (see
	// FindPending).
	EmailSent bool
	// UserID is the id of the existing user added (OutcomeUserAdded only).
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
// An existing user whose notification email fails (SendEmail on a Grafana without SMTP)
// was added all the same: Grafana's 500 "Failed to send email invited_to_org", which comes
// after the user was added, is OutcomeUserAdded without EmailSent (and UserID unknown, 0),
// not an error.
//
// Errors to expect: ErrAlreadyMember and ErrSMTPNotConfigured (412; with the latter the
// invite WAS saved), ErrForbidden (a role above the caller's, ErrQuotaReached),
// ErrLoginDisabled, and ErrInvalidInput before any I/O.
func (c *Client) Invite(ctx context.Context, req InviteRequest) (*InviteResult, error) {
	form, err := inviteForm(req)
	if err != nil {
		return nil, err
	}
	params := &gen.AddOrgInviteParams{XGrafanaOrgId: c.orgParam}
	send := func(ctx context.Context, editors []gen.RequestEditorFn) (*http.Response, error) {
		return c.gen.AddOrgInvite(ctx, params, form, editors...)
	}
	var out inviteAnswer
	if err := c.do(ctx, call{op: opAddOrgInvite, send: send}, &out); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusInternalServerError && ae.Message == msgNotifyFailed {
			return &InviteResult{Outcome: OutcomeUserAdded, Message: ae.Message}, nil
		}
		return nil, err
	}
	res := &InviteResult{Outcome: OutcomeInvited, Message: out.Message}
	switch {
	case out.UserID != nil:
		res.Outcome, res.UserID, res.EmailSent = OutcomeUserAdded, *out.UserID, req.SendEmail
	case strings.HasPrefix(out.Message, "Sent invite"):
		res.EmailSent = true
	}
	return res, nil
}

// msgNotifyFailed is Grafana's message when the email to an existing user it just added
// fails.
const msgNotifyFailed = "Failed to send email invited_to_org"

// inviteForm checks req and returns the body Invite sends.
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
