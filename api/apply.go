package api

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync"
)

// ReportEntry is what a plan did, or left as it was, for one address or invite: Apply's
// report holds one per action of the plan and one per entry of Plan.Unchanged.
type ReportEntry struct {
	// Email is the address, compared as NormalizeEmail does.
	Email string `json:"email"`
	Role  Role   `json:"role,omitempty"`
	// Outcome is what happened: OutcomeInvited, OutcomeUserAdded or OutcomeAlreadyMember
	// (invite), OutcomeReplaced, OutcomeRevoked, OutcomeRenewed, OutcomeNotStarted,
	// OutcomeFailed; or why nothing was done (see Plan.Unchanged).
	Outcome Outcome `json:"outcome"`
	// Invite is the pending invite afterwards (invited, replaced, renewed, already invited,
	// stale, the one kept with another role) or the invite revoked.
	Invite *Invite `json:"invite,omitempty"`
	// Revoked are the invites revoked in favour of Invite (replaced, renewed).
	Revoked []Invite `json:"revoked,omitempty"`
	// UserID is the existing user added (OutcomeUserAdded), when Grafana said.
	UserID int64 `json:"userId,omitempty"`
	// EmailSent reports that Grafana emailed the new invite (or told the user added). With
	// Plan.SendEmail and EmailSent false, Grafana has no SMTP: hand the invite's URL over.
	EmailSent bool `json:"emailSent,omitempty"`
	// Err is why the action failed (OutcomeFailed).
	Err error `json:"-"`
}

// Report is the outcome of Apply, one entry per action and per unchanged entry of the
// plan, sorted by address.
type Report struct {
	Entries []ReportEntry
}

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

// Err joins the errors of the failed entries, each with its address, nil when none failed.
func (r *Report) Err() error {
	var errs []error
	for _, e := range r.Entries {
		if e.Err != nil {
			errs = append(errs, errorf("%s: %w", firstNonEmpty(e.Email, "code "+shortOf(e.Invite)), e.Err))
		}
	}
	return joined(errs...)
}

func shortOf(inv *Invite) string {
	if inv == nil {
		return ""
	}
	return ShortCode(inv.Code)
}

// ErrStopped is returned, with the report of what was done, by an Apply ended through its
// Stop channel.
var ErrStopped = errorf("stopped before every action was started")

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Concurrency bounds the actions under way at once (default 4).
	Concurrency int
	// Progress, if set, is called after each action is done, from Apply's goroutines one
	// at a time, with the number done and the total.
	Progress func(done, total int, e ReportEntry)
	// Stop, when closed, ends the run gracefully: no new action is started (those not
	// started are reported as OutcomeNotStarted), the actions under way finish, the codes
	// of the invites made are still looked up, and Apply returns its report with
	// ErrStopped. Cancelling the context instead also cuts the requests in flight short.
	Stop <-chan struct{}
}

// Apply carries out a plan, whatever made it, with bounded concurrency, and reports per
// action. One action failing does not stop the others: their failures are in the report
// (see Report.Err). The returned error is for the run as a whole (the final list of the
// created invites, a context that ended, ErrStopped); a plan made by hand with an empty
// address, an unknown kind or role, or a code that cannot be one is a *ValidationError
// before anything is sent.
//
// Each action is taken under its address's lock, the one EnsureInvited takes, so that they
// never race in one process. New invites are created without a list per address: one list
// at the end finds their codes and URLs, and also tells whether a POST whose answer was
// lost was saved all the same. A renewal's old invites are revoked after that list, and
// only when it shows the new invite (or the address turned out to be a member).
func (c *Client) Apply(ctx context.Context, p *Plan, opts ApplyOptions) (*Report, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	r := &run{c: c, plan: p, opts: opts, entries: make([]ReportEntry, len(p.Actions)), reported: make([]bool, len(p.Actions))}
	stopped := r.each(ctx, func(ctx context.Context, i int) ReportEntry { return c.first(ctx, p, p.Actions[i]) })

	var finalErr error
	if r.created() {
		if all, err := c.ListPending(ctx); err != nil {
			finalErr = errorf("listing the pending invites after applying: %w", err)
			r.keepOld(err)
		} else {
			settle(p, r.entries, all)
			r.finishRenewals(ctx)
		}
	}
	r.reportRest()
	entries := append(r.entries, p.Unchanged...)
	sortEntries(entries)
	switch {
	case finalErr != nil:
	case ctx.Err() != nil:
		finalErr = context.Cause(ctx)
	case stopped:
		finalErr = ErrStopped
	}
	return &Report{Entries: entries}, finalErr
}

