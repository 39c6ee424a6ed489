package api

import (
	"context"
)

// EnsureRequest is what EnsureInvited makes true.
type EnsureRequest struct {
	InviteRequest
	// ReplaceRoleMismatch revokes pending invites of the address that have another role,
	// then invites anew. Without it they are reported (OutcomeRoleMismatch) and kept.
	ReplaceRoleMismatch bool
}

// EnsureResult is the outcome of EnsureInvited.
type EnsureResult struct {
	// Outcome is one of OutcomeInvited, OutcomeAlreadyInvited, OutcomeAlreadyMember,
	// OutcomeUserAdded, OutcomeRoleMismatch and OutcomeReplaced.
	Outcome Outcome
	// Invite is the pending invite, with its code and URL (OutcomeInvited,
	// OutcomeAlreadyInvited, OutcomeReplaced).
	Invite *Invite
	// Pending are the pending invites with another role: kept (OutcomeRoleMismatch) or
	// revoked (OutcomeReplaced).
	Pending []Invite
	// UserID is the existing user added (OutcomeUserAdded).
	UserID int64
	// EmailSent reports that Grafana emailed the invite (or told the user added). With
	// SendEmail asked and EmailSent false, Grafana has no SMTP: the invite exists all the
	// same (hand its URL over), or the user was added without being told.
	EmailSent bool
}

// EnsureInvited makes sure an address is invited with a role, idempotently:
//
//   - a pending invite for the address with the same role: returned as it is, nothing sent
//     (OutcomeAlreadyInvited);
//   - already a member (412): OutcomeAlreadyMember, not an error;
//   - pending invites with another role: reported (OutcomeRoleMismatch), or replaced when
//     req.ReplaceRoleMismatch is set (OutcomeReplaced);
//   - otherwise it invites, then returns the created invite with its code and URL, found by
//     listing (Grafana's answer has neither). When the POST's answer is lost (a network
//     error, a 502/503/504 from a proxy), the list tells whether Grafana saved the invite,
//     and a saved one is returned as created rather than invited twice.
//
// Concurrent calls for the same address through one Client (and its WithOrgID copies) are
// serialised, so they create one invite; a call waiting for another ends with its context.
// Across processes Grafana offers no such guarantee. WithTimeout bounds the call as a whole
// (waiting, listing, inviting and listing again), not each request.
func (c *Client) EnsureInvited(ctx context.Context, req EnsureRequest) (*EnsureResult, error) {
	form, err := inviteForm(req.InviteRequest)
	if err != nil {
		return nil, err
	}
	req.Role = form.Role
	ctx, release := c.bound(ctx) // WithTimeout bounds the whole call, the wait for the lock too
	defer release()
	key := NormalizeEmail(req.LoginOrEmail)
	unlock, err := c.locks.lock(ctx, key)
	if err != nil {
		return nil, errorf("waiting for another call inviting %s: %w", req.LoginOrEmail, err)
	}
	defer unlock()

	pending, err := c.FindPending(ctx, key) // newest first
	if err != nil {
		return nil, err
	}
	same, other := splitByRole(pending, req.Role)
	if len(same) > 0 {
		return &EnsureResult{Outcome: OutcomeAlreadyInvited, Invite: &same[0]}, nil
	}
	replaced := false
	if len(other) > 0 {
		if !req.ReplaceRoleMismatch {
			return &EnsureResult{Outcome: OutcomeRoleMismatch, Pending: other}, nil
		}
		revoked, err := c.revokeAll(ctx, other)
		if err != nil {
			return &EnsureResult{Outcome: OutcomeRoleMismatch, Pending: other}, errorf("replacing the invites of %s: %w", req.LoginOrEmail, err)
		}
		other, replaced = revoked, true
	}
	res, err := c.createLocked(ctx, req.InviteRequest, pending)
	if res != nil && replaced && res.Outcome == OutcomeInvited {
		res.Outcome = OutcomeReplaced
		res.Pending = other
	}
	return res, err
}

// createLocked POSTs an invite whose address is locked, and finds the invite it created.
// before are the address's pending invites before the POST.
func (c *Client) createLocked(ctx context.Context, req InviteRequest, before []Invite) (*EnsureResult, error) {
	post := c.postInvite(ctx, req)
	switch {
	case post.outcome == OutcomeAlreadyMember || post.outcome == OutcomeUserAdded:
		return &EnsureResult{Outcome: post.outcome, UserID: post.userID, EmailSent: post.emailSent}, nil
	case post.err != nil && !mayHaveBeenHandled(post.err):
		return nil, post.err
	}
	inv, lerr := c.findCreated(ctx, req, before)
	switch {
	case inv != nil:
		return &EnsureResult{Outcome: OutcomeInvited, Invite: inv, EmailSent: post.emailSent}, nil
	case post.err != nil && lerr != nil:
		// Neither the POST's answer nor the list says whether Grafana saved the invite.
		return nil, errorf("inviting %s: the answer was lost and listing to check failed; the invite may have been saved, list before inviting again: %w",
			req.LoginOrEmail, joined(post.err, lerr))
	case post.err != nil:
		return nil, post.err // the list shows nothing was saved: the POST failed
	case lerr != nil:
		return nil, errorf("invited %s, but listing the pending invites to find it failed: %w", req.LoginOrEmail, lerr)
	}
	return nil, errorf("%w: invited %s, but the invite is not in the pending list", ErrInvalidResponse, req.LoginOrEmail)
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
	for _, inv := range sortNewestFirst(matching(all, key)) {
		if inv.Role == req.Role && !known[inv.ID] {
			return &inv, nil
		}
	}
	return nil, nil
}
