package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/conformance"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// TestFakeConforms runs every case against the in-process fake under every version profile:
// no case may fail, and none may be skipped, since the fake offers server control and every
// prerequisite.
func TestFakeConforms(t *testing.T) {
	for _, version := range []string{"9.1.0", "9.5.0", "10.4.0", "11.2.0", fakegrafana.DefaultGrafanaVersion} {
		t.Run(version, func(t *testing.T) {
			target, stop, err := conformance.Fake(version)
			require.NoError(t, err)
			t.Cleanup(stop)
			results, err := conformance.Run(context.Background(), target)
			require.NoError(t, err)
			require.Len(t, results, len(conformance.Cases()))
			for _, r := range results {
				assert.Equal(t, conformance.Pass, r.Status, "%s: %s %s", r.Case, r.Reason, fmt.Sprint(r.Exchanges))
			}
			assertNothingPending(t, target)
		})
	}
}

// assertNothingPending fails when any invite is pending in any org after a run: the server
// admin outside org 2 lists every org's (ORG-5).
func assertNothingPending(t *testing.T, target conformance.Target) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target.URL+"api/org/invites", nil)
	require.NoError(t, err)
	req.SetBasicAuth(target.AdminLogin, target.AdminPassword)
	req.Header.Set("X-Grafana-Org-Id", "2")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var pending []map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&pending))
	assert.Empty(t, pending, "the run left pending invites behind")
}

// TestSeededFakeWithoutControl is the run of make conformance against serve-fake --seed
// FILE: the prerequisites come from the seed file, server control is missing, so exactly the
// cases that need control (or are about the fake's own limits) skip, and the rest pass.
func TestSeededFakeWithoutControl(t *testing.T) {
	data, err := os.ReadFile("seed.json")
	require.NoError(t, err)
	srv, err := fakegrafana.New(fakegrafana.WithSeed(data))
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	accounts, err := conformance.AccountsFromSeed(data)
	require.NoError(t, err)
	target := conformance.Target{URL: hs.URL, AdminLogin: "admin", AdminPassword: "admin", Token: fakegrafana.DefaultAdminToken, Accounts: accounts}
	results, err := conformance.Run(context.Background(), target)
	require.NoError(t, err)
	skipped := map[string]string{}
	for _, r := range results {
		switch r.Status {
		case conformance.Fail:
			t.Errorf("%s failed: %s %v", r.Case, r.Reason, r.Exchanges)
		case conformance.Skip:
			skipped[r.Case] = r.Reason
		}
	}
	assert.ElementsMatch(t, []string{"AUTH-8", "ADD-7", "ADD-8", "ADD-9", "ADD-10", "LIST-6", "EMAIL-1", "FAKE-1", "FAKE-2"}, keys(skipped), "%v", skipped)
	target.URL += "/"
	assertNothingPending(t, target)
}

// TestDefaultSeedSkipsWithReasons is serve-fake with its default seed: no prerequisites, so
// the cases that need them skip, each saying what it needs.
func TestDefaultSeedSkipsWithReasons(t *testing.T) {
	hs := httptest.NewServer(fakegrafana.MustNew())
	t.Cleanup(hs.Close)
	results, err := conformance.Run(context.Background(), conformance.Target{URL: hs.URL + "/", AdminLogin: "admin", AdminPassword: "admin", Token: fakegrafana.DefaultAdminToken})
	require.NoError(t, err)
	for _, r := range results {
		assert.NotEqual(t, conformance.Fail, r.Status, "%s: %s", r.Case, r.Reason)
		if r.Status == conformance.Skip {
			assert.Regexp(t, `^needs |the fake's own`, r.Reason, r.Case)
		}
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
