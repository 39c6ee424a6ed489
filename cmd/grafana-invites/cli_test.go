package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var (
	t0      = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	codeRE  = regexp.MustCompile(`\b[0-9A-Za-z]{30}\b`)
	shortRE = regexp.MustCompile(`\b[0-9A-Za-z]{1,4}…`)
	portRE  = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
)

// cli is a fake Grafana with a movable clock and the environment to reach it.
type cli struct {
	t    *testing.T
	fg   *fakegrafanatest.Server
	now  atomic.Int64 // the fake's clock, in Unix nanoseconds: the fake reads it from its goroutines
	vars map[string]string
	tty  bool // stdin and stderr are terminals
	// interrupt, when set, stands for Ctrl-C: closing it is the first signal.
	interrupt chan struct{}
	// ctx, when set, is the command's context: cancelling it is the second signal.
	ctx      context.Context
	width    int    // of the terminal, when tty (80 when 0)
	password string // what the terminal answers a password prompt
	// config is the configuration file when vars names none: no test reads the user's own.
	config string
	// replace are more of what normalize replaces (other fakes' URLs, temporary folders).
	replace map[string]string
}

func newCLI(t *testing.T, opts ...fakegrafana.Option) *cli {
	t.Helper()
	c := &cli{t: t, config: filepath.Join(t.TempDir(), "no-config.yaml")}
	c.now.Store(t0.UnixNano())
	base := []fakegrafana.Option{
		fakegrafana.WithClock(func() time.Time { return time.Unix(0, c.now.Load()).UTC() }),
		fakegrafana.WithRootURL("http://grafana.test/"),
		fakegrafana.WithUser(fakegrafana.User{Login: "erin", Email: "erin@example.com", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleEditor}}),
		fakegrafana.WithUser(fakegrafana.User{Login: "dave", Email: "dave@example.com", Name: "Dave", Password: "pw", Orgs: map[int64]gen.OrgRole{}}),
	}
	c.fg = fakegrafanatest.Start(t, append(base, opts...)...)
	c.vars = map[string]string{"GRAFANA_URL": c.fg.URL, "GRAFANA_TOKEN": c.fg.Token}
	return c
}

// run runs the command in-process with stdin, at the CLI clock plus two hours.
func (c *cli) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errb syncBuffer
	e := &env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if v, ok := c.vars[k]; ok || k != "GRAFANA_INVITES_CONFIG" {
				return v
			}
			return c.config
		},
		readFile:  os.ReadFile,
		now:       func() time.Time { return t0.Add(2 * time.Hour) },
		stderrTTY: c.tty, stdinTTY: c.tty, termWidth: func() int { return cmp.Or(c.width, 80) },
		readPassword: func() (string, error) { return c.password, nil },
		interrupt:    c.interrupt,
	}
	if c.interrupt == nil {
		e.interrupt = make(chan struct{}) // never closed
	}
	code := run(cmp.Or(c.ctx, context.Background()), args, e)
	return code, c.normalize(out.String()), c.normalize(errb.String())
}

// normalize replaces what changes from run to run: codes, ports.
func (c *cli) normalize(s string) string {
	for from, to := range c.replace {
		s = strings.ReplaceAll(s, from, to)
	}
	s = codeRE.ReplaceAllString(s, "<code>")
	s = shortRE.ReplaceAllString(s, "<code>…")
	s = strings.ReplaceAll(s, c.fg.URL, "http://grafana.test/")
	return portRE.ReplaceAllString(s, "http://grafana.test/")
}

func (c *cli) seed(invites ...string) {
	c.t.Helper()
	for i, spec := range invites {
		email, role, _ := strings.Cut(spec, ":")
		c.now.Store(t0.Add(time.Duration(i) * 25 * time.Minute).UnixNano())
		code, _, errOut := c.run("", "invite", email, "--role", role, "--allow-duplicate")
		require.Equal(c.t, exitOK, code, errOut)
	}
	c.now.Store(t0.Add(2 * time.Hour).UnixNano())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o750))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o600))
	}
	want, err := os.ReadFile(path) //nolint:gosec // a golden file named by the test itself
	require.NoError(t, err, "run go test ./cmd/grafana-invites -update to create it")
	assert.Equal(t, string(want), got, "golden file %s (go test -update rewrites it)", path)
}

