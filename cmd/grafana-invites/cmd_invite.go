package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/internal/emailaddr"
)

// inviteOptions are invite's flags and arguments.
type inviteOptions struct {
	app  *app
	conn *conn
	out  *output
	// Addresses are the arguments; Logins the --login flags.
	Addresses, Logins []string
	Role              api.Role
	Name              string
	SendEmail         bool
	AllowDuplicate    bool
	ReplaceRole       bool
	DryRun            bool
	dryRunFlags
}

// newInviteCmd builds invite; runF, when not nil, is called with the parsed options instead
// of runInvite (tests check the flags so).
func newInviteCmd(a *app, runF func(context.Context, *inviteOptions) error) *cobra.Command {
	opts := &inviteOptions{app: a}
	var role string
	cmd := &cobra.Command{
		Use:   "invite ADDRESS... [--login LOGIN]... --role ROLE [flags]",
		Short: "Invite addresses (idempotent: a pending invite is reused)",
		Long: `Invite people to the organisation with a role. An address that already has a pending
invite with that role is left alone (nothing is sent); one whose user exists is added to the
organisation at once; one whose user is already a member is reported. A pending invite with
another role is kept, and the run exits 3, unless --replace-role replaces it; so does an
invite saved without the email --send-email asked for (Grafana without SMTP).

Every argument must be an email address Grafana accepts: a word without '@' is refused
before anything is sent, since Grafana would store it as an invite no email can reach.
--login adds an existing user by login, which Grafana does at once; when no user has that
login, the invite Grafana makes for it is revoked again and the login reported as failed.

--dry-run prints what would be done and sends nothing but the listing of pending invites.`,
		Example: `  grafana-invites invite bob@example.com --role Viewer
  grafana-invites invite ann@example.com carl@example.com --role Editor --send-email
  grafana-invites invite bob@example.com --role Admin --replace-role
  grafana-invites invite bob@example.com --role Admin --dry-run --detailed-exitcode
  grafana-invites invite --login dave --role Editor`,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	opts.conn = addConnFlags(a, cmd)
	opts.out = addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.StringVar(&role, "role", "", "role of the invitees: "+roleChoices()+" (required)")
	fs.StringVar(&opts.Name, "name", "", "name shown in the invite")
	fs.BoolVar(&opts.SendEmail, "send-email", false, "have Grafana email the invitation")
	fs.BoolVar(&opts.AllowDuplicate, "allow-duplicate", false, "always create a new invite, even when one is pending")
	fs.BoolVar(&opts.ReplaceRole, "replace-role", false, "replace a pending invite that has another role")
	fs.StringArrayVar(&opts.Logins, "login", nil, "add the existing user with this login (repeatable)")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "print what would be done, change nothing")
	addDryRunFlags(cmd, &opts.dryRunFlags)
	_ = cmd.RegisterFlagCompletionFunc("role", fixedCompletions(roles...))
	_ = cmd.RegisterFlagCompletionFunc("name", cobra.NoFileCompletions)
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, addrs []string) error {
		if err := opts.out.check(); err != nil {
			return err
		}
		if err := opts.check(opts.DryRun); err != nil {
			return err
		}
		if role == "" {
			return usagef("invite needs --role (%s)", roleChoices())
		}
		r, err := api.ParseRole(role)
		if err != nil {
			return usagef("--role %q is not a role; want %s", role, roleChoices())
		}
		opts.Role = r
		if len(addrs)+len(opts.Logins) == 0 {
			return usagef("invite needs at least one address (or --login): grafana-invites invite bob@example.com --role Viewer")
		}
		if err := checkInvitees(addrs, opts.Logins); err != nil {
			return err
		}
		opts.Addresses = addrs
		if runF != nil {
			return runF(ctx, opts)
		}
		return runInvite(ctx, opts)
	})
	return cmd
}

