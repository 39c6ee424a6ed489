package api

import (
	"context"
	"errors"
	"fmt"
)

// Desired is one address of a desired state: it should hold a pending invite with Role (or
// be a member already).
type Desired struct {
	Email string
	Role  Role
	Name  string // optional, sent with a new invite
}

// PlanOptions tune Plan.
type PlanOptions struct {
	// Prune revokes pending invites of addresses absent from the desired state, and older
	// duplicates of a kept invite. Without it they are only reported (Plan.Stale).
	Prune bool
	// ReplaceRoleMismatch revokes pending invites whose role differs from the desired one and
	// invites anew. Without it they are only reported (Plan.Mismatched).
	ReplaceRoleMismatch bool
	// SendEmail asks Grafana to email the new invites.
	SendEmail bool
	// Members are addresses known to belong to the organisation already (for instance
	// Report.Members of an earlier Apply): nothing is planned for them. Grafana's invites API
	// cannot tell members apart before a POST; without this, a member is planned as a
	// creation and Apply reports it as already a member, changing nothing.
	Members []string
}

// RoleMismatch is a desired address whose pending invites have another role.
type RoleMismatch struct {
	Desired Desired
	Pending []Invite
}

// Plan is what Apply would do to reach a desired state. Planning sends nothing but one list
// request: a dry run is a Plan that is not applied.
type Plan struct {
	// Create are the addresses to invite.
	Create []Desired
	// Replace are the role mismatches to revoke and invite anew (ReplaceRoleMismatch).
	Replace []RoleMismatch
	// Revoke are the pending invites to revoke (Prune).
	Revoke []Invite
	// Unchanged are the pending invites that already match.
	Unchanged []Invite
	// Members are desired addresses known to be members: nothing to do.
	Members []Desired
	// Mismatched are role mismatches left as they are (without ReplaceRoleMismatch).
	Mismatched []RoleMismatch
	// Stale are pending invites that Prune would revoke, left as they are.
	Stale []Invite
	// Pending is the list the plan was made from: every pending invite of the organisation
	// at the time, as Grafana listed them. A saved plan can be checked against it later.
	Pending []Invite

	sendEmail bool
}

// Changes counts the actions Apply would take.
func (p *Plan) Changes() int { return len(p.Create) + len(p.Replace) + len(p.Revoke) }

// Plan compares a desired state with the pending invites and says what Apply would do.
// Addresses are compared case-insensitively; an address given twice with different roles,
// an empty address or an unknown role is a *ValidationError naming the entry.
func (c *Client) Plan(ctx context.Context, desired []Desired, opts PlanOptions) (*Plan, error) {
	want, order, err := normalizeDesired(desired)
	if err != nil {
		return nil, err
	}
	pending, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	members := make(map[string]bool, len(opts.Members))
	for _, m := range opts.Members {
		members[NormalizeEmail(m)] = true
	}
	byEmail := map[string][]Invite{}
	for _, inv := range pending {
		k := NormalizeEmail(inv.Email)
		byEmail[k] = append(byEmail[k], inv)
	}
	for _, invs := range byEmail {
		sortNewestFirst(invs) // the newest is kept, older duplicates are extra
	}

	p := &Plan{sendEmail: opts.SendEmail, Pending: pending}
	extra := func(invs ...Invite) {
		if opts.Prune {
			p.Revoke = append(p.Revoke, invs...)
		} else {
			p.Stale = append(p.Stale, invs...)
		}
	}
	for _, k := range order {
		d := want[k]
		same, other := splitByRole(byEmail[k], d.Role)
		switch {
		case len(same) > 0:
			p.Unchanged = append(p.Unchanged, same[0])
			extra(same[1:]...)
			extra(other...)
		case len(other) > 0 && opts.ReplaceRoleMismatch:
			p.Replace = append(p.Replace, RoleMismatch{Desired: d, Pending: other})
		case len(other) > 0:
			p.Mismatched = append(p.Mismatched, RoleMismatch{Desired: d, Pending: other})
		case members[k]:
			p.Members = append(p.Members, d)
		default:
			p.Create = append(p.Create, d)
		}
	}
	for _, inv := range pending {
		if _, ok := want[NormalizeEmail(inv.Email)]; !ok {
			extra(inv)
		}
	}
	return p, nil
}

func normalizeDesired(desired []Desired) (map[string]Desired, []string, error) {
	want := make(map[string]Desired, len(desired))
	var order []string
	for i, d := range desired {
		k := NormalizeEmail(d.Email)
		if k == "" {
			return nil, nil, &ValidationError{Field: fmt.Sprintf("desired entry %d", i+1), Problem: "empty email"}
		}
		role, err := ParseRole(string(d.Role))
		if err != nil {
			var ve *ValidationError
			errors.As(err, &ve)
			return nil, nil, &ValidationError{Field: fmt.Sprintf("desired entry %d (%s)", i+1, d.Email), Problem: ve.Problem}
		}
		d.Email, d.Role = k, role
		if prev, ok := want[k]; ok {
			if prev.Role != role {
				return nil, nil, &ValidationError{Field: fmt.Sprintf("desired entry %d (%s)", i+1, d.Email), Problem: fmt.Sprintf("listed twice, as %s and as %s", prev.Role, role)}
			}
			continue
		}
		want[k] = d
		order = append(order, k)
	}
	return want, order, nil
}
