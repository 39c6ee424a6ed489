package api_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/gen"
)

// TestNoSecretThroughFmt applies every fmt verb to clients, their per-org copies, options
// and request editors, alone and inside structs (exported and unexported fields): no output
// shows the token, the password or their Basic encoding.
func TestNoSecretThroughFmt(t *testing.T) {
	const (
		token    = "glsa_fmtSecretToken_0123456789abcdef"
		login    = "fmt-admin"
		password = "fmt-Pa55word-secret"
	)
	basic := base64.StdEncoding.EncodeToString([]byte(login + ":" + password))
	secrets := []string{token, password, basic, "fmtSecretToken", "Pa55word"}

	withToken := newClient(t, "https://grafana.example.com/", api.WithToken(token), api.WithOrgID(3))
	withBasic := newClient(t, "https://grafana.example.com/", api.WithBasicAuth(login, password))
	copied := withToken.WithOrgID(7)
	type holder struct {
		Exported   api.Client
		unexported api.Client
		Pointer    *api.Client
		unexpPtr   *api.Client
	}
	values := map[string]any{
		"Client (token)":       *withToken,
		"*Client (token)":      withToken,
		"Client (basic)":       *withBasic,
		"*Client (basic)":      withBasic,
		"WithOrgID copy":       copied,
		"WithOrgID copy value": *copied,
		"struct of clients":    holder{*withBasic, *withToken, withBasic, withToken},
		"*struct of clients":   &holder{*withBasic, *withToken, withBasic, withToken},
		"slice of clients":     []*api.Client{withToken, withBasic},
		"WithToken":            api.WithToken(token),
		"WithBasicAuth":        api.WithBasicAuth(login, password),
		"options":              []api.Option{api.WithToken(token), api.WithBasicAuth(login, password)},
		"TokenEditor":          api.TokenEditor(token),
		"BasicAuthEditor":      api.BasicAuthEditor(login, password),
		"editors":              []gen.RequestEditorFn{api.TokenEditor(token), api.BasicAuthEditor(login, password)},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s of %s", verb, name)
				hexed := fmt.Sprintf("%x", s)
				assert.NotContains(t, strings.ToLower(out), hexed, "%s of %s shows the secret in hex", verb, name)
			}
		}
	}

	// What a client does print: enough to tell clients apart.
	assert.Equal(t, "api.Client{url: https://grafana.example.com/api/, org: 3, auth: token}", fmt.Sprintf("%+v", withToken))
	assert.Equal(t, "api.Client{url: https://grafana.example.com/api/, org: 7, auth: token}", fmt.Sprint(*copied))
	assert.Equal(t, "api.Client{url: https://grafana.example.com/api/, org: default, auth: basic}", fmt.Sprintf("%#v", withBasic))
	require.Equal(t, `"api.Client{url: https://grafana.example.com/api/, org: default, auth: basic}"`, fmt.Sprintf("%q", withBasic))
}
