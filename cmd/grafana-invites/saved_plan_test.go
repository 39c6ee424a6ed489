package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

const planCSV = "email,role\nkeep@example.com,Viewer\nnew@example.com,Editor\n"

// TestSavedPlanApplies: a plan saved by a dry run (private: it holds codes) applies as
// planned.
func TestSavedPlanApplies(t *testing.T) {
	c := newCLI(t)
	c.seed("keep@example.com:Viewer", "gone@example.com:Viewer")
	file := filepath.Join(t.TempDir(), "plan.json")
	require.NoError(t, os.WriteFile(file, []byte("an older, world-readable file"), 0o644)) //nolint:gosec // the mode under test

	lists := c.fg.Calls(fakegrafana.OpGetPendingOrgInvites)
	code, out, errOut := c.run(planCSV, "sync", "-", "--prune", "--dry-run", "--plan-out", file)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, lists+1, c.fg.Calls(fakegrafana.OpGetPendingOrgInvites), "the plan's own list is saved: no second")
	assert.Regexp(t, `plan saved to \S+/plan.json; apply it with: grafana-invites sync --plan \S+/plan.json`, errOut)
	assert.Contains(t, out, "Dry run: 1 to invite, 0 to replace, 1 to revoke")
	st, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "it holds codes")
	var sp savedPlan
	data, err := os.ReadFile(file) //nolint:gosec // the test's own file
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &sp))
	assert.Equal(t, savedPlanVersion, sp.Version)
	assert.True(t, sp.Options.Prune)
	require.Len(t, sp.Orgs, 1)
	assert.Len(t, sp.Orgs[0].Pending, 2, "with prune, every pending invite")

	writesBefore, lists := writes(c.fg), c.fg.Calls(fakegrafana.OpGetPendingOrgInvites)
	code, out, errOut = c.run("", "sync", "--plan", file, "--yes")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, lists+2, c.fg.Calls(fakegrafana.OpGetPendingOrgInvites), "one to check and plan, one for the new codes")
	assert.Regexp(t, `new@example.com\s+Editor\s+invited`, out)
	assert.Regexp(t, `gone@example.com\s+Viewer\s+revoked`, out)
	assert.Equal(t, writesBefore+2, writes(c.fg), "one invite and one revoke, as planned")
	pending := pendingCodes(c.fg)
	assert.Contains(t, pending, "new@example.com")
	assert.NotContains(t, pending, "gone@example.com")
}

// TestSavedPlanRefusedWhenStale: after someone else changed the pending invites of the
// plan's addresses, the saved plan is refused with the differences, and nothing is sent.
func TestSavedPlanRefusedWhenStale(t *testing.T) {
	for name, change := range map[string]func(c *cli){
		"an invite revoked": func(c *cli) {
			code, _, errOut := c.run("", "revoke", "keep@example.com")
			require.Equal(t, exitOK, code, errOut)
		},
		"an invite added": func(c *cli) {
			code, _, errOut := c.run("", "invite", "new@example.com", "--role", "Viewer")
			require.Equal(t, exitOK, code, errOut)
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t)
			c.seed("keep@example.com:Viewer")
			file := filepath.Join(t.TempDir(), "plan.json")
			code, _, errOut := c.run(planCSV, "sync", "-", "--dry-run", "--plan-out", file)
			require.Equal(t, exitOK, code, errOut)
			change(c)
			before := writes(c.fg)
			code, _, errOut = c.run("", "sync", "--plan", file, "--yes")
			assert.Equal(t, exitError, code)
			assert.Contains(t, errOut, "the pending invites changed since the plan was made; nothing was sent")
			assert.Regexp(t, `(keep|new)@example.com: (the|a) Viewer invite <code>… (is no longer pending|is pending that was not)`, errOut)
			assert.Equal(t, before, writes(c.fg))
		})
	}
}

func TestSavedPlanUsage(t *testing.T) {
	c := newCLI(t)
	file := filepath.Join(t.TempDir(), "plan.json")
	code, _, errOut := c.run(planCSV, "sync", "-", "--dry-run", "--plan-out", file)
	require.Equal(t, exitOK, code, errOut)
	for args, want := range map[string]string{
		"sync team.csv --plan " + file:             "takes no CSV file",
		"sync --plan " + file + " --prune":         "--prune belongs to the run that made it",
		"sync - --plan-out " + file:                "add --dry-run",
		"sync --plan " + file + ".missing":         "no such file; make one with sync FILE --dry-run --plan-out",
		"sync --plan " + file + " --url http://x/": "the plan was made for",
	} {
		code, _, errOut := c.run(planCSV, strings.Fields(args)...)
		assert.Equal(t, exitUsage, code, args)
		assert.Contains(t, errOut, want, args)
	}
	require.NoError(t, os.WriteFile(file, []byte(`{"version": 9}`), 0o600))
	code, _, errOut = c.run("", "sync", "--plan", file)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "not a plan file of this version")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpAddOrgInvite))
}