// check refuses a plan Apply could not carry out as written.
func (p *Plan) check() error {
	for i, a := range p.Actions {
		field := "plan action " + strconv.Itoa(i+1)
		if a.Email == "" && a.Kind != ActionRevoke {
			return &ValidationError{Field: field, Problem: "empty email"}
		}
		if _, err := ParseRole(string(a.Role)); err != nil && a.Kind != ActionRevoke {
			return within(field+" ("+a.Email+")", err)
		}
		switch a.Kind {
		case ActionInvite, ActionReplace, ActionRenew:
		case ActionRevoke:
			if len(a.Old) != 1 {
				return &ValidationError{Field: field, Problem: "a revoke names exactly one invite (Old)"}
			}
		default:
			return &ValidationError{Field: field, Problem: quoteShort(string(a.Kind)) + " is not an action; want invite, replace, revoke or renew"}
		}
		for _, old := range a.Old {
			if err := CheckCode(old.Code); err != nil {
				return within(field+" ("+a.Email+")", err)
			}
		}
	}
	return nil
}

// within names where a *ValidationError was found: "plan action 2 (a@b.co), role".
func within(where string, err error) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	return &ValidationError{Field: where + ", " + ve.Field, Problem: ve.Problem}
}

// run is one Apply under way.
type run struct {
	c        *Client
	plan     *Plan
	opts     ApplyOptions
	entries  []ReportEntry // one per action, in the plan's order
	mu       sync.Mutex
	done     int
	reported []bool // the actions told to opts.Progress
}

// each runs step for every action, at most opts.Concurrency at once, and reports whether
// Stop ended the run early. An action not started is OutcomeNotStarted (stopped) or
// OutcomeFailed with the context's cause.
func (r *run) each(ctx context.Context, step func(context.Context, int) ReportEntry) (stopped bool) {
	sem := make(chan struct{}, r.opts.Concurrency)
	var wg sync.WaitGroup
	for i, a := range r.plan.Actions {
		took := false
		if !stopped {
			select {
			case sem <- struct{}{}:
				took = true
			case <-ctx.Done():
			case <-r.opts.Stop:
			}
			stopped = isClosed(r.opts.Stop)
		}
		if stopped || ctx.Err() != nil {
			if took {
				<-sem
			}
			r.entries[i] = ReportEntry{Email: NormalizeEmail(a.Email), Role: a.Role, Outcome: OutcomeNotStarted}
			if !stopped {
				r.entries[i].Outcome, r.entries[i].Err = OutcomeFailed, context.Cause(ctx)
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			e := step(ctx, i)
			r.mu.Lock()
			defer r.mu.Unlock()
			r.entries[i] = e
			if a.Kind != ActionRenew || e.Outcome == OutcomeFailed { // a renewal is done once its old invites go
				r.progress(i)
			}
		}()
	}
	wg.Wait()
	return stopped
}

// progress counts action i done and tells opts.Progress; r.mu is held.
func (r *run) progress(i int) {
	r.reported[i] = true
	r.done++
	if r.opts.Progress != nil {
		r.opts.Progress(r.done, len(r.plan.Actions), r.entries[i])
	}
}

// reportRest tells opts.Progress about the started actions it was not told about yet:
// renewals whose second step was not taken.
func (r *run) reportRest() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.entries {
		if !r.reported[i] && r.entries[i].Outcome != OutcomeNotStarted && r.entries[i].Outcome != "" {
			r.progress(i)
		}
	}
}

// keepOld fails the renewals whose new invite could not be looked for: their old invites
// are kept.
func (r *run) keepOld(listErr error) {
	for i, a := range r.plan.Actions {
		if e := &r.entries[i]; a.Kind == ActionRenew && e.Outcome == OutcomeRenewed {
			e.Outcome, e.Err = OutcomeFailed, errorf("renewed, but listing to find the new invite failed, so the old one is kept: %w", listErr)
		}
	}
}

// created reports whether some action started that POSTs an invite.
func (r *run) created() bool {
	for i, a := range r.plan.Actions {
		if a.Kind != ActionRevoke && r.entries[i].Outcome != OutcomeNotStarted {
			return true
		}
	}
	return false
}

