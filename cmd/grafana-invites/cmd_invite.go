package main

import (
	"context"
	"errors"
	"fmt"
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
		var entries []entry
		var fails []failure
		for _, addr := range addrs {
			if stopped(a.e.interrupt) {
				break
			}
			req := api.InviteRequest{LoginOrEmail: addr, Name: name, Role: r, SendEmail: sendEmail}
			var en entry
			if allowDup {
				en, err = inviteDuplicate(ctx, c, req)
			} else {
				en, err = ensureInvite(ctx, c, api.EnsureRequest{InviteRequest: req, ReplaceRoleMismatch: replace})
			}
			if err != nil {
				fails = append(fails, failure{addr, err})
				en = entry{Address: addr, Role: string(r), Result: api.OutcomeFailed.String(), Error: err.Error()}
			}
			if !strings.Contains(addr, "@") && en.Result == api.OutcomeInvited.String() {
				en.Note = joinNotes(en.Note, "no such user: an invite for the login")
			}
			entries = append(entries, en)
		}
		if err := a.printEntries(out, entries, false); err != nil {
			return err
		}
		a.reportFailures(fails)
		if stopped(a.e.interrupt) && len(entries) < len(addrs) {
			return &interruptedError{done: fmt.Sprintf("%d of %d addresses were not started; the rows above were done", len(addrs)-len(entries), len(addrs))}
		}
		if len(fails) > 0 {
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

func ensureInvite(ctx context.Context, c *api.Client, req api.EnsureRequest) (entry, error) {
	res, err := c.EnsureInvited(ctx, req)
	if err != nil {
		return entry{}, err
	}
	en := entry{Address: req.LoginOrEmail, Result: res.Outcome.String(), Role: string(req.Role), UserID: res.UserID}
	if res.Invite != nil {
		en.Code, en.URL, en.Role = res.Invite.Code, res.Invite.URL, string(res.Invite.Role)
	}
	switch res.Outcome {
	case api.OutcomeAlreadyMember:
		en.Role = "" // the member's role is theirs, not the one asked for
	case api.OutcomeRoleMismatch:
		p := res.Pending[0]
		en.Role, en.URL, en.Code = string(p.Role), p.URL, p.Code
		en.Note = "kept; --replace-role replaces it"
	case api.OutcomeAlreadyInvited:
		en.Note = "nothing sent"
	}
	if res.EmailNotSent {
		en.Note = smtpNote
	}
	return en, nil
}

// inviteDuplicate always POSTs (--allow-duplicate), then finds the invite it made.
func inviteDuplicate(ctx context.Context, c *api.Client, req api.InviteRequest) (entry, error) {
	en := entry{Address: req.LoginOrEmail, Role: string(req.Role)}
	res, err := c.Invite(ctx, req)
	switch {
	case errors.Is(err, api.ErrSMTPNotConfigured):
		en.Result, en.Note = api.OutcomeInvited.String(), smtpNote
	case errors.Is(err, api.ErrAlreadyMember):
		en.Result, en.Role = api.OutcomeAlreadyMember.String(), ""
		return en, nil
	case err != nil:
		return en, err
	case res.Outcome == api.OutcomeUserAdded:
		en.Result, en.UserID = res.Outcome.String(), res.UserID
		if res.NotifyFailed {
			en.Note = smtpNote
		}
		return en, nil
	default:
		en.Result = res.Outcome.String()
	}
	found, err := c.FindPending(ctx, req.LoginOrEmail)
	if err != nil {
		return en, fmt.Errorf("invited %s, but listing to find its URL failed: %w", req.LoginOrEmail, err)
	}
	if len(found) > 0 {
		en.Code, en.URL = found[0].Code, found[0].URL
	}
	return en, nil
}
