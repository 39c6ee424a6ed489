package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// fleetFlags are the flags plan and apply share: the fleet file, the bound of each call,
// and how many instances are worked on at once.
type fleetFlags struct {
	// File is the fleet file (-f); empty for apply --plan.
	File     string
	Timeout  string
	Parallel int
}

// maxParallel bounds --parallel.
const maxParallel = 64

// addFleetFlags registers -f/--file, --timeout and --parallel.
func addFleetFlags(cmd *cobra.Command, f *fleetFlags) {
	fs := cmd.Flags()
	fs.StringVarP(&f.File, "file", "f", "", "the fleet file (YAML: docs/fleet.md)")
	fs.StringVar(&f.Timeout, "timeout", api.DefaultTimeout.String(), "bound of each call to a Grafana, retries included, e.g. 30s or 2m")
	fs.IntVar(&f.Parallel, "parallel", defaultParallel, "instances worked on at once (1–64)")
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("timeout", fixedCompletions("10s", "30s", "1m", "5m"))
	_ = cmd.RegisterFlagCompletionFunc("parallel", fixedCompletions("1", "4", "16", "64"))
}

// check refuses a --parallel out of 1–64 and a --timeout that is not a duration, before
// anything is read; it returns the timeout.
func (f fleetFlags) check() (time.Duration, error) {
	if f.Parallel < 1 || f.Parallel > maxParallel {
		return 0, usagef("--parallel %d: want 1 to %d", f.Parallel, maxParallel)
	}
	return parseDuration("--timeout", f.Timeout, "s")
}
