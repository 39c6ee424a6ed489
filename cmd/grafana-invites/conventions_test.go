package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/gen"
)

// commandNames are the commands whose help has a golden file.
var commandNames = []string{"invite", "list", "revoke", "renew", "sync", "plan", "apply", "demo", "serve-fake", "version", "completion", "help"}

// TestHelp: help goes to stdout with examples, through "help CMD", "CMD --help" and
// "CMD -h" alike, with the flags under their headings.
func TestHelp(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "", "help")
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, errOut)
	golden(t, "help/root.txt", out)
	for _, name := range commandNames {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "", "help", name)
			require.Equal(t, exitOK, code, errOut)
			assert.Empty(t, errOut, "help is on stdout")
			assert.Contains(t, out, "Examples:\n  ")
			golden(t, "help/"+name+".txt", out)
			for _, flag := range []string{"--help", "-h"} {
				_, same, _ := runCLI(t, nil, "", name, flag)
				assert.Equal(t, out, same, "%s %s", name, flag)
			}
		})
	}
	_, out, _ = runCLI(t, nil, "", "list", "--help")
	assert.Contains(t, out, "Flags:\n")
	assert.Contains(t, out, "\nConnection flags (a context, used whole: --context, GRAFANA_CONTEXT")
	assert.Contains(t, out, "\nGlobal flags:\n  -q, --quiet")
}

// TestDidYouMean: a mistyped command gets the nearest ones, exit 2.
func TestDidYouMean(t *testing.T) {
	for typed, want := range map[string]string{"lst": "list", "invte": "invite", "revok": "revoke", "snyc": "sync"} {
		code, out, errOut := runCLI(t, nil, "", typed)
		assert.Equal(t, exitUsage, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, fmt.Sprintf("unknown command %q\n\nDid you mean this?\n\t%s\n", typed, want))
		code, _, errOut = runCLI(t, nil, "", "help", typed)
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "did you mean "+want+"?")
	}
}

// TestCompletionScripts: every shell's script, as a golden file.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "", "completion", shell)
			require.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, "grafana-invites")
			golden(t, "completion/"+shell, out)
		})
	}
	code, _, errOut := runCLI(t, nil, "", "completion", "tcsh")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `invalid argument "tcsh"`)
}

