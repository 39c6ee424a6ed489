package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
)

// checkOutput validates an --output value against the formats a command offers.
func checkOutput(output string, formats ...string) error {
	for _, f := range formats {
		if output == f {
			return nil
		}
	}
	return usagef("--output %q: want %s", output, strings.Join(formats, ", "))
}

func runList(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("list", "list [--older-than DURATION [--lifetime DURATION]] [--output table|json|csv] [connection flags]", e)
	var cn conn
	cn.register(fs)
	output := fs.String("output", "table", "output format: table, json or csv")
	older := fs.String("older-than", "", "only invites created more than this long ago (e.g. 20h), with the time left before they lapse")
	lifetime := fs.String("lifetime", "24h", "Grafana's user_invite_max_lifetime_duration, for --older-than's lapse times")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return parseFailed(err)
	}
	if len(rest) > 0 {
		return fail(e, usagef("list takes no arguments, got %q", rest))
	}
	if err := checkOutput(*output, "table", "json", "csv"); err != nil {
		return fail(e, err)
	}
	c, err := cn.client(e)
	if err != nil {
		return fail(e, err)
	}
	var minAge, life time.Duration
	if *older != "" {
		if minAge, err = parseAge("--older-than", *older); err == nil {
			life, err = parseAge("--lifetime", *lifetime)
		}
		if err != nil {
			return fail(e, err)
		}
	}
	pending, err := c.ListPending(ctx)
	if err != nil {
		return fail(e, err)
	}
	if *older != "" {
		pending = olderThan(pending, e.now().Add(-minAge), nil)
	}
	switch {
	case *output == "json":
		err = writeJSON(e.stdout, pending)
	case *output == "csv":
		err = writeInvitesCSV(e.stdout, pending)
	case *older != "":
		printAging(e.stdout, pending, e.now(), life)
	default:
		printInvites(e.stdout, pending, e.now())
	}
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeInvitesCSV(w io.Writer, l []api.Invite) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"email", "name", "role", "status", "created_on", "email_sent", "code", "url"})
	for _, inv := range l {
		_ = cw.Write([]string{inv.Email, inv.Name, string(inv.Role), string(inv.Status),
			inv.CreatedOn.UTC().Format(time.RFC3339), strconv.FormatBool(inv.EmailSent), inv.Code, inv.URL})
	}
	cw.Flush()
	return cw.Error()
}

