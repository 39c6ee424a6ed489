package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// syncOptions are sync's flags and argument.
type syncOptions struct {
	app  *app
	conn *conn
	out  *output
	// File is the CSV file (- for standard input); empty with PlanIn.
	File string
	// PlanIn is the saved plan to apply (--plan); PlanOut where a dry run saves its plan.
	PlanIn, PlanOut string
	// Options are the file's run options: --prune, --replace-role, --send-email.
	Options planOptions
	DryRun  bool
	dryRunFlags
	Yes         bool
	Concurrency int
}

// newSyncCmd builds sync; runF, when not nil, is called with the parsed options instead of
// runSync (tests check the flags so).
func newSyncCmd(a *app, runF func(context.Context, *syncOptions) error) *cobra.Command {
	opts := &syncOptions{app: a}
	cmd := &cobra.Command{
		Use:   "sync FILE|--plan PLAN [flags]",
		Short: "Make pending invites match a CSV file (email, role, name)",
		Long: `Make the organisation's pending invites match a CSV file whose header names the columns
email, role and (optionally) name, in any order; - reads standard input. Every problem of the
file is reported, with its line number, before anything is sent. Addresses already invited
with the file's role are left alone, so a second run changes nothing.

An org column (an organisation id) syncs several organisations in one run, each planned
before anything is sent, with its own progress and summary; rows without one go to the
organisation of the connection. The credentials must be a member of each (a user's
password, as tokens belong to one organisation): Grafana answers a server admin outside an
organisation for every organisation at once, and such a run is refused.

--prune revokes the pending invites of addresses absent from the file and --replace-role
those whose role differs (a new invite replaces each). A run that revokes shows what will go
and asks on a terminal; elsewhere it needs --yes, and without it changes nothing and exits 2.

A dry run can save its plan (--plan-out, readable by you only: it holds codes) for review;
--plan applies exactly that plan later, and refuses, listing the differences, when the
pending invites it rests on (those of its addresses, or all with --prune) changed since.

Ctrl-C starts no new address, lets the requests under way finish, prints what was done and
exits 130; a second Ctrl-C cuts the requests short.`,
		Example: `  grafana-invites sync team.csv --dry-run
  grafana-invites sync team.csv --send-email
  grafana-invites sync team.csv --prune --replace-role --yes -o json
  grafana-invites sync team.csv --prune --dry-run --plan-out plan.json
  grafana-invites sync --plan plan.json --yes
  cat team.csv | grafana-invites sync -`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case cmd.Flags().Changed("plan") && len(args) > 0:
				return fmt.Errorf("sync --plan applies a saved plan and takes no CSV file, got %q", args)
			case !cmd.Flags().Changed("plan") && len(args) != 1:
				return fmt.Errorf("sync needs exactly one CSV file (or - for standard input), got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"csv"}, cobra.ShellCompDirectiveFilterFileExt
		},
	}
	opts.conn = addConnFlags(a, cmd)
	opts.out = addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.BoolVar(&opts.DryRun, "dry-run", false, "print the plan, change nothing")
	addDryRunFlags(cmd, &opts.dryRunFlags)
	fs.BoolVar(&opts.Options.Prune, "prune", false, "revoke pending invites of addresses absent from the file")
	fs.BoolVar(&opts.Options.ReplaceRole, "replace-role", false, "replace pending invites whose role differs from the file's")
	fs.BoolVar(&opts.Options.SendEmail, "send-email", false, "have Grafana email new invitations")
	fs.BoolVarP(&opts.Yes, "yes", "y", false, "revoke without asking")
	addConcurrencyFlag(cmd, &opts.Concurrency, "requests in flight at once")
	fs.StringVar(&opts.PlanOut, "plan-out", "", "with --dry-run, save the plan to this file (mode 0600: it holds codes)")
	fs.StringVar(&opts.PlanIn, "plan", "", "apply the plan saved in this file, refused if the pending invites changed since")
	_ = cmd.MarkFlagFilename("plan-out", "json")
	_ = cmd.MarkFlagFilename("plan", "json")
	cmd.RunE = a.runE(func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := checkRunFlags(opts.out, opts.Concurrency, opts.dryRunFlags, opts.DryRun); err != nil {
			return err
		}
		switch {
		case opts.PlanIn != "":
			for _, f := range []string{"dry-run", "plan-out", "prune", "replace-role", "send-email"} {
				if cmd.Flags().Changed(f) {
					return usagef("--plan applies a saved plan as it was made: --%s belongs to the run that made it", f)
				}
			}
		case opts.PlanOut != "" && !opts.DryRun:
			return usagef("--plan-out saves the plan of a dry run: add --dry-run")
		default:
			opts.File = args[0]
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runSync(ctx, opts)
	})
	return cmd
}