// TestCompletions: what the scripts ask the binary (its hidden __complete command) for
// commands, flags, roles and --output values.
func TestCompletions(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"s"}, []string{"serve-fake\tServe the fake Grafana for clients in other languages", "sync\tMake pending invites match a CSV file (email, role, name)"}},
		{[]string{"invite", "--role", ""}, []string{"None", "Viewer", "Editor", "Admin"}},
		{[]string{"list", "-o", ""}, []string{"table", "json", "csv"}},
		{[]string{"sync", "x.csv", "--output", ""}, []string{"table", "json", "csv"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"revoke", "--co"}, []string{"--code\trevoke the invite with this code, or the start of it (repeatable)", "--concurrency\trevokes in flight at once (1–64)",
			"--context\tthe context (a named Grafana: grafana-invites help context) to use; default GRAFANA_CONTEXT, else the current one"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "", append([]string{"__complete"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			got := lines[:len(lines)-1] // the last line is the directive
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestBashCompletionWorks sources the bash script in a real bash and completes with it,
// the binary standing behind the script as installed.
func TestBashCompletionWorks(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	shim := filepath.Join(dir, "grafana-invites")
	require.NoError(t, os.WriteFile(shim, fmt.Appendf(nil, "#!/bin/sh\nGRAFANA_INVITES_BE_MAIN=1 exec %q \"$@\"\n", os.Args[0]), 0o700)) //nolint:gosec // an executable shim
	_, script, _ := runCLI(t, nil, "", "completion", "bash")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "completion.bash"), []byte(script), 0o600))
	complete := func(line string) []string {
		t.Helper()
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		// The script needs bash-completion's _get_comp_words_by_ref, as gh's and kubectl's
		// do; a machine without the package gets the least of it here.
		prog := fmt.Sprintf(`[ -f /usr/share/bash-completion/bash_completion ] && source /usr/share/bash-completion/bash_completion
declare -F compopt >/dev/null || compopt() { :; }
declare -F _get_comp_words_by_ref >/dev/null || _get_comp_words_by_ref() {
  cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
}
source %q
COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=%q; COMP_POINT=${#COMP_LINE}
__start_grafana-invites grafana-invites
printf '%%s\n' "${COMPREPLY[@]}"`, filepath.Join(dir, "completion.bash"), quoteWords(words), len(words)-1, line)
		cmd := exec.CommandContext(t.Context(), bash, "--norc", "-c", prog) //nolint:gosec // the test's own script
		cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.Fields(string(out))
	}
	assert.Equal(t, []string{"Admin", "Editor", "None", "Viewer"}, sorted(complete("grafana-invites invite --role ")))
	assert.Equal(t, []string{"renew", "revoke"}, sorted(complete("grafana-invites re")))
	assert.Equal(t, []string{"csv", "json", "table"}, sorted(complete("grafana-invites list -o ")))
}

// TestOutputEverywhere: every command that prints data takes -o table|json|csv, and JSON
// and CSV share Grafana's camelCase keys.
func TestOutputEverywhere(t *testing.T) {
	c := newCLI(t)
	c.seed("a@example.com:Viewer")
	csvFile := filepath.Join(t.TempDir(), "team.csv")
	require.NoError(t, os.WriteFile(csvFile, []byte("email,role\na@example.com,Viewer\nb@example.com,Editor\n"), 0o600))
	for _, args := range [][]string{
		{"list"},
		{"invite", "c@example.com", "--role", "Viewer"},
		{"sync", csvFile, "--dry-run"},
		{"sync", csvFile},
		{"renew", "--older-than", "1h", "--dry-run"},
		{"revoke", "nobody@example.com"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := c.run("", append(args, "-o", "json")...)
			require.Equal(t, exitOK, code, errOut)
			assert.True(t, json.Valid([]byte(out)), out)
			for _, k := range jsonKeys(t, out) {
				assert.NotContains(t, k, "_", "camelCase keys, no snake_case (values are tokens such as already_invited)")
			}
			code, out, errOut = c.run("", append(args, "-o", "csv")...)
			require.Equal(t, exitOK, code, errOut)
			header, _, _ := strings.Cut(out, "\n")
			assert.NotContains(t, header, "_")
			assert.Regexp(t, `^(address|email),`, header)
			code, _, errOut = c.run("", append(args, "-o", "yaml")...)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, `--output "yaml": want table, json or csv`)
		})
	}
}

// TestInviteRefusesBadAddresses: what Grafana's rule refuses is refused before anything
// is sent; a login is fine.
func TestInviteRefusesBadAddresses(t *testing.T) {
	c := newCLI(t)
	for _, bad := range []string{"@example.com", "foo@", "a@b@c.com"} {
		code, _, errOut := c.run("", "invite", bad, "--role", "Viewer")
		assert.Equal(t, exitUsage, code, bad)
		assert.Contains(t, errOut, "is not an email address Grafana accepts")
	}
	code, _, errOut := c.run("", "invite", "bob.example.com", "--role", "Viewer")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `"bob.example.com" is not an email address (it has no '@'), nothing was sent; to add an existing user by login: --login bob.example.com`)
	code, _, errOut = c.run("", "invite", "--login", "bob@example.com", "--role", "Viewer")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is an address: pass it as an argument")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpAddOrgInvite), "nothing sent")

	code, out, errOut := c.run("", "invite", "--login", "dave", "--role", "Viewer")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "existing user added", "dave is a login")
	code, out, errOut = c.run("", "invite", "--login", "nobody", "--role", "Viewer")
	assert.Equal(t, exitError, code, "a login no user has is a failure")
	assert.Regexp(t, `nobody +Viewer +failed +\S+ +no such user`, out)
	assert.Contains(t, errOut, "no user has this login: Grafana made an invite addressed to it, now revoked\n  for nobody\n")
	for _, inv := range c.fg.Invites() {
		assert.NotEqual(t, gen.TempUserStatusInvitePending, inv.Status, "the invite Grafana made for the login is revoked: %s", inv.Email)
	}
}

