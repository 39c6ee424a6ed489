package api

import (
	"context"
	"errors"
)

// The steps every workflow takes (EnsureInvited, Apply, RevokeByEmail): each is written
// once, here.

// posted is what one POST of an invite did.
type posted struct {
	outcome   Outcome // OutcomeInvited, OutcomeUserAdded, OutcomeAlreadyMember or OutcomeFailed
	userID    int64
	emailSent bool
	err       error // why it failed (OutcomeFailed)
}

// postInvite invites once and reads Grafana's answer: the one place that does. Grafana's
// 412 for a member is OutcomeAlreadyMember, and its 412 for SMTP (the invite WAS saved)
// OutcomeInvited without an email; neither is a failure.
func (c *Client) postInvite(ctx context.Context, req InviteRequest) posted {
	res, err := c.Invite(ctx, req)
	switch {
	case errors.Is(err, ErrAlreadyMember):
		return posted{outcome: OutcomeAlreadyMember}
	case errors.Is(err, ErrSMTPNotConfigured):
		return posted{outcome: OutcomeInvited}
	case err != nil:
		return posted{outcome: OutcomeFailed, err: err}
	}
	return posted{outcome: res.Outcome, userID: res.UserID, emailSent: res.EmailSent}
}

// revokePending revokes one invite; a 404 means it is gone already, which is what was
// wanted.
func (c *Client) revokePending(ctx context.Context, code string) error {
	if err := c.Revoke(ctx, code); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// revokeAll revokes invites one by one (revokePending) and returns those revoked, with the
// failures joined.
func (c *Client) revokeAll(ctx context.Context, invites []Invite) ([]Invite, error) {
	var revoked []Invite
	var errs []error
	for _, inv := range invites {
		if err := c.revokePending(ctx, inv.Code); err != nil {
			errs = append(errs, err)
			continue
		}
		revoked = append(revoked, inv)
	}
	return revoked, joined(errs...)
}
