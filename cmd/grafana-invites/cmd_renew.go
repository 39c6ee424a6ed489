package main

import (
	"context"
	"fmt"
	"strings"

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
		cutoff := now.Add(-d)
		listCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
		all, err := c.ListPending(listCtx)
		cancel()
		if err != nil {
			return interrupted(listCtx, err)
		}
		due := olderThan(all, cutoff, addresses)
		if dryRun {
			if out.format == formatTable {
				printAging(a.e.stdout, due, now, defaultLifetime)
				return nil
			}
			var entries []entry
			for _, inv := range due {
				entries = append(entries, entry{Address: inv.Email, Role: string(inv.Role), Action: "renew", Code: inv.Code, URL: inv.URL})
			}
			return writeEntries(a.e.stdout, out.format, true, entries)
		}
		if len(due) > 1 {
			err := a.confirm(yes, fmt.Sprintf("renew concerns %d invites", len(due)), func() { printAging(a.e.stderr, due, now, defaultLifetime) },
				fmt.Sprintf("Renew these %d invites (new codes and URLs; the old links stop working)?", len(due)))
			if err != nil {
				return err
			}
		}
		prog := a.newProgress("renew", len(due))
		report, err := c.Renew(ctx, api.RenewOptions{CreatedBefore: cutoff, Emails: addresses, SendEmail: sendEmail, Concurrency: concurrency,
			Stop: a.e.interrupt, Progress: func(done, total int, _ api.RenewEntry) { prog.update(done, total) }})
		prog.finish()
		if report == nil {
			return err
		}
		if len(report.Entries) == 0 && err == nil {
			a.note("nothing to renew")
			return nil
		}
		entries, fails := renewEntries(report)
		return a.finishRun(out, entries, fails, err)
	})
	return cmd
}

// renewEntries is Renew's report as entries: the new code and URL, and the code renewed.
func renewEntries(r *api.RenewReport) ([]entry, []failure) {
	out := make([]entry, 0, len(r.Entries))
	var fails []failure
	for _, en := range r.Entries {
		e := entry{Address: en.Email, Role: string(en.Role), Result: en.Outcome.String()}
		if en.Old != nil {
			e.OldCode = en.Old.Code
		}
		if en.New != nil && en.Outcome == api.OutcomeRenewed {
			e.Code, e.URL = en.New.Code, en.New.URL
		}
		if en.EmailNotSent {
			e.Note = smtpNote
		}
		if en.Err != nil {
			e.Error = en.Err.Error()
			fails = append(fails, failure{en.Email, en.Err})
		}
		out = append(out, e)
	}
	return out, fails
}
