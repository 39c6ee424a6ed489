package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

// fleetApplyOptions are apply's flags.
type fleetApplyOptions struct {
	app *app
	out *output
	fleetFlags
	// PlanIn is the saved plan to apply (--plan), in place of a fleet file.
	PlanIn      string
	Yes         bool
	Concurrency int
}

// newApplyCmd builds apply; runF, when not nil, is called with the parsed options instead
// of runApply.
func newApplyCmd(a *app, runF func(context.Context, *fleetApplyOptions) error) *cobra.Command {
	opts := &fleetApplyOptions{app: a}
	cmd := &cobra.Command{
		Use:   "apply -f FLEET|--plan PLAN [flags]",
		Short: "Make every Grafana of a fleet file match it",
		Long: `Plan a fleet file (as plan does), then apply the plans: every organisation of every
Grafana made to match the file, instances at once (--parallel), each organisation's
invites --concurrency at a time. What will change is said first; a run that revokes shows
what goes and asks on a terminal, and elsewhere needs --yes (without it nothing changes
and the exit status is 2).

An instance that cannot be planned is reported by name and left alone; the others are
applied, and the exit status is 1. --plan applies a plan saved by plan --plan-out exactly,
and refuses it whole, listing the differences per instance, when any instance's pending
invites changed since.

Ctrl-C starts nothing new on any instance, lets the requests under way finish, prints what
was done per instance and organisation and exits 130; a second Ctrl-C cuts them short.`,
		Example: `  grafana-invites apply -f fleet.yaml
  grafana-invites apply -f fleet.yaml --yes -o json
  grafana-invites apply -f fleet.yaml --instance staging
  grafana-invites plan -f fleet.yaml --plan-out fleet.plan.json && grafana-invites apply --plan fleet.plan.json --yes`,
		Args: noArgs,
	}
	opts.out = addOutputFlag(cmd)
	addFleetFlags(cmd, &opts.fleetFlags)
	fs := cmd.Flags()
	fs.StringVar(&opts.PlanIn, "plan", "", "apply the plan saved by plan --plan-out, refused if any instance's pending invites changed since")
	fs.BoolVarP(&opts.Yes, "yes", "y", false, "revoke without asking")
	addConcurrencyFlag(cmd, &opts.Concurrency, "requests in flight at once on each instance")
	_ = cmd.MarkFlagFilename("plan", "json")
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if err := opts.out.check(); err != nil {
			return err
		}
		if err := checkConcurrency(opts.Concurrency); err != nil {
			return err
		}
		switch {
		case opts.File != "" && opts.PlanIn != "":
			return usagef("-f and --plan both name what to apply: give the fleet file, or the plan saved from it")
		case opts.File == "" && opts.PlanIn == "":
			return usagef("apply needs the fleet file (-f FLEET) or a saved plan (--plan PLAN)")
		case opts.PlanIn != "" && len(opts.Instances) > 0:
			return usagef("--plan applies a saved plan whole: --instance belongs to the plan that made it")
		}
		if err := opts.check(); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runApply(ctx, opts)
	})
	return cmd
}

// runApply plans the fleet (or takes the saved plan), asks before revoking, applies, and
// prints what was done per instance and organisation.
func runApply(ctx context.Context, opts *fleetApplyOptions) error {
	a := opts.app
	var targets []*fleetTarget
	var saved *fleetSavedPlan
	var err error
	if opts.PlanIn != "" {
		saved, targets, err = readFleetPlanFile(a.e, opts.PlanIn)
	} else {
		targets, err = a.readTargets(opts.fleetFlags)
	}
	if err != nil {
		return err
	}
	runs, err := a.planFleetFile(ctx, targets, opts.fleetFlags)
	if err != nil {
		return err
	}
	ok, failed := planned(runs)
	a.reportUnplanned(failed)
	if saved != nil {
		if err := checkFleetFresh(saved, runs); err != nil {
			return err
		}
	}
	a.noteFleetPlan(ok)
	if _, revoking := fleetChanges(ok); revoking > 0 {
		err := a.confirm(opts.Yes, fmt.Sprintf("this apply revokes %d pending invites", revoking), func() {
			writeEntryTable(a.e.stderr, goingEntries(fleetEntries(ok)), true)
		}, fmt.Sprintf("Revoke %d pending invites (their links stop working)?", revoking))
		if err != nil {
			return err
		}
	}
	a.applyFleet(ctx, ok, opts.Concurrency, opts.Parallel)
	var entries []entry
	var fails []failure
	var runErrs []error
	for _, r := range ok {
		entries, fails = append(entries, r.entries...), append(fails, r.fails...)
		if r.runErr != nil {
			runErrs = append(runErrs, r.runErr)
		}
	}
	if err := a.printFleet(opts.out, runs, runShows(entries)); err != nil {
		return err
	}
	err = a.endRun(entries, fails, errors.Join(runErrs...), "actions")
	var ie *interruptedError
	var st *exitStatus
	if len(failed) > 0 && !errors.As(err, &ie) && (err == nil || errors.As(err, &st) && st.code == exitShortfall) {
		return &exitStatus{exitError} // an instance not planned outweighs a shortfall
	}
	return err
}
