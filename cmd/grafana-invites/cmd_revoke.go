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

// minCodePrefix is the shortest start of a code that names an invite: as long as the short
// codes tables show.
const minCodePrefix = 4

// target is one thing to revoke: an invitation code (or the start of one), every pending
// invite of an address or of a login, or a word that is one of those.
type target struct {
	kind  string // "code", "address", "login" or "word" (a code's start or a login)
	value string
}

// classify reads an argument given without a flag: with '@' an address, 30 characters of
// [0-9A-Za-z] a code (as Grafana makes them), anything else a word, which the pending
// invites resolve to the start of a code or a login.
func classify(arg string) target {
	switch {
	case strings.Contains(arg, "@"):
		return target{"address", arg}
	case grafanaCode.MatchString(arg):
		return target{"code", arg}
	}
	return target{"word", arg}
}

// noPending is the note of an address or login without pending invites.
const noPending = "no pending invite"

// revokeOptions are revoke's flags and arguments.
type revokeOptions struct {
	app  *app
	conn *conn
	out  *output
	// Targets are the arguments and the --code, --email and --login flags, in that order.
	Targets     []target
	Yes         bool
	Concurrency int
	DryRun      bool
	dryRunFlags
}

// newRevokeCmd builds revoke; runF, when not nil, is called with the parsed options instead
// of runRevoke (tests check the flags so).
func newRevokeCmd(a *app, runF func(context.Context, *revokeOptions) error) *cobra.Command {
	opts := &revokeOptions{app: a}
	var codes, emails, logins []string
	cmd := &cobra.Command{
		Use:   "revoke [CODE|ADDRESS|LOGIN...] [--code CODE] [--email ADDRESS] [--login LOGIN] [flags]",
		Short: "Revoke invites by code, or every pending invite of an address or login",
		Long: `Revoke pending invites. An argument with '@' is an address (all its pending invites go),
30 letters and digits a code (as Grafana makes them). Any other word is the start of a
pending invite's code, 4 characters or more (tables show codes so: yiKH…), or a login (for
invites made for a login no user had). --code (a code or its start), --email and --login say
which, whatever the text. A start that several codes share, or a word that names no pending
invite, is refused before anything is revoked.

When the arguments come to more than one invite, revoke shows them and asks on a terminal;
elsewhere it needs --yes, and without it changes nothing and exits 2. --dry-run shows what
would go. Invites are revoked --concurrency at a time, with progress; Ctrl-C starts no new
revoke, lets those under way finish, prints what was done and exits 130.`,
		Example: `  grafana-invites revoke bob@example.com
  grafana-invites revoke yiKH
  grafana-invites revoke --code Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm
  grafana-invites revoke ann@example.com carl@example.com --dry-run
  grafana-invites revoke ann@example.com carl@example.com --yes`,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	opts.conn = addConnFlags(a, cmd)
	opts.out = addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.StringArrayVar(&codes, "code", nil, "revoke the invite with this code, or the start of it (repeatable)")
	fs.StringArrayVar(&emails, "email", nil, "revoke every pending invite of this address (repeatable)")
	fs.StringArrayVar(&logins, "login", nil, "revoke every pending invite made for this login (repeatable)")
	fs.BoolVarP(&opts.Yes, "yes", "y", false, "revoke without asking, even more than one invite")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "print what would be revoked, change nothing")
	addDryRunFlags(cmd, &opts.dryRunFlags)
	addConcurrencyFlag(cmd, &opts.Concurrency, "revokes in flight at once")
	for _, name := range []string{"code", "email", "login"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, args []string) error {
		if err := checkRunFlags(opts.out, opts.Concurrency, opts.dryRunFlags, opts.DryRun); err != nil {
			return err
		}
		var err error
		if opts.Targets, err = revokeTargets(args, codes, emails, logins); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runRevoke(ctx, opts)
	})
	return cmd
}

