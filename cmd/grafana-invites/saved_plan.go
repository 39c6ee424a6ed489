package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
)

// savedPlanVersion is the format of a plan file; a file of another version is refused.
const savedPlanVersion = 2

// savedPlan is what `sync --dry-run --plan-out FILE` writes and `sync --plan FILE` applies:
// the file's rows and options, the plan's entries, and the pending invites the plan rests
// on, so that a plan made stale by someone else's change is refused instead of applied.
// It holds invitation codes: it is written readable by its owner only.
type savedPlan struct {
	Version int `json:"version"`
	// Kind is empty in sync's plans, fleetPlanKind in a fleet's.
	Kind      string    `json:"kind,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	// Grafana is the API the plan was made against; applying it elsewhere is refused.
	Grafana string      `json:"grafana"`
	Options planOptions `json:"options"`
	Orgs    []savedOrg  `json:"orgs"`
}

type planOptions struct {
	Prune       bool `json:"prune"`
	ReplaceRole bool `json:"replaceRole"`
	SendEmail   bool `json:"sendEmail"`
}

// savedOrg is the plan of one organisation (orgId 0: the connection's).
type savedOrg struct {
	OrgID   int64          `json:"orgId"`
	Desired []savedDesired `json:"desired"`
	// Pending are the pending invites the plan rests on: those of its addresses, or all of
	// the organisation's with prune.
	Pending []savedInvite `json:"pending"`
	Entries []entry       `json:"entries"`
}

type savedDesired struct {
	Email string `json:"email"`
	Role  string `json:"role"`
	Name  string `json:"name,omitempty"`
}

type savedInvite struct {
	Email string `json:"email"`
	Role  string `json:"role"`
	Code  string `json:"code"`
}

func (o planOptions) api() api.PlanOptions {
	return api.PlanOptions{Prune: o.Prune, ReplaceRoleMismatch: o.ReplaceRole, SendEmail: o.SendEmail}
}

// snapshot is the part of the pending invites a plan rests on, sorted.
func snapshot(pending []api.Invite, desired []api.Desired, prune bool) []savedInvite {
	wanted := map[string]bool{}
	for _, d := range desired {
		wanted[api.NormalizeEmail(d.Email)] = true
	}
	out := []savedInvite{}
	for _, inv := range pending {
		if prune || wanted[api.NormalizeEmail(inv.Email)] {
			out = append(out, savedInvite{Email: inv.Email, Role: string(inv.Role), Code: inv.Code})
		}
	}
	slices.SortFunc(out, func(a, b savedInvite) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// newSavedPlan records plans made from rows with opts, and the pending invites they rest on
// (those each plan was made from).
func newSavedPlan(c *api.Client, plans []orgPlan, rows []row, opts planOptions, now time.Time) *savedPlan {
	sp := &savedPlan{Version: savedPlanVersion, CreatedAt: now.UTC(), Grafana: c.BaseURL(), Options: opts}
	for _, op := range plans {
		var desired []api.Desired
		so := savedOrg{OrgID: op.org}
		for _, r := range rows {
			if r.org == op.org {
				desired = append(desired, r.Desired)
				so.Desired = append(so.Desired, savedDesired{Email: r.Email, Role: string(r.Role), Name: r.Name})
			}
		}
		so.Pending = snapshot(op.plan.Pending, desired, opts.Prune)
		so.Entries = planEntries(op.plan)
		sp.Orgs = append(sp.Orgs, so)
	}
	return sp
}

// writePlanFile writes a plan (sync's or a fleet's) readable and writable by its owner only
// (it holds codes), whatever the mode of a file it replaces.
func writePlanFile(path string, sp any) error {
	data, err := json.MarshalIndent(sp, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600) //nolint:gosec // a file named by the user
	if err != nil {
		return usagef("cannot write --plan-out: %v", err)
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return usagef("cannot make --plan-out private: %v", err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// readPlanFile reads a plan file, refusing one that is not this version's.
func readPlanFile(e *env, path string) (*savedPlan, error) {
	data, err := e.readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("--plan %s: no such file; make one with sync FILE --dry-run --plan-out %s", path, path)
	}
	if err != nil {
		return nil, usagef("cannot read --plan: %v", err)
	}
	var sp savedPlan
	if err := json.Unmarshal(data, &sp); err != nil {
		return nil, usagef("--plan %s is not a plan file: %v", path, err)
	}
	if sp.Kind == fleetPlanKind {
		return nil, usagef("--plan %s is a fleet's plan: apply it with grafana-invites apply --plan %s", path, path)
	}
	if sp.Version != savedPlanVersion || len(sp.Orgs) == 0 {
		return nil, usagef("--plan %s is not a plan file of this version (want version %d with at least one organisation)", path, savedPlanVersion)
	}
	return &sp, nil
}

// rows is the plan's desired state as the rows of a sync file.
func (sp *savedPlan) rows() ([]row, error) {
	var out []row
	for _, so := range sp.Orgs {
		for _, d := range so.Desired {
			role, err := api.ParseRole(d.Role)
			if err != nil {
				return nil, usagef("the plan file names the role %q for %s: %v", d.Role, d.Email, err)
			}
			out = append(out, row{org: so.OrgID, Desired: api.Desired{Email: d.Email, Role: role, Name: d.Name}})
		}
	}
	return out, nil
}

// staleError lists what changed since a plan was made; remake says how to make a new one.
type staleError struct {
	changes []string
	remake  string
}

func (e *staleError) Error() string {
	return "the pending invites changed since the plan was made; nothing was sent. Make a new plan (" + e.remake + "). Changes:\n  " +
		strings.Join(e.changes, "\n  ")
}

// checkGrafana refuses a plan made against another Grafana, before anything is sent.
func checkGrafana(c *api.Client, sp *savedPlan) error {
	if c.BaseURL() != sp.Grafana {
		return usagef("the plan was made for %s, not %s; nothing was sent", sp.Grafana, c.BaseURL())
	}
	return nil
}

// checkFresh compares the pending invites a saved plan rests on with those the plans remade
// from its rows rest on, and those plans with the saved ones; any difference is a
// *staleError.
func checkFresh(sp *savedPlan, plans []orgPlan) error {
	saved := map[int64]savedOrg{}
	for _, so := range sp.Orgs {
		saved[so.OrgID] = so
	}
	var changes []string
	for _, op := range plans {
		so, ok := saved[op.org]
		if !ok || len(plans) != len(sp.Orgs) {
			return usagef("the plan file's organisations do not match its rows; make a new plan")
		}
		where := ""
		if op.org != 0 {
			where = fmt.Sprintf("organisation %d: ", op.org)
		}
		changes = append(changes, so.changedSince(op.plan, sp.Options.Prune, where)...)
	}
	if len(changes) > 0 {
		return &staleError{changes, "sync FILE --dry-run --plan-out"}
	}
	return nil
}

// changedSince lists what differs between the saved plan of an organisation and the plan
// made again now from its desired state (prune is the plan's option), each line prefixed
// by where: the pending invites it rests on, then the plan itself.
func (so savedOrg) changedSince(now *api.Plan, prune bool, where string) []string {
	var desired []api.Desired
	for _, d := range so.Desired {
		desired = append(desired, api.Desired{Email: d.Email})
	}
	var changes []string
	pending := snapshot(now.Pending, desired, prune)
	for _, inv := range so.Pending {
		if !slices.Contains(pending, inv) {
			changes = append(changes, fmt.Sprintf("%s%s: the %s invite %s is no longer pending", where, inv.Email, inv.Role, api.ShortCode(inv.Code)))
		}
	}
	for _, inv := range pending {
		if !slices.Contains(so.Pending, inv) {
			changes = append(changes, fmt.Sprintf("%s%s: a %s invite %s is pending that was not", where, inv.Email, inv.Role, api.ShortCode(inv.Code)))
		}
	}
	if len(changes) == 0 && !slices.Equal(planEntries(now), so.Entries) {
		changes = append(changes, where+"the plan made now differs from the saved one")
	}
	return changes
}
