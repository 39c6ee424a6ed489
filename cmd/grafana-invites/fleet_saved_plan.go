package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
)

// fleetPlanKind marks a fleet's saved plan (plan --plan-out), which sync --plan refuses.
const fleetPlanKind = "fleet"

// fleetSavedPlan is what `plan -f FILE --plan-out PLAN` writes and `apply --plan PLAN`
// applies: per instance, how to reach it (references to credentials, never secrets), and
// per organisation what sync's saved plan holds, with the organisation's options. It holds
// invitation codes: it is written readable by its owner only.
type fleetSavedPlan struct {
	Version   int                  `json:"version"`
	Kind      string               `json:"kind"`
	CreatedAt time.Time            `json:"createdAt"`
	File      string               `json:"file"`
	Instances []fleetSavedInstance `json:"instances"`
}

// fleetSavedInstance is one instance of a saved fleet plan.
type fleetSavedInstance struct {
	Name string `json:"name"`
	// Grafana is the API the plan was made against; applying it elsewhere is refused.
	Grafana    string          `json:"grafana"`
	Connection contextEntry    `json:"connection"`
	Orgs       []fleetSavedOrg `json:"orgs"`
}

// fleetSavedOrg is one organisation of a saved fleet plan, with its options.
type fleetSavedOrg struct {
	savedOrg
	Options planOptions `json:"options"`
}

// newFleetSavedPlan records the plans of every instance (all of them planned).
func newFleetSavedPlan(path string, runs []*instanceRun, now time.Time) *fleetSavedPlan {
	sp := &fleetSavedPlan{Version: savedPlanVersion, Kind: fleetPlanKind, CreatedAt: now.UTC(), File: path}
	for _, r := range runs {
		si := fleetSavedInstance{Name: r.t.name, Grafana: r.client.BaseURL(), Connection: r.t.entry}
		for i, op := range r.plans {
			o := r.t.orgs[i]
			so := savedOrg{OrgID: o.id, Entries: planEntries(op.plan), Desired: []savedDesired{}}
			for _, d := range o.desired {
				so.Desired = append(so.Desired, savedDesired{Email: d.Email, Role: string(d.Role), Name: d.Name})
			}
			so.Pending = snapshot(op.plan.Pending, o.desired, o.options.Prune)
			si.Orgs = append(si.Orgs, fleetSavedOrg{so, o.options})
		}
		sp.Instances = append(sp.Instances, si)
	}
	return sp
}

// readFleetPlanFile reads a fleet's saved plan and turns it back into the instances to
// plan again, refusing a file of another version or kind.
func readFleetPlanFile(e *env, path string) (*fleetSavedPlan, []*fleetTarget, error) {
	data, err := e.readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, usagef("--plan %s: no such file; make one with grafana-invites plan -f FILE --plan-out %s", path, path)
	}
	if err != nil {
		return nil, nil, usagef("cannot read --plan: %v", err)
	}
	var sp fleetSavedPlan
	if err := json.Unmarshal(data, &sp); err != nil {
		return nil, nil, usagef("--plan %s is not a plan file: %v", path, err)
	}
	if sp.Kind != fleetPlanKind {
		return nil, nil, usagef("--plan %s is not a fleet's plan (sync --plan applies sync's)", path)
	}
	if sp.Version != savedPlanVersion || len(sp.Instances) == 0 {
		return nil, nil, usagef("--plan %s is not a fleet plan of this version (want version %d with at least one instance)", path, savedPlanVersion)
	}
	var targets []*fleetTarget
	for _, si := range sp.Instances {
		what := fmt.Sprintf("instance %q", si.Name)
		if err := si.Connection.check(what); err != nil {
			return nil, nil, usagef("--plan %s: %v", path, err)
		}
		t := &fleetTarget{name: si.Name, where: fmt.Sprintf("plan %s: %s", path, what), entry: si.Connection}
		for _, so := range si.Orgs {
			o := fleetOrgTarget{id: so.OrgID, options: so.Options}
			for _, d := range so.Desired {
				role, err := api.ParseRole(d.Role)
				if err != nil {
					return nil, nil, usagef("--plan %s: %s names the role %q for %s: %v", path, what, d.Role, d.Email, err)
				}
				o.desired = append(o.desired, api.Desired{Email: d.Email, Role: role, Name: d.Name})
			}
			t.orgs = append(t.orgs, o)
		}
		targets = append(targets, t)
	}
	return &sp, targets, nil
}

// checkFleetFresh refuses a saved fleet plan, whole, when an instance answers from
// elsewhere than it was made for, or when the pending invites any planned instance rests
// on changed since: nothing is sent to any instance, and the differences are listed per
// instance.
func checkFleetFresh(sp *fleetSavedPlan, runs []*instanceRun) error {
	var changes []string
	for i, r := range runs {
		si := sp.Instances[i]
		if r.err != nil {
			continue // reported as not planned
		}
		if r.client.BaseURL() != si.Grafana {
			return usagef("instance %q: the plan was made for %s, not %s; nothing was sent", si.Name, si.Grafana, r.client.BaseURL())
		}
		for j, op := range r.plans {
			so := si.Orgs[j]
			where := fmt.Sprintf("instance %q: organisation %d: ", si.Name, so.OrgID)
			changes = append(changes, so.changedSince(op.plan, so.Options.Prune, where)...)
		}
	}
	if len(changes) > 0 {
		return &staleError{changes, "grafana-invites plan -f FILE --plan-out PLAN"}
	}
	return nil
}
