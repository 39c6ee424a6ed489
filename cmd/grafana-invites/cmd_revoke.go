package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// grafanaCode is the shape of the codes Grafana makes.
var grafanaCode = regexp.MustCompile(`^[0-9A-Za-z]{30}$`)

// target is one thing to revoke: an invitation code, or every pending invite of an address
// or of a login.
type target struct {
	kind  string // "code", "address" or "login"
	value string
}

// classify reads an argument given without a flag: with '@' an address, 30 characters of
// [0-9A-Za-z] a code (as Grafana makes them), anything else a login.
func classify(arg string) target {
	switch {
	case strings.Contains(arg, "@"):
		return target{"address", arg}
	case grafanaCode.MatchString(arg):
		return target{"code", arg}
	}
	return target{"login", arg}
}

// noPending is the note of an address or login without pending invites.
const noPending = "no pending invite"

func newRevokeCmd(a *app) *cobra.Command {
	var codes, emails, logins []string
	var yes bool
	cmd := &cobra.Command{
		Use:   "revoke [CODE|ADDRESS|LOGIN...] [--code CODE] [--email ADDRESS] [--login LOGIN] [flags]",
		Short: "Revoke invites by code, or every pending invite of an address or login",
		Long: `Revoke pending invites. An argument with '@' is an address (all its pending invites go),
30 letters and digits a code (as Grafana makes them), anything else a login (for invites made
for a login no user had). --code, --email and --login say which, whatever the text.

When the arguments come to more than one invite, revoke shows them and asks on a terminal;
elsewhere it needs --yes, and without it changes nothing and exits 2.`,
		Example: `  grafana-invites revoke bob@example.com
  grafana-invites revoke --code Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm
  grafana-invites revoke ann@example.com carl@example.com --yes`,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	cn := addConnFlags(cmd)
	out := addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.StringArrayVar(&codes, "code", nil, "revoke the invite with this code (repeatable)")
	fs.StringArrayVar(&emails, "email", nil, "revoke every pending invite of this address (repeatable)")
	fs.StringArrayVar(&logins, "login", nil, "revoke every pending invite made for this login (repeatable)")
	fs.BoolVarP(&yes, "yes", "y", false, "revoke without asking, even more than one invite")
	for _, name := range []string{"code", "email", "login"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, args []string) error {
		if err := out.check(); err != nil {
			return err
		}
		var targets []target
		for _, arg := range args {
			targets = append(targets, classify(arg))
		}
		for _, v := range codes {
			targets = append(targets, target{"code", v})
		}
		for _, v := range emails {
			targets = append(targets, target{"address", v})
		}
		for _, v := range logins {
			targets = append(targets, target{"login", v})
		}
		if len(targets) == 0 {
			return usagef("revoke needs codes, addresses or logins: grafana-invites revoke bob@example.com")
		}
		for _, t := range targets {
			if strings.TrimSpace(t.value) == "" {
				return usagef("an empty %s to revoke", t.kind)
			}
			if t.kind == "code" {
				var ve *api.ValidationError
				if err := api.CheckCode(t.value); errors.As(err, &ve) {
					return usagef("invalid invitation code: %s", ve.Problem)
				}
			}
		}
		c, err := cn.client(a)
		if err != nil {
			return err
		}
		var sel api.RevokeTargets
		for _, t := range targets {
			if t.kind == "code" {
				sel.Codes = append(sel.Codes, t.value)
			} else {
				sel.Emails = append(sel.Emails, t.value)
			}
		}
		planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
		plan, err := c.PlanRevoke(planCtx, sel)
		cancel()
		if err != nil {
			return interrupted(planCtx, err)
		}
		if plan.Changes() > 1 {
			err := a.confirm(yes, fmt.Sprintf("revoke concerns %d invites", plan.Changes()), func() {
				t := newTable(a.e.stderr, "EMAIL", "ROLE", "AGE", "CODE")
				for _, act := range plan.Actions {
					inv := act.Old[0]
					t.row(inv.Email, string(inv.Role), age(a.e.now().Sub(inv.CreatedOn)), short(inv.Code))
				}
				t.flush()
			}, fmt.Sprintf("Revoke these %d invites (their links stop working)?", plan.Changes()))
			if err != nil {
				return err
			}
		}
		entries, fails, err := a.applyPlan(ctx, c, "revoke", plan, 1) // one at a time, in order: Ctrl-C stops after the one under way
		entries = append(entries, withoutInvites(targets, plan)...)
		if perr := a.printRevoked(out, entries); perr != nil {
			return perr
		}
		a.reportFailures(fails)
		switch {
		case errors.Is(err, api.ErrStopped):
			return &interruptedError{done: notStartedNote(entries, "invites")}
		case err != nil:
			return err
		case len(fails) > 0:
			return &exitStatus{exitError}
		}
		return nil
	})
	return cmd
}

// withoutInvites are the entries of the addresses and logins that no pending invite had:
// nothing to revoke.
func withoutInvites(targets []target, p *api.Plan) []entry {
	planned := map[string]bool{}
	for _, act := range p.Actions {
		planned[act.Email] = true
	}
	var out []entry
	for _, t := range targets {
		if k := api.NormalizeEmail(t.value); t.kind != "code" && !planned[k] {
			planned[k] = true
			out = append(out, entry{Address: t.value, Note: noPending})
		}
	}
	return out
}

// printRevoked writes revoke's entries; tables show short codes.
func (a *app) printRevoked(out *output, entries []entry) error {
	if out.format != formatTable {
		return writeEntries(a.e.stdout, out.format, false, entries)
	}
	t := newTable(a.e.stdout, "ADDRESS", "ROLE", "RESULT", "CODE")
	for _, en := range entries {
		t.row(en.Address, en.Role, firstNonEmpty(shown(en), en.Note), short(en.Code))
	}
	t.flush()
	return nil
}
