package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestServeFakeJSON: --json prints one JSON line and nothing else on stdout; --fault and
// --latency shape the answers.
func TestServeFakeJSON(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), os.Args[0], "serve-fake", "--addr", "127.0.0.1:0", "--json", //nolint:gosec // re-runs this test binary as the command
		"--latency", "25ms", "--fault", "revokeInvite:500:2", "--grafana-version", "11.2.0")
	cmd.Env = append(os.Environ(), "GRAFANA_INVITES_BE_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan())
	var s fakeSettings
	require.NoError(t, json.Unmarshal(lines.Bytes(), &s), lines.Text())
	assert.Equal(t, fakeSettings{URL: s.URL, Token: fakegrafana.DefaultAdminToken, User: "admin", Password: "admin", OrgID: 1, GrafanaVersion: "11.2.0"}, s)

	const revoke = "api/org/invites/Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm/revoke"
	for _, want := range []int{500, 500, http.StatusOK} { // 11.2.0 answers 200 for an unknown code
		start := time.Now()
		status, _ := callFake(t, http.MethodPatch, s.URL+revoke, s.Token)
		assert.Equal(t, want, status)
		assert.GreaterOrEqual(t, time.Since(start), 25*time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	assert.False(t, lines.Scan(), "nothing more on stdout: %q", lines.Text())
	require.NoError(t, cmd.Wait())
}

func TestParseFaults(t *testing.T) {
	got, err := parseFaults([]string{"addOrgInvite:503", "getPendingOrgInvites:429:3"})
	require.NoError(t, err)
	assert.Equal(t, []injectedFault{
		{fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 503}},
		{fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 3, Status: 429}},
	}, got)
	for spec, want := range map[string]string{
		"addOrgInvite":          "want OP:STATUS[:TIMES]",
		"deleteOrg:500":         `"deleteOrg" is not an operation; want one of addOrgInvite, completeInvite, getInviteInfoByCode, getPendingOrgInvites, revokeInvite`,
		"revokeInvite:five":     "is not an HTTP status",
		"revokeInvite:700":      "is not an HTTP status",
		"revokeInvite:500:0":    "is not a positive number",
		"revokeInvite:500:1:2":  "want OP:STATUS[:TIMES]",
		"revokeInvite:500:many": "is not a positive number",
	} {
		_, err := parseFaults([]string{spec})
		assert.ErrorContains(t, err, want, spec)
	}
	code, _, errOut := runCLI(t, nil, "", "serve-fake", "--addr", "127.0.0.1:0", "--fault", "nope:1")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is not an operation")
}