// first takes an action's first step: revoke (ActionRevoke); revoke the old invites, then
// POST (ActionReplace); or POST (ActionInvite, ActionRenew). Creations hold the address's
// lock.
func (c *Client) first(ctx context.Context, p *Plan, a Action) ReportEntry {
	e := ReportEntry{Email: NormalizeEmail(a.Email), Role: a.Role}
	if a.Kind == ActionRevoke {
		e.Outcome, e.Invite = OutcomeRevoked, &a.Old[0]
		if err := c.revokePending(ctx, a.Old[0].Code); err != nil {
			e.Outcome, e.Err = OutcomeFailed, err
		}
		return e
	}
	unlock, err := c.locks.lock(ctx, e.Email)
	if err != nil {
		e.Outcome, e.Err = OutcomeFailed, err
		return e
	}
	defer unlock()
	if a.Kind == ActionReplace {
		revoked, err := c.revokeAll(ctx, a.Old)
		e.Revoked = revoked
		if err != nil {
			e.Outcome, e.Err = OutcomeFailed, err
			return e
		}
	}
	post := c.postInvite(ctx, InviteRequest{LoginOrEmail: a.Email, Name: a.Name, Role: a.Role, SendEmail: p.SendEmail})
	e.Outcome, e.UserID, e.EmailSent, e.Err = post.outcome, post.userID, post.emailSent, post.err
	if e.Outcome == OutcomeInvited {
		e.Outcome = made(a.Kind)
	}
	return e
}

// made is the outcome of an action whose new invite was saved.
func made(kind ActionKind) Outcome {
	switch kind {
	case ActionReplace:
		return OutcomeReplaced
	case ActionRenew:
		return OutcomeRenewed
	}
	return OutcomeInvited
}

// finishRenewals revokes the old invites of the renewals whose new invite the final list
// showed (or whose address turned out to be a member), then reports each renewal done.
func (r *run) finishRenewals(ctx context.Context) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, r.opts.Concurrency)
	for i, a := range r.plan.Actions {
		e := &r.entries[i]
		if a.Kind != ActionRenew || e.Outcome == OutcomeFailed || e.Outcome == OutcomeNotStarted {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			revoked, err := r.c.revokeAll(ctx, a.Old)
			r.mu.Lock()
			defer r.mu.Unlock()
			e.Revoked = revoked
			if err != nil {
				// Renewed, but an old invite is still pending: the next run revokes it.
				e.Outcome, e.Err = OutcomeFailed, errorf("renewed, but revoking an old invite failed: %w", err)
			}
			r.progress(i)
		}()
	}
	wg.Wait()
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

// settle attaches the new pending invites to the entries of creations (the newest of the
// address and role that the plan did not find pending), turns a failure whose POST was
// saved all the same (a lost answer) into a success, and fails a renewal whose new invite
// is not pending, keeping its old ones.
func settle(p *Plan, entries []ReportEntry, all []Invite) {
	known := make(map[int64]bool, len(p.Pending))
	for _, inv := range p.Pending {
		known[inv.ID] = true
	}
	for _, a := range p.Actions {
		for _, old := range a.Old {
			known[old.ID] = true
		}
	}
	byEmail := map[string]*Invite{}
	for i := range all {
		inv := &all[i]
		k := NormalizeEmail(inv.Email)
		if known[inv.ID] {
			continue
		}
		if prev := byEmail[k+"\x00"+string(inv.Role)]; prev == nil || newerFirst(*inv, *prev) < 0 {
			byEmail[k+"\x00"+string(inv.Role)] = inv
		}
	}
	for i, a := range p.Actions {
		e := &entries[i]
		if a.Kind == ActionRevoke {
			continue
		}
		inv := byEmail[e.Email+"\x00"+string(a.Role)]
		switch {
		case inv != nil && (e.Outcome == OutcomeInvited || e.Outcome == OutcomeReplaced || e.Outcome == OutcomeRenewed):
			e.Invite = inv
		case inv != nil && e.Outcome == OutcomeFailed && mayHaveBeenHandled(e.Err):
			e.Outcome, e.Err, e.Invite = made(a.Kind), nil, inv
		case inv == nil && e.Outcome == OutcomeRenewed:
			e.Outcome, e.Err = OutcomeFailed, errorf("%w: renewed %s, but the new invite is not in the pending list; the old one is kept", ErrInvalidResponse, a.Email)
		}
	}
}

// sortEntries orders entries by address, keeping the order of each address's own.
func sortEntries(entries []ReportEntry) {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Email < entries[j].Email })
}
