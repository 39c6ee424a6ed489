package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// opCompleteInvite is gen's CompleteInvite. It is not idempotent: a second completion is
// refused (412), so a retry after a lost answer would report a failure for a success.
var opCompleteInvite = operation{id: "completeInvite", public: true}

// Acceptance is what an invitee sends to accept an invite. Code and Password are secrets:
// fmt and slog show neither.
type Acceptance struct {
	// Code is the invitation code. Required.
	Code string
	// Email is the invitee's address. Required; for an invite made for an address, Grafana
	// (from 9.2.4) wants that address exactly, case included.
	Email string
	// Username is the new user's login; empty makes the login Email.
	Username string
	// Name is the new user's display name; optional.
	Name string
	// Password is the new user's password: 4 characters or more (Grafana's basic policy; a
	// Grafana with the strong password policy wants more and answers 500 otherwise).
	Password string
}

// minPasswordLen is Grafana's basic password policy.
const minPasswordLen = 4

// Format prints an Acceptance without its secrets, whatever the verb: the code shortened,
// the password hidden.
func (a Acceptance) Format(f fmt.State, verb rune) {
	s := "api.Acceptance{code: " + ShortCode(a.Code) + ", email: " + a.Email + ", username: " + a.Username +
		", name: " + a.Name + ", password: [REDACTED]}"
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}

// LogValue is what slog records of an Acceptance: no secret.
func (a Acceptance) LogValue() slog.Value {
	return slog.GroupValue(slog.String("code", ShortCode(a.Code)), slog.String("email", a.Email), slog.String("username", a.Username))
}

// AcceptInvite accepts an invite as its invitee (POST /api/user/invite/complete): Grafana
// creates the user, adds it to the invite's organisation with the invite's role, marks the
// invite Completed (it leaves the pending list) and signs the user in. It returns the new
// user's id (0 from Grafanas before 9.2.4, whose answer has none). The route takes no
// credentials: none are sent.
//
// It is never retried once the request may have reached Grafana: a second completion is
// refused. The code and the password never appear in an error or a log record.
//
// Errors to expect: ErrNotFound (no invite has the code), ErrPreconditionFailed (the invite
// is no longer pending, or a user has this email or username already), ErrBadRequest (the
// email is not an address, or not the invite's), ErrServer (Grafana refused the password),
// and ErrInvalidInput before any I/O.
func (c *Client) AcceptInvite(ctx context.Context, a Acceptance) (int64, error) {
	form, err := acceptForm(a)
	if err != nil {
		return 0, err
	}
	send := func(ctx context.Context, editors []gen.RequestEditorFn) (*http.Response, error) {
		return c.gen.CompleteInvite(ctx, form, editors...)
	}
	var out gen.CompleteInviteResponseBody
	if err := c.do(ctx, call{op: opCompleteInvite, bodySecrets: []string{a.Code, a.Password}, send: send}, &out); err != nil {
		return 0, err
	}
	return deref(out.ID), nil
}

// acceptForm checks a and returns the body AcceptInvite sends.
func acceptForm(a Acceptance) (gen.CompleteInviteForm, error) {
	if err := CheckCode(a.Code); err != nil {
		return gen.CompleteInviteForm{}, err
	}
	switch {
	case strings.TrimSpace(a.Email) == "":
		return gen.CompleteInviteForm{}, &ValidationError{Field: "email", Problem: "empty"}
	case strings.ContainsFunc(a.Email+a.Username+a.Name, isControl):
		return gen.CompleteInviteForm{}, &ValidationError{Field: "acceptance", Problem: "the email, username or name holds control characters"}
	case len(a.Password) < minPasswordLen:
		return gen.CompleteInviteForm{}, &ValidationError{Field: "password", Problem: "shorter than " + strconv.Itoa(minPasswordLen) + " characters"}
	}
	form := gen.CompleteInviteForm{InviteCode: a.Code, Email: a.Email, Password: a.Password, ConfirmPassword: &a.Password}
	if a.Username != "" {
		form.Username = &a.Username
	}
	if a.Name != "" {
		form.Name = &a.Name
	}
	return form, nil
}
