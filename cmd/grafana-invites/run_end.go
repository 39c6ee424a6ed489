package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana-invites/grafana-invites/api"
)

// How a run that changes things (invite, revoke, renew, sync) ends: what it did printed,
// its failures grouped, then the exit status. Shared by every such command.

// cutNote marks an entry whose request the second Ctrl-C cut short: Grafana may have done
// it all the same.
const cutNote = "cut by Ctrl-C: may have been done; re-run to settle"

// wasCut reports whether an entry's error is the second Ctrl-C cutting its request.
func wasCut(err error) bool { return errors.Is(err, context.Canceled) }

// endRun reports the failures, then turns how the run ended into the exit status: 130 when
// Ctrl-C stopped it (saying what was not started, and what a second Ctrl-C cut), the run's
// own error, 1 when some entry failed, or 3 when some address was not brought to the state
// asked for (saying why). what names the entries ("addresses", "invites").
func (a *app) endRun(entries []entry, fails []failure, runErr error, what string) error {
	a.reportFailures(fails)
	notStarted, cut := 0, 0
	for _, en := range entries {
		switch {
		case en.Result == string(api.OutcomeNotStarted):
			notStarted++
		case en.Note == cutNote:
			cut++
		}
	}
	switch {
	case wasCut(runErr) || cut > 0:
		return &interruptedError{done: fmt.Sprintf("%d of %d %s were not started, and the second Ctrl-C cut %d under way: "+
			"the rows marked %q may have been done (an invite may have been saved); run the same command again, which settles them",
			notStarted, len(entries), what, cut, "cut by Ctrl-C")}
	case errors.Is(runErr, api.ErrStopped):
		return &interruptedError{done: fmt.Sprintf("%d of %d %s were not started; the requests under way finished, and the rows above say what was done",
			notStarted, len(entries), what)}
	case runErr != nil:
		return runErr
	case len(fails) > 0:
		return &exitStatus{exitError}
	}
	return a.shortfalls(entries)
}

// shortfalls is exit status 3, saying why, when some entry was not brought to the state
// asked for (a role mismatch kept, an email not sent); nil otherwise.
func (a *app) shortfalls(entries []entry) error {
	why := map[string]int{}
	var order []string
	for _, en := range entries {
		if en.shortfall == "" {
			continue
		}
		if why[en.shortfall] == 0 {
			order = append(order, en.shortfall)
		}
		why[en.shortfall]++
	}
	if len(order) == 0 {
		return nil
	}
	for _, w := range order {
		a.note("grafana-invites: %d %s not brought to the state asked for: %s", why[w], plural(why[w], "address", "addresses"), w)
	}
	return &exitStatus{exitShortfall}
}

// plural is one or many, by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// finishRun prints what a run of sync or renew did: the entries (in a table, those that
// changed something or need a look), the failures grouped, then the summary last; then it
// ends the run as endRun does.
func (a *app) finishRun(out *output, entries []entry, fails []failure, runErr error) error {
	shown := entries
	if out.format == formatTable {
		shown = worthShowing(entries)
	}
	if len(shown) > 0 || out.format != formatTable {
		p := runShows(entries)
		p.entries = shown
		if err := a.printEntries(out, p); err != nil {
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

// worthShowing keeps the entries of a run that a table shows: those that changed something
// or need a look (not those already invited, nor pending invites left alone).
func worthShowing(entries []entry) []entry {
	var out []entry
	for _, en := range entries {
		if en.Result != string(api.OutcomeAlreadyInvited) && en.Result != string(api.OutcomeStale) {
			out = append(out, en)
		}
	}
	return out
}

// dryRunEnd is how a dry run ends: with --detailed-exitcode, exit status 4 when it would
// change something (as terraform plan's 2), 0 when nothing.
func dryRunEnd(detailed bool, changes int) error {
	if detailed && changes > 0 {
		return &exitStatus{exitChanges}
	}
	return nil
}