// TestTablesFit100Columns: the invite table shows the code once, short, and fits 100
// columns; members show - as their role.
func TestTablesFit100Columns(t *testing.T) {
	c := newCLI(t, fakegrafana.WithSMTP(false))
	c.seed("pending@example.com:Viewer")
	code, out, errOut := c.run("", "invite", "pending@example.com", "someone-new@example.com", "erin@example.com", "dave@example.com", "--role", "Editor", "--send-email")
	require.Equal(t, exitShortfall, code, errOut)
	table, _, _ := strings.Cut(out, "\n\n")
	assert.NotRegexp(t, `<code>([^…]|$)`, table, "the table shows codes short, never whole")
	assert.Contains(t, table, "<code>…")
	for _, line := range strings.Split(table, "\n") {
		line = strings.ReplaceAll(line, "<code>…", "Ab3d…") // as wide as the short code it stands for
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 100, line)
	}
	assert.Regexp(t, `erin@example.com\s+-\s+already a member`, out)
	assert.Len(t, regexp.MustCompile(`someone-new@example.com\s+Editor`).FindAllString(out, -1), 1, "one row")
}

// TestSyncTableNotes: the run's table names SMTP-less invites and pending invites with
// another role (with the --replace-role hint), row by row.
func TestSyncTableNotes(t *testing.T) {
	c := newCLI(t, fakegrafana.WithSMTP(false))
	c.seed("role@example.com:Viewer")
	code, out, errOut := c.run("email,role\nrole@example.com,Editor\nnew@example.com,Viewer\n", "sync", "-", "--send-email")
	require.Equal(t, exitShortfall, code, errOut)
	assert.Regexp(t, `new@example.com\s+Viewer\s+invited\s+\S+\s+no email \(Grafana has no SMTP\)`, out)
	assert.Regexp(t, `role@example.com\s+Viewer\s+pending with another role\s+\S+\s+kept; --replace-role replaces it`, out)
	assert.True(t, strings.HasSuffix(out, "pending with another role  1\n"), "the summary is last:\n%s", out)
}

// TestGroupedFailures: identical failures print once, with a count and three addresses.
func TestGroupedFailures(t *testing.T) {
	c := newCLI(t)
	var b strings.Builder
	b.WriteString("email,role\n")
	for i := range 50 {
		fmt.Fprintf(&b, "user%02d@example.com,Viewer\n", i)
	}
	c.fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 50, Status: 403})
	code, out, errOut := c.run(b.String(), "sync", "-", "-q")
	assert.Equal(t, exitError, code)
	assert.Equal(t, 1, strings.Count(errOut, "grafana-invites: grafana: POST http://grafana.test/api/org/invites: 403 Forbidden"), errOut)
	assert.Contains(t, errOut, "  for 50 addresses: user00@example.com, user01@example.com, user02@example.com and 47 more\n")
	assert.Less(t, strings.Count(errOut, "\n"), 6, errOut)
	assert.NotContains(t, errOut, "progress", "-q")
	assert.Equal(t, 51, strings.Count(out, "\n"), "the table, no summary with -q")
}

// TestVerboseLog: -v logs each request on stderr, without the token.
func TestVerboseLog(t *testing.T) {
	c := newCLI(t)
	code, _, errOut := c.run("", "list", "-v")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "level=DEBUG")
	assert.Contains(t, errOut, "GET")
	assert.NotContains(t, errOut, c.fg.Token)
	code, _, errOut = c.run("", "list", "-q", "-v")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "quiet")
}

// TestPasswordPrompt: a user without a password is asked on a terminal, never elsewhere.
func TestPasswordPrompt(t *testing.T) {
	c := newCLI(t)
	c.vars = map[string]string{"GRAFANA_URL": c.fg.URL}
	c.tty = true
	c.password = "admin"
	code, _, errOut := c.run("", "list", "--user", "admin")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "Password for admin: \n", errOut)
	c.password = ""
	code, _, errOut = c.run("", "list", "--user", "admin")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "no password given for admin")
	c.tty = false
	code, _, errOut = c.run("", "list", "--user", "admin")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--user needs a password")
}

