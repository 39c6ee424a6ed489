package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withContexts is a CLI whose environment names no Grafana, with a configuration file of
// its own and the fake's token in PROD_TOKEN and a private file.
func withContexts(t *testing.T) (*cli, string, string) {
	t.Helper()
	c := newCLI(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "conf", "config.yaml")
	tokenFile := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(c.fg.Token+"\n"), 0o600))
	c.vars = map[string]string{"GRAFANA_INVITES_CONFIG": config, "PROD_TOKEN": c.fg.Token}
	return c, config, tokenFile
}

// TestContextCommands: add, list (the current one marked), show (references, never
// secrets), use and remove, with the file written 0600 and holding no secret.
func TestContextCommands(t *testing.T) {
	c, config, tokenFile := withContexts(t)
	code, _, errOut := c.run("", "context", "add", "prod", "--url", "https://grafana.example.com/", "--token-env", "PROD_TOKEN")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "it is the current context")
	code, _, errOut = c.run("", "context", "add", "lab", "--url", "http://lab.example.com:3000/", "--org-id", "1", "--token-file", tokenFile)
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = c.run("", "context", "add", "ops", "--url", "https://ops.example.com/", "--user", "admin", "--password-env", "OPS_PASSWORD")
	require.Equal(t, exitOK, code, errOut)

	fi, err := os.Stat(config)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	data, err := os.ReadFile(config) //nolint:gosec // the test's own file
	require.NoError(t, err)
	assert.NotContains(t, string(data), c.fg.Token, "no secret in the file")

	code, out, _ := c.run("", "context", "list")
	require.Equal(t, exitOK, code)
	golden(t, "context-list.table", strings.ReplaceAll(out, filepath.Dir(tokenFile), "TMP"))
	code, out, _ = c.run("", "context", "show", "lab")
	require.Equal(t, exitOK, code)
	golden(t, "context-show.table", strings.ReplaceAll(out, filepath.Dir(tokenFile), "TMP"))
	code, out, _ = c.run("", "context", "show", "ops")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "no: $OPS_PASSWORD is not set")

	code, _, errOut = c.run("", "context", "use", "lab")
	require.Equal(t, exitOK, code, errOut)
	code, out, _ = c.run("", "context", "list")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `(?m)^\*\s+lab\s`, out)

	code, _, errOut = c.run("", "context", "remove", "lab")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "it was the current context")
	code, out, _ = c.run("", "context", "list")
	require.Equal(t, exitOK, code)
	assert.NotContains(t, out, "lab")
	assert.NotContains(t, out, "*")
	entries, err := os.ReadDir(filepath.Dir(config))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left beside the configuration")
}

