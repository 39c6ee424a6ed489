package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// renewOptions are renew's flags and arguments.
type renewOptions struct {
	app  *app
	conn *conn
	out  *output
	// OlderThan is the age from which an invite is renewed; Addresses, when any, the only
	// ones renewed.
	OlderThan   time.Duration
	Addresses   []string
	SendEmail   bool
	Yes         bool
	Concurrency int
	DryRun      bool
	dryRunFlags
}

// newRenewCmd builds renew; runF, when not nil, is called with the parsed options instead of
// runRenew (tests check the flags so).
func newRenewCmd(a *app, runF func(context.Context, *renewOptions) error) *cobra.Command {
	opts := &renewOptions{app: a}
	var older string
	cmd := &cobra.Command{
		Use:   "renew --older-than DURATION [ADDRESS...] [flags]",
		Short: "Renew pending invites before they lapse (new invite first, then the old revoked)",
		Long: `Renew the pending invites created more than DURATION ago (of the given addresses only, if
any): a new invite with the same address, role and name first, then the old one revoked, so
that an interrupted run leaves a duplicate, never a lost invitee. Grafana's invites lapse
after user_invite_max_lifetime_duration, 24h by default.

More than one invite to renew is shown and asked about on a terminal; elsewhere it needs
--yes. Ctrl-C starts no new address and prints what was done.`,
		Example: `  grafana-invites renew --older-than 20h --dry-run
  grafana-invites renew --older-than 20h --send-email --yes
  grafana-invites renew --older-than 1h bob@example.com`,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	opts.conn = addConnFlags(a, cmd)
	opts.out = addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.StringVar(&older, "older-than", "", "renew invites created more than this long ago, e.g. 20h (required)")
	fs.BoolVar(&opts.SendEmail, "send-email", false, "have Grafana email the new invitations")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "list what would be renewed; change nothing")
	addDryRunFlags(cmd, &opts.dryRunFlags)
	fs.BoolVarP(&opts.Yes, "yes", "y", false, "renew without asking, even more than one invite")
	addConcurrencyFlag(cmd, &opts.Concurrency, "addresses worked on at once")
	_ = cmd.RegisterFlagCompletionFunc("older-than", fixedCompletions("12h", "20h", "23h"))
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, addresses []string) error {
		if err := checkRunFlags(opts.out, opts.Concurrency, opts.dryRunFlags, opts.DryRun); err != nil {
			return err
		}
		if older == "" {
			return usagef("renew needs --older-than, e.g. --older-than 20h (Grafana's invites lapse after 24h by default)")
		}
		var err error
		if opts.OlderThan, err = parseAge("--older-than", older); err != nil {
			return err
		}
		for _, addr := range addresses {
			if strings.TrimSpace(addr) == "" {
				return usagef("an address is empty")
			}
		}
		opts.Addresses = addresses
		if runF != nil {
			return runF(ctx, opts)
		}
		return runRenew(ctx, opts)
	})
	return cmd
}

// runRenew plans the renewals, then prints the plan (dry run) or, asked when more than one
// invite is renewed, applies it.
func runRenew(ctx context.Context, opts *renewOptions) error {
	a := opts.app
	c, err := opts.conn.client(a)
	if err != nil {
		return err
	}
	now := a.e.now()
	planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
	plan, err := c.PlanRenew(planCtx, api.RenewOptions{CreatedBefore: now.Add(-opts.OlderThan), Emails: opts.Addresses, SendEmail: opts.SendEmail})
	cancel()
	if err != nil {
		return interrupted(planCtx, err)
	}
	preview := renewPreview(plan, now)
	if opts.DryRun {
		if err := a.printEntries(opts.out, dryRunShows(preview, opts.ShowUnchanged)); err != nil {
			return err
		}
		return dryRunEnd(opts.DetailedExitcode, plan.Changes())
	}
	if plan.Changes() == 0 {
		if opts.out.format != formatTable {
			return a.printEntries(opts.out, runShows(nil)) // scripts get a document all the same
		}
		a.note("nothing to renew")
		return nil
	}
	if plan.Changes() > 1 {
		err := a.confirm(opts.Yes, fmt.Sprintf("renew concerns %d invites", plan.Changes()), func() { writeEntryTable(a.e.stderr, changesOf(preview), true) },
			fmt.Sprintf("Renew these %d invites (new codes and URLs; the old links stop working)?", plan.Changes()))
		if err != nil {
			return err
		}
	}
	entries, fails, err := a.applyPlan(ctx, c, "renew", plan, opts.Concurrency)
	return a.finishRun(opts.out, entries, fails, err)
}

// renewPreview is a renewal plan as entries, each renewal noting the age of the invite it
// renews.
func renewPreview(p *api.Plan, now time.Time) []entry {
	ages := map[string]string{}
	for _, act := range p.Actions {
		if act.Kind == api.ActionRenew {
			ages[act.Old[0].Code] = "created " + age(now.Sub(act.Old[0].CreatedOn)) + " ago"
		}
	}
	entries := planEntries(p)
	for i, en := range entries {
		if note := ages[en.OldCode]; note != "" {
			entries[i].Note = joinNotes(note, en.Note)
		}
	}
	return entries
}
