package main

import (
	"fmt"

	"github.com/grafana-invites/grafana-invites/api"
)

// The plans of several organisations (sync's org column, a fleet's instances) and what
// they come to.

// orgPlan is the plan of one organisation.
type orgPlan struct {
	org    int64 // 0: the one the connection names
	client *api.Client
	plan   *api.Plan
}

// inOrg says which organisation (of a sync file, of a fleet's instance) an error is about.
func inOrg(org int64, err error) error {
	if org == 0 {
		return err
	}
	return &orgError{org, err}
}

// orgError is an error in one organisation.
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

// changes counts the actions of the plans.
func changes(plans []orgPlan) int {
	n := 0
	for _, op := range plans {
		n += op.plan.Changes()
	}
	return n
}

// actionCounts counts the actions of the plans by kind.
func actionCounts(plans []orgPlan) map[api.ActionKind]int {
	n := map[api.ActionKind]int{}
	for _, op := range plans {
		for _, act := range op.plan.Actions {
			n[act.Kind]++
		}
	}
	return n
}

// goingEntries keeps the entries of a plan that revoke an invite (revoke and replace): what
// a confirmation shows.
func goingEntries(entries []entry) []entry {
	var out []entry
	for _, en := range entries {
		if en.Action == string(api.ActionRevoke) || en.Action == string(api.ActionReplace) {
			out = append(out, en)
		}
	}
	return out
}
