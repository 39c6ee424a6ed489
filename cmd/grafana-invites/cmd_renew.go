package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

func newRenewCmd(a *app) *cobra.Command {
	var older string
	var sendEmail, dryRun, yes bool
	var concurrency int
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
	cn := addConnFlags(cmd)
	out := addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.StringVar(&older, "older-than", "", "renew invites created more than this long ago, e.g. 20h (required)")
	fs.BoolVar(&sendEmail, "send-email", false, "have Grafana email the new invitations")
	fs.BoolVar(&dryRun, "dry-run", false, "list what would be renewed; change nothing")
	fs.BoolVarP(&yes, "yes", "y", false, "renew without asking, even more than one invite")
	fs.IntVar(&concurrency, "concurrency", 4, "addresses worked on at once (1–64)")
	_ = cmd.RegisterFlagCompletionFunc("older-than", fixedCompletions("12h", "20h", "23h"))
	_ = cmd.RegisterFlagCompletionFunc("concurrency", fixedCompletions("1", "4", "16", "64"))
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, addresses []string) error {
		if err := out.check(); err != nil {
			return err
		}
		if older == "" {
			return usagef("renew needs --older-than, e.g. --older-than 20h (Grafana's invites lapse after 24h by default)")
		}
		d, err := parseAge("--older-than", older)
		if err != nil {
			return err
		}
		if concurrency < 1 || concurrency > 64 {
			return usagef("--concurrency %d: want 1 to 64", concurrency)
		}
		for _, addr := range addresses {
			if strings.TrimSpace(addr) == "" {
				return usagef("an address is empty")
			}
		}
		c, err := cn.client(a)
		if err != nil {
			return err
		}
		now := a.e.now()
		planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
		plan, err := c.PlanRenew(planCtx, api.RenewOptions{CreatedBefore: now.Add(-d), Emails: addresses, SendEmail: sendEmail})
		cancel()
		if err != nil {
			return interrupted(planCtx, err)
		}
		preview := renewPreview(plan, now)
		if dryRun {
			return a.printEntries(out, preview, true)
		}
		if plan.Changes() == 0 {
			a.note("nothing to renew")
			return nil
		}
		if plan.Changes() > 1 {
			err := a.confirm(yes, fmt.Sprintf("renew concerns %d invites", plan.Changes()), func() { writeEntryTable(a.e.stderr, changesOf(preview), true) },
				fmt.Sprintf("Renew these %d invites (new codes and URLs; the old links stop working)?", plan.Changes()))
			if err != nil {
				return err
			}
		}
		entries, fails, err := a.applyPlan(ctx, c, "renew", plan, concurrency)
		return a.finishRun(out, entries, fails, err)
	})
	return cmd
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

// changesOf keeps the entries of a plan that change something.
func changesOf(entries []entry) []entry {
	var out []entry
	for _, en := range entries {
		if en.Action != actionNone {
			out = append(out, en)
		}
	}
	return out
}
