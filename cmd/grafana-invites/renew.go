package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
)

// defaultLifetime is Grafana's default [users] user_invite_max_lifetime_duration.
const defaultLifetime = 24 * time.Hour

// parseAge reads an age flag such as --older-than 20h.
func parseAge(flag, v string) (time.Duration, error) { return parseDuration(flag, v, "h") }

// parseDuration reads a positive duration flag, saying what to write when the unit is
// missing ("--timeout 5: add a unit, e.g. 5s"); unit is the one to suggest.
func parseDuration(flag, v, unit string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil && strings.Trim(v, "0123456789.") == "" && v != "":
		return 0, usagef("%s %s: add a unit, e.g. %s%s", flag, v, v, unit)
	case err != nil:
		return 0, usagef("%s %q: want a duration such as 20h or 90m", flag, v)
	case d <= 0:
		return 0, usagef("%s %s: want a positive duration", flag, v)
	}
	return d, nil
}

// olderThan keeps the invites created before cutoff, restricted to addresses when given.
func olderThan(all []api.Invite, cutoff time.Time, addresses []string) []api.Invite {
	only := map[string]bool{}
	for _, a := range addresses {
		only[api.NormalizeEmail(a)] = true
	}
	var out []api.Invite
	for _, inv := range all {
		if inv.CreatedOn.Before(cutoff) && (len(only) == 0 || only[api.NormalizeEmail(inv.Email)]) {
			out = append(out, inv)
		}
	}
	return out
}

// printAging lists invites with their age and the time left before they lapse.
func printAging(w io.Writer, l []api.Invite, now time.Time, lifetime time.Duration) {
	if len(l) == 0 {
		fmt.Fprintln(w, "(no pending invites that old)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tAGE\tLAPSES IN\tCODE")
	for _, inv := range l {
		left := "lapsed"
		if d := lifetime - now.Sub(inv.CreatedOn); d > 0 {
			left = age(d)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", inv.Email, inv.Role, age(now.Sub(inv.CreatedOn)), left, api.ShortCode(inv.Code))
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nLapse times assume a lifetime of %s (--lifetime); Grafana's cleanup runs every 10 minutes, so an invite may stay up to 10 minutes longer.\n", shortDuration(lifetime))
}

func runRenew(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("renew", "renew --older-than DURATION [ADDRESS...] [--send-email] [--dry-run] [--yes] [--concurrency N] [--output table|json] [connection flags]\n"+
		"Renews the pending invites created more than DURATION ago (of the given addresses only, if any):\n"+
		"a new invite with the same address, role and name first, then the old one revoked.", e)
	var cn conn
	cn.register(fs)
	older := fs.String("older-than", "", "renew invites created more than this long ago, e.g. 20h (required)")
	sendEmail := fs.Bool("send-email", false, "have Grafana email the new invitations")
	dryRun := fs.Bool("dry-run", false, "list what would be renewed; change nothing")
	yes := fs.Bool("yes", false, "renew without asking, even more than one invite")
	concurrency := fs.Int("concurrency", 4, "addresses worked on at once (1–64)")
	output := fs.String("output", "table", "output format: table or json")
	fs.StringVar(output, "o", "table", "short for --output")
	addresses, err := parseArgs(fs, args)
	if err != nil {
		return parseFailed(err)
	}
	if err := checkOutput(*output, "table", "json"); err != nil {
		return fail(e, err)
	}
	if *older == "" {
		return fail(e, usagef("renew needs --older-than, e.g. --older-than 20h (Grafana's invites lapse after 24h by default)"))
	}
	d, err := parseAge("--older-than", *older)
	if err != nil {
		return fail(e, err)
	}
	if *concurrency < 1 || *concurrency > 64 {
		return fail(e, usagef("--concurrency %d: want 1 to 64", *concurrency))
	}
	for _, a := range addresses {
		if strings.TrimSpace(a) == "" {
			return fail(e, usagef("an address is empty"))
		}
	}
	c, err := cn.client(e)
	if err != nil {
		return fail(e, err)
	}
	now := e.now()
	cutoff := now.Add(-d)
	all, err := c.ListPending(ctx)
	if ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "grafana-invites: interrupted; nothing was changed")
		return exitInterrupted
	}
	if err != nil {
		return fail(e, err)
	}
	due := olderThan(all, cutoff, addresses)
	if *dryRun {
		if *output == "json" {
			_ = writeJSON(e.stdout, due)
		} else {
			printAging(e.stdout, due, now, defaultLifetime)
		}
		return exitOK
	}
	if len(due) > 1 && !*yes {
		if !e.isTTY || !e.stdinTTY {
			return fail(e, usagef("renew concerns %d invites and there is no terminal to confirm on: pass --yes to renew them (nothing was changed)", len(due)))
		}
		printAging(e.stderr, due, now, defaultLifetime)
		fmt.Fprintf(e.stderr, "Renew these %d invites (new codes and URLs; the old links stop working)? [y/N] ", len(due))
		answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(e.stderr, "nothing renewed")
			return exitUsage
		}
	}
	// Ctrl-C stops handing out addresses; those under way finish within --timeout, and the
	// summary still shows what was done.
	stop := make(chan struct{})
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	prog := newProgress(e.stderr, e.isTTY, len(due))
	report, err := c.Renew(context.WithoutCancel(ctx), api.RenewOptions{CreatedBefore: cutoff, Emails: addresses, SendEmail: *sendEmail, Concurrency: *concurrency,
		Stop: stop, Progress: func(done, total int, _ api.RenewEntry) { prog.update(done, total) }})
	prog.finish()
	if report != nil {
		if *output == "json" {
			_ = writeJSON(e.stdout, renewEntries(report))
		} else {
			printRenewReport(e.stdout, report)
		}
		for _, en := range report.Entries {
			if en.Err != nil {
				fmt.Fprintln(e.stderr, explain(fmt.Errorf("%s: %w", en.Email, en.Err)))
			}
		}
	}
	if errors.Is(err, api.ErrStopped) {
		fmt.Fprintln(e.stderr, "grafana-invites: interrupted: no new address was started; the summary above shows what was done")
		return exitInterrupted
	}
	if err != nil {
		return fail(e, err)
	}
	if report.Count(api.OutcomeFailed) > 0 {
		return exitError
	}
	return exitOK
}

