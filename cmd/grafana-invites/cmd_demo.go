package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// demoOptions are demo's flags.
type demoOptions struct {
	app *app
	// KeepRunning serves the fake after the walk-through, until Ctrl-C.
	KeepRunning bool
}

// newDemoCmd builds demo; runF, when not nil, is called with the parsed options instead of
// runDemo (tests check the flags so).
func newDemoCmd(a *app, runF func(context.Context, *demoOptions) error) *cobra.Command {
	opts := &demoOptions{app: a}
	cmd := &cobra.Command{
		Use:   "demo [--keep-running]",
		Short: "Walk through invite → list → revoke → list on an in-process fake Grafana",
		Long: `Start the fake Grafana in this process, invite five addresses (a new one, one with an
email, an existing user, a member, the admin), list the pending invites, revoke one and list
again, then print the link of an invite still pending. Nothing to set up; nothing leaves this
machine.

The link opens the fake's sign-up page, as Grafana's invite links do, while the fake runs:
with --keep-running it serves until Ctrl-C, so that the invite can be accepted in a browser.`,
		Example: "  grafana-invites demo\n  grafana-invites demo --keep-running",
		Args:    noArgs,
	}
	cmd.Flags().BoolVar(&opts.KeepRunning, "keep-running", false, "keep the fake serving after the walk-through, until Ctrl-C, to open the invite link")
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if runF != nil {
			return runF(ctx, opts)
		}
		return runDemo(ctx, a.e, opts.KeepRunning)
	})
	return cmd
}

func runDemo(ctx context.Context, e *env, keep bool) error {
	root, _, stop, err := listenFake(ctx, "127.0.0.1:0",
		fakegrafana.WithUser(fakegrafana.User{Login: "dave", Email: "dave@example.com", Name: "Dave", Password: "dave-pw", Orgs: map[int64]api.Role{}}))
	if err != nil {
		return err
	}
	defer func() { _ = stop(context.Background()) }()

	w := e.stdout
	fmt.Fprintf(w, "Fake Grafana running at %s (org 1 \"Main Org.\", SMTP configured)\n", root)
	c, err := api.New(root, api.WithToken(fakegrafana.DefaultAdminToken))
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "\n1. Invite")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tROLE\tEMAIL\tRESULT")
	for _, r := range []api.InviteRequest{
		{LoginOrEmail: "alice@example.com", Name: "Alice", Role: api.RoleEditor, SendEmail: true},
		{LoginOrEmail: "bob@example.com", Name: "Bob", Role: api.RoleViewer},
		{LoginOrEmail: "carol@example.com", Role: api.RoleAdmin},
		{LoginOrEmail: "dave@example.com", Role: api.RoleViewer},
		{LoginOrEmail: "admin@localhost", Role: api.RoleViewer},
	} {
		res, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: r})
		if err != nil {
			return err
		}
		result := res.Outcome.Label()
		switch {
		case res.Outcome == api.OutcomeAlreadyMember:
			result += " (412), nothing to do"
		case res.Outcome == api.OutcomeUserAdded:
			result += fmt.Sprintf(" (user id %d), no invite", res.UserID)
		case res.EmailSent:
			result += ", email sent"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.LoginOrEmail, r.Role, yesNo(r.SendEmail), result)
	}
	_ = tw.Flush()

	fmt.Fprintln(w, "\n2. List pending invites (newest first)")
	pending, err := c.ListPending(ctx)
	if err != nil {
		return err
	}
	printInvites(w, pending, e.now())

	target := pending[len(pending)-1]
	for _, p := range pending {
		if p.Email == "bob@example.com" {
			target = p
		}
	}
	fmt.Fprintf(w, "\n3. Revoke the invite of %s (code %s)\n", target.Email, api.ShortCode(target.Code))
	if err := c.Revoke(ctx, target.Code); err != nil {
		return err
	}
	fmt.Fprintln(w, "revoked")

	fmt.Fprintln(w, "\n4. List pending invites again")
	pending, err = c.ListPending(ctx)
	if err != nil {
		return err
	}
	printInvites(w, pending, e.now())

	link := pending[len(pending)-1] // the oldest still pending
	fmt.Fprintf(w, "\n5. Accept an invite in a browser\n%s's invite is still pending; its link opens a sign-up page like Grafana's:\n  %s\n", link.Email, link.URL)
	if !keep {
		fmt.Fprintf(w, "\nDone: %d pending invites; the fake stops now. The link works while the fake runs:\n"+
			"grafana-invites demo --keep-running keeps it serving until Ctrl-C.\n", len(pending))
		return nil
	}
	fmt.Fprintf(w, "\nThe fake keeps running at %s: open the link, sign up, then Ctrl-C to stop it.\n", root)
	select {
	case <-ctx.Done():
	case <-e.interrupt:
	}
	fmt.Fprintln(w, "Stopped.")
	return nil
}
