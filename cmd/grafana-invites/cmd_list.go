package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// defaultLifetime is Grafana's default [users] user_invite_max_lifetime_duration.
const defaultLifetime = 24 * time.Hour

func newListCmd(a *app) *cobra.Command {
	var older, lifetime string
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "List pending invites, newest first, with age, code and URL",
		Long: `List the organisation's pending invites, newest first, with their age, a short code and
the URL to join. With --older-than, only invites older than that, with the time left before
they lapse (Grafana's invites lapse after user_invite_max_lifetime_duration, 24h by default).

JSON and CSV hold the full codes, in Grafana's field names.`,
		Example: `  grafana-invites list
  grafana-invites list -o json
  grafana-invites list --older-than 20h`,
		Args: noArgs,
	}
	cn := addConnFlags(cmd)
	out := addOutputFlag(cmd)
	cmd.Flags().StringVar(&older, "older-than", "", "only invites created more than this long ago, e.g. 20h, with the time left before they lapse")
	cmd.Flags().StringVar(&lifetime, "lifetime", shortDuration(defaultLifetime), "Grafana's user_invite_max_lifetime_duration, for --older-than's lapse times")
	_ = cmd.RegisterFlagCompletionFunc("older-than", fixedCompletions("12h", "20h", "23h"))
	_ = cmd.RegisterFlagCompletionFunc("lifetime", fixedCompletions("24h", "48h", "168h"))
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if err := out.check(); err != nil {
			return err
		}
		var minAge, life time.Duration
		var err error
		if older != "" {
			if minAge, err = parseAge("--older-than", older); err != nil {
				return err
			}
			if life, err = parseAge("--lifetime", lifetime); err != nil {
				return err
			}
		}
		c, err := cn.client(a)
		if err != nil {
			return err
		}
		ctx, cancel := untilInterrupt(ctx, a.e.interrupt)
		defer cancel()
		pending, err := c.ListPending(ctx)
		if err != nil {
			return interrupted(ctx, err)
		}
		now := a.e.now()
		if older != "" {
			pending = olderThan(pending, now.Add(-minAge))
		}
		switch {
		case out.format == formatJSON:
			if pending == nil {
				pending = []api.Invite{}
			}
			return writeJSON(a.e.stdout, pending)
		case out.format == formatCSV:
			return writeInvitesCSV(a.e.stdout, pending)
		case older != "":
			printAging(a.e.stdout, pending, now, life)
		default:
			printInvites(a.e.stdout, pending, now)
		}
		return nil
	})
	return cmd
}

// writeInvitesCSV writes invites with Grafana's field names as the header, as in JSON.
func writeInvitesCSV(w io.Writer, l []api.Invite) error {
	rows := make([][]string, 0, len(l))
	for _, inv := range l {
		rows = append(rows, []string{inv.Email, inv.Name, string(inv.Role), string(inv.Status),
			inv.CreatedOn.UTC().Format(time.RFC3339), strconv.FormatBool(inv.EmailSent), inv.InvitedByLogin, inv.Code, inv.URL})
	}
	return writeCSV(w, []string{"email", "name", "role", "status", "createdOn", "emailSent", "invitedByLogin", "code", "url"}, rows)
}

// printInvites writes a table of invites, newest first as given, with age, short code and
// URL.
func printInvites(w io.Writer, l []api.Invite, now time.Time) {
	if len(l) == 0 {
		fmt.Fprintln(w, "(no pending invites)")
		return
	}
	t := newTable(w, "EMAIL", "NAME", "ROLE", "AGE", "EMAILED", "CODE", "URL")
	for _, inv := range l {
		t.row(inv.Email, inv.Name, string(inv.Role), age(now.Sub(inv.CreatedOn)), yesNo(inv.EmailSent), short(inv.Code), inv.URL)
	}
	t.flush()
}

// printAging lists invites with their age and the time left before they lapse.
func printAging(w io.Writer, l []api.Invite, now time.Time, lifetime time.Duration) {
	if len(l) == 0 {
		fmt.Fprintln(w, "(no pending invites that old)")
		return
	}
	t := newTable(w, "EMAIL", "ROLE", "AGE", "LAPSES IN", "CODE")
	for _, inv := range l {
		left := "lapsed"
		if d := lifetime - now.Sub(inv.CreatedOn); d > 0 {
			left = age(d)
		}
		t.row(inv.Email, string(inv.Role), age(now.Sub(inv.CreatedOn)), left, short(inv.Code))
	}
	t.flush()
	fmt.Fprintf(w, "\nLapse times assume a lifetime of %s (--lifetime); Grafana's cleanup runs every 10 minutes, so an invite may stay up to 10 minutes longer.\n", shortDuration(lifetime))
}

// olderThan keeps the invites created before cutoff.
func olderThan(all []api.Invite, cutoff time.Time) []api.Invite {
	var out []api.Invite
	for _, inv := range all {
		if inv.CreatedOn.Before(cutoff) {
			out = append(out, inv)
		}
	}
	return out
}
