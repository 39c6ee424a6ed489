package api

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// RenewOptions say which invites Renew renews.
type RenewOptions struct {
	// CreatedBefore is the cut-off: pending invites created before it are renewed. Required.
	// With Grafana's default lifetime of 24 h, time.Now().Add(-20 * time.Hour) renews the
	// invites that lapse within 4 hours.
	CreatedBefore time.Time
	// Emails restricts the renewal to these addresses (compared as NormalizeEmail does);
	// empty means every address with a pending invite.
	Emails []string
	// SendEmail asks Grafana to email the new invites.
	SendEmail bool
	// Concurrency bounds the addresses worked on at once (default 4).
	Concurrency int
	// Progress, if set, is called after each address, one call at a time.
	Progress func(done, total int, e RenewEntry)
	// Stop, when closed, ends the run gracefully: no new address is started, and those
	// under way finish (as an interrupted command-line run wants). Cancelling the context
	// instead also cuts the requests in flight short.
	Stop <-chan struct{}
}

// RenewEntry is what Renew did for one invite.
type RenewEntry struct {
	// Email is the address, as Grafana stores it.
	Email string
	Role  Role
	// Outcome is OutcomeRenewed (New replaced Old), OutcomeRevoked (Old was an older
	// duplicate, or a stale invite of an address that now has a fresh one),
	// OutcomeAlreadyMember or OutcomeUserAdded (the address became a member: Old was revoked
	// and no new invite exists), or OutcomeFailed (Err says why; Old stays pending unless a
	// new invite exists).
	Outcome Outcome
	// Old is the invite renewed or revoked; New the invite that replaces it.
	Old, New *Invite
	// EmailNotSent reports that SendEmail was asked but Grafana has no SMTP.
	EmailNotSent bool
	Err          error
}

// ErrStopped is returned, with the report of what was done, by a Renew or Apply ended
// through its Stop channel.
var ErrStopped = errors.New("grafana: stopped before every address was done")

// RenewReport is the outcome of Renew, one entry per invite concerned, sorted by address.
type RenewReport struct {
	Entries []RenewEntry
}

// Count counts the entries with an outcome.
func (r *RenewReport) Count(o Outcome) int {
	n := 0
	for _, e := range r.Entries {
		if e.Outcome == o {
			n++
		}
	}
	return n
}

// Err joins the errors of the failed entries, nil when none failed.
func (r *RenewReport) Err() error {
	var errs []error
	for _, e := range r.Entries {
		if e.Err != nil {
			errs = append(errs, fmt.Errorf("grafana: renewing %s: %w", e.Email, e.Err))
		}
	}
	return errors.Join(errs...)
}