// renewEntry is one line of renew's output, in Grafana's camelCase in JSON.
type renewEntry struct {
	Email   string `json:"email"`
	Role    string `json:"role"`
	Result  string `json:"result"`
	OldCode string `json:"oldCode,omitempty"`
	Code    string `json:"code,omitempty"`
	URL     string `json:"url,omitempty"`
	Note    string `json:"note,omitempty"`
	Error   string `json:"error,omitempty"`
}

func renewEntries(r *api.RenewReport) []renewEntry {
	out := make([]renewEntry, 0, len(r.Entries))
	for _, en := range r.Entries {
		re := renewEntry{Email: en.Email, Role: string(en.Role), Result: en.Outcome.String()}
		if en.Old != nil {
			re.OldCode = en.Old.Code
		}
		if en.New != nil && en.Outcome == api.OutcomeRenewed {
			re.Code, re.URL = en.New.Code, en.New.URL
		}
		if en.EmailNotSent {
			re.Note = "email not sent: Grafana has no SMTP; hand the URL over"
		}
		if en.Err != nil {
			re.Error = en.Err.Error()
		}
		out = append(out, re)
	}
	return out
}

func printRenewReport(w io.Writer, r *api.RenewReport) {
	if len(r.Entries) == 0 {
		fmt.Fprintln(w, "nothing to renew")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tRESULT\tOLD\tNEW URL")
	for _, en := range renewEntries(r) {
		old := "-"
		if en.OldCode != "" {
			old = api.ShortCode(en.OldCode)
		}
		detail := dash(en.URL)
		if en.Note != "" {
			detail += " (" + en.Note + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", en.Email, en.Role, en.Result, old, detail)
	}
	_ = tw.Flush()
}

// shortDuration writes 24h for 24h0m0s and 90m for 1h30m0s.
func shortDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
