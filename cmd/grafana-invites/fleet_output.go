package main

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/api"
)

// What plan and apply print: in a table, grouped by instance and organisation, each
// group under its own heading; in JSON one document (docs/cli-output.schema.json's
// fleet), whose entries name their instance and organisation; in CSV the entries.

// fleetDoc is the JSON document of plan and apply.
type fleetDoc struct {
	DryRun  bool           `json:"dryRun"`
	Summary map[string]int `json:"summary"`
	// SummaryByInstance counts per instance, then per organisation id.
	SummaryByInstance map[string]map[string]map[string]int `json:"summaryByInstance"`
	Instances         []fleetInstanceJSON                  `json:"instances"`
	UnchangedHidden   int                                  `json:"unchangedHidden"`
	Entries           []entry                              `json:"entries"`
}

// fleetInstanceJSON is how one instance fared: planned or not, and what went wrong.
type fleetInstanceJSON struct {
	Name    string  `json:"name"`
	URL     string  `json:"url"`
	Planned bool    `json:"planned"`
	Error   *string `json:"error"`
}

// printFleet writes what plan (dryRun) or apply shows of the runs: p's entries, grouped by
// instance and organisation in a table. A plan's organisations with nothing to change are
// named together in one line, so that a large fleet's plan shows its changes.
func (a *app) printFleet(out *output, runs []*instanceRun, p printed) error {
	switch out.format {
	case formatJSON:
		return writeJSON(a.e.stdout, fleetJSON(runs, p))
	case formatCSV:
		return writeEntries(a.e.stdout, formatCSV, p)
	}
	w := a.e.stdout
	first := true
	var still []string // a plan's organisations without a change, said in one line
	unchanged := 0
	for _, r := range runs {
		if r.err != nil {
			continue
		}
		for _, op := range r.plans {
			all, shown := inGroup(p.all, r.t.name, op.org, true), inGroup(p.entries, r.t.name, op.org, true)
			if p.dryRun && len(shown) == 0 {
				still, unchanged = append(still, fmt.Sprintf("%s org %d", r.t.name, op.org)), unchanged+len(all)
				continue
			}
			if !first {
				fmt.Fprintln(w)
			}
			first = false
			fmt.Fprintf(w, "Instance %s, organisation %d (%s):\n", r.t.name, op.org, r.t.entry.URL)
			if p.dryRun {
				group := printed{entries: shown, dryRun: true, all: all, hidden: len(all) - len(shown)}
				if err := a.printEntries(out, group); err != nil {
					return err
				}
				continue
			}
			if shown = worthShowing(shown); len(shown) > 0 {
				writeEntryTable(w, shown, false)
			}
			if a.quiet {
				continue // no links, no summary
			}
			if len(shown) > 0 {
				writeLinks(w, shown)
				fmt.Fprintln(w)
			}
			writeSummary(w, all)
		}
	}
	if len(still) > 0 && !a.quiet {
		if !first {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Nothing to change (%d unchanged) in %s.\n", unchanged, strings.Join(still, ", "))
	}
	return nil
}

// fleetJSON is the JSON document of the runs and p's entries.
func fleetJSON(runs []*instanceRun, p printed) fleetDoc {
	entries := p.entries
	if entries == nil {
		entries = []entry{}
	}
	doc := fleetDoc{DryRun: p.dryRun, Summary: counts(p.all), SummaryByInstance: map[string]map[string]map[string]int{},
		Instances: []fleetInstanceJSON{}, UnchangedHidden: p.hidden, Entries: entries}
	for _, r := range runs {
		ij := fleetInstanceJSON{Name: r.t.name, URL: r.t.entry.URL, Planned: r.err == nil}
		if err := cmp.Or(r.err, r.runErr); err != nil {
			ij.Error = nullString(err.Error())
		}
		doc.Instances = append(doc.Instances, ij)
		if r.err != nil {
			continue
		}
		byOrg := map[string]map[string]int{}
		for _, op := range r.plans {
			byOrg[strconv.FormatInt(op.org, 10)] = counts(inGroup(p.all, r.t.name, op.org, false))
		}
		doc.SummaryByInstance[r.t.name] = byOrg
	}
	return doc
}

// inGroup keeps the entries of one organisation of one instance; headed, without the
// instance and organisation, which the group's heading says.
func inGroup(entries []entry, instance string, org int64, headed bool) []entry {
	var out []entry
	for _, en := range entries {
		if en.Instance == instance && en.OrgID == org {
			if headed {
				en.Instance, en.OrgID = "", 0
			}
			out = append(out, en)
		}
	}
	return out
}

// printFleetTotals ends a plan's table: what it comes to across the fleet.
func (a *app) printFleetTotals(runs []*instanceRun) {
	ok, failed := planned(runs)
	var plans []orgPlan
	for _, r := range ok {
		plans = append(plans, r.plans...)
	}
	n, orgs := actionCounts(plans), len(plans)
	w := a.e.stdout
	fmt.Fprintf(w, "\nPlan: %d to invite, %d to replace, %d to revoke in %d %s of %d %s; nothing was changed.\n",
		n[api.ActionInvite], n[api.ActionReplace], n[api.ActionRevoke], orgs, plural(orgs, "organisation", "organisations"), len(ok), plural(len(ok), "instance", "instances"))
	if len(failed) > 0 {
		fmt.Fprintf(w, "%d %s not planned (said on stderr).\n", len(failed), plural(len(failed), "instance was", "instances were"))
	}
	if n[api.ActionInvite] > 0 {
		fmt.Fprintln(w, "Addresses of existing members are planned as invites: Grafana tells them apart only when invited, and then nothing changes.")
	}
}

// noteFleetPlan says, before apply changes anything, what it will change on each instance.
func (a *app) noteFleetPlan(runs []*instanceRun) {
	for _, r := range runs {
		n := actionCounts(r.plans)
		a.note("%s (%s): %d to invite, %d to replace, %d to revoke in %d %s", r.t.name, r.t.entry.URL,
			n[api.ActionInvite], n[api.ActionReplace], n[api.ActionRevoke], len(r.plans), plural(len(r.plans), "organisation", "organisations"))
	}
}
