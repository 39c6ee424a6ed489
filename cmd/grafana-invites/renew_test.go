package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// writes counts the requests that change something.
func writes(fg *fakegrafanatest.Server) int {
	return fg.Calls(fakegrafana.OpAddOrgInvite) + fg.Calls(fakegrafana.OpRevokeInvite)
}

func pendingCodes(fg *fakegrafanatest.Server) map[string]string {
	out := map[string]string{}
	for _, inv := range fg.Invites() {
		if inv.Status == gen.TempUserStatusInvitePending {
			out[inv.Email] = inv.Code
		}
	}
	return out
}

func TestRenewCommand(t *testing.T) {
	seeded := func(t *testing.T) *cli {
		c := newCLI(t)
		c.seed("a@example.com:Viewer", "b@example.com:Editor", "c@example.com:Admin", "d@example.com:Viewer") // at 0, 25, 50, 75 minutes
		return c
	}
	t.Run("--dry-run sends nothing but the list", func(t *testing.T) {
		c := seeded(t)
		w, lists := writes(c.fg), c.fg.Calls(fakegrafana.OpGetPendingOrgInvites)
		code, out, errOut := c.run("", "renew", "--older-than", "1h", "--dry-run")
		require.Equal(t, exitOK, code, errOut)
		golden(t, "renew-dry-run.table", out)
		assert.Equal(t, w, writes(c.fg))
		assert.Equal(t, lists+1, c.fg.Calls(fakegrafana.OpGetPendingOrgInvites))
	})
	t.Run("without a terminal and without --yes, more than one invite: nothing, exit 2", func(t *testing.T) {
		c := seeded(t)
		w := writes(c.fg)
		code, _, errOut := c.run("", "renew", "--older-than", "1h")
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "renew concerns 3 invites")
		assert.Contains(t, errOut, "--yes")
		assert.Equal(t, w, writes(c.fg), "nothing was sent")
	})
	t.Run("one invite needs no confirmation", func(t *testing.T) {
		c := seeded(t)
		before := pendingCodes(c.fg)
		code, _, errOut := c.run("", "renew", "--older-than", "1h", "b@example.com")
		require.Equal(t, exitOK, code, errOut)
		after := pendingCodes(c.fg)
		assert.NotEqual(t, before["b@example.com"], after["b@example.com"])
		assert.Equal(t, before["a@example.com"], after["a@example.com"], "other addresses untouched")
	})
	t.Run("--yes renews, new first, old revoked", func(t *testing.T) {
		c := seeded(t)
		before := pendingCodes(c.fg)
		code, out, errOut := c.run("", "renew", "--older-than", "1h", "--yes")
		require.Equal(t, exitOK, code, errOut)
		golden(t, "renew.table", out)
		after := pendingCodes(c.fg)
		require.Len(t, after, 4)
		for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
			assert.NotEqual(t, before[e], after[e], e)
		}
		assert.Equal(t, before["d@example.com"], after["d@example.com"], "younger than an hour")
	})
	t.Run("JSON", func(t *testing.T) {
		c := seeded(t)
		code, out, errOut := c.run("", "renew", "--older-than", "1h", "--yes", "--output", "json", "a@example.com")
		require.Equal(t, exitOK, code, errOut)
		var doc entriesDoc
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		require.Len(t, doc.Entries, 1)
		assert.Equal(t, "renewed", doc.Entries[0].Result)
		assert.Equal(t, "<code>", doc.Entries[0].Code)
		assert.Equal(t, "<code>", doc.Entries[0].OldCode)
	})
	t.Run("on a terminal it asks", func(t *testing.T) {
		c := seeded(t)
		c.tty = true
		w := writes(c.fg)
		code, _, errOut := c.run("n\n", "renew", "--older-than", "1h")
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "Renew these 3 invites")
		assert.Contains(t, errOut, "nothing was changed")
		assert.Equal(t, w, writes(c.fg))
		code, _, errOut = c.run("y\n", "renew", "--older-than", "1h")
		require.Equal(t, exitOK, code, errOut)
		assert.Greater(t, writes(c.fg), w)
	})
	t.Run("messages", func(t *testing.T) {
		c := seeded(t)
		for args, want := range map[string]string{
			"renew":                             "renew needs --older-than",
			"renew --older-than 20":             "add a unit, e.g. 20h",
			"renew --older-than soon":           "want a duration",
			"renew --older-than -1h":            "want a positive duration",
			"list --older-than 5":               "add a unit",
			"list --older-than 1h --lifetime x": "--lifetime",
		} {
			code, _, errOut := c.run("", splitArgs(args)...)
			assert.Equal(t, exitUsage, code, args)
			assert.Contains(t, errOut, want, args)
		}
	})
}

func TestListOlderThan(t *testing.T) {
	c := newCLI(t)
	c.seed("a@example.com:Viewer", "b@example.com:Editor", "c@example.com:Admin", "d@example.com:Viewer")
	code, out, errOut := c.run("", "list", "--older-than", "1h")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "list-older-than.table", out)
	code, out, _ = c.run("", "list", "--older-than", "1h", "--lifetime", "90m")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "lapsed", "a lifetime of 90 minutes: the oldest has lapsed")
}

func splitArgs(s string) []string { return strings.Fields(s) }

// TestRenewInterrupted: Ctrl-C starts no new address, lets the one under way finish, prints
// what was done and exits 130.
func TestRenewInterrupted(t *testing.T) {
	c := newCLI(t)
	c.seed("a@example.com:Viewer", "b@example.com:Editor")
	posts := c.fg.Calls(fakegrafana.OpAddOrgInvite)
	c.fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Delay: 100 * time.Millisecond})
	c.interrupt = make(chan struct{})
	go func() { // Ctrl-C while the first address's POST is under way
		for c.fg.Calls(fakegrafana.OpAddOrgInvite) == posts {
			runtime.Gosched()
		}
		close(c.interrupt)
	}()
	code, out, errOut := c.run("", "renew", "--older-than", "1h", "--yes", "--concurrency", "1", "-o", "json")
	assert.Equal(t, exitInterrupted, code, errOut)
	assert.Contains(t, errOut, "interrupted")
	var doc entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Entries, 2, "the address under way finished; the other is reported not started")
	assert.Equal(t, "renewed", doc.Entries[0].Result)
	assert.Equal(t, "not_started", doc.Entries[1].Result)
	assert.Equal(t, posts+1, c.fg.Calls(fakegrafana.OpAddOrgInvite))

	code, _, errOut = c.run("", "renew", "--older-than", "1h", "--yes")
	assert.Equal(t, exitInterrupted, code, "interrupted before anything: nothing changed")
	assert.Contains(t, errOut, "interrupted")
	assert.Equal(t, posts+1, c.fg.Calls(fakegrafana.OpAddOrgInvite))
}
