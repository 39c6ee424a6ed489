package api

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
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
	byEmail := map[string][]Invite{} // newest first, as listed
	for _, inv := range pending {
		k := NormalizeEmail(inv.Email)
		byEmail[k] = append(byEmail[k], inv)
	}

	p := &Plan{sendEmail: opts.SendEmail}
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

// Result of one address in a Report.
type Result string

// The results Apply reports.
const (
	ResultInvited       Result = "invited"
	ResultUserAdded     Result = "existing user added"
	ResultAlreadyMember Result = "already a member"
	ResultReplaced      Result = "replaced"
	ResultRevoked       Result = "revoked"
	ResultUnchanged     Result = "unchanged"
	ResultMismatch      Result = "pending with another role"
	ResultStale         Result = "stale (kept)"
	ResultFailed        Result = "failed"
)

// ReportEntry is the outcome for one address (or, for revocations, one invite).
type ReportEntry struct {
	Email  string
	Role   Role
	Result Result
	// Invite is the pending invite afterwards (invited, replaced, unchanged) or the invite
	// revoked.
	Invite *Invite
	// UserID is the existing user added (ResultUserAdded).
	UserID int64
	// EmailNotSent reports an invite saved without its email (Grafana has no SMTP).
	EmailNotSent bool
	// Err is why the address failed (ResultFailed).
	Err error
}

// Report is the outcome of Apply, one entry per address or revoked invite, sorted by email.
type Report struct {
	Entries []ReportEntry
}

// Failed counts the entries that failed.
func (r *Report) Failed() int { return r.Count(ResultFailed) }

// Count counts the entries with a result.
func (r *Report) Count(res Result) int {
	n := 0
	for _, e := range r.Entries {
		if e.Result == res {
			n++
		}
	}
	return n
}

// Members returns the addresses found to be members, for PlanOptions.Members of a later
// plan.
func (r *Report) Members() []string {
	var out []string
	for _, e := range r.Entries {
		if e.Result == ResultAlreadyMember || e.Result == ResultUserAdded {
			out = append(out, e.Email)
		}
	}
	return out
}

// Err joins the errors of the failed entries, nil when none failed.
func (r *Report) Err() error {
	var errs []error
	for _, e := range r.Entries {
		if e.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Email, e.Err))
		}
	}
	return errors.Join(errs...)
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Concurrency bounds the requests in flight (default 4).
	Concurrency int
	// Progress, if set, is called after each address is done, from Apply's goroutines one
	// at a time, with the number done and the total.
	Progress func(done, total int, e ReportEntry)
}

// Apply carries out a plan with bounded concurrency and reports per address. One address
// failing does not stop the others: their failures are in the report (see Report.Err). The
// returned error is for failures of the whole run (the final list of the created invites,
// a context that ended).
//
// New invites are created without a per-address list: one list at the end finds their codes
// and URLs, and also tells whether a POST whose answer was lost was saved all the same.
func (c *Client) Apply(ctx context.Context, p *Plan, opts ApplyOptions) (*Report, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	type job struct {
		base ReportEntry // who the job is for, and its result when it succeeds
		run  func(ctx context.Context, e ReportEntry) ReportEntry
	}
	var jobs []job
	for _, d := range p.Create {
		jobs = append(jobs, job{ReportEntry{Email: d.Email, Role: d.Role, Result: ResultInvited},
			func(ctx context.Context, e ReportEntry) ReportEntry {
				return c.applyCreate(ctx, e, d.Name, p.sendEmail, nil)
			}})
	}
	for _, m := range p.Replace {
		jobs = append(jobs, job{ReportEntry{Email: m.Desired.Email, Role: m.Desired.Role, Result: ResultReplaced},
			func(ctx context.Context, e ReportEntry) ReportEntry {
				return c.applyCreate(ctx, e, m.Desired.Name, p.sendEmail, m.Pending)
			}})
	}
	for _, inv := range p.Revoke {
		jobs = append(jobs, job{ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Result: ResultRevoked, Invite: &inv},
			func(ctx context.Context, e ReportEntry) ReportEntry {
				if err := c.Revoke(ctx, inv.Code); err != nil && !errors.Is(err, ErrNotFound) {
					e.Result, e.Err = ResultFailed, err
				}
				return e
			}})
	}

	entries := make([]ReportEntry, len(jobs))
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			entries[i] = j.base
			entries[i].Result, entries[i].Err = ResultFailed, context.Cause(ctx)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			e := j.run(ctx, j.base)
			mu.Lock()
			entries[i] = e
			done++
			if opts.Progress != nil {
				opts.Progress(done, len(jobs), e)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()

	// One list finds the codes and URLs of the new invites, and settles lost answers.
	var finalErr error
	if len(p.Create)+len(p.Replace) > 0 {
		if all, err := c.ListPending(ctx); err != nil {
			finalErr = fmt.Errorf("grafana: listing the pending invites after applying: %w", err)
		} else {
			settle(entries[:len(p.Create)+len(p.Replace)], all)
		}
	}
	for _, inv := range p.Unchanged {
		entries = append(entries, ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Result: ResultUnchanged, Invite: &inv})
	}
	for _, d := range p.Members {
		entries = append(entries, ReportEntry{Email: d.Email, Role: d.Role, Result: ResultAlreadyMember})
	}
	for _, m := range p.Mismatched {
		entries = append(entries, ReportEntry{Email: m.Desired.Email, Role: m.Desired.Role, Result: ResultMismatch, Invite: &m.Pending[0]})
	}
	for _, inv := range p.Stale {
		entries = append(entries, ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Result: ResultStale, Invite: &inv})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Email < entries[j].Email })
	return &Report{Entries: entries}, finalErr
}

// applyCreate invites one address (after revoking its mismatched invites, if any), under
// the address's lock so that EnsureInvited through the same client cannot race it.
func (c *Client) applyCreate(ctx context.Context, e ReportEntry, name string, sendEmail bool, replace []Invite) ReportEntry {
	unlock := c.locks.lock(e.Email)
	defer unlock()
	if len(replace) > 0 {
		if _, err := c.revokeAll(ctx, replace); err != nil {
			e.Result, e.Err = ResultFailed, err
			return e
		}
	}
	res, err := c.Invite(ctx, InviteRequest{LoginOrEmail: e.Email, Name: name, Role: e.Role, SendEmail: sendEmail})
	switch {
	case errors.Is(err, ErrAlreadyMember):
		e.Result = ResultAlreadyMember
	case errors.Is(err, ErrSMTPNotConfigured):
		e.EmailNotSent = true
	case err != nil:
		e.Result, e.Err = ResultFailed, err
	case res.Outcome == ExistingUserAdded:
		e.Result, e.UserID = ResultUserAdded, res.UserID
	}
	return e
}

// settle attaches the new pending invites to the entries of creations, and turns a failure
// whose POST was saved all the same (a lost answer) into a success.
func settle(entries []ReportEntry, all []Invite) {
	byEmail := map[string]*Invite{}
	for i := len(all) - 1; i >= 0; i-- { // newest wins
		byEmail[NormalizeEmail(all[i].Email)] = &all[i]
	}
	for i := range entries {
		e := &entries[i]
		inv := byEmail[e.Email]
		if inv == nil || inv.Role != e.Role {
			continue
		}
		switch {
		case e.Result == ResultInvited || e.Result == ResultReplaced:
			e.Invite = inv
		case e.Result == ResultFailed && outcomeUnknown(e.Err):
			e.Result, e.Err, e.Invite = ResultInvited, nil, inv
		}
	}
}
