package api

import (
	"context"
	"time"
)

// RenewOptions say which invites PlanRenew renews.
type RenewOptions struct {
	// CreatedBefore is the cut-off: an address whose newest pending invite was created
	// before it is renewed. Required. With Grafana's default lifetime of 24 h,
	// time.Now().Add(-20 * time.Hour) renews the invites that lapse within 4 hours.
	CreatedBefore time.Time
	// Emails restricts the renewal to these addresses (compared as NormalizeEmail does);
	// empty means every address with a pending invite.
	Emails []string
	// SendEmail asks Grafana to email the new invites (Plan.SendEmail).
	SendEmail bool
}

// PlanRenew plans the renewal of pending invites before they lapse. For each address whose
// newest pending invite (by creation, ties by id) was created before opts.CreatedBefore, an
// ActionRenew invites it anew with that invite's role and name and then revokes every
// pending invite it had. An address whose newest invite is younger keeps it
// (OutcomeAlreadyInvited) and has its older duplicates revoked: so a run cut off between
// inviting and revoking is completed by the next, never renewed twice.
//
// Apply carries the plan out safely: the new invite first, the old ones revoked only once
// the new one is seen pending (or the address turned out to be a member), so an
// interrupted run leaves a duplicate, never an address without an invite.
func (c *Client) PlanRenew(ctx context.Context, opts RenewOptions) (*Plan, error) {
	if opts.CreatedBefore.IsZero() {
		return nil, &ValidationError{Field: "RenewOptions.CreatedBefore", Problem: "zero; want the cut-off time"}
	}
	only := map[string]bool{}
	for _, e := range opts.Emails {
		k, err := emailKey(e)
		if err != nil {
			return nil, err
		}
		only[k] = true
	}
	pending, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	p := &Plan{SendEmail: opts.SendEmail, Pending: pending}
	for k, invs := range byAddress(pending) {
		if len(only) > 0 && !only[k] {
			continue
		}
		newest := invs[0]
		if newest.CreatedOn.Before(opts.CreatedBefore) {
			// The address as Grafana stored it, so that the new invite reads as the old did.
			p.Actions = append(p.Actions, Action{Kind: ActionRenew, Email: newest.Email, Role: newest.Role, Name: newest.Name, Old: invs})
			continue
		}
		p.Unchanged = append(p.Unchanged, ReportEntry{Email: k, Role: newest.Role, Outcome: OutcomeAlreadyInvited, Invite: &newest})
		for _, old := range invs[1:] {
			p.Actions = append(p.Actions, revokeAction(old))
		}
	}
	p.sort()
	return p, nil
}
