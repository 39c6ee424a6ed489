package main

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// defaultLifetime is Grafana's default [users] user_invite_max_lifetime_duration.
const defaultLifetime = 24 * time.Hour

// listOptions are list's flags.
type listOptions struct {
	app  *app
	conn *conn
	out  *output
	// OlderThan keeps only invites older than it (0: all); Lifetime is Grafana's
	// user_invite_max_lifetime_duration, for the lapse times.
	OlderThan, Lifetime time.Duration
}

// newListCmd builds list; runF, when not nil, is called with the parsed options instead of
// runList (tests check the flags so).
func newListCmd(a *app, runF func(context.Context, *listOptions) error) *cobra.Command {
	opts := &listOptions{app: a}
	var older, lifetime string
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "List pending invites, newest first, with age, code and URL",
		Long: `List the organisation's pending invites, newest first, with their age, a short code and
the URL to join. With --older-than, only invites older than that, with the time left before
they lapse (Grafana's invites lapse after user_invite_max_lifetime_duration, 24h by default).

JSON and CSV hold the full codes; JSON is {"invites": [...]}, each with its address, role,
times in RFC 3339 (lapsesAt assumes --lifetime) and null for what Grafana left empty.`,
		Example: `  grafana-invites list
  grafana-invites list -o json | jq -r '.invites[].address'
  grafana-invites list --older-than 20h`,
		Args: noArgs,
	}
	opts.conn = addConnFlags(a, cmd)
	opts.out = addOutputFlag(cmd)
	cmd.Flags().StringVar(&older, "older-than", "", "only invites created more than this long ago, e.g. 20h, with the time left before they lapse")
	cmd.Flags().StringVar(&lifetime, "lifetime", shortDuration(defaultLifetime), "Grafana's user_invite_max_lifetime_duration, for the lapse times")
	_ = cmd.RegisterFlagCompletionFunc("older-than", fixedCompletions("12h", "20h", "23h"))
	_ = cmd.RegisterFlagCompletionFunc("lifetime", fixedCompletions("24h", "48h", "168h"))
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if err := opts.out.check(); err != nil {
			return err
		}
		var err error
		if older != "" {
			if opts.OlderThan, err = parseAge("--older-than", older); err != nil {
				return err
			}
		}
		if opts.Lifetime, err = parseAge("--lifetime", lifetime); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runList(ctx, opts)
	})
	return cmd
}

// runList lists the pending invites in the chosen format.
func runList(ctx context.Context, opts *listOptions) error {
	a := opts.app
	c, err := opts.conn.client(a)
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
	if opts.OlderThan > 0 {
		pending = olderThan(pending, now.Add(-opts.OlderThan))
	}
	switch {
	case opts.out.format == formatJSON:
		return writeJSON(a.e.stdout, newInvitesDoc(pending, opts.Lifetime))
	case opts.out.format == formatCSV:
		return writeInvitesCSV(a.e.stdout, pending, opts.Lifetime)
	case opts.OlderThan > 0:
		printAging(a.e.stdout, pending, now, opts.Lifetime)
	default:
		printInvites(a.e.stdout, pending, now)
	}
	return nil
}

// invitesDoc is list's JSON document.
type invitesDoc struct {
	Invites []inviteJSON `json:"invites"`
}

// inviteJSON is a pending invite as list's JSON and CSV write it: address as every
// command's JSON says it, RFC 3339 times in UTC, null for what Grafana left empty.
type inviteJSON struct {
	Address        string  `json:"address"`
	Name           *string `json:"name"`
	Role           string  `json:"role"`
	OrgID          int64   `json:"orgId"`
	CreatedOn      string  `json:"createdOn"`
	LapsesAt       string  `json:"lapsesAt"`
	EmailSent      bool    `json:"emailSent"`
	InvitedByLogin *string `json:"invitedByLogin"`
	InvitedByName  *string `json:"invitedByName"`
	Code           string  `json:"code"`
	URL            string  `json:"url"`
}

// inviteColumns are inviteJSON's keys in order: the CSV header.
var inviteColumns = []string{"address", "name", "role", "orgId", "createdOn", "lapsesAt", "emailSent", "invitedByLogin", "invitedByName", "code", "url"}

func newInviteJSON(inv api.Invite, lifetime time.Duration) inviteJSON {
	return inviteJSON{
		Address: inv.Email, Name: nullString(inv.Name), Role: string(inv.Role), OrgID: inv.OrgID,
		CreatedOn: rfc3339(inv.CreatedOn), LapsesAt: rfc3339(inv.CreatedOn.Add(lifetime)), EmailSent: inv.EmailSent,
		InvitedByLogin: nullString(inv.InvitedByLogin), InvitedByName: nullString(inv.InvitedByName), Code: inv.Code, URL: inv.URL,
	}
}

func newInvitesDoc(l []api.Invite, lifetime time.Duration) invitesDoc {
	doc := invitesDoc{Invites: make([]inviteJSON, 0, len(l))}
	for _, inv := range l {
		doc.Invites = append(doc.Invites, newInviteJSON(inv, lifetime))
	}
	return doc
}

// rfc3339 writes a time in UTC, to the second.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writeInvitesCSV writes invites with list's JSON keys as the header.
func writeInvitesCSV(w io.Writer, l []api.Invite, lifetime time.Duration) error {
	rows := make([][]string, 0, len(l))
	for _, inv := range l {
		j := newInviteJSON(inv, lifetime)
		rows = append(rows, []string{j.Address, deref(j.Name), j.Role, strconv.FormatInt(j.OrgID, 10), j.CreatedOn, j.LapsesAt,
			strconv.FormatBool(j.EmailSent), deref(j.InvitedByLogin), deref(j.InvitedByName), j.Code, j.URL})
	}
	return writeCSV(w, inviteColumns, rows)
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
