package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana-invites/grafana-invites/api"
)

// How a run that changes things (invite, revoke, renew, sync) ends: its failures grouped,
// then the exit status. Shared by every such command.

// cutNote marks an entry whose request the second Ctrl-C cut short: Grafana may have done
// it all the same.
const cutNote = "cut by Ctrl-C: may have been done; re-run to settle"

// wasCut reports whether an entry's error is the second Ctrl-C cutting its request.
func wasCut(err error) bool { return errors.Is(err, context.Canceled) }

// endRun reports the failures, then turns how the run ended into the exit status: 130 when
// Ctrl-C stopped it (saying what was not started, and what a second Ctrl-C cut), the run's
// own error, or 1 when some entry failed. what names the entries ("addresses", "invites").
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
	return nil
}
