package main

import (
	"github.com/spf13/cobra"
)

// The flags shared by the commands that change things: how many requests run at once, and
// what a dry run shows and exits with.

// dryRunFlags are the flags of a command's --dry-run.
type dryRunFlags struct {
	// ShowUnchanged lists the entries a dry run leaves as they are, not only their count.
	ShowUnchanged bool
	// DetailedExitcode makes a dry run exit 4 when it would change something.
	DetailedExitcode bool
}

// addDryRunFlags registers --show-unchanged and --detailed-exitcode.
func addDryRunFlags(cmd *cobra.Command, f *dryRunFlags) {
	cmd.Flags().BoolVar(&f.ShowUnchanged, "show-unchanged", false, "with --dry-run, list what stays as it is too, not only its count")
	cmd.Flags().BoolVar(&f.DetailedExitcode, "detailed-exitcode", false, "with --dry-run, exit 4 when something would change (0 when nothing)")
}

// check refuses the flags without --dry-run, where they mean nothing.
func (f dryRunFlags) check(dryRun bool) error {
	switch {
	case dryRun:
		return nil
	case f.ShowUnchanged:
		return usagef("--show-unchanged lists what a dry run leaves as it is: add --dry-run")
	case f.DetailedExitcode:
		return usagef("--detailed-exitcode tells by its exit status whether a dry run would change something: add --dry-run")
	}
	return nil
}

// maxConcurrency bounds --concurrency.
const maxConcurrency = 64

// addConcurrencyFlag registers --concurrency (default 4) with what it counts.
func addConcurrencyFlag(cmd *cobra.Command, n *int, what string) {
	cmd.Flags().IntVar(n, "concurrency", 4, what+" (1–64)")
	_ = cmd.RegisterFlagCompletionFunc("concurrency", fixedCompletions("1", "4", "16", "64"))
}

// checkConcurrency refuses a --concurrency out of 1–64.
func checkConcurrency(n int) error {
	if n < 1 || n > maxConcurrency {
		return usagef("--concurrency %d: want 1 to %d", n, maxConcurrency)
	}
	return nil
}

// checkRunFlags refuses, before anything is sent, the flags of a command that changes
// invites (renew, revoke, sync): an unknown --output, a --concurrency out of range, a dry
// run's flags without --dry-run.
func checkRunFlags(out *output, concurrency int, f dryRunFlags, dryRun bool) error {
	if err := out.check(); err != nil {
		return err
	}
	if err := checkConcurrency(concurrency); err != nil {
		return err
	}
	return f.check(dryRun)
}