func TestListOutputs(t *testing.T) {
	c := newCLI(t)
	c.seed("alice@example.com:Editor", "bob@example.com:Viewer", "carol@example.com:admin")
	for _, format := range []string{"table", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := c.run("", "list", "--output", format)
			require.Equal(t, exitOK, code, errOut)
			golden(t, "list."+format, out)
		})
	}
	t.Run("empty", func(t *testing.T) {
		c := newCLI(t)
		code, out, _ := c.run("", "list")
		assert.Equal(t, exitOK, code)
		assert.Equal(t, "(no pending invites)\n", out)
	})
}

func TestInviteCommand(t *testing.T) {
	c := newCLI(t, fakegrafana.WithSMTP(false))
	c.seed("pending@example.com:Viewer", "other@example.com:Viewer")
	code, out, errOut := c.run("", "invite", "pending@example.com", "new@example.com", "erin@example.com", "dave@example.com", "other@example.com", "--role", "viewer", "--name", "New")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "invite.table", out)

	code, out, _ = c.run("", "invite", "other@example.com", "--role", "Editor", "--replace-role", "--output", "json")
	require.Equal(t, exitOK, code)
	var doc entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Entries, 1)
	assert.Equal(t, "replaced", doc.Entries[0].Result)
	assert.Equal(t, "Editor", doc.Entries[0].Role)
	assert.Equal(t, map[string]int{"replaced": 1}, doc.Summary)

	code, out, errOut = c.run("", "invite", "mail@example.com", "--role", "Viewer", "--send-email")
	require.Equal(t, exitShortfall, code, "the email asked for was not sent: %s", errOut)
	assert.Contains(t, out, smtpNote)
	assert.Contains(t, out, "http://grafana.test/invite/<code>")

	before := c.fg.Calls(fakegrafana.OpAddOrgInvite)
	code, _, _ = c.run("", "invite", "new@example.com", "--role", "Viewer")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, before, c.fg.Calls(fakegrafana.OpAddOrgInvite), "idempotent by default: nothing sent")
	code, _, _ = c.run("", "invite", "new@example.com", "--role", "Viewer", "--allow-duplicate")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, before+1, c.fg.Calls(fakegrafana.OpAddOrgInvite))
}

func TestRevokeCommand(t *testing.T) {
	c := newCLI(t)
	c.seed("a@example.com:Viewer", "a@example.com:Editor", "b@example.com:Viewer")
	code, _, errOut := c.run("", "revoke", "A@example.com", "nobody@example.com")
	assert.Equal(t, exitUsage, code, "two invites, no terminal, no --yes")
	assert.Contains(t, errOut, "revoke concerns 2 invites and there is no terminal to confirm on: pass --yes")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpRevokeInvite), "nothing sent")
	code, out, errOut := c.run("", "revoke", "A@example.com", "nobody@example.com", "--yes")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "revoke.txt", out)

	b := c.fg.Invites()[2].Code
	code, out, _ = c.run("", "revoke", b, "-o", "csv")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "address,role,result,code\nb@example.com,Viewer,revoked,<code>\n", out, "a bare code is a code; CSV has it in full")

	calls := c.fg.Calls(fakegrafana.OpRevokeInvite)
	code, _, errOut = c.run("", "revoke", unknownCode(b))
	assert.Equal(t, exitError, code)
	golden(t, "revoke-unknown.err", errOut)
	assert.Equal(t, calls, c.fg.Calls(fakegrafana.OpRevokeInvite), "a code no pending invite has is not sent")

	code, _, errOut = c.run("", "revoke", "--code", "../admin")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "invalid invitation code")
	assert.Equal(t, calls, c.fg.Calls(fakegrafana.OpRevokeInvite), "nothing sent")
}