// TestProgressFitsTerminal: on a 40-column terminal, no line of the bar reaches the edge.
func TestProgressFitsTerminal(t *testing.T) {
	for _, cols := range []int{40, 80, 20} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			c := newCLI(t)
			c.tty, c.width = true, cols
			var b strings.Builder
			b.WriteString("email,role\n")
			for i := range 1200 {
				fmt.Fprintf(&b, "user%04d@example.com,Viewer\n", i)
			}
			code, _, errOut := c.run(b.String(), "sync", "-", "--concurrency", "16")
			require.Equal(t, exitOK, code, errOut)
			assert.Contains(t, errOut, "1200/1200")
			for _, w := range visibleWidths(errOut) {
				assert.Less(t, w, cols)
			}
		})
	}
}

// TestSyncInterrupted: Ctrl-C starts no new address, lets the request under way finish,
// counts it, prints the summary last and exits 130.
func TestSyncInterrupted(t *testing.T) {
	c := newCLI(t)
	c.seed("old1@example.com:Viewer", "old2@example.com:Viewer", "old3@example.com:Viewer")
	revokes := c.fg.Calls(fakegrafana.OpRevokeInvite)
	c.interrupt = make(chan struct{})
	go func() { // Ctrl-C while the first revoke is under way
		for c.fg.Calls(fakegrafana.OpRevokeInvite) == revokes {
			runtime.Gosched()
		}
		close(c.interrupt)
	}()
	c.fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 1, Delay: 50 * time.Millisecond})
	code, out, errOut := c.run("email,role\nkeep@example.com,Viewer\n", "sync", "-", "--prune", "--yes", "--concurrency", "1")
	assert.Equal(t, exitInterrupted, code, errOut)
	assert.Contains(t, errOut, "grafana-invites: interrupted: 2 of 4 actions were not started; the requests under way finished")
	assert.Contains(t, errOut, "Ctrl-C: starting nothing new; waiting for the request under way (Ctrl-C again cuts it short)\n",
		"said at once, before the request under way ends")
	assert.NotContains(t, errOut, "progress: 4/4", "the progress stops where the run did")
	pending := pendingCodes(c.fg)
	assert.Contains(t, pending, "keep@example.com", "the invite came first")
	assert.Len(t, pending, 3, "one of three revokes was sent, and it finished")
	assert.Equal(t, revokes+1, c.fg.Calls(fakegrafana.OpRevokeInvite))
	assert.Regexp(t, `not started\s+2\n`, out)
	assert.Regexp(t, `revoked\s+1\n$`, out, "the summary is last and true")
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func quoteWords(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, " ")
}

// visibleWidths returns the length in characters of each line of s as a terminal shows it
// (split at carriage returns and newlines).
func visibleWidths(s string) []int {
	var out []int
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }) {
		out = append(out, utf8.RuneCountInString(seg))
	}
	return out
}