// Renew renews pending invites before they lapse: for each address whose newest pending
// invite was created before opts.CreatedBefore, it invites the address anew with that
// invite's role and name, then revokes the old invite. An address with several pending
// invites keeps one: the newest (by creation, ties by id) is renewed, the others revoked.
//
// Order is the safety: the new invite is created first and the old revoked second, so a run
// cut off between the two leaves a duplicate, never an address without an invite. A second
// run converges: an address whose newest invite is younger than the cut-off keeps it and
// has its older duplicates revoked. An old invite is revoked only once the new one is seen
// in the pending list (or the address turned out to be a member).
//
// Each address is worked on under the lock EnsureInvited and Apply take, so they never race
// in one process. Each request is bounded by WithTimeout; the context bounds the run, and
// once it ends no new address is started. The returned error is for the run as a whole
// (the first list, the context); failures of single addresses are in the report.
func (c *Client) Renew(ctx context.Context, opts RenewOptions) (*RenewReport, error) {
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
	all, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	var keys []string
	stale := map[string]bool{}
	for _, inv := range all {
		k := NormalizeEmail(inv.Email)
		if len(only) > 0 && !only[k] {
			continue
		}
		if !stale[k] {
			keys = append(keys, k)
		}
		stale[k] = true
	}
	sort.Strings(keys)

	workers := opts.Concurrency
	if workers <= 0 {
		workers = 4
	}
	var (
		mu      sync.Mutex
		entries []RenewEntry
		done    int
		wg      sync.WaitGroup
	)
	sem := make(chan struct{}, workers)
	stopped := func() bool { return isClosed(opts.Stop) || ctx.Err() != nil }
	for _, k := range keys {
		took := false
		select {
		case sem <- struct{}{}:
			took = true
		case <-ctx.Done():
		case <-opts.Stop:
		}
		if stopped() {
			if took {
				<-sem
			}
			break // start no new address; those under way finish
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			got := c.renewAddress(ctx, k, opts)
			mu.Lock()
			defer mu.Unlock()
			entries = append(entries, got...)
			done++
			if opts.Progress != nil {
				for _, e := range got {
					opts.Progress(done, len(keys), e)
				}
			}
		}()
	}
	wg.Wait()
	sort.SliceStable(entries, func(i, j int) bool { return NormalizeEmail(entries[i].Email) < NormalizeEmail(entries[j].Email) })
	if err := context.Cause(ctx); err != nil {
		return &RenewReport{Entries: entries}, err
	}
	if stopped() {
		return &RenewReport{Entries: entries}, ErrStopped
	}
	return &RenewReport{Entries: entries}, nil
}

// renewAddress renews the invites of one address, under its lock.
func (c *Client) renewAddress(ctx context.Context, key string, opts RenewOptions) []RenewEntry {
	unlock, err := c.locks.lock(ctx, key)
	if err != nil {
		return []RenewEntry{{Email: key, Outcome: OutcomeFailed, Err: err}}
	}
	defer unlock()
	pending, err := c.FindPending(ctx, key) // fresh, newest first
	if err != nil {
		return []RenewEntry{{Email: key, Outcome: OutcomeFailed, Err: err}}
	}
	if len(pending) == 0 {
		return nil // gone meanwhile: accepted, revoked or expired
	}
	newest, older := pending[0], pending[1:]
	if !newest.CreatedOn.Before(opts.CreatedBefore) {
		// Fresh (renewed by an earlier, interrupted run, say): keep it, drop the duplicates.
		return c.revokeEach(ctx, older, &newest, OutcomeRevoked)
	}
	req := InviteRequest{LoginOrEmail: newest.Email, Name: newest.Name, Role: newest.Role, SendEmail: opts.SendEmail}
	res, err := c.createLocked(ctx, req, pending)
	if err != nil {
		return []RenewEntry{{Email: newest.Email, Role: newest.Role, Outcome: OutcomeFailed, Old: &newest, Err: err}}
	}
	switch res.Outcome {
	case OutcomeAlreadyMember, OutcomeUserAdded: // no new invite is needed, nor possible
		return c.revokeEach(ctx, pending, nil, res.Outcome)
	}
	entries := c.revokeEach(ctx, pending, res.Invite, OutcomeRevoked)
	entries[0].Outcome, entries[0].EmailNotSent = OutcomeRenewed, res.EmailNotSent
	if entries[0].Err != nil {
		entries[0].Outcome = OutcomeFailed // renewed, but the old invite is still pending
	}
	return entries
}

// revokeEach revokes invites, reporting each with outcome (or OutcomeFailed) and the
// invite that replaces them, if any.
func (c *Client) revokeEach(ctx context.Context, invites []Invite, replacement *Invite, outcome Outcome) []RenewEntry {
	out := make([]RenewEntry, 0, len(invites))
	for _, inv := range invites {
		e := RenewEntry{Email: inv.Email, Role: inv.Role, Outcome: outcome, Old: &inv, New: replacement}
		if err := c.Revoke(ctx, inv.Code); err != nil && !errors.Is(err, ErrNotFound) {
			e.Outcome, e.Err = OutcomeFailed, err
		}
		out = append(out, e)
	}
	return out
}