// printInvites writes a table of invites, newest first as given, with their age and URL.
func printInvites(w io.Writer, l []api.Invite, now time.Time) {
	if len(l) == 0 {
		fmt.Fprintln(w, "(no pending invites)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tAGE\tEMAIL SENT\tURL")
	for _, inv := range l {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", inv.Email, dash(inv.Name), inv.Role, age(now.Sub(inv.CreatedOn)), yesNo(inv.EmailSent), inv.URL)
	}
	_ = tw.Flush()
}

// age is a short human duration: "<1m", "42m", "5h", "3d".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// inviteRow is one line of invite's output.
type inviteRow struct {
	Address string `json:"address"`
	Result  string `json:"result"`
	Role    string `json:"role,omitempty"`
	Code    string `json:"code,omitempty"`
	URL     string `json:"url,omitempty"`
	UserID  int64  `json:"userId,omitempty"`
	Note    string `json:"note,omitempty"`
	Error   string `json:"error,omitempty"`
}

func runInvite(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("invite", "invite ADDRESS... --role ROLE [--name NAME] [--send-email] [--allow-duplicate] [--replace-role] [connection flags]", e)
	var cn conn
	cn.register(fs)
	role := fs.String("role", "", "role of the invitees: None, Viewer, Editor or Admin (required)")
	name := fs.String("name", "", "name shown in the invite")
	sendEmail := fs.Bool("send-email", false, "have Grafana email the invitation")
	allowDup := fs.Bool("allow-duplicate", false, "always create a new invite, even when one is pending")
	replace := fs.Bool("replace-role", false, "replace a pending invite that has another role")
	output := fs.String("output", "table", "output format: table or json")
	addrs, err := parseArgs(fs, args)
	if err != nil {
		return parseFailed(err)
	}
	if err := checkOutput(*output, "table", "json"); err != nil {
		return fail(e, err)
	}
	if len(addrs) == 0 {
		return fail(e, usagef("invite needs at least one address: grafana-invites invite bob@example.com --role Viewer"))
	}
	if *role == "" {
		return fail(e, usagef("invite needs --role (None, Viewer, Editor or Admin)"))
	}
	r, err := api.ParseRole(*role)
	if err != nil {
		return fail(e, usagef("--role %q is not a role; want None, Viewer, Editor or Admin", *role))
	}
	for _, a := range addrs {
		if strings.TrimSpace(a) == "" || strings.TrimSpace(a) != a {
			return fail(e, usagef("address %q is empty or has surrounding spaces", a))
		}
	}
	c, err := cn.client(e)
	if err != nil {
		return fail(e, err)
	}

	var rows []inviteRow
	failed := false
	for _, a := range addrs {
		req := api.InviteRequest{LoginOrEmail: a, Name: *name, Role: r, SendEmail: *sendEmail}
		var row inviteRow
		if *allowDup {
			row, err = inviteDuplicate(ctx, c, req)
		} else {
			row, err = ensureInvite(ctx, c, api.EnsureRequest{InviteRequest: req, ReplaceRoleMismatch: *replace})
		}
		if err != nil {
			failed = true
			row = inviteRow{Address: a, Result: "failed", Role: string(r), Error: err.Error()}
			fmt.Fprintln(e.stderr, explain(err))
		}
		rows = append(rows, row)
	}
	if *output == "json" {
		_ = writeJSON(e.stdout, rows)
	} else {
		printInviteRows(e.stdout, rows)
	}
	if failed {
		return exitError
	}
	return exitOK
}

func ensureInvite(ctx context.Context, c *api.Client, req api.EnsureRequest) (inviteRow, error) {
	res, err := c.EnsureInvited(ctx, req)
	if err != nil {
		return inviteRow{}, err
	}
	row := inviteRow{Address: req.LoginOrEmail, Result: res.Outcome.String(), Role: string(req.Role), UserID: res.UserID}
	if res.Invite != nil {
		row.Code, row.URL, row.Role = res.Invite.Code, res.Invite.URL, string(res.Invite.Role)
	}
	switch res.Outcome {
	case api.OutcomeRoleMismatch:
		row.Role = string(res.Pending[0].Role)
		row.URL = res.Pending[0].URL
		row.Code = res.Pending[0].Code
		row.Note = fmt.Sprintf("kept the pending %s invite; --replace-role replaces it with %s", res.Pending[0].Role, req.Role)
	case api.OutcomeAlreadyInvited:
		row.Note = "a pending invite existed; nothing sent"
	}
	if res.EmailNotSent {
		row.Note = "email NOT sent: Grafana has no SMTP; hand the URL over"
	}
	return row, nil
}

// inviteDuplicate always POSTs (--allow-duplicate), then finds the invite it made.
func inviteDuplicate(ctx context.Context, c *api.Client, req api.InviteRequest) (inviteRow, error) {
	row := inviteRow{Address: req.LoginOrEmail, Role: string(req.Role)}
	res, err := c.Invite(ctx, req)
	switch {
	case errors.Is(err, api.ErrSMTPNotConfigured):
		row.Result, row.Note = api.OutcomeInvited.String(), "email NOT sent: Grafana has no SMTP; hand the URL over"
	case errors.Is(err, api.ErrAlreadyMember):
		row.Result = api.OutcomeAlreadyMember.String()
		return row, nil
	case err != nil:
		return row, err
	case res.Outcome == api.OutcomeUserAdded:
		row.Result, row.UserID = res.Outcome.String(), res.UserID
		return row, nil
	default:
		row.Result = res.Outcome.String()
	}
	found, err := c.FindPending(ctx, req.LoginOrEmail)
	if err != nil {
		return row, fmt.Errorf("invited %s, but listing to find its URL failed: %w", req.LoginOrEmail, err)
	}
	if len(found) > 0 {
		row.Code, row.URL = found[0].Code, found[0].URL
	}
	return row, nil
}

func printInviteRows(w io.Writer, rows []inviteRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tRESULT\tROLE\tCODE\tURL")
	var notes []string
	for _, r := range rows {
		code := r.Code
		if r.UserID != 0 {
			code = "user " + strconv.FormatInt(r.UserID, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Address, r.Result, dash(r.Role), dash(code), dash(r.URL))
		if r.Note != "" {
			notes = append(notes, r.Address+": "+r.Note)
		}
	}
	_ = tw.Flush()
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
}

func runRevoke(ctx context.Context, args []string, e *env) int {
	fs := newFlagSet("revoke", "revoke CODE|ADDRESS... [connection flags]\nAn argument holding '@' is an address: all its pending invites are revoked; anything else is an invitation code.", e)
	var cn conn
	cn.register(fs)
	targets, err := parseArgs(fs, args)
	if err != nil {
		return parseFailed(err)
	}
	if len(targets) == 0 {
		return fail(e, usagef("revoke needs invitation codes or addresses: grafana-invites revoke bob@example.com"))
	}
	for _, t := range targets {
		if !strings.Contains(t, "@") {
			if err := api.CheckCode(t); err != nil {
				return fail(e, usagef("%s (an argument without '@' is an invitation code)", strings.TrimPrefix(err.Error(), "grafana: ")))
			}
		}
	}
	c, err := cn.client(e)
	if err != nil {
		return fail(e, err)
	}
	status := exitOK
	for _, t := range targets {
		if !strings.Contains(t, "@") {
			if err := c.Revoke(ctx, t); err != nil {
				fmt.Fprintln(e.stderr, explain(err))
				status = exitError
				continue
			}
			fmt.Fprintf(e.stdout, "revoked invite %s\n", api.ShortCode(t))
			continue
		}
		revoked, err := c.RevokeByEmail(ctx, t)
		for _, inv := range revoked {
			fmt.Fprintf(e.stdout, "revoked invite %s of %s\n", api.ShortCode(inv.Code), inv.Email)
		}
		if err != nil {
			fmt.Fprintln(e.stderr, explain(err))
			status = exitError
		} else if len(revoked) == 0 {
			fmt.Fprintf(e.stdout, "no pending invite for %s\n", t)
		}
	}
	return status
}