// TestSyncManyOrgs: an org column syncs each organisation with its own plan and summary; a
// server admin outside an organisation, answered for every organisation, is refused before
// anything is sent.
func TestSyncManyOrgs(t *testing.T) {
	c := newCLI(t, fakegrafana.WithOrg(2, "Second"), fakegrafana.WithOrg(3, "Third"),
		fakegrafana.WithUser(fakegrafana.User{Login: "boss", Email: "boss@example.com", Password: "pw",
			Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin, 2: gen.OrgRoleAdmin, 3: gen.OrgRoleAdmin}}))
	c.seed("stale@example.com:Viewer") // in org 1
	c.vars = map[string]string{"GRAFANA_URL": c.fg.URL, "GRAFANA_USER": "boss", "GRAFANA_PASSWORD": "pw"}
	file := "email,role,org\na@example.com,Viewer,2\nb@example.com,Editor,3\nc@example.com,Admin,\n"

	code, out, errOut := c.run(file, "sync", "-", "--dry-run")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Dry run in organisation default: 1 to invite")
	assert.Contains(t, out, "Dry run in organisation 2: 1 to invite")
	assert.Contains(t, out, "Dry run in organisation 3: 1 to invite")

	code, out, errOut = c.run(file, "sync", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^2\s+a@example.com\s+Viewer\s+invited`, out)
	assert.Regexp(t, `(?m)^3\s+b@example.com\s+Editor\s+invited`, out)
	assert.Contains(t, out, "Organisation 2:\nRESULT   COUNT\ninvited  1\n")
	assert.Contains(t, out, "Organisation 3:\n")
	orgOf := map[string]int64{}
	for _, inv := range c.fg.Invites() {
		orgOf[inv.Email] = inv.OrgID
	}
	assert.Equal(t, map[string]int64{"stale@example.com": 1, "a@example.com": 2, "b@example.com": 3, "c@example.com": 1}, orgOf)

	code, out, errOut = c.run(file, "sync", "-", "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	var doc entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, map[string]map[string]int{"default": {"already_invited": 1, "stale": 1}, "2": {"already_invited": 1}, "3": {"already_invited": 1}}, doc.SummaryByOrg)

	// The server admin is a member of org 1 only: for org 2, Grafana answers in org −1 with
	// every organisation's invites.
	c.vars = map[string]string{"GRAFANA_URL": c.fg.URL, "GRAFANA_USER": "admin", "GRAFANA_PASSWORD": "admin"}
	posts := c.fg.Calls(fakegrafana.OpAddOrgInvite)
	code, _, errOut = c.run("email,role,org\nnew@example.com,Viewer,2\n", "sync", "-", "--prune", "--yes")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "organisation 2: grafana: the answer is for another organisation: asked for organisation 2")
	assert.Contains(t, errOut, "add them to organisation 2")
	assert.Equal(t, posts, c.fg.Calls(fakegrafana.OpAddOrgInvite), "nothing sent")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpRevokeInvite), "nothing revoked in any organisation")
}

func TestReadDesiredOrgColumn(t *testing.T) {
	rows, _, err := readDesired([]byte("email,role,org\na@example.com,Viewer,2\na@example.com,Editor,3\nb@example.com,Viewer,\n"))
	require.NoError(t, err, "one address in two organisations is two rows")
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d:%s:%s", r.org, r.Email, r.Role))
	}
	assert.Equal(t, []string{"2:a@example.com:Viewer", "3:a@example.com:Editor", "0:b@example.com:Viewer"}, got)
	_, _, err = readDesired([]byte("email,role,org\na@example.com,Viewer,two\nb@example.com,Viewer,0\n"))
	var p *csvProblems
	require.ErrorAs(t, err, &p)
	assert.Equal(t, []string{
		`line 2: org "two" of a@example.com is not an organisation id (a number from 1)`,
		`line 3: org "0" of b@example.com is not an organisation id (a number from 1)`,
	}, p.lines)
}

// TestRevokeAndInviteInterrupted: Ctrl-C during revoke or invite lets the request under way
// finish, starts no other, shows what was done and exits 130.
func TestRevokeAndInviteInterrupted(t *testing.T) {
	interruptAtFirst := func(c *cli, op fakegrafana.Operation) {
		before := c.fg.Calls(op)
		c.fg.Inject(op, fakegrafana.Fault{Times: 1, Delay: 50 * time.Millisecond})
		c.interrupt = make(chan struct{})
		go func() {
			for c.fg.Calls(op) == before {
				runtime.Gosched()
			}
			close(c.interrupt)
		}()
	}
	t.Run("revoke", func(t *testing.T) {
		c := newCLI(t)
		c.seed("a@example.com:Viewer", "a@example.com:Editor", "a@example.com:Admin")
		interruptAtFirst(c, fakegrafana.OpRevokeInvite)
		code, out, errOut := c.run("", "revoke", "a@example.com", "--yes", "--concurrency", "1")
		assert.Equal(t, exitInterrupted, code, errOut)
		assert.Contains(t, errOut, "grafana-invites: interrupted: 2 of 3 invites were not started; the requests under way finished, and the rows above say what was done")
		assert.Equal(t, 1, strings.Count(out, "revoked"), out)
		pending := 0
		for _, inv := range c.fg.Invites() {
			if inv.Status == gen.TempUserStatusInvitePending {
				pending++
			}
		}
		assert.Equal(t, 2, pending, "two of the three invites are left")
		assert.Equal(t, 1, c.fg.Calls(fakegrafana.OpRevokeInvite))
	})
	t.Run("invite", func(t *testing.T) {
		c := newCLI(t)
		interruptAtFirst(c, fakegrafana.OpAddOrgInvite)
		code, out, errOut := c.run("", "invite", "a@example.com", "b@example.com", "c@example.com", "--role", "Viewer")
		assert.Equal(t, exitInterrupted, code, errOut)
		assert.Contains(t, errOut, "grafana-invites: interrupted: 2 of 3 addresses were not started; the requests under way finished, and the rows above say what was done")
		assert.Regexp(t, `a@example.com +Viewer +invited`, out)
		assert.Regexp(t, `b@example.com +Viewer +not started`, out)
		assert.Equal(t, 1, c.fg.Calls(fakegrafana.OpAddOrgInvite))
	})
}

// jsonKeys returns every object key of a JSON document, at any depth.
func jsonKeys(t *testing.T, doc string) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(doc), &v))
	var keys []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				keys = append(keys, k)
				if k != "summary" && k != "summaryByOrg" { // their keys are outcome tokens
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return keys
}

// TestErrorsSayGrafanaOnce: no message the CLI prints says the library's "grafana: " twice,
// and the CLI never edits the library's text to get there: no source file holds the prefix.
func TestErrorsSayGrafanaOnce(t *testing.T) {
	err := filepath.WalkDir("testdata/golden", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path) //nolint:gosec // the repository's own golden files
		require.NoError(t, err)
		for _, line := range strings.Split(string(data), "\n") {
			assert.LessOrEqual(t, strings.Count(line, "grafana: "), 1, "%s: %s", path, line)
		}
		return nil
	})
	require.NoError(t, err)
	sources, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range sources {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f) //nolint:gosec // the package's own sources
		require.NoError(t, err)
		assert.NotContains(t, string(data), `"grafana: "`, "%s edits the library's error text", f)
	}
}

// TestSecondCtrlCCutsRequests: through a slow Grafana, the second Ctrl-C cuts the POSTs in
// flight: 130, each cut address is reported as possibly saved (Grafana did save these) with
// the advice to re-run, which settles them, and no "context canceled" failure is printed.
func TestSecondCtrlCCutsRequests(t *testing.T) {
	c := newCLI(t)
	c.fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 2, Delay: time.Minute, AfterHandling: true})
	c.interrupt = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	c.ctx = ctx
	go func() {
		for c.fg.Calls(fakegrafana.OpAddOrgInvite) < 2 { // both POSTs under way
			runtime.Gosched()
		}
		close(c.interrupt)
		cancel()
	}()
	rows := "email,role\na@example.com,Viewer\nb@example.com,Viewer\nc@example.com,Viewer\nd@example.com,Viewer\n"
	code, out, errOut := c.run(rows, "sync", "-", "--concurrency", "2", "-o", "json")
	assert.Equal(t, exitInterrupted, code, errOut)
	assert.Contains(t, errOut, "2 of 4 actions were not started, and the second Ctrl-C cut 2 under way")
	assert.Contains(t, errOut, "run the same command again, which settles them")
	assert.NotContains(t, errOut, "context canceled")
	var doc entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	notes := map[string]int{}
	for _, en := range doc.Entries {
		notes[en.Result+" / "+en.Note]++
	}
	assert.Equal(t, map[string]int{"failed / " + cutNote: 2, "not_started / interrupted before it started": 2}, notes)

	c.interrupt, c.ctx = nil, nil
	code, out, errOut = c.run(rows, "sync", "-", "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	var again entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &again))
	assert.Equal(t, map[string]int{"already_invited": 2, "invited": 2}, again.Summary, "the re-run finds the two saved, and invites the rest once")
}
