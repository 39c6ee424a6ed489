package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// NormalizeEmail is how addresses are compared: surrounding white space removed, lower case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// FindPending returns the pending invites of an address, newest first: the invites whose
// email matches it case-insensitively, ignoring surrounding spaces (Grafana stores the
// address exactly as it was sent).
func (c *Client) FindPending(ctx context.Context, email string) ([]Invite, error) {
	key, err := emailKey(email)
	if err != nil {
		return nil, err
	}
	all, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	return matching(all, key), nil
}

func matching(all []Invite, key string) []Invite {
	var out []Invite
	for _, inv := range all {
		if NormalizeEmail(inv.Email) == key {
			out = append(out, inv)
		}
	}
	return out
}

func emailKey(email string) (string, error) {
	key := NormalizeEmail(email)
	if key == "" {
		return "", &ValidationError{Field: "email", Problem: "empty"}
	}
	return key, nil
}

// splitByRole splits invites into those with role and the others, keeping their order.
func splitByRole(invites []Invite, role Role) (same, other []Invite) {
	for _, inv := range invites {
		if inv.Role == role {
			same = append(same, inv)
		} else {
			other = append(other, inv)
		}
	}
	return same, other
}

// RevokeByEmail revokes every pending invite of an address (matched as FindPending does)
// and returns those it revoked. When some revokes fail, it returns the ones that succeeded
// with the failures joined in the error.
func (c *Client) RevokeByEmail(ctx context.Context, email string) ([]Invite, error) {
	pending, err := c.FindPending(ctx, email)
	if err != nil {
		return nil, err
	}
	return c.revokeAll(ctx, pending)
}

func (c *Client) revokeAll(ctx context.Context, invites []Invite) ([]Invite, error) {
	var revoked []Invite
	var errs []error
	for _, inv := range invites {
		if err := c.Revoke(ctx, inv.Code); err != nil {
			errs = append(errs, err)
			continue
		}
		revoked = append(revoked, inv)
	}
	return revoked, errors.Join(errs...)
}

// EnsureStatus says what EnsureInvited found or did.
type EnsureStatus int

const (
	// EnsureCreated means no pending invite existed; one was created (EnsureResult.Invite).
	EnsureCreated EnsureStatus = iota + 1
	// EnsureExisting means a pending invite with the same role existed and is returned; nothing
	// was sent.
	EnsureExisting
	// EnsureAlreadyMember means the address belongs to a user already in the organisation (the
	// 412); nothing changed.
	EnsureAlreadyMember
	// EnsureUserAdded means the address belongs to an existing Grafana user, who was added to the
	// organisation directly (EnsureResult.UserID); no invite exists.
	EnsureUserAdded
	// EnsureRoleMismatch means pending invites exist with another role (EnsureResult.Pending);
	// nothing changed. Set EnsureRequest.ReplaceRoleMismatch to replace them.
	EnsureRoleMismatch
	// EnsureReplaced means pending invites with another role were revoked (EnsureResult.Pending)
	// and a new invite created (EnsureResult.Invite).
	EnsureReplaced
)

// String names the status.
func (s EnsureStatus) String() string {
	switch s {
	case EnsureCreated:
		return "invited"
	case EnsureExisting:
		return "already invited"
	case EnsureAlreadyMember:
		return "already a member"
	case EnsureUserAdded:
		return "existing user added"
	case EnsureRoleMismatch:
		return "pending with another role"
	case EnsureReplaced:
		return "replaced"
	}
	return "unknown"
}

// EnsureRequest is what EnsureInvited makes true.
type EnsureRequest struct {
	InviteRequest
	// ReplaceRoleMismatch revokes pending invites of the address that have another role,
	// then invites anew. Without it they are reported (EnsureRoleMismatch) and kept.
	ReplaceRoleMismatch bool
}

// EnsureResult is the outcome of EnsureInvited.
type EnsureResult struct {
	Status EnsureStatus
	// Invite is the pending invite, with its code and URL (EnsureCreated, EnsureExisting,
	// EnsureReplaced).
	Invite *Invite
	// Pending are the pending invites with another role: kept (EnsureRoleMismatch) or
	// revoked (EnsureReplaced).
	Pending []Invite
	// UserID is the existing user added (EnsureUserAdded).
	UserID int64
	// EmailNotSent reports that SendEmail was asked but Grafana has no SMTP: the invite
	// exists all the same; hand its URL over.
	EmailNotSent bool
}

