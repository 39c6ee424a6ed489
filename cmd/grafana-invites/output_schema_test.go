package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// schemaPath is the JSON Schema of every command's JSON, in the repository's docs.
var schemaPath = filepath.Join("..", "..", "docs", "cli-output.schema.json")

// compileSchema compiles one definition of the output schema ("" for the whole).
func compileSchema(t *testing.T, def string) *jsonschema.Schema {
	t.Helper()
	return compileSchemaFile(t, schemaPath, def)
}

// compileSchemaFile compiles one definition of a schema of the repository ("" for the
// whole).
func compileSchemaFile(t *testing.T, path, def string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	abs, err := filepath.Abs(path)
	require.NoError(t, err)
	data, err := os.ReadFile(abs) //nolint:gosec // the repository's own schema
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, c.AddResource(abs, doc))
	loc := abs
	if def != "" {
		loc += "#/$defs/" + def
	}
	s, err := c.Compile(loc)
	require.NoError(t, err)
	return s
}

// validate checks a command's stdout against a definition of the schema, and against the
// whole (which must pick that one alone).
func validate(t *testing.T, def, stdout string) {
	t.Helper()
	for _, name := range []string{def, ""} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
		require.NoError(t, err, stdout)
		assert.NoError(t, compileSchema(t, name).Validate(doc), "%s against #/$defs/%s", stdout, name)
	}
}

// TestJSONOutputMatchesSchema runs every command that prints JSON, in runs and dry runs,
// successes, failures and shortfalls, and validates what it prints against
// docs/cli-output.schema.json.
func TestJSONOutputMatchesSchema(t *testing.T) {
	c := newCLI(t, fakegrafana.WithSMTP(false), fakegrafana.WithOrg(2, "Two"),
		fakegrafana.WithUser(fakegrafana.User{Login: "olga", Email: "olga@example.com", Password: "pw", Orgs: map[int64]api.Role{1: api.RoleAdmin, 2: api.RoleAdmin}}))
	c.seed("keep@example.com:Viewer", "role@example.com:Viewer", "stale@example.com:Viewer", "old@example.com:Editor")
	csv := "email,role\nkeep@example.com,Viewer\nrole@example.com,Editor\nnew@example.com,Admin\nerin@example.com,Viewer\n"
	tests := []struct {
		name  string
		def   string
		stdin string
		args  []string
		code  int
	}{
		{name: "list", def: "invites", args: []string{"list"}},
		{name: "list older than", def: "invites", args: []string{"list", "--older-than", "1h"}},
		{name: "invite dry run", def: "entries", args: []string{"invite", "keep@example.com", "x@example.com", "--role", "Viewer", "--dry-run", "--show-unchanged"}},
		{name: "invite", def: "entries", args: []string{"invite", "x@example.com", "erin@example.com", "dave@example.com", "--role", "Viewer", "--send-email"}, code: exitShortfall},
		{name: "invite role kept", def: "entries", args: []string{"invite", "role@example.com", "--role", "Admin"}, code: exitShortfall},
		{name: "invite unknown login", def: "entries", args: []string{"invite", "--login", "nobody", "--role", "Viewer"}, code: exitError},
		{name: "sync dry run", def: "entries", stdin: csv, args: []string{"sync", "-", "--prune", "--dry-run"}},
		{name: "sync dry run everything", def: "entries", stdin: csv, args: []string{"sync", "-", "--dry-run", "--show-unchanged"}},
		{name: "sync orgs dry run", def: "entries", stdin: "email,role,org\na@example.com,Viewer,1\nb@example.com,Viewer,2\n", args: []string{"sync", "-", "--dry-run", "--user", "olga", "--password", "pw"}},
		{name: "renew dry run", def: "entries", args: []string{"renew", "--older-than", "1h", "--dry-run", "--show-unchanged"}},
		{name: "renew nothing", def: "entries", args: []string{"renew", "--older-than", "1h", "old@example.com"}},
		{name: "renew", def: "entries", args: []string{"renew", "--older-than", "30m", "old@example.com"}},
		{name: "revoke dry run", def: "entries", args: []string{"revoke", "stale@example.com", "nobody@example.com", "--dry-run", "--show-unchanged"}},
		{name: "revoke", def: "entries", args: []string{"revoke", "stale@example.com", "nobody@example.com"}},
		{name: "sync", def: "entries", stdin: csv, args: []string{"sync", "-", "--replace-role", "--prune", "--yes"}},
		{name: "version", def: "version", args: []string{"version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := c.run(tt.stdin, append(tt.args, "-o", "json")...)
			require.Equal(t, tt.code, code, errOut)
			validate(t, tt.def, out)
		})
	}
	t.Run("serve-fake --json", func(t *testing.T) {
		served := newCLI(t)
		served.interrupt = make(chan struct{})
		close(served.interrupt) // Ctrl-C as soon as it serves
		code, out, errOut := served.run("", "serve-fake", "--addr", "127.0.0.1:0", "--json")
		require.Equal(t, exitOK, code, errOut)
		validate(t, "serveFake", out)
	})
}

// TestSchemaTokensAreTheLibrarys: the schema's outcome and action tokens are api.Outcome's
// and api.ActionKind's (and none), and its roles the CLI's.
func TestSchemaTokensAreTheLibrarys(t *testing.T) {
	data, err := os.ReadFile(schemaPath) //nolint:gosec // the repository's own schema
	require.NoError(t, err)
	var s struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(data, &s))
	outcomes := []api.Outcome{api.OutcomeInvited, api.OutcomeUserAdded, api.OutcomeAlreadyMember, api.OutcomeAlreadyInvited,
		api.OutcomeRoleMismatch, api.OutcomeReplaced, api.OutcomeRevoked, api.OutcomeRenewed, api.OutcomeStale,
		api.OutcomeNotStarted, api.OutcomeFailed}
	var want []string
	for _, o := range outcomes {
		want = append(want, string(o))
	}
	assert.ElementsMatch(t, want, s.Defs["outcome"].Enum)
	assert.ElementsMatch(t, []string{string(api.ActionInvite), string(api.ActionReplace), string(api.ActionRevoke), string(api.ActionRenew), actionNone},
		s.Defs["action"].Enum)
	assert.Equal(t, roles, s.Defs["role"].Enum)
}
