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

func newSyncCmd(a *app) *cobra.Command {
	var dryRun, prune, replace, sendEmail, yes bool
	var concurrency int
	var planOut, planIn string
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
	cn := addConnFlags(cmd)
	out := addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.BoolVar(&dryRun, "dry-run", false, "print the plan, change nothing")
	fs.BoolVar(&prune, "prune", false, "revoke pending invites of addresses absent from the file")
	fs.BoolVar(&replace, "replace-role", false, "replace pending invites whose role differs from the file's")
	fs.BoolVar(&sendEmail, "send-email", false, "have Grafana email new invitations")
	fs.BoolVarP(&yes, "yes", "y", false, "revoke without asking")
	fs.IntVar(&concurrency, "concurrency", 4, "requests in flight at once (1–64)")
	fs.StringVar(&planOut, "plan-out", "", "with --dry-run, save the plan to this file (mode 0600: it holds codes)")
	fs.StringVar(&planIn, "plan", "", "apply the plan saved in this file, refused if the pending invites changed since")
	_ = cmd.MarkFlagFilename("plan-out", "json")
	_ = cmd.MarkFlagFilename("plan", "json")
	_ = cmd.RegisterFlagCompletionFunc("concurrency", fixedCompletions("1", "4", "16", "64"))
	cmd.RunE = a.runE(func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := out.check(); err != nil {
			return err
		}
		if concurrency < 1 || concurrency > 64 {
			return usagef("--concurrency %d: want 1 to 64", concurrency)
		}
		var rows []row
		opts := planOptions{Prune: prune, ReplaceRole: replace, SendEmail: sendEmail}
		var saved *savedPlan
		switch {
		case planIn != "":
			for _, f := range []string{"dry-run", "plan-out", "prune", "replace-role", "send-email"} {
				if cmd.Flags().Changed(f) {
					return usagef("--plan applies a saved plan as it was made: --%s belongs to the run that made it", f)
				}
			}
			var err error
			if saved, err = readPlanFile(a.e, planIn); err != nil {
				return err
			}
			if rows, err = saved.rows(); err != nil {
				return err
			}
			opts, sendEmail = saved.Options, saved.Options.SendEmail
		default:
			if planOut != "" && !dryRun {
				return usagef("--plan-out saves the plan of a dry run: add --dry-run")
			}
			var err error
			if rows, err = a.readSyncFile(args[0]); err != nil {
				return err
			}
		}
		c, err := cn.client(a)
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
		plans, err := planOrgs(planCtx, c, rows, opts.api())
		if err == nil && saved != nil {
			err = checkFresh(saved, plans)
		}
		if err != nil {
			return interrupted(planCtx, err)
		}
		if dryRun {
			if planOut != "" {
				if err := writePlanFile(planOut, newSavedPlan(c, plans, rows, opts, a.e.now())); err != nil {
					return err
				}
				a.note("plan saved to %s; apply it with: grafana-invites sync --plan %s", planOut, planOut)
			}
			return a.printPlans(out, plans)
		}
		if n := revokes(plans); n > 0 {
			err := a.confirm(yes, fmt.Sprintf("this sync revokes %d pending invites", n), func() {
				var gone []entry
				for _, en := range plansEntries(plans) {
					if en.Action == string(api.ActionRevoke) || en.Action == string(api.ActionReplace) {
						gone = append(gone, en)
					}
				}
				writeEntryTable(a.e.stderr, gone, true)
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
			es, fs, err := a.applyPlan(ctx, op.client, label, op.plan, concurrency)
			for i := range es {
				es[i].OrgID = op.org
			}
			entries, fails = append(entries, es...), append(fails, fs...)
			if err != nil {
				runErrs = append(runErrs, inOrg(op.org, err))
			}
		}
		return a.finishRun(out, entries, fails, errors.Join(runErrs...))
	})
	return cmd
}

// finishRun prints what a run of sync or renew did: the entries, the failures grouped,
// then the summary last; an interrupted run exits 130.
func (a *app) finishRun(out *output, entries []entry, fails []failure, runErr error) error {
	shown := entries
	if out.format == formatTable {
		shown = nil
		for _, en := range entries {
			if en.Result != string(api.OutcomeAlreadyInvited) && en.Result != string(api.OutcomeStale) {
				shown = append(shown, en)
			}
		}
	}
	if len(shown) > 0 || out.format != formatTable {
		if err := a.printEntries(out, shown, false); err != nil {
			return err
		}
	}
	if out.format == formatTable && !a.quiet {
		if len(shown) > 0 {
			fmt.Fprintln(a.e.stdout)
		}
		writeSummaries(a.e.stdout, entries)
	}
	return a.endRun(entries, fails, runErr, "actions")
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

// orgPlan is the plan of one organisation of a sync file.
type orgPlan struct {
	org    int64 // 0: the one the connection names
	client *api.Client
	plan   *api.Plan
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

// inOrg says which organisation of a sync file an error is about.
func inOrg(org int64, err error) error {
	if org == 0 {
		return err
	}
	return &orgError{org, err}
}

// orgError is an error in one organisation of a sync file.
type orgError struct {
	org int64
	err error
}

func (e *orgError) Error() string {
	return fmt.Sprintf("organisation %d: %v", e.org, e.err)
}

func (e *orgError) Unwrap() error { return e.err }

// revokes counts the actions of the plans that revoke (pruned and replaced).
func revokes(plans []orgPlan) int {
	n := 0
	for _, op := range plans {
		for _, act := range op.plan.Actions {
			if act.Kind == api.ActionRevoke || act.Kind == api.ActionReplace {
				n++
			}
		}
	}
	return n
}

// plansEntries is every plan as entries, by organisation then address.
func plansEntries(plans []orgPlan) []entry {
	var out []entry
	for _, op := range plans {
		for _, en := range planEntries(op.plan) {
			en.OrgID = op.org
			out = append(out, en)
		}
	}
	return out
}

// printPlans writes a dry run's plans, then (in a table) what each comes to.
func (a *app) printPlans(out *output, plans []orgPlan) error {
	if err := a.printEntries(out, plansEntries(plans), true); err != nil || out.format != formatTable || a.quiet {
		return err
	}
	w := a.e.stdout
	creates := 0
	fmt.Fprintln(w)
	for _, op := range plans {
		n := map[api.ActionKind]int{}
		for _, act := range op.plan.Actions {
			n[act.Kind]++
		}
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
