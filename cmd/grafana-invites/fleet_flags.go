package main

import (
	"slices"
	"strings"
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
	// Instances, when set, are the only instances of the file planned or applied.
	Instances []string
	// timeout is Timeout parsed, by check.
	timeout time.Duration
}

// maxParallel bounds --parallel.
const maxParallel = 64

// addFleetFlags registers -f/--file, --timeout and --parallel.
func addFleetFlags(cmd *cobra.Command, f *fleetFlags) {
	fs := cmd.Flags()
	fs.StringVarP(&f.File, "file", "f", "", "the fleet file (YAML: docs/fleet.md)")
	fs.StringVar(&f.Timeout, "timeout", api.DefaultTimeout.String(), "bound of each call to a Grafana, retries included, e.g. 30s or 2m")
	fs.IntVar(&f.Parallel, "parallel", defaultParallel, "instances worked on at once (1–64)")
	fs.StringSliceVar(&f.Instances, "instance", nil, "only this instance of the file (repeat, or separate with commas)")
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("timeout", fixedCompletions("10s", "30s", "1m", "5m"))
	_ = cmd.RegisterFlagCompletionFunc("parallel", fixedCompletions("1", "4", "16", "64"))
	_ = cmd.RegisterFlagCompletionFunc("instance", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	})
}

// pick keeps the instances --instance names, in the file's order; a name the file does not
// have is a usage error listing those it has.
func (f fleetFlags) pick(fl *fleet) ([]*fleetTarget, error) {
	if len(f.Instances) == 0 {
		return fl.instances, nil
	}
	var names []string
	for _, t := range fl.instances {
		names = append(names, t.name)
	}
	for _, n := range f.Instances {
		if !slices.Contains(names, n) {
			return nil, usagef("--instance %s: %s has no such instance; its instances are: %s", n, fl.path, strings.Join(names, ", "))
		}
	}
	var out []*fleetTarget
	for _, t := range fl.instances {
		if slices.Contains(f.Instances, t.name) {
			out = append(out, t)
		}
	}
	return out, nil
}

// check refuses a --parallel out of 1–64 and a --timeout that is not a duration, before
// anything is read.
func (f *fleetFlags) check() error {
	if f.Parallel < 1 || f.Parallel > maxParallel {
		return usagef("--parallel %d: want 1 to %d", f.Parallel, maxParallel)
	}
	var err error
	f.timeout, err = parseDuration("--timeout", f.Timeout, "s")
	return err
}

// readTargets reads and checks the fleet file, and keeps the instances --instance names.
func (a *app) readTargets(f fleetFlags) ([]*fleetTarget, error) {
	fl, err := a.readFleet(f.File)
	if err != nil {
		return nil, err
	}
	return f.pick(fl)
}
