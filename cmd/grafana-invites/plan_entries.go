package main

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/grafana-invites/grafana-invites/api"
)

// This file is the one place where the library's plans and reports become the CLI's
// entries: dry runs and confirmations print the plan Apply is given, and runs print its
// report.

// actionNone is the action of an entry a plan leaves as it is.
const actionNone = "none"

// smtpNote is the note of an invite saved without the email asked for.
const smtpNote = "no email (Grafana has no SMTP)"

// planEntries is a plan as entries: its actions, then what it leaves as it is, by address.
func planEntries(p *api.Plan) []entry {
	out := make([]entry, 0, len(p.Actions)+len(p.Unchanged))
	for _, a := range p.Actions {
		out = append(out, actionEntry(a))
	}
	for _, u := range p.Unchanged {
		en, _ := reportEntry(u, false)
		// What a run would report stays in Result, for scripts; the table notes its label.
		en.Action, en.URL, en.EmailSent, en.shortfall = actionNone, "", nil, ""
		switch u.Outcome {
		case api.OutcomeRoleMismatch:
			en.Role, en.Note = string(u.Role), "pending as "+string(u.Invite.Role)+"; "+replaceRoleHint
		case api.OutcomeAlreadyInvited, api.OutcomeAlreadyMember:
			en.Note = ""
		}
		out = append(out, en)
	}
	sortByAddress(out)
	return out
}

// actionEntry is one action of a plan.
func actionEntry(a api.Action) entry {
	en := entry{Address: api.NormalizeEmail(a.Email), Role: string(a.Role), Action: string(a.Kind)}
	switch a.Kind {
	case api.ActionRevoke:
		en.Code = a.Old[0].Code
	case api.ActionReplace:
		en.Code, en.Note = a.Old[0].Code, "pending as "+string(a.Old[0].Role)
	case api.ActionRenew:
		en.OldCode = a.Old[0].Code
		if len(a.Old) > 1 {
			en.Note = fmt.Sprintf("and %d older duplicates", len(a.Old)-1)
		}
	}
	return en
}

// reportEntry is one entry of Apply's report, and its failure, if any. sendEmail is whether
// the plan asked Grafana to email, so that an invite saved without it says so.
func reportEntry(r api.ReportEntry, sendEmail bool) (entry, *failure) {
	en := entry{Address: r.Email, Role: string(r.Role), Result: string(r.Outcome), UserID: r.UserID}
	if r.Invite != nil {
		en.Code = r.Invite.Code
		if r.Outcome != api.OutcomeRevoked && r.Outcome != api.OutcomeFailed {
			en.URL = r.Invite.URL
		}
	}
	if len(r.Revoked) > 0 && r.Outcome == api.OutcomeRenewed {
		en.OldCode = r.Revoked[0].Code
	}
	switch r.Outcome {
	case api.OutcomeAlreadyMember:
		en.Role = "" // the member's role is theirs, not the one asked for
	case api.OutcomeRoleMismatch:
		en.Role = string(r.Invite.Role)
		en.Note = "kept; " + replaceRoleHint
		en.shortfall = "pending with another role, kept (" + replaceRoleHint + ")"
	case api.OutcomeStale:
		en.Note = "not asked for; --prune revokes it"
	case api.OutcomeNotStarted:
		en.Note = "interrupted before it started"
	case api.OutcomeInvited, api.OutcomeReplaced, api.OutcomeRenewed, api.OutcomeUserAdded:
		sent := r.EmailSent
		en.EmailSent = &sent
		if sendEmail && !sent {
			en.Note = smtpNote
			en.shortfall = "no email sent (Grafana has no SMTP): hand the link over"
		}
	}
	if r.Err == nil {
		return en, nil
	}
	en.Error = r.Err.Error()
	if wasCut(r.Err) {
		en.Note = cutNote // said once by endRun, not as a failure
		return en, nil
	}
	who := r.Email
	if who == "" && r.Invite != nil {
		who = "code " + api.ShortCode(r.Invite.Code)
	}
	return en, &failure{address: who, err: r.Err}
}

// reportEntries is Apply's report as entries, with the failures.
func reportEntries(r *api.Report, sendEmail bool) ([]entry, []failure) {
	if r == nil {
		return nil, nil
	}
	out := make([]entry, 0, len(r.Entries))
	var fails []failure
	for _, re := range r.Entries {
		en, f := reportEntry(re, sendEmail)
		out = append(out, en)
		if f != nil {
			fails = append(fails, *f)
		}
	}
	return out, fails
}

// applyPlan applies a plan with the command's concurrency, progress and Ctrl-C, and
// returns its entries, failures and the run's error.
func (a *app) applyPlan(ctx context.Context, c *api.Client, label string, p *api.Plan, concurrency int) ([]entry, []failure, error) {
	prog := a.newProgress(label, p.Changes())
	finished := make(chan struct{})
	if !isClosed(a.e.interrupt) { // interrupted before: nothing will be under way
		go a.sayWaiting(prog, p.Changes(), concurrency, finished)
	}
	entries, fails, err := applyEntries(ctx, c, p, api.ApplyOptions{Concurrency: concurrency, Stop: a.e.interrupt,
		Progress: func(done, total int, _ api.ReportEntry) { prog.update(done, total) }})
	close(finished)
	prog.finish()
	return entries, fails, err
}

// applyEntries applies a plan and returns its report as entries, the failures and the
// run's error; a plan Apply refuses is a usage error.
func applyEntries(ctx context.Context, c *api.Client, p *api.Plan, opts api.ApplyOptions) ([]entry, []failure, error) {
	report, err := c.Apply(ctx, p, opts)
	var ve *api.ValidationError
	if errors.As(err, &ve) {
		return nil, nil, usagef("%v", err)
	}
	entries, fails := reportEntries(report, p.SendEmail)
	return entries, fails, err
}

// sortByAddress orders entries by address, keeping the order of each address's own.
func sortByAddress(entries []entry) {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Address < entries[j].Address })
}

// sayWaiting says, at the first Ctrl-C of a run, that nothing new starts and how many
// requests it waits for: Apply keeps concurrency actions under way while any remain.
func (a *app) sayWaiting(prog *progress, total, concurrency int, finished <-chan struct{}) {
	select {
	case <-finished:
	case <-a.e.interrupt:
		switch n := min(concurrency, total-prog.doneSoFar()); {
		case n == 1:
			prog.say("Ctrl-C: starting nothing new; waiting for the request under way (Ctrl-C again cuts it short)")
		case n > 1:
			prog.say(fmt.Sprintf("Ctrl-C: starting nothing new; waiting for the %d requests under way (Ctrl-C again cuts them short)", n))
		}
	}
}

// isClosed reports whether a channel is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