// runInvite plans the invites (or, with --allow-duplicate, makes one each), then prints the
// plan (dry run) or applies it, one address at a time.
func runInvite(ctx context.Context, opts *inviteOptions) error {
	a := opts.app
	addrs := slices.Concat(opts.Addresses, opts.Logins)
	c, err := opts.conn.client(a)
	if err != nil {
		return err
	}
	var plan *api.Plan
	if opts.AllowDuplicate {
		plan = duplicatePlan(addrs, opts.Name, opts.Role, opts.SendEmail)
	} else {
		desired := make([]api.Desired, len(addrs))
		for i, addr := range addrs {
			desired[i] = api.Desired{Email: addr, Role: opts.Role, Name: opts.Name}
		}
		planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
		plan, err = c.Plan(planCtx, desired, api.PlanOptions{ReplaceRoleMismatch: opts.ReplaceRole, SendEmail: opts.SendEmail})
		cancel()
		if err != nil {
			return interrupted(planCtx, err)
		}
		plan.Unchanged = slices.DeleteFunc(plan.Unchanged, func(e api.ReportEntry) bool { return e.Outcome == api.OutcomeStale })
	}
	if opts.DryRun {
		if err := a.printEntries(opts.out, dryRunShows(planEntries(plan), opts.ShowUnchanged)); err != nil {
			return err
		}
		return dryRunEnd(opts.DetailedExitcode, plan.Changes())
	}
	entries, fails, err := a.applyPlan(ctx, c, "invite", plan, 1) // one at a time, in order: Ctrl-C stops after the one under way
	fails = append(fails, undoLoginInvites(ctx, c, entries, opts.Logins)...)
	for i, en := range entries {
		if en.Result == string(api.OutcomeAlreadyInvited) {
			entries[i].Note = joinNotes(en.Note, "nothing sent")
		}
	}
	if perr := a.printEntries(opts.out, runShows(entries)); perr != nil {
		return perr
	}
	return a.endRun(entries, fails, err, "addresses")
}

// checkInvitees refuses what Grafana would refuse or misread, before anything is sent: an
// empty argument, surrounding spaces, a word without '@' (Grafana would keep it as an invite
// no email can reach), an address Grafana's own rule refuses, and a --login that is an
// address.
func checkInvitees(addrs, logins []string) error {
	for _, addr := range addrs {
		switch {
		case strings.TrimSpace(addr) == "" || strings.TrimSpace(addr) != addr:
			return usagef("address %q is empty or has surrounding spaces", addr)
		case !strings.Contains(addr, "@"):
			return usagef("%q is not an email address (it has no '@'), nothing was sent; to add an existing user by login: --login %s", addr, addr)
		case !emailaddr.Valid(addr):
			return usagef("%q is not an email address Grafana accepts (nothing was sent)", addr)
		}
	}
	for _, login := range logins {
		switch {
		case strings.TrimSpace(login) == "" || strings.TrimSpace(login) != login:
			return usagef("--login %q is empty or has surrounding spaces", login)
		case strings.Contains(login, "@"):
			return usagef("--login %q is an address: pass it as an argument", login)
		}
	}
	return nil
}

// undoLoginInvites revokes the invites Grafana made for logins no user has (it stores
// whatever loginOrEmail it is given) and turns their entries into failures: a login is for
// adding an existing user.
func undoLoginInvites(ctx context.Context, c *api.Client, entries []entry, logins []string) []failure {
	asked := map[string]bool{}
	for _, l := range logins {
		asked[api.NormalizeEmail(l)] = true
	}
	var fails []failure
	for i, en := range entries {
		if !asked[en.Address] || en.Code == "" || (en.Result != string(api.OutcomeInvited) && en.Result != string(api.OutcomeReplaced)) {
			continue
		}
		err := errors.New("no user has this login: Grafana made an invite addressed to it, now revoked")
		if rerr := c.Revoke(ctx, en.Code); rerr != nil {
			err = fmt.Errorf("no user has this login, and revoking the invite Grafana made for it (code %s) failed: %w", api.ShortCode(en.Code), rerr)
		}
		entries[i].Result, entries[i].URL, entries[i].Error, entries[i].Note = string(api.OutcomeFailed), "", err.Error(), "no such user"
		fails = append(fails, failure{address: en.Address, err: err})
	}
	return fails
}

// duplicatePlan invites each address whatever is pending (--allow-duplicate): a plan of
// invite actions only, made by hand.
func duplicatePlan(addrs []string, name string, role api.Role, sendEmail bool) *api.Plan {
	p := &api.Plan{SendEmail: sendEmail}
	for _, addr := range addrs {
		p.Actions = append(p.Actions, api.Action{Kind: api.ActionInvite, Email: addr, Role: role, Name: name})
	}
	return p
}