// TestRevokeArguments: without a flag, '@' makes an address, 30 letters and digits a code,
// anything else a login; the flags say which whatever the text.
func TestRevokeArguments(t *testing.T) {
	assert.Equal(t, target{"address", "bob@example.com"}, classify("bob@example.com"))
	assert.Equal(t, target{"code", "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"}, classify("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"))
	assert.Equal(t, target{"word", "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpT"}, classify("Q2zr6UuKDaWlJgmjE3U8w0pPBrVpT"), "29 characters: a code's start or a login")
	assert.Equal(t, target{"word", "bob"}, classify("bob"))
	assert.Equal(t, target{"word", "../admin"}, classify("../admin"))

	c := newCLI(t)
	lib, err := api.New(c.fg.URL, api.WithToken(c.fg.Token))
	require.NoError(t, err)
	_, err = lib.Invite(t.Context(), api.InviteRequest{LoginOrEmail: "nobody-has-this-login", Role: api.RoleViewer}) // as older runs made them
	require.NoError(t, err)
	code, out, errOut := c.run("", "revoke", "nobody-has-this-login")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "nobody-has-this-login  Viewer  revoked")
	assert.Empty(t, pendingCodes(c.fg), "an invite made for a login is revoked by that login")

	c.seed("a@example.com:Viewer")
	code, out, _ = c.run("", "revoke", "--email", "a@example.com", "--login", "ghost", "-o", "json")
	require.Equal(t, exitOK, code)
	var doc entriesDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, map[string]int{"revoked": 1}, doc.Summary)
	assert.Contains(t, doc.Entries, entry{Address: "ghost", Note: noPending}, "a login without pending invites says so")
}

func TestErrorMessages(t *testing.T) {
	tmp := t.TempDir()
	tokenFile := filepath.Join(tmp, "token")
	emptyFile := filepath.Join(tmp, "empty")
	require.NoError(t, os.WriteFile(tokenFile, []byte(fakegrafana.DefaultAdminToken+"\n"), 0o600))
	require.NoError(t, os.WriteFile(emptyFile, nil, 0o600))
	passwordFile := filepath.Join(tmp, "password")
	require.NoError(t, os.WriteFile(passwordFile, []byte("admin\n"), 0o600))
	tests := []struct {
		name string
		vars map[string]string // replaces the environment when not nil
		smtp bool
		args []string
		code int
	}{
		{name: "no url", vars: map[string]string{}, args: []string{"list"}, code: exitUsage},
		{name: "no credentials", vars: map[string]string{"GRAFANA_URL": "URL"}, args: []string{"list"}, code: exitUsage},
		{name: "token and user in env", vars: map[string]string{"GRAFANA_URL": "URL", "GRAFANA_TOKEN": "t", "GRAFANA_USER": "u", "GRAFANA_PASSWORD": "p"}, args: []string{"list"}, code: exitUsage},
		{name: "token and user flags", args: []string{"list", "--token", "t", "--user", "u", "--password", "p"}, code: exitUsage},
		{name: "user without password", vars: map[string]string{"GRAFANA_URL": "URL"}, args: []string{"list", "--user", "admin"}, code: exitUsage},
		{name: "bad org id", args: []string{"list", "--org-id", "two"}, code: exitUsage},
		{name: "url with credentials", vars: map[string]string{"GRAFANA_URL": "https://admin:nope@grafana.example.com/grafana/"}, args: []string{"list"}, code: exitUsage},
		{name: "url with query", args: []string{"list", "--url", "https://grafana.example.com/?orgId=2"}, code: exitUsage},
		{name: "quiet and verbose", args: []string{"list", "-q", "-v"}, code: exitUsage},
		{name: "bad url", vars: map[string]string{"GRAFANA_URL": "grafana.example.com", "GRAFANA_TOKEN": "t"}, args: []string{"list"}, code: exitUsage},
		{name: "empty token file", args: []string{"list", "--token-file", emptyFile}, code: exitUsage},
		{name: "invalid token", args: []string{"list", "--token", "glsa_wrong"}, code: exitError},
		{name: "wrong org for token", args: []string{"list", "--org-id", "2"}, code: exitError},
		{name: "wrong password", args: []string{"list", "--user", "admin", "--password", "nope"}, code: exitError},
		{name: "not an admin", args: []string{"list", "--user", "erin", "--password", "pw"}, code: exitError},
		{name: "smtp not configured", args: []string{"invite", "x@example.com", "--role", "Viewer", "--send-email", "--allow-duplicate"}, code: exitShortfall},
		{name: "missing role", args: []string{"invite", "x@example.com"}, code: exitUsage},
		{name: "unknown role", args: []string{"invite", "x@example.com", "--role", "boss"}, code: exitUsage},
		{name: "no address", args: []string{"invite", "--role", "Viewer"}, code: exitUsage},
		{name: "bad output", args: []string{"list", "--output", "xml"}, code: exitUsage},
		{name: "unknown flag", args: []string{"list", "--colour"}, code: exitUsage},
		{name: "token file works", vars: map[string]string{"GRAFANA_URL": "URL"}, args: []string{"list", "--token-file", tokenFile}, code: exitOK},
		{name: "password file works", vars: map[string]string{"GRAFANA_URL": "URL"}, args: []string{"list", "--user", "admin", "--password-file", passwordFile}, code: exitOK},
		{name: "password and password file", args: []string{"list", "--user", "admin", "--password", "x", "--password-file", passwordFile}, code: exitUsage},
		{name: "empty password file", args: []string{"list", "--user", "admin", "--password-file", emptyFile}, code: exitUsage},
		{name: "timeout without unit", args: []string{"list", "--timeout", "5"}, code: exitUsage},
		{name: "timeout zero", args: []string{"list", "--timeout", "0s"}, code: exitUsage},
		{name: "connection refused", vars: map[string]string{"GRAFANA_URL": "http://127.0.0.1:1/", "GRAFANA_TOKEN": "t"}, args: []string{"list", "--timeout", "2s"}, code: exitError},
		{name: "flags win over env", vars: map[string]string{"GRAFANA_URL": "URL", "GRAFANA_TOKEN": "glsa_wrong"}, args: []string{"list", "--user", "admin", "--password", "admin"}, code: exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t, fakegrafana.WithSMTP(tt.smtp), fakegrafana.WithOrg(2, "Two"))
			if tt.vars != nil {
				c.vars = map[string]string{}
				for k, v := range tt.vars {
					c.vars[k] = strings.ReplaceAll(v, "URL", c.fg.URL)
				}
			}
			code, out, errOut := c.run("", tt.args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.NotContains(t, out+errOut, fakegrafana.DefaultAdminToken)
			assert.NotContains(t, errOut, "nope")
			text := "exit " + fmt.Sprint(code) + "\n--- stdout\n" + out + "--- stderr\n" + errOut
			golden(t, "errors/"+strings.ReplaceAll(tt.name, " ", "-")+".txt", strings.ReplaceAll(text, tmp, "TMP"))
		})
	}
}

func TestReadDesiredEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		csv      string
		want     []string // email:role:name
		warnings []string
		problems []string
	}{
		{name: "BOM, CRLF, any column order and case", csv: "\ufeffRole,EMAIL,Name\r\nviewer,a@example.com,Ann\r\n", want: []string{"a@example.com:Viewer:Ann"}},
		{name: "quoted commas", csv: "email,role,name\n\"b@example.com\",Editor,\"Smith, Bob\"\n", want: []string{"b@example.com:Editor:Smith, Bob"}},
		{name: "blank lines and empty rows", csv: "email,role\n\na@example.com,Admin\n,\n\nb@example.com,None\n", want: []string{"a@example.com:Admin:", "b@example.com:None:"}},
		{name: "duplicate with the same role", csv: "email,role\na@example.com,Viewer\nA@Example.com,viewer\n", want: []string{"a@example.com:Viewer:"}, warnings: []string{"line 3: A@Example.com repeats line 2; ignored"}},
		{name: "extra column", csv: "email,role,team\na@example.com,Viewer,x\n", want: []string{"a@example.com:Viewer:"}, warnings: []string{`line 1: column "team" is ignored (known columns: email, role, name, org)`}},
		{name: "duplicate with another role", csv: "email,role\na@example.com,Viewer\nb@example.com,Viewer\na@example.com,Admin\n", problems: []string{"line 4: a@example.com is listed on line 2 as Viewer and here as Admin"}},
		{name: "unknown role and bad address", csv: "email,role\na@example.com,Owner\nnot-an-address,Viewer\n,Viewer\n", problems: []string{
			`line 2: role "Owner" of a@example.com is not a role; want None, Viewer, Editor or Admin`,
			`line 3: "not-an-address" is not an email address`,
			"line 4: the email is empty",
		}},
		{name: "semicolons", csv: "email;role\na@example.com;Viewer\n", problems: []string{"line 1: the file is separated by semicolons; write it with commas: email,role,name"}},
		{name: "tabs", csv: "email\trole\na@example.com\tViewer\n", problems: []string{"line 1: the file is separated by tabs; write it with commas: email,role,name"}},
		{name: "extra fields", csv: "email,role,name\na@example.com,Viewer,Smith, Ann\nb@example.com,Viewer\n", problems: []string{"line 2: 4 fields, but the header names 3; quote a field that holds a comma"}},
		{name: "addresses Grafana refuses", csv: "email,role\n@example.com,Viewer\nfoo@,Viewer\na@b@c.com,Viewer\nadmin@localhost,Viewer\nok@example.com.,Viewer\n", want: []string{"ok@example.com.:Viewer:"}, problems: []string{
			`line 2: "@example.com" is not an email address`,
			`line 3: "foo@" is not an email address`,
			`line 4: "a@b@c.com" is not an email address`,
			`line 5: "admin@localhost" is not an email address`,
		}},
		{name: "no header columns", csv: "mail,level\na@example.com,Viewer\n", problems: []string{
			`line 1: the header has no "email" column; want a header line such as: email,role,name`,
			`line 1: the header has no "role" column; want a header line such as: email,role,name`,
		}, warnings: []string{`line 1: column "mail" is ignored (known columns: email, role, name, org)`, `line 1: column "level" is ignored (known columns: email, role, name, org)`}},
		{name: "empty file", csv: "", problems: []string{"the file is empty; want a header line: email,role,name"}},
		{name: "header only", csv: "email,role,name\n", problems: []string{"the file has a header but no rows"}},
		{name: "bad quoting", csv: "email,role\n\"a@example.com,Viewer\n", problems: []string{"line 2: extraneous or missing \" in quoted-field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings, err := readDesired([]byte(tt.csv))
			assert.Equal(t, tt.warnings, warnings)
			if tt.problems != nil {
				var p *csvProblems
				require.ErrorAs(t, err, &p)
				assert.Equal(t, tt.problems, p.lines)
				return
			}
			require.NoError(t, err)
			var flat []string
			for _, d := range got {
				flat = append(flat, d.Email+":"+string(d.Role)+":"+d.Name)
			}
			assert.Equal(t, tt.want, flat)
		})
	}
}