// TestContextUsedWhole: a context chosen by --context, GRAFANA_CONTEXT or context use
// supplies URL, organisation and credentials; a URL or credentials beside it, from a flag or
// the environment, is exit 2 naming both, and nothing is sent.
func TestContextUsedWhole(t *testing.T) {
	c, _, _ := withContexts(t)
	code, _, errOut := c.run("", "context", "add", "prod", "--url", c.fg.URL, "--token-env", "PROD_TOKEN")
	require.Equal(t, exitOK, code, errOut)
	c.seed("a@example.com:Viewer")

	for _, how := range [][]string{{"list", "--context", "prod"}, {"list"}} {
		code, out, errOut := c.run("", how...)
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, out, "a@example.com")
	}
	c.vars["GRAFANA_CONTEXT"] = "prod"
	code, _, errOut = c.run("", "list")
	require.Equal(t, exitOK, code, errOut)

	tests := []struct {
		name  string
		vars  map[string]string
		args  []string
		words []string
	}{
		{name: "a URL flag beside the context", args: []string{"--url", "https://elsewhere.example.com/"}, words: []string{"--url", `context "prod"`, "GRAFANA_CONTEXT"}},
		{name: "a URL variable beside the context", vars: map[string]string{"GRAFANA_URL": "https://elsewhere.example.com/"}, words: []string{"GRAFANA_URL", `context "prod"`}},
		{name: "a token beside the context", vars: map[string]string{"GRAFANA_TOKEN": "glsa_other"}, words: []string{"GRAFANA_TOKEN", `context "prod"`}},
		{name: "an organisation beside the context", args: []string{"--org-id", "2"}, words: []string{"--org-id", `context "prod"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.vars {
				c.vars[k] = v
			}
			defer func() {
				for k := range tt.vars {
					delete(c.vars, k)
				}
			}()
			code, _, errOut := c.run("", append([]string{"list"}, tt.args...)...)
			assert.Equal(t, exitUsage, code)
			for _, w := range tt.words {
				assert.Contains(t, errOut, w)
			}
		})
	}
}

// TestContextBadInput: every bad input is exit 2 naming the context and what is wrong.
func TestContextBadInput(t *testing.T) {
	c, config, tokenFile := withContexts(t)
	open := filepath.Join(filepath.Dir(tokenFile), "open-token")
	require.NoError(t, os.WriteFile(open, []byte(c.fg.Token), 0o644)) //nolint:gosec // the mode under test
	for _, args := range [][]string{
		{"context", "add", "prod", "--url", c.fg.URL, "--token-env", "PROD_TOKEN"},
		{"context", "add", "unset", "--url", c.fg.URL, "--token-env", "NOT_SET"},
		{"context", "add", "gone", "--url", c.fg.URL, "--token-file", filepath.Join(filepath.Dir(tokenFile), "missing")},
		{"context", "add", "open", "--url", c.fg.URL, "--token-file", open},
	} {
		code, _, errOut := c.run("", args...)
		require.Equal(t, exitOK, code, errOut)
	}
	tests := []struct {
		name  string
		args  []string
		words []string
	}{
		{name: "unknown context", args: []string{"list", "--context", "nope"}, words: []string{`no context "nope"`, "gone, open, prod, unset"}},
		{name: "unset variable", args: []string{"list", "--context", "unset"}, words: []string{`context "unset"`, "$NOT_SET is not set"}},
		{name: "missing file", args: []string{"list", "--context", "gone"}, words: []string{`context "gone"`, "missing", "no such file"}},
		{name: "file others can read", args: []string{"list", "--context", "open"}, words: []string{`context "open"`, "open to other users (mode 0644)", "chmod 600"}},
		{name: "flag file others can read", args: []string{"list", "--url", c.fg.URL, "--token-file", open}, words: []string{"--token-file", "chmod 600"}},
		{name: "a URL beside the current context", args: []string{"list", "--url", "https://elsewhere.example.com/"}, words: []string{"--url", `context "prod"`, "context use"}},
		{name: "use unknown", args: []string{"context", "use", "nope"}, words: []string{`no context "nope"`}},
		{name: "add twice", args: []string{"context", "add", "prod", "--url", c.fg.URL, "--token-env", "PROD_TOKEN"}, words: []string{`context "prod" exists`, "--force"}},
		{name: "add without credentials", args: []string{"context", "add", "x", "--url", c.fg.URL}, words: []string{"no credentials", "--token-env"}},
		{name: "add with two kinds", args: []string{"context", "add", "x", "--url", c.fg.URL, "--token-env", "A", "--user", "u"}, words: []string{"more than one kind"}},
		{name: "add with a URL holding credentials", args: []string{"context", "add", "x", "--url", "https://u:secret@grafana.example.com/", "--token-env", "A"}, words: []string{"holds credentials"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := c.run("", tt.args...)
			assert.Equal(t, exitUsage, code, errOut)
			assert.NotContains(t, out+errOut, c.fg.Token)
			assert.NotContains(t, out+errOut, "secret")
			for _, w := range tt.words {
				assert.Contains(t, errOut, w)
			}
		})
	}

	t.Run("malformed configuration", func(t *testing.T) {
		for _, tt := range []struct{ text, want string }{
			{"contexts:\n  prod:\n    url: https://g.example.com/\n    token: glsa_written_here\n", `config.yaml:4: unknown key "token"`},
			{"contexts:\n  prod:\n    url: [\n", "config.yaml:3: "},
			{"currentContext: prod\ncontexts:\n  prod:\n    url: https://g.example.com/\n", `context "prod" has no credentials`},
		} {
			require.NoError(t, os.WriteFile(config, []byte(tt.text), 0o600))
			code, _, errOut := c.run("", "context", "list")
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, tt.want)
			assert.NotContains(t, errOut, "glsa_written_here")
		}
	})
}

// TestContextCompletion: context use, show and remove complete the context names.
func TestContextCompletion(t *testing.T) {
	c, _, _ := withContexts(t)
	for _, n := range []string{"prod", "staging"} {
		code, _, errOut := c.run("", "context", "add", n, "--url", c.fg.URL, "--token-env", "PROD_TOKEN")
		require.Equal(t, exitOK, code, errOut)
	}
	code, out, _ := c.run("", "__complete", "context", "use", "")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "prod\t")
	assert.Contains(t, out, "staging\t")
	code, out, _ = c.run("", "__complete", "list", "--context", "")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "staging")
}
