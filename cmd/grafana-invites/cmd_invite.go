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

// roles are the organisation roles, as Grafana spells them.
var roles = []string{"None", "Viewer", "Editor", "Admin"}

// smtpNote is the note of an invite saved without its email.
const smtpNote = "no email (Grafana has no SMTP)"

func newInviteCmd(a *app) *cobra.Command {
	var role, name string
	var logins []string
	var sendEmail, allowDup, replace bool
	cmd := &cobra.Command{
		Use:   "invite ADDRESS... [--login LOGIN]... --role ROLE [flags]",
		Short: "Invite addresses (idempotent: a pending invite is reused)",
		Long: `Invite people to the organisation with a role. An address that already has a pending
invite with that role is left alone (nothing is sent); one whose user exists is added to the
organisation at once; one whose user is already a member is reported.

Every argument must be an email address Grafana accepts: a word without '@' is refused
before anything is sent, since Grafana would store it as an invite no email can reach.
--login adds an existing user by login, which Grafana does at once; when no user has that
login, the invite Grafana makes for it is revoked again and the login reported as failed.`,
		Example: `  grafana-invites invite bob@example.com --role Viewer
  grafana-invites invite ann@example.com carl@example.com --role Editor --send-email
  grafana-invites invite bob@example.com --role Admin --replace-role
  grafana-invites invite --login dave --role Editor`,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	cn := addConnFlags(cmd)
	out := addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.StringVar(&role, "role", "", "role of the invitees: None, Viewer, Editor or Admin (required)")
	fs.StringVar(&name, "name", "", "name shown in the invite")
	fs.BoolVar(&sendEmail, "send-email", false, "have Grafana email the invitation")
	fs.BoolVar(&allowDup, "allow-duplicate", false, "always create a new invite, even when one is pending")
	fs.BoolVar(&replace, "replace-role", false, "replace a pending invite that has another role")
	fs.StringArrayVar(&logins, "login", nil, "add the existing user with this login (repeatable)")
	_ = cmd.RegisterFlagCompletionFunc("role", fixedCompletions(roles...))
	_ = cmd.RegisterFlagCompletionFunc("name", cobra.NoFileCompletions)
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, addrs []string) error {
		if err := out.check(); err != nil {
			return err
		}
		if role == "" {
			return usagef("invite needs --role (None, Viewer, Editor or Admin)")
		}
		r, err := api.ParseRole(role)
		if err != nil {
			return usagef("--role %q is not a role; want None, Viewer, Editor or Admin", role)
		}
		if len(addrs)+len(logins) == 0 {
			return usagef("invite needs at least one address (or --login): grafana-invites invite bob@example.com --role Viewer")
		}
		if err := checkInvitees(addrs, logins); err != nil {
			return err
		}
		addrs = append(addrs, logins...)
		c, err := cn.client(a)
		if err != nil {
			return err
		}
		var plan *api.Plan
		if allowDup {
			plan = duplicatePlan(addrs, name, r, sendEmail)
		} else {
			desired := make([]api.Desired, len(addrs))
			for i, addr := range addrs {
				desired[i] = api.Desired{Email: addr, Role: r, Name: name}
			}
			planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
			plan, err = c.Plan(planCtx, desired, api.PlanOptions{ReplaceRoleMismatch: replace, SendEmail: sendEmail})
			cancel()
			if err != nil {
				return interrupted(planCtx, err)
			}
			plan.Unchanged = slices.DeleteFunc(plan.Unchanged, func(e api.ReportEntry) bool { return e.Outcome == api.OutcomeStale })
		}
		entries, fails, err := a.applyPlan(ctx, c, "invite", plan, 1) // one at a time, in order: Ctrl-C stops after the one under way
		fails = append(fails, undoLoginInvites(ctx, c, entries, logins)...)
		for i, en := range entries {
			if en.Result == string(api.OutcomeAlreadyInvited) {
				entries[i].Note = joinNotes(en.Note, "nothing sent")
			}
		}
		if perr := a.printEntries(out, entries, false); perr != nil {
			return perr
		}
		return a.endRun(entries, fails, err, "addresses")
	})
	return cmd
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
		fails = append(fails, failure{en.Address, err})
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