func TestSyncRejectsBadCSVBeforeSending(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "team.csv")
	require.NoError(t, os.WriteFile(path, []byte("email,role\na@example.com,Viewer\nb@example.com,Boss\n"), 0o600))
	code, _, errOut := c.run("", "sync", path)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `line 3: role "Boss" of b@example.com is not a role`)
	assert.Contains(t, errOut, "nothing was sent")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpGetPendingOrgInvites)+c.fg.Calls(fakegrafana.OpAddOrgInvite))
}

func TestSyncDryRunAndApply(t *testing.T) {
	c := newCLI(t)
	c.seed("keep@example.com:Viewer", "stale@example.com:Viewer", "role@example.com:Viewer")
	csvText := "email,role,name\nkeep@example.com,Viewer,\nrole@example.com,Editor,\nnew@example.com,Admin,\"New, Person\"\nerin@example.com,Viewer,\n"

	code, out, errOut := c.run(csvText, "sync", "-", "--dry-run", "--prune")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "sync-dry-run.table", out)
	assert.Equal(t, 3, c.fg.Calls(fakegrafana.OpAddOrgInvite), "a dry run sends nothing")

	code, _, errOut = c.run(csvText, "sync", "-", "--prune", "--replace-role")
	assert.Equal(t, exitUsage, code, "it revokes, and there is no terminal: --yes is needed")
	assert.Contains(t, errOut, "this sync revokes 2 pending invites and there is no terminal to confirm on: pass --yes")
	assert.Equal(t, 3, c.fg.Calls(fakegrafana.OpAddOrgInvite), "nothing was sent")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpRevokeInvite))

	code, out, errOut = c.run(csvText, "sync", "-", "--prune", "--replace-role", "--yes")
	require.Equal(t, exitOK, code, errOut)
	golden(t, "sync-apply.table", out)
	assert.Contains(t, errOut, "progress: 4/4")

	code, out, _ = c.run(csvText, "sync", "-", "--prune", "--replace-role", "--output", "json")
	require.Equal(t, exitOK, code, "a re-run revokes nothing, so it needs no --yes")
	require.Equal(t, exitOK, code)
	golden(t, "sync-rerun.json", out)
}

