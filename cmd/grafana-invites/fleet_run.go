package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
)

// How a fleet is planned and applied: every instance connected first (a problem there is
// the caller's, before anything is sent), then planned and applied concurrently, up to
// --parallel instances at once. An instance that cannot be planned is reported by name and
// left alone; the others go on.

// defaultParallel is how many instances plan and apply work on at once by default: enough
// for a fleet to take as long as its slowest instance.
const defaultParallel = 16

// instanceRun is one instance of a fleet run: its client and plans, or why it could not be
// planned; then what applying them did.
type instanceRun struct {
	t      *fleetTarget
	client *api.Client
	// plans are the plans of t.orgs, in order; err why the instance could not be planned
	// (nothing is applied there).
	plans []orgPlan
	err   error
	// entries, fails and runErr are what applying the plans did.
	entries []entry
	fails   []failure
	runErr  error
}

// connectFleet builds the client of every instance, reading the credentials each names;
// every instance whose credentials cannot be read is reported at once, as one usage error.
func (a *app) connectFleet(targets []*fleetTarget, timeout time.Duration) ([]*instanceRun, error) {
	var runs []*instanceRun
	var probs []string
	for _, t := range targets {
		c, err := a.fleetClient(t, timeout)
		var ie *interruptedError
		switch {
		case errors.As(err, &ie): // Ctrl-C at a password prompt
			return nil, err
		case err != nil:
			probs = append(probs, err.Error())
			continue
		}
		runs = append(runs, &instanceRun{t: t, client: c})
	}
	if len(probs) > 0 {
		return nil, usagef("some instances' URL or credentials cannot be used; nothing was sent:\n%s", strings.Join(probs, "\n"))
	}
	return runs, nil
}

// fleetClient is the client of one instance.
func (a *app) fleetClient(t *fleetTarget, timeout time.Duration) (*api.Client, error) {
	s, err := entrySettings(a.e, t.where, &t.entry)
	if err != nil {
		return nil, err
	}
	auth, err := a.authOption(s)
	switch {
	case err != nil:
		return nil, err
	case auth == nil:
		return nil, usagef("%s names the user %s without a password, and there is no terminal to ask on: give it passwordEnv or passwordFile", t.where, s.user.value)
	}
	return a.newClient(s, timeout, auth)
}

// eachInstance runs f for every instance, at most parallel at once, and waits for all.
func eachInstance(runs []*instanceRun, parallel int, f func(*instanceRun)) {
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, r := range runs {
		sem <- struct{}{} // in the file's order
		wg.Go(func() {
			defer func() { <-sem }()
			f(r)
		})
	}
	wg.Wait()
}

// planFleet plans every organisation of every instance. Each instance's organisations
// are planned in order; one refused (Grafana down, credentials refused, an organisation
// the credentials are not in) leaves its instance unplanned, the others go on.
func planFleet(ctx context.Context, runs []*instanceRun, parallel int) {
	eachInstance(runs, parallel, func(r *instanceRun) {
		for _, o := range r.t.orgs {
			if err := context.Cause(ctx); err != nil {
				r.plans, r.err = nil, err
				return
			}
			cl := r.client.WithOrgID(o.id)
			p, err := cl.Plan(ctx, o.desired, o.options.api())
			if err != nil {
				r.plans, r.err = nil, inOrg(o.id, err)
				return
			}
			r.plans = append(r.plans, orgPlan{o.id, cl, p})
		}
	})
}

// planned are the runs planned, failed those that were not.
func planned(runs []*instanceRun) (ok, failed []*instanceRun) {
	for _, r := range runs {
		if r.err != nil {
			failed = append(failed, r)
		} else {
			ok = append(ok, r)
		}
	}
	return ok, failed
}

// reportUnplanned says, per instance, why it was not planned, with explain's hint in the
// fleet file's words.
func (a *app) reportUnplanned(failed []*instanceRun) {
	for _, r := range failed {
		msg := strings.Replace(explain(r.err), "grafana-invites: ",
			fmt.Sprintf("grafana-invites: instance %q (%s) was not planned, nothing was sent to it: ", r.t.name, r.t.entry.URL), 1)
		fmt.Fprintln(a.e.stderr, fleetWords.Replace(msg))
	}
}

// fleetWords puts explain's hints, which name the connection flags, in the fleet file's
// words.
var fleetWords = strings.NewReplacer(
	"Check the token (--token, --token-file or GRAFANA_TOKEN) or the user and password, and that the token belongs to the organisation (--org-id).",
	"Check the instance's token (tokenEnv or tokenFile) or user and password in the fleet file, and that a token belongs to the organisation (a token serves one: give several organisations a user who is in each).",
	"check --url", "check the instance's url",
)

// fleetEntries is the plans of the runs as entries, by instance, organisation, address.
func fleetEntries(runs []*instanceRun) []entry {
	var out []entry
	for _, r := range runs {
		for _, en := range plansEntries(r.plans) {
			en.Instance = r.t.name
			out = append(out, en)
		}
	}
	return out
}

// fleetChanges counts the actions of every plan, and those that revoke.
func fleetChanges(runs []*instanceRun) (n, revoking int) {
	for _, r := range runs {
		n += changes(r.plans)
		revoking += revokes(r.plans)
	}
	return n, revoking
}

// applyFleet applies the plans of every planned instance, its organisations in order, up
// to parallel instances at once, with one progress display for the fleet. Ctrl-C starts no
// new action anywhere (the rest are reported not started); the second cuts requests short.
func (a *app) applyFleet(ctx context.Context, runs []*instanceRun, concurrency, parallel int) {
	total, _ := fleetChanges(runs)
	prog := a.newProgress("apply", total)
	var mu sync.Mutex
	done := 0
	step := func(int, int, api.ReportEntry) {
		mu.Lock()
		defer mu.Unlock()
		done++
		prog.update(done, total)
	}
	finished := make(chan struct{})
	if !isClosed(a.e.interrupt) {
		go a.sayWaiting(prog, total, concurrency*min(parallel, len(runs)), finished)
	}
	eachInstance(runs, parallel, func(r *instanceRun) {
		var errs []error
		for _, op := range r.plans {
			es, fs, err := applyEntries(ctx, op.client, op.plan, api.ApplyOptions{Concurrency: concurrency, Stop: a.e.interrupt, Progress: step})
			for i := range es {
				es[i].Instance, es[i].OrgID = r.t.name, op.org
			}
			for i := range fs {
				fs[i].instance = r.t.name
			}
			r.entries, r.fails = append(r.entries, es...), append(r.fails, fs...)
			if err != nil {
				errs = append(errs, inOrg(op.org, err))
			}
		}
		if err := errors.Join(errs...); err != nil {
			r.runErr = &instanceError{r.t.name, err}
		}
	})
	close(finished)
	prog.finish()
}

// instanceError is an error in one instance of a fleet.
type instanceError struct {
	name string
	err  error
}

func (e *instanceError) Error() string { return fmt.Sprintf("instance %q: %v", e.name, e.err) }

func (e *instanceError) Unwrap() error { return e.err }

// planFleetFile connects to the instances and plans them; Ctrl-C while planning ends the
// command at once (exit 130), nothing having been changed.
func (a *app) planFleetFile(ctx context.Context, targets []*fleetTarget, f fleetFlags) ([]*instanceRun, error) {
	runs, err := a.connectFleet(targets, f.timeout)
	if err != nil {
		return nil, err
	}
	planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
	defer cancel()
	planFleet(planCtx, runs, f.Parallel)
	if errors.Is(context.Cause(planCtx), errInterrupted) {
		return nil, &interruptedError{}
	}
	return runs, nil
}
