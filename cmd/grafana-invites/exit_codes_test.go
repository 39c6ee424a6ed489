package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestExitCodesTell: 3 when an address was not brought to the state asked for (a pending
// invite with another role kept, an email Grafana could not send), 4 for a dry run with
// --detailed-exitcode that would change something, 0 when it would not, 2 for the flag
// without a dry run.
func TestExitCodesTell(t *testing.T) {
	tests := []struct {
		name   string
		smtp   bool
		seed   []string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{name: "role mismatch kept", seed: []string{"a@example.com:Viewer"}, args: []string{"invite", "a@example.com", "--role", "Admin"}, code: exitShortfall,
			stderr: "1 address not brought to the state asked for: pending with another role, kept (--replace-role replaces it)"},
		{name: "role mismatch replaced", seed: []string{"a@example.com:Viewer"}, args: []string{"invite", "a@example.com", "--role", "Admin", "--replace-role"}, code: exitOK},
		{name: "no email without SMTP", args: []string{"invite", "a@example.com", "--role", "Viewer", "--send-email"}, code: exitShortfall,
			stderr: "no email sent (Grafana has no SMTP)"},
		{name: "email sent", smtp: true, args: []string{"invite", "a@example.com", "--role", "Viewer", "--send-email"}, code: exitOK},
		{name: "no email asked", args: []string{"invite", "a@example.com", "--role", "Viewer"}, code: exitOK},
		{name: "sync role mismatch kept", seed: []string{"a@example.com:Viewer"}, stdin: "email,role\na@example.com,Editor\n", args: []string{"sync", "-"}, code: exitShortfall},
		{name: "sync stale kept is as asked", seed: []string{"a@example.com:Viewer"}, stdin: "email,role\nb@example.com,Editor\n", args: []string{"sync", "-"}, code: exitOK},
		{name: "renew without SMTP", seed: []string{"a@example.com:Viewer"}, args: []string{"renew", "--older-than", "1h", "--send-email"}, code: exitShortfall},
		{name: "invite dry run with changes", args: []string{"invite", "a@example.com", "--role", "Viewer", "--dry-run", "--detailed-exitcode"}, code: exitChanges},
		{name: "invite dry run without changes", seed: []string{"a@example.com:Viewer"}, args: []string{"invite", "a@example.com", "--role", "Viewer", "--dry-run", "--detailed-exitcode"}, code: exitOK},
		{name: "dry run without the flag", args: []string{"invite", "a@example.com", "--role", "Viewer", "--dry-run"}, code: exitOK},
		{name: "sync dry run with changes", stdin: "email,role\na@example.com,Editor\n", args: []string{"sync", "-", "--dry-run", "--detailed-exitcode"}, code: exitChanges},
		{name: "sync dry run without changes", seed: []string{"a@example.com:Editor"}, stdin: "email,role\na@example.com,Editor\n", args: []string{"sync", "-", "--dry-run", "--detailed-exitcode"}, code: exitOK},
		{name: "revoke dry run with changes", seed: []string{"a@example.com:Viewer"}, args: []string{"revoke", "a@example.com", "--dry-run", "--detailed-exitcode"}, code: exitChanges},
		{name: "revoke dry run without changes", args: []string{"revoke", "a@example.com", "--dry-run", "--detailed-exitcode"}, code: exitOK},
		{name: "renew dry run with changes", seed: []string{"a@example.com:Viewer"}, args: []string{"renew", "--older-than", "1h", "--dry-run", "--detailed-exitcode"}, code: exitChanges},
		{name: "renew dry run without changes", args: []string{"renew", "--older-than", "1h", "--dry-run", "--detailed-exitcode"}, code: exitOK},
		{name: "detailed exit code needs a dry run", args: []string{"renew", "--older-than", "1h", "--detailed-exitcode"}, code: exitUsage, stderr: "add --dry-run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t, fakegrafana.WithSMTP(tt.smtp))
			c.seed(tt.seed...)
			before := c.fg.Calls(fakegrafana.OpAddOrgInvite) + c.fg.Calls(fakegrafana.OpRevokeInvite)
			code, _, errOut := c.run(tt.stdin, tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.stderr)
			if strings.Contains(strings.Join(tt.args, " "), "--dry-run") {
				assert.Equal(t, before, c.fg.Calls(fakegrafana.OpAddOrgInvite)+c.fg.Calls(fakegrafana.OpRevokeInvite), "a dry run changes nothing")
			}
		})
	}
}

// TestExitCodesDocumented: the root help and README's table give each exit status the
// CLI returns, with the same meaning.
func TestExitCodesDocumented(t *testing.T) {
	c := newCLI(t)
	_, help, _ := c.run("", "help")
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, code := range []int{exitOK, exitError, exitUsage, exitShortfall, exitChanges, exitInterrupted} {
		assert.Regexp(t, regexp.MustCompile(fmt.Sprintf(`\b%d\b`, code)), help[strings.Index(help, "Exit status"):], "help gives exit status %d", code)
		assert.Regexp(t, regexp.MustCompile(fmt.Sprintf("(?m)^\\| `%d` \\|", code)), string(readme), "README's table gives exit status %d", code)
	}
	assert.NotContains(t, string(readme), "no shell completion", "README says the CLI has completion")
}

// TestDryRunsShowChanges: a dry run of a 2-row file in an organisation with many other
// pending invites lists the 2 changes and counts the rest; --show-unchanged lists them all;
// JSON says how many it left out, and its summary counts every one.
func TestDryRunsShowChanges(t *testing.T) {
	c := newCLI(t)
	var others []string
	for i := range 40 {
		others = append(others, fmt.Sprintf("other%02d@example.com:Viewer", i))
	}
	c.seed(others...)
	file := "email,role\nnew@example.com,Editor\nother00@example.com,Admin\n"

	code, out, errOut := c.run(file, "sync", "-", "--dry-run", "--replace-role")
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "none")
	assert.Equal(t, 2, strings.Count(out, "@example.com"), "the two changes and nothing else:\n%s", out)
	assert.Contains(t, out, "… and 39 unchanged (--show-unchanged lists them).")

	code, out, _ = c.run(file, "sync", "-", "--dry-run", "--replace-role", "--show-unchanged")
	require.Equal(t, exitOK, code)
	assert.Equal(t, 39, strings.Count(out, " none "), out)
	assert.Contains(t, out, "not asked for; --prune revokes it", "an unchanged row says why")
	assert.NotContains(t, out, "unchanged (--show-unchanged")

	code, out, _ = c.run(file, "sync", "-", "--dry-run", "--replace-role", "-o", "json")
	require.Equal(t, exitOK, code)
	var doc entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Len(t, doc.Entries, 2)
	assert.Equal(t, 39, doc.UnchangedHidden)
	assert.Equal(t, map[string]int{"invite": 1, "replace": 1, "none": 39}, doc.Summary)

	code, out, _ = c.run("", "invite", "other01@example.com", "--role", "Viewer", "--dry-run")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "Nothing to change (1 unchanged).\n", out)
}
