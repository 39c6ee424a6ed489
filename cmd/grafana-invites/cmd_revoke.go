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

// noPending is the result of an address or login without pending invites.
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
				if err := api.CheckCode(t.value); err != nil {
					return usagef("%s", strings.TrimPrefix(err.Error(), "grafana: "))
				}
			}
		}
		c, err := cn.client(a)
		if err != nil {
			return err
		}
		listCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
		pending, err := c.ListPending(listCtx)
		cancel()
		if err != nil {
			return interrupted(listCtx, err)
		}
		todo, entries, fails := resolveTargets(targets, pending)
		if len(todo) > 1 {
			err := a.confirm(yes, fmt.Sprintf("revoke concerns %d invites", len(todo)), func() {
				t := newTable(a.e.stderr, "EMAIL", "ROLE", "AGE", "CODE")
				for _, inv := range todo {
					t.row(inv.Email, string(inv.Role), age(a.e.now().Sub(inv.CreatedOn)), short(inv.Code))
				}
				t.flush()
			}, fmt.Sprintf("Revoke these %d invites (their links stop working)?", len(todo)))
			if err != nil {
				return err
			}
		}
		notStarted := 0
		for _, inv := range todo {
			if stopped(a.e.interrupt) {
				notStarted++
				continue
			}
			en := entry{Address: inv.Email, Role: string(inv.Role), Result: api.OutcomeRevoked.String(), Code: inv.Code}
			if err := c.Revoke(ctx, inv.Code); err != nil && !errors.Is(err, api.ErrNotFound) {
				en.Result, en.Error = api.OutcomeFailed.String(), err.Error()
				fails = append(fails, failure{inv.Email, err})
			}
			entries = append(entries, en)
		}
		if err := a.printRevoked(out, entries); err != nil {
			return err
		}
		a.reportFailures(fails)
		if notStarted > 0 {
			return &interruptedError{done: fmt.Sprintf("%d invites were not revoked; the rows above were done", notStarted)}
		}
		if len(fails) > 0 {
			return &exitStatus{exitError}
		}
		return nil
	})
	return cmd
}

// resolveTargets finds the pending invites the targets name, each once, in the targets'
// order. A code no pending invite has is a failure; an address or login without pending
// invites is an entry that says so.
func resolveTargets(targets []target, pending []api.Invite) (todo []api.Invite, entries []entry, fails []failure) {
	seen := map[string]bool{}
	for _, t := range targets {
		var found []api.Invite
		for _, inv := range pending {
			if (t.kind == "code" && inv.Code == t.value) || (t.kind != "code" && api.NormalizeEmail(inv.Email) == api.NormalizeEmail(t.value)) {
				found = append(found, inv)
			}
		}
		switch {
		case len(found) == 0 && t.kind == "code":
			fails = append(fails, failure{"code " + api.ShortCode(t.value), fmt.Errorf("no pending invite has this code: %w", api.ErrNotFound)})
			entries = append(entries, entry{Address: "-", Result: api.OutcomeFailed.String(), Code: t.value, Error: "not pending"})
		case len(found) == 0:
			entries = append(entries, entry{Address: t.value, Result: noPending})
		}
		for _, inv := range found {
			if !seen[inv.Code] {
				seen[inv.Code] = true
				todo = append(todo, inv)
			}
		}
	}
	return todo, entries, fails
}

// printRevoked writes revoke's entries; tables show short codes.
func (a *app) printRevoked(out *output, entries []entry) error {
	if out.format != formatTable {
		return writeEntries(a.e.stdout, out.format, false, entries)
	}
	t := newTable(a.e.stdout, "ADDRESS", "ROLE", "RESULT", "CODE")
	for _, en := range entries {
		t.row(en.Address, en.Role, en.Result, short(en.Code))
	}
	t.flush()
	return nil
}
