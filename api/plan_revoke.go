package api

import "context"

// RevokeTargets name the pending invites PlanRevoke revokes.
type RevokeTargets struct {
	// Codes are invitation codes.
	Codes []string
	// Emails are addresses (or logins) whose every pending invite is revoked, compared as
	// NormalizeEmail does.
	Emails []string
}

// PlanRevoke plans the revocation of the pending invites that targets name, each once. A
// code no pending invite has is reported as OutcomeFailed (ErrNotFound) in Unchanged, with
// an Invite that holds only the code; an address without pending invites gets no entry.
// A code that cannot be one, or an empty address, is a *ValidationError before any I/O.
func (c *Client) PlanRevoke(ctx context.Context, targets RevokeTargets) (*Plan, error) {
	if _, err := revokeEmails(targets); err != nil {
		return nil, err
	}
	pending, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	return PlanRevokeFrom(pending, targets)
}

// PlanRevokeFrom is PlanRevoke on a list of pending invites the caller has just made
// (ListPending's, say, read to resolve what to revoke): it sends nothing. The plan is only
// as fresh as the list; Apply revokes each invite by its code, and one gone meanwhile is
// reported revoked.
func PlanRevokeFrom(pending []Invite, targets RevokeTargets) (*Plan, error) {
	emails, err := revokeEmails(targets)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]Invite, len(pending))
	for _, inv := range pending {
		byCode[inv.Code] = inv
	}
	p := &Plan{Pending: pending}
	planned := map[string]bool{}
	add := func(inv Invite) {
		if !planned[inv.Code] {
			planned[inv.Code] = true
			p.Actions = append(p.Actions, revokeAction(inv))
		}
	}
	for _, code := range targets.Codes {
		inv, ok := byCode[code]
		if !ok {
			if !planned[code] {
				planned[code] = true
				p.Unchanged = append(p.Unchanged, ReportEntry{Outcome: OutcomeFailed, Invite: &Invite{Code: code},
					Err: errorf("no pending invite has this code: %w", ErrNotFound)})
			}
			continue
		}
		add(inv)
	}
	for _, inv := range pending {
		if emails[NormalizeEmail(inv.Email)] {
			add(inv)
		}
	}
	p.sort()
	return p, nil
}

// revokeEmails checks the targets (a code that cannot be one, an empty address) and
// returns their addresses as NormalizeEmail compares them.
func revokeEmails(targets RevokeTargets) (map[string]bool, error) {
	for _, code := range targets.Codes {
		if err := CheckCode(code); err != nil {
			return nil, err
		}
	}
	emails := map[string]bool{}
	for _, e := range targets.Emails {
		k, err := emailKey(e)
		if err != nil {
			return nil, err
		}
		emails[k] = true
	}
	return emails, nil
}
