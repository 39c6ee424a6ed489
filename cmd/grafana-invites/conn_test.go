package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSettingsCombine: each connection setting is resolved on its own (flag, then
// environment); credentials of one kind from the command line beat the other kind from
// the environment; secrets are read from files named by flags or variables.
func TestSettingsCombine(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	tokenFile, passwordFile := filepath.Join(dir, "token"), filepath.Join(dir, "password")
	assert.NoError(t, os.WriteFile(tokenFile, []byte(c.fg.Token+"\n"), 0o600))
	assert.NoError(t, os.WriteFile(passwordFile, []byte("admin\n"), 0o600))
	bad := "glsa_0000000000000000000000000000000a_00000000"
	for _, tt := range []struct {
		name string
		vars map[string]string
		args []string
		code int
		err  string
	}{
		{"a password from the environment, the user from a flag", map[string]string{"GRAFANA_PASSWORD": "admin"}, []string{"--user", "admin"}, exitOK, ""},
		{"GRAFANA_TOKEN_FILE", map[string]string{"GRAFANA_TOKEN_FILE": tokenFile}, nil, exitOK, ""},
		{"GRAFANA_PASSWORD_FILE", map[string]string{"GRAFANA_USER": "admin", "GRAFANA_PASSWORD_FILE": passwordFile}, nil, exitOK, ""},
		{"a token flag beats basic auth from the environment", map[string]string{"GRAFANA_USER": "admin", "GRAFANA_PASSWORD": "wrong"}, []string{"--token", c.fg.Token}, exitOK, ""},
		{"a user flag beats a token from the environment", map[string]string{"GRAFANA_TOKEN": bad, "GRAFANA_PASSWORD": "admin"}, []string{"--user", "admin"}, exitOK, ""},
		{"GRAFANA_TOKEN before GRAFANA_TOKEN_FILE", map[string]string{"GRAFANA_TOKEN": bad, "GRAFANA_TOKEN_FILE": tokenFile}, nil, exitError, "401 Unauthorized"},
		{"both kinds from flags", nil, []string{"--token", c.fg.Token, "--user", "admin", "--password", "admin"}, exitUsage, "both a token (--token) and basic auth (--user) are set; use one"},
		{"both kinds from the environment", map[string]string{"GRAFANA_TOKEN": c.fg.Token, "GRAFANA_USER": "admin"}, nil, exitUsage, "both a token (GRAFANA_TOKEN) and basic auth (GRAFANA_USER) are set; use one"},
		{"two flags for the token", nil, []string{"--token", c.fg.Token, "--token-file", tokenFile}, exitUsage, "both --token and --token-file are set; use one"},
		{"a missing file", map[string]string{"GRAFANA_TOKEN_FILE": filepath.Join(dir, "none")}, nil, exitUsage, "cannot read GRAFANA_TOKEN_FILE"},
		{"a password without a user", map[string]string{"GRAFANA_PASSWORD_FILE": passwordFile}, nil, exitUsage, "GRAFANA_PASSWORD_FILE needs a user"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c.vars = map[string]string{"GRAFANA_URL": c.fg.URL}
			for k, v := range tt.vars {
				c.vars[k] = v
			}
			code, _, errOut := c.run("", append([]string{"list"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errOut)
			if tt.err != "" {
				assert.Contains(t, errOut, tt.err)
			}
		})
	}
}
