package api

import (
	"context"
	"fmt"
	"sort"
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
	// duplicates of a kept invite. Without it they are left as they are (OutcomeStale).
	Prune bool
	// ReplaceRoleMismatch revokes pending invites whose role differs from the desired one and
	// invites anew. Without it they are left as they are (OutcomeRoleMismatch).
	ReplaceRoleMismatch bool
	// SendEmail asks Grafana to email the new invites (Plan.SendEmail).
	SendEmail bool
	// Members are addresses known to belong to the organisation already (for instance
	// Report.Members of an earlier Apply): nothing is planned for them. Grafana's invites API
	// cannot tell members apart before a POST; without this, a member is planned as an
	// invite and Apply reports it as already a member, changing nothing.
	Members []string
}

// ActionKind is what an action does; its value is the token JSON carries.
type ActionKind string

// The kinds of action.
const (
	// ActionInvite invites the address.
	ActionInvite ActionKind = "invite"
	// ActionReplace revokes the address's pending invites with another role (Old), then
	// invites it with Role.
	ActionReplace ActionKind = "replace"
	// ActionRevoke revokes one pending invite (Old[0]).
	ActionRevoke ActionKind = "revoke"
	// ActionRenew invites the address anew, then, once the new invite is pending, revokes
	// its old ones (Old).
	ActionRenew ActionKind = "renew"
)

// Action is one change of a plan, for one address.
type Action struct {
	Kind ActionKind `json:"kind"`
	// Email is the address, compared as NormalizeEmail does and sent as it is.
	Email string `json:"email"`
	// Role is the role of the invite made (invite, replace, renew) or revoked (revoke).
	Role Role `json:"role"`
	// Name is sent with a new invite.
	Name string `json:"name,omitempty"`
	// Old are the pending invites the action revokes: the one of a revoke, those with
	// another role of a replace, those renewed.
	Old []Invite `json:"old,omitempty"`
}

// Plan is what Apply does: its Actions, and nothing else. Dry runs and confirmations show a
// plan; applying it changes exactly what it lists. Plans are made by Plan (a desired
// state), PlanRenew and PlanRevoke; one made by hand (say, to invite addresses whether or
// not they are pending) is checked by Apply before anything is sent.
//
// A plan is plain data: it can be saved as JSON and applied later, by a process that
// checks first that Pending still holds.
type Plan struct {
	// Actions are the changes, by address.
	Actions []Action `json:"actions"`
	// Unchanged are the addresses and invites the plan leaves as they are, each with why
	// (OutcomeAlreadyInvited, OutcomeAlreadyMember, OutcomeRoleMismatch, OutcomeStale, or
	// OutcomeFailed for what cannot be done, such as a code no pending invite has). Apply
	// reports them as they are.
	Unchanged []ReportEntry `json:"unchanged,omitempty"`
	// SendEmail asks Grafana to email the invites the plan makes.
	SendEmail bool `json:"sendEmail"`
	// Pending is the list the plan was made from: every pending invite of the organisation
	// at the time, as Grafana listed them.
	Pending []Invite `json:"pending"`
}

// Changes counts the actions Apply would take.
func (p *Plan) Changes() int { return len(p.Actions) }

// Plan compares a desired state with the pending invites and says what Apply would do:
// invite the addresses without a pending invite, replace (ReplaceRoleMismatch) or keep
// those pending with another role, revoke (Prune) or keep the invites of addresses absent
// from it. Addresses are compared case-insensitively; an address given twice with
// different roles, an empty address or an unknown role is a *ValidationError naming the
// entry. Planning sends one list request and nothing else.
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
	byEmail := byAddress(pending)

	p := &Plan{SendEmail: opts.SendEmail, Pending: pending}
	extra := func(invs ...Invite) {
		for _, inv := range invs {
			if opts.Prune {
				p.Actions = append(p.Actions, revokeAction(inv))
			} else {
				p.Unchanged = append(p.Unchanged, ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Outcome: OutcomeStale, Invite: &inv})
			}
		}
	}
	for _, k := range order {
		d := want[k]
		same, other := splitByRole(byEmail[k], d.Role)
		switch {
		case len(same) > 0:
			p.Unchanged = append(p.Unchanged, ReportEntry{Email: k, Role: d.Role, Outcome: OutcomeAlreadyInvited, Invite: &same[0]})
			extra(same[1:]...)
			extra(other...)
		case len(other) > 0 && opts.ReplaceRoleMismatch:
			p.Actions = append(p.Actions, Action{Kind: ActionReplace, Email: k, Role: d.Role, Name: d.Name, Old: other})
		case len(other) > 0:
			p.Unchanged = append(p.Unchanged, ReportEntry{Email: k, Role: d.Role, Outcome: OutcomeRoleMismatch, Invite: &other[0]})
		case members[k]:
			p.Unchanged = append(p.Unchanged, ReportEntry{Email: k, Role: d.Role, Outcome: OutcomeAlreadyMember})
		default:
			p.Actions = append(p.Actions, Action{Kind: ActionInvite, Email: k, Role: d.Role, Name: d.Name})
		}
	}
	for _, inv := range pending {
		if _, ok := want[NormalizeEmail(inv.Email)]; !ok {
			extra(inv)
		}
	}
	p.sort()
	return p, nil
}

// revokeAction revokes one invite.
func revokeAction(inv Invite) Action {
	return Action{Kind: ActionRevoke, Email: NormalizeEmail(inv.Email), Role: inv.Role, Old: []Invite{inv}}
}

// byAddress groups invites by normalised address, each group newest first.
func byAddress(invites []Invite) map[string][]Invite {
	out := map[string][]Invite{}
	for _, inv := range invites {
		k := NormalizeEmail(inv.Email)
		out[k] = append(out[k], inv)
	}
	for _, invs := range out {
		sortNewestFirst(invs)
	}
	return out
}

// sort orders the actions and the unchanged entries by address, keeping the order of each
// address's own.
func (p *Plan) sort() {
	sort.SliceStable(p.Actions, func(i, j int) bool { return NormalizeEmail(p.Actions[i].Email) < NormalizeEmail(p.Actions[j].Email) })
	sortEntries(p.Unchanged)
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
			return nil, nil, within(fmt.Sprintf("desired entry %d (%s)", i+1, d.Email), err)
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