func TestSyncPartialFailure(t *testing.T) {
	c := newCLI(t)
	c.fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 500})
	code, out, errOut := c.run("email,role\na@example.com,Viewer\nb@example.com,Viewer\nc@example.com,Viewer\n", "sync", "-", "--concurrency", "1")
	assert.Equal(t, exitError, code, "a failed row fails the run")
	assert.Contains(t, out, "failed")
	assert.Contains(t, errOut, "grafana-invites: grafana: POST http://grafana.test/api/org/invites: 500 Internal Server Error")
	assert.Contains(t, errOut, "\n  for a@example.com\n")
	assert.Len(t, c.fg.Invites(), 2, "the other rows were applied")
}

func TestSyncThousandRows(t *testing.T) {
	c := newCLI(t)
	var b strings.Builder
	b.WriteString("email,role,name\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "user%04d@example.com,Viewer,User %d\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "team.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	c.fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1000, Delay: 2 * time.Millisecond})

	code, out, errOut := c.run("", "sync", path, "--concurrency", "16")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "invited  1000")
	assert.Contains(t, errOut, "progress: 1000/1000")
	assert.Len(t, c.fg.Invites(), 1000)

	posts := c.fg.Calls(fakegrafana.OpAddOrgInvite)
	code, out, errOut = c.run("", "sync", path, "--concurrency", "16")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "already invited  1000")
	assert.Equal(t, posts, c.fg.Calls(fakegrafana.OpAddOrgInvite), "the second run changes nothing")
	assert.Len(t, c.fg.Invites(), 1000)
}

// unknownCode is a code that differs from code in its last character, so never equals it
// (appending a fixed letter collided whenever the code ended in that letter).
func unknownCode(code string) string {
	last := byte('Z')
	if code[len(code)-1] == last {
		last = 'Y'
	}
	return code[:len(code)-1] + string(last)
}

// TestRevokeByTheCodeTablesShow: the start of a code, as tables show it, revokes its invite;
// a start several codes share, or a word naming no pending invite, is refused and nothing
// is revoked.
func TestRevokeByTheCodeTablesShow(t *testing.T) {
	c := newCLI(t)
	c.seed("a@example.com:Viewer", "b@example.com:Viewer")
	code := c.fg.Invites()[0].Code
	lists := c.fg.Calls(fakegrafana.OpGetPendingOrgInvites)
	n, out, errOut := c.run("", "revoke", code[:4])
	require.Equal(t, exitOK, n, errOut)
	assert.Contains(t, out, "a@example.com  Viewer  revoked")
	assert.Equal(t, 1, c.fg.Calls(fakegrafana.OpRevokeInvite))
	assert.Equal(t, lists+1, c.fg.Calls(fakegrafana.OpGetPendingOrgInvites), "one list resolves the code and makes the plan")

	n, _, errOut = c.run("", "revoke", "zzzz-nothing")
	assert.Equal(t, exitUsage, n)
	assert.Contains(t, errOut, `"zzzz-nothing" is neither the start of a pending invite's code (4 characters or more) nor the login of one; nothing was revoked`)
	n, _, errOut = c.run("", "revoke", "--code", "abc")
	assert.Equal(t, exitUsage, n)
	assert.Contains(t, errOut, "the start of a code needs 4 characters or more")
	assert.Equal(t, 1, c.fg.Calls(fakegrafana.OpRevokeInvite), "nothing more sent")

	pending := []api.Invite{{Email: "a@example.com", Role: api.RoleViewer, Code: "abcd1111"}, {Email: "b@example.com", Role: api.RoleEditor, Code: "abcd2222"}}
	_, err := resolveTargets([]target{{"word", "abcd"}}, pending)
	require.Error(t, err)
	assert.Equal(t, `"abcd" matches 2 pending invites: a@example.com (Viewer, abcd…), b@example.com (Editor, abcd…); nothing was revoked: give more of the code, or --email/--login`, err.Error())
	sel, err := resolveTargets([]target{{"word", "abcd2"}, {"code", "abcd1"}}, pending)
	require.NoError(t, err)
	assert.Equal(t, []string{"abcd2222", "abcd1111"}, sel.Codes)
}
