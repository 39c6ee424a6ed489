package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
)

// ReportEntry is the outcome for one address (or, for revocations, one invite).
type ReportEntry struct {
	Email   string
	Role    Role
	Outcome Outcome
	// Invite is the pending invite afterwards (invited, replaced, unchanged) or the invite
	// revoked.
	Invite *Invite
	// UserID is the existing user added (OutcomeUserAdded).
	UserID int64
	// EmailNotSent reports an invite saved (or a user added) without its email (Grafana
	// has no SMTP).
	EmailNotSent bool
	// Err is why the address failed (OutcomeFailed).
	Err error
}

// Report is the outcome of Apply, one entry per address or revoked invite, sorted by email.
type Report struct {
	Entries []ReportEntry
}

// Failed counts the entries that failed.
func (r *Report) Failed() int { return r.Count(OutcomeFailed) }

// Count counts the entries with an outcome.
func (r *Report) Count(o Outcome) int {
	n := 0
	for _, e := range r.Entries {
		if e.Outcome == o {
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
		if e.Outcome == OutcomeAlreadyMember || e.Outcome == OutcomeUserAdded {
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
			errs = append(errs, fmt.Errorf("grafana: %s: %w", e.Email, e.Err))
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
	// Stop, when closed, ends the run gracefully: no new job is started (those not started
	// are reported as OutcomeNotStarted), the requests under way finish, the codes of the
	// invites made are still looked up, and Apply returns its report with ErrStopped.
	// Cancelling the context instead also cuts the requests in flight short.
	Stop <-chan struct{}
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
		jobs = append(jobs, job{ReportEntry{Email: d.Email, Role: d.Role, Outcome: OutcomeInvited},
			func(ctx context.Context, e ReportEntry) ReportEntry {
				return c.applyCreate(ctx, e, d.Name, p.sendEmail, nil)
			}})
	}
	for _, m := range p.Replace {
		jobs = append(jobs, job{ReportEntry{Email: m.Desired.Email, Role: m.Desired.Role, Outcome: OutcomeReplaced},
			func(ctx context.Context, e ReportEntry) ReportEntry {
				return c.applyCreate(ctx, e, m.Desired.Name, p.sendEmail, m.Pending)
			}})
	}
	for _, inv := range p.Revoke {
		jobs = append(jobs, job{ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Outcome: OutcomeRevoked, Invite: &inv},
			func(ctx context.Context, e ReportEntry) ReportEntry {
				if err := c.Revoke(ctx, inv.Code); err != nil && !errors.Is(err, ErrNotFound) {
					e.Outcome, e.Err = OutcomeFailed, err
				}
				return e
			}})
	}

	entries := make([]ReportEntry, len(jobs))
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	stopped := false
	for i, j := range jobs {
		took := false
		if !stopped {
			select {
			case sem <- struct{}{}:
				took = true
			case <-ctx.Done():
			case <-opts.Stop:
			}
			stopped = isClosed(opts.Stop)
		}
		if stopped || ctx.Err() != nil {
			if took {
				<-sem
			}
			entries[i] = j.base
			if stopped {
				entries[i].Outcome = OutcomeNotStarted
			} else {
				entries[i].Outcome, entries[i].Err = OutcomeFailed, context.Cause(ctx)
			}
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

	// One list finds the codes and URLs of the new invites, and settles lost answers (none
	// to find when no creation started).
	var finalErr error
	creations := len(p.Create) + len(p.Replace)
	if creations > 0 && (!stopped || slices.ContainsFunc(entries[:creations], func(e ReportEntry) bool { return e.Outcome != OutcomeNotStarted })) {
		if all, err := c.ListPending(ctx); err != nil {
			finalErr = fmt.Errorf("grafana: listing the pending invites after applying: %w", err)
		} else {
			settle(entries[:creations], all)
		}
	}
	for _, inv := range p.Unchanged {
		entries = append(entries, ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Outcome: OutcomeAlreadyInvited, Invite: &inv})
	}
	for _, d := range p.Members {
		entries = append(entries, ReportEntry{Email: d.Email, Role: d.Role, Outcome: OutcomeAlreadyMember})
	}
	for _, m := range p.Mismatched {
		entries = append(entries, ReportEntry{Email: m.Desired.Email, Role: m.Desired.Role, Outcome: OutcomeRoleMismatch, Invite: &m.Pending[0]})
	}
	for _, inv := range p.Stale {
		entries = append(entries, ReportEntry{Email: NormalizeEmail(inv.Email), Role: inv.Role, Outcome: OutcomeStale, Invite: &inv})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Email < entries[j].Email })
	if finalErr == nil && stopped {
		finalErr = ErrStopped
	}
	return &Report{Entries: entries}, finalErr
}

// isClosed reports whether a stop channel is closed; a nil channel never is.
func isClosed(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// applyCreate invites one address (after revoking its mismatched invites, if any), under
// the address's lock so that EnsureInvited through the same client cannot race it.
func (c *Client) applyCreate(ctx context.Context, e ReportEntry, name string, sendEmail bool, replace []Invite) ReportEntry {
	unlock, err := c.locks.lock(ctx, e.Email)
	if err != nil {
		e.Outcome, e.Err = OutcomeFailed, err
		return e
	}
	defer unlock()
	if _, err := c.revokeAll(ctx, replace); err != nil { // none for a creation
		e.Outcome, e.Err = OutcomeFailed, err
		return e
	}
	res, err := c.Invite(ctx, InviteRequest{LoginOrEmail: e.Email, Name: name, Role: e.Role, SendEmail: sendEmail})
	switch {
	case errors.Is(err, ErrAlreadyMember):
		e.Outcome = OutcomeAlreadyMember
	case errors.Is(err, ErrSMTPNotConfigured):
		e.EmailNotSent = true
	case err != nil:
		e.Outcome, e.Err = OutcomeFailed, err
	case res.Outcome == OutcomeUserAdded:
		e.Outcome, e.UserID, e.EmailNotSent = OutcomeUserAdded, res.UserID, res.NotifyFailed
	}
	return e
}

// settle attaches the new pending invites to the entries of creations, and turns a failure
// whose POST was saved all the same (a lost answer) into a success.
func settle(entries []ReportEntry, all []Invite) {
	byEmail := map[string]*Invite{}
	for i := range all {
		k := NormalizeEmail(all[i].Email)
		if prev := byEmail[k]; prev == nil || newerFirst(all[i], *prev) < 0 { // the newest wins
			byEmail[k] = &all[i]
		}
	}
	for i := range entries {
		e := &entries[i]
		inv := byEmail[e.Email]
		if inv == nil || inv.Role != e.Role {
			continue
		}
		switch {
		case e.Outcome == OutcomeInvited || e.Outcome == OutcomeReplaced:
			e.Invite = inv
		case e.Outcome == OutcomeFailed && mayHaveBeenHandled(e.Err):
			e.Outcome, e.Err, e.Invite = OutcomeInvited, nil, inv
		}
	}
}