// runRevoke resolves the targets against the pending invites, then prints the plan (dry
// run) or, asked when more than one invite goes, revokes them.
func runRevoke(ctx context.Context, opts *revokeOptions) error {
	a := opts.app
	c, err := opts.conn.client(a)
	if err != nil {
		return err
	}
	planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
	defer cancel()
	pending, err := c.ListPending(planCtx)
	if err != nil {
		return interrupted(planCtx, err)
	}
	sel, err := resolveTargets(opts.Targets, pending)
	if err != nil {
		return err
	}
	plan, err := api.PlanRevokeFrom(pending, sel) // the list just read: no second one
	if err != nil {
		return err
	}
	if opts.DryRun {
		entries := append(planEntries(plan), withoutInvites(opts.Targets, plan, actionNone)...)
		if err := a.printEntries(opts.out, dryRunShows(entries, opts.ShowUnchanged)); err != nil {
			return err
		}
		return dryRunEnd(opts.DetailedExitcode, plan.Changes())
	}
	if plan.Changes() > 1 {
		err := a.confirm(opts.Yes, fmt.Sprintf("revoke concerns %d invites", plan.Changes()), func() {
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
	entries, fails, err := a.applyPlan(ctx, c, "revoke", plan, opts.Concurrency)
	entries = append(entries, withoutInvites(opts.Targets, plan, "")...)
	if perr := a.printRevoked(opts.out, entries); perr != nil {
		return perr
	}
	return a.endRun(entries, fails, err, "invites")
}

// revokeTargets gathers the targets of the arguments and flags, refusing empty ones and codes
// that cannot be a code's start, before anything is sent.
func revokeTargets(args, codes, emails, logins []string) ([]target, error) {
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
		return nil, usagef("revoke needs codes, addresses or logins: grafana-invites revoke bob@example.com")
	}
	for _, t := range targets {
		if strings.TrimSpace(t.value) == "" {
			return nil, usagef("an empty %s to revoke", t.kind)
		}
		if t.kind == "code" {
			var ve *api.ValidationError
			if err := api.CheckCode(t.value); errors.As(err, &ve) {
				return nil, usagef("invalid invitation code: %s", ve.Problem)
			}
			if len(t.value) < minCodePrefix {
				return nil, usagef("--code %s: the start of a code needs %d characters or more", t.value, minCodePrefix)
			}
		}
	}
	return targets, nil
}

// resolveTargets turns the targets into what PlanRevoke takes: a code's start (of 4
// characters or more) into the one pending code it begins, a word into such a code or a
// login. A start several pending codes share, or a word naming no pending invite, is a
// usage error listing what it matched: nothing is revoked.
func resolveTargets(targets []target, pending []api.Invite) (api.RevokeTargets, error) {
	var sel api.RevokeTargets
	for _, t := range targets {
		switch t.kind {
		case "address", "login":
			sel.Emails = append(sel.Emails, t.value)
			continue
		case "code":
			if grafanaCode.MatchString(t.value) {
				sel.Codes = append(sel.Codes, t.value) // a whole code: PlanRevoke says whether it is pending
				continue
			}
		}
		var byCode, byLogin []api.Invite
		for _, inv := range pending {
			if len(t.value) >= minCodePrefix && strings.HasPrefix(inv.Code, t.value) {
				byCode = append(byCode, inv)
			}
			if t.kind == "word" && api.NormalizeEmail(inv.Email) == api.NormalizeEmail(t.value) {
				byLogin = append(byLogin, inv)
			}
		}
		switch {
		case len(byCode) == 1 && len(byLogin) == 0:
			sel.Codes = append(sel.Codes, byCode[0].Code)
		case len(byCode) == 0 && len(byLogin) > 0:
			sel.Emails = append(sel.Emails, t.value)
		case len(byCode)+len(byLogin) == 0:
			return sel, usagef("%q is neither the start of a pending invite's code (%d characters or more) nor the login of one; nothing was revoked ('grafana-invites list' shows them)", t.value, minCodePrefix)
		default:
			var names []string
			for _, inv := range append(byCode, byLogin...) {
				names = append(names, fmt.Sprintf("%s (%s, %s)", inv.Email, inv.Role, short(inv.Code)))
			}
			return sel, usagef("%q matches %d pending invites: %s; nothing was revoked: give more of the code, or --email/--login", t.value, len(names), strings.Join(names, ", "))
		}
	}
	return sel, nil
}

// withoutInvites are the entries of the addresses and logins that no pending invite had:
// nothing to revoke. action is the entries' action: actionNone in a dry run.
func withoutInvites(targets []target, p *api.Plan, action string) []entry {
	planned := map[string]bool{}
	for _, act := range p.Actions {
		planned[act.Email] = true
	}
	var out []entry
	for _, t := range targets {
		if k := api.NormalizeEmail(t.value); (t.kind == "address" || t.kind == "login") && !planned[k] {
			planned[k] = true
			out = append(out, entry{Address: t.value, Action: action, Note: noPending})
		}
	}
	return out
}

// printRevoked writes revoke's entries; tables show short codes.
func (a *app) printRevoked(out *output, entries []entry) error {
	if out.format != formatTable {
		return writeEntries(a.e.stdout, out.format, runShows(entries))
	}
	t := newTable(a.e.stdout, "ADDRESS", "ROLE", "RESULT", "CODE")
	for _, en := range entries {
		t.row(en.Address, en.Role, firstNonEmpty(shown(en), en.Note), short(en.Code))
	}
	t.flush()
	return nil
}