// runSync plans each organisation of the file (or takes the saved plan), then prints the
// plans (dry run) or applies them, asking before revoking.
func runSync(ctx context.Context, opts *syncOptions) error {
	a := opts.app
	var rows []row
	var saved *savedPlan
	var err error
	if opts.PlanIn != "" {
		if saved, err = readPlanFile(a.e, opts.PlanIn); err != nil {
			return err
		}
		if rows, err = saved.rows(); err != nil {
			return err
		}
		opts.Options = saved.Options
	} else if rows, err = a.readSyncFile(opts.File); err != nil {
		return err
	}
	c, err := opts.conn.client(a)
	if err != nil {
		return err
	}
	if saved != nil {
		if err := checkGrafana(c, saved); err != nil {
			return err
		}
	}
	planCtx, cancel := untilInterrupt(ctx, a.e.interrupt)
	defer cancel()
	plans, err := planOrgs(planCtx, c, rows, opts.Options.api())
	if err == nil && saved != nil {
		err = checkFresh(saved, plans)
	}
	if err != nil {
		return interrupted(planCtx, err)
	}
	if opts.DryRun {
		if opts.PlanOut != "" {
			if err := writePlanFile(opts.PlanOut, newSavedPlan(c, plans, rows, opts.Options, a.e.now())); err != nil {
				return err
			}
			a.note("plan saved to %s; apply it with: grafana-invites sync --plan %s", opts.PlanOut, opts.PlanOut)
		}
		if err := a.printPlans(opts.out, plans, opts.ShowUnchanged); err != nil {
			return err
		}
		return dryRunEnd(opts.DetailedExitcode, changes(plans))
	}
	if n := revokes(plans); n > 0 {
		err := a.confirm(opts.Yes, fmt.Sprintf("this sync revokes %d pending invites", n), func() {
			writeEntryTable(a.e.stderr, goingEntries(plansEntries(plans)), true)
		}, fmt.Sprintf("Revoke %d pending invites (their links stop working)?", n))
		if err != nil {
			return err
		}
	}
	var entries []entry
	var fails []failure
	var runErrs []error
	for _, op := range plans {
		label := "sync"
		if op.org != 0 {
			label = "org " + strconv.FormatInt(op.org, 10)
		}
		es, fs, err := a.applyPlan(ctx, op.client, label, op.plan, opts.Concurrency)
		for i := range es {
			es[i].OrgID = op.org
		}
		entries, fails = append(entries, es...), append(fails, fs...)
		if err != nil {
			runErrs = append(runErrs, inOrg(op.org, err))
		}
	}
	return a.finishRun(opts.out, entries, fails, errors.Join(runErrs...))
}

// readSyncFile reads and checks a sync file (- for standard input), printing its warnings.
func (a *app) readSyncFile(file string) ([]row, error) {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(a.e.stdin)
	} else {
		data, err = a.e.readFile(file)
	}
	if err != nil {
		return nil, usagef("cannot read %s: %v", file, err)
	}
	rows, warnings, err := readDesired(data)
	for _, w := range warnings {
		a.note("warning: %s", w)
	}
	if err != nil {
		return nil, usagef("%s: %v", file, err)
	}
	return rows, nil
}

// planOrgs plans each organisation of the rows, in ascending order, before anything is
// sent: a refusal in one (ErrOrgMismatch, say) changes nothing in any.
func planOrgs(ctx context.Context, c *api.Client, rows []row, opts api.PlanOptions) ([]orgPlan, error) {
	byOrg := map[int64][]api.Desired{}
	for _, r := range rows {
		byOrg[r.org] = append(byOrg[r.org], r.Desired)
	}
	orgs := slices.Sorted(maps.Keys(byOrg))
	var plans []orgPlan
	for _, org := range orgs {
		cl := c
		if org != 0 {
			cl = c.WithOrgID(org)
		}
		p, err := cl.Plan(ctx, byOrg[org], opts)
		if err != nil {
			return nil, inOrg(org, err)
		}
		plans = append(plans, orgPlan{org, cl, p})
	}
	return plans, nil
}

// printPlans writes a dry run's plans (their changes; everything with showUnchanged), then
// (in a table) what each comes to.
func (a *app) printPlans(out *output, plans []orgPlan, showUnchanged bool) error {
	if err := a.printEntries(out, dryRunShows(plansEntries(plans), showUnchanged)); err != nil || out.format != formatTable || a.quiet {
		return err
	}
	w := a.e.stdout
	creates := 0
	fmt.Fprintln(w)
	for _, op := range plans {
		n := actionCounts([]orgPlan{op})
		creates += n[api.ActionInvite]
		where := ""
		if op.org != 0 || len(plans) > 1 {
			where = " in organisation " + orgLabel(op.org)
		}
		fmt.Fprintf(w, "Dry run%s: %d to invite, %d to replace, %d to revoke; nothing was changed.\n", where, n[api.ActionInvite], n[api.ActionReplace], n[api.ActionRevoke])
	}
	if creates > 0 {
		fmt.Fprintln(w, "Addresses of existing members are planned as invites: Grafana tells them apart only when invited, and then nothing changes.")
	}
	return nil
}