// EnsureInvited makes sure an address is invited with a role, idempotently:
//
//   - a pending invite for the address with the same role: returned as it is, nothing sent;
//   - already a member (412): EnsureAlreadyMember, not an error;
//   - pending invites with another role: reported (EnsureRoleMismatch), or replaced when
//     req.ReplaceRoleMismatch is set;
//   - otherwise it invites, then returns the created invite with its code and URL, found by
//     listing (Grafana's answer has neither). When the POST's answer is lost (a network
//     error, a 502/503/504 from a proxy), the list tells whether Grafana saved the invite,
//     and a saved one is returned as created rather than invited twice.
//
// Concurrent calls for the same address through one Client (and its WithOrgID copies) are
// serialised, so they create one invite. Across processes Grafana offers no such guarantee.
func (c *Client) EnsureInvited(ctx context.Context, req EnsureRequest) (*EnsureResult, error) {
	form, err := inviteForm(req.InviteRequest)
	if err != nil {
		return nil, err
	}
	req.Role = form.Role
	key := NormalizeEmail(req.LoginOrEmail)
	unlock := c.locks.lock(key)
	defer unlock()

	pending, err := c.FindPending(ctx, key)
	if err != nil {
		return nil, err
	}
	same, other := splitByRole(pending, req.Role)
	if len(same) > 0 {
		return &EnsureResult{Status: EnsureExisting, Invite: &same[0]}, nil
	}
	status := EnsureCreated
	if len(other) > 0 {
		if !req.ReplaceRoleMismatch {
			return &EnsureResult{Status: EnsureRoleMismatch, Pending: other}, nil
		}
		revoked, err := c.revokeAll(ctx, other)
		if err != nil {
			return &EnsureResult{Status: EnsureRoleMismatch, Pending: other}, fmt.Errorf("replacing the invites of %s: %w", req.LoginOrEmail, err)
		}
		other, status = revoked, EnsureReplaced
	}
	res, err := c.createLocked(ctx, req.InviteRequest, pending)
	if res != nil && status == EnsureReplaced && res.Status == EnsureCreated {
		res.Status = EnsureReplaced
		res.Pending = other
	}
	return res, err
}

// createLocked POSTs an invite whose address is locked, and finds the invite it created.
// before are the address's pending invites before the POST.
func (c *Client) createLocked(ctx context.Context, req InviteRequest, before []Invite) (*EnsureResult, error) {
	out, err := c.Invite(ctx, req)
	emailNotSent := false
	switch {
	case errors.Is(err, ErrAlreadyMember):
		return &EnsureResult{Status: EnsureAlreadyMember}, nil
	case errors.Is(err, ErrSMTPNotConfigured):
		emailNotSent, err = true, nil // the invite was saved
	case err != nil && !outcomeUnknown(err):
		return nil, err
	case err == nil && out.Outcome == ExistingUserAdded:
		return &EnsureResult{Status: EnsureUserAdded, UserID: out.UserID}, nil
	}
	postErr := err
	inv, lerr := c.findCreated(ctx, req, before)
	switch {
	case inv != nil:
		return &EnsureResult{Status: EnsureCreated, Invite: inv, EmailNotSent: emailNotSent}, nil
	case postErr != nil:
		return nil, postErr // the list shows nothing was saved: the POST failed
	case lerr != nil:
		return nil, fmt.Errorf("grafana: invited %s, but listing the pending invites to find it failed: %w", req.LoginOrEmail, lerr)
	}
	return nil, fmt.Errorf("%w: invited %s, but the invite is not in the pending list", ErrInvalidResponse, req.LoginOrEmail)
}

// outcomeUnknown reports whether a failed POST may have been saved by Grafana all the same:
// the answer was lost, or came from a proxy rather than from Grafana's handler.
func outcomeUnknown(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case 502, 503, 504:
			return true
		}
		return false
	}
	var te *transportError
	return errors.As(err, &te) && !te.dial
}

// findCreated lists the pending invites and returns the newest one of req's address and
// role that was not pending before.
func (c *Client) findCreated(ctx context.Context, req InviteRequest, before []Invite) (*Invite, error) {
	key := NormalizeEmail(req.LoginOrEmail)
	all, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	known := make(map[int64]bool, len(before))
	for _, b := range before {
		known[b.ID] = true
	}
	for _, inv := range matching(all, key) {
		if inv.Role == req.Role && !known[inv.ID] {
			return &inv, nil
		}
	}
	return nil, nil
}
