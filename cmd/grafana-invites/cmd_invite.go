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
	var sendEmail, allowDup, replace bool
	cmd := &cobra.Command{
		Use:   "invite ADDRESS|LOGIN... --role ROLE [flags]",
		Short: "Invite addresses (idempotent: a pending invite is reused)",
		Long: `Invite people to the organisation with a role. An address that already has a pending
invite with that role is left alone (nothing is sent); one whose user exists is added to the
organisation at once; one whose user is already a member is reported.

An argument with '@' must be an email address Grafana accepts; one without is a login: the
user with that login is added, and when no user has it Grafana makes an invite addressed to
the login itself.`,
		Example: `  grafana-invites invite bob@example.com --role Viewer
  grafana-invites invite ann@example.com carl@example.com --role Editor --send-email
  grafana-invites invite bob@example.com --role Admin --replace-role`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("invite needs at least one address: grafana-invites invite bob@example.com --role Viewer")
			}
			return nil
		},
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
		if err := checkInvitees(addrs); err != nil {
			return err
		}
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
		for i, en := range entries {
			if !strings.Contains(en.Address, "@") && en.Result == string(api.OutcomeInvited) {
				entries[i].Note = joinNotes(en.Note, "no such user: an invite for the login")
			}
			if en.Result == string(api.OutcomeAlreadyInvited) {
				entries[i].Note = joinNotes(en.Note, "nothing sent")
			}
		}
		if perr := a.printEntries(out, entries, false); perr != nil {
			return perr
		}
		a.reportFailures(fails)
		switch {
		case errors.Is(err, api.ErrStopped):
			return &interruptedError{done: notStartedNote(entries, "addresses")}
		case err != nil:
			return err
		case len(fails) > 0:
			return &exitStatus{exitError}
		}
		return nil
	})
	return cmd
}

// checkInvitees refuses what Grafana would refuse or misread, before anything is sent: an
// empty argument, surrounding spaces, and an argument with '@' that is not an address by
// Grafana's own rule.
func checkInvitees(addrs []string) error {
	for _, addr := range addrs {
		switch {
		case strings.TrimSpace(addr) == "" || strings.TrimSpace(addr) != addr:
			return usagef("address %q is empty or has surrounding spaces", addr)
		case strings.Contains(addr, "@") && !emailaddr.Valid(addr):
			return usagef("%q is not an email address Grafana accepts (nothing was sent)", addr)
		}
	}
	return nil
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
