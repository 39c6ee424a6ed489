package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// fleetPlanOptions are plan's flags.
type fleetPlanOptions struct {
	app *app
	out *output
	fleetFlags
	// PlanOut is where the plan is saved for apply --plan.
	PlanOut string
	dryRunFlags
}

// newPlanCmd builds plan; runF, when not nil, is called with the parsed options instead of
// runPlan.
func newPlanCmd(a *app, runF func(context.Context, *fleetPlanOptions) error) *cobra.Command {
	opts := &fleetPlanOptions{app: a}
	cmd := &cobra.Command{
		Use:   "plan -f FLEET [flags]",
		Short: "Show what apply would change across a fleet of Grafanas",
		Long: `Plan every organisation of every Grafana of a fleet file (YAML: docs/fleet.md) and print
what apply would change, grouped by instance and organisation; nothing is changed. Every
problem of the file, and of the CSV files it names, is reported with its line before
anything is sent.

Instances are planned at once (--parallel bounds how many). An instance that is down,
refuses its credentials or answers for another organisation is reported by name and
left out; the others are planned, and the exit status is 1.

--plan-out saves the plan (readable by you only: it holds codes) for apply --plan, which
applies exactly that plan and refuses it whole when any instance's pending invites changed
since. --detailed-exitcode exits 4 when something would change (a drift check in CI).

The fleet file (JSON Schema: docs/fleet.schema.json; credentials by reference only):

  instances:
    - name: prod
      url: https://grafana.example.com/
      tokenEnv: GRAFANA_PROD_TOKEN    # or tokenFile, user + passwordEnv/passwordFile, or context: NAME
      orgs:
        - id: 1
          prune: false                # also replaceRole, sendEmail
          invites:
            - {email: alice@example.com, role: Editor, name: Alice}
          file: teams/prod-1.csv      # rows as sync reads them, relative to the fleet file`,
		Example: `  grafana-invites plan -f fleet.yaml
  grafana-invites plan -f fleet.yaml --detailed-exitcode -q
  grafana-invites plan -f fleet.yaml --plan-out fleet.plan.json
  grafana-invites plan -f fleet.yaml --instance staging
  grafana-invites plan -f fleet.yaml -o json | jq '.summaryByInstance'`,
		Args: noArgs,
	}
	opts.out = addOutputFlag(cmd)
	addFleetFlags(cmd, &opts.fleetFlags)
	addDryRunFlags(cmd, &opts.dryRunFlags)
	fs := cmd.Flags()
	fs.Lookup("show-unchanged").Usage = "list what stays as it is too, not only its count" // a plan is a dry run
	fs.Lookup("detailed-exitcode").Usage = "exit 4 when something would change (0 when nothing)"
	fs.StringVar(&opts.PlanOut, "plan-out", "", "save the plan to this file for apply --plan (mode 0600: it holds codes)")
	_ = cmd.MarkFlagFilename("plan-out", "json")
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if err := opts.out.check(); err != nil {
			return err
		}
		if opts.File == "" {
			return usagef("plan needs the fleet file: -f FLEET")
		}
		if err := opts.fleetFlags.check(); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runPlan(ctx, opts)
	})
	return cmd
}

// runPlan plans the fleet and prints it; it saves it with --plan-out when every instance
// was planned.
func runPlan(ctx context.Context, opts *fleetPlanOptions) error {
	a := opts.app
	targets, err := a.readTargets(opts.fleetFlags)
	if err != nil {
		return err
	}
	runs, err := a.planFleetFile(ctx, targets, opts.fleetFlags)
	if err != nil {
		return err
	}
	ok, failed := planned(runs)
	a.reportUnplanned(failed)
	if opts.PlanOut != "" {
		if len(failed) > 0 {
			fmt.Fprintf(a.e.stderr, "grafana-invites: the plan was not saved to %s: a saved plan covers every instance, and %d %s not planned\n", // said even with -q
				opts.PlanOut, len(failed), plural(len(failed), "was", "were"))
		} else {
			if err := writePlanFile(opts.PlanOut, newFleetSavedPlan(opts.File, runs, a.e.now())); err != nil {
				return err
			}
			a.note("plan saved to %s; apply it with: grafana-invites apply --plan %s", opts.PlanOut, opts.PlanOut)
		}
	}
	if err := a.printFleet(opts.out, runs, dryRunShows(fleetEntries(ok), opts.ShowUnchanged)); err != nil {
		return err
	}
	if opts.out.format == formatTable && !a.quiet {
		a.printFleetTotals(runs)
	}
	if len(failed) > 0 {
		return &exitStatus{exitError}
	}
	n, _ := fleetChanges(ok)
	return dryRunEnd(opts.DetailedExitcode, n)
}
