package fakegrafanatest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// inviteOne invites an address through the served fake and returns the invite it holds.
func inviteOne(t *testing.T, fg *fakegrafanatest.Server) gen.TempUserDTO {
	t.Helper()
	c, err := gen.NewClient(fg.URL+"api/", gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+fg.Token)
		return nil
	}))
	require.NoError(t, err)
	no := false
	resp, err := c.AddOrgInvite(context.Background(), nil, gen.AddInviteForm{LoginOrEmail: "start@example.com", Role: gen.OrgRoleViewer, SendEmail: &no})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	invites := fg.Invites()
	require.Len(t, invites, 1)
	return invites[0]
}

func TestStartServesTheFakeAndPointsInvitesAtIt(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	require.True(t, strings.HasPrefix(fg.URL, "http://127.0.0.1:"), fg.URL)
	require.True(t, strings.HasSuffix(fg.URL, "/"), fg.URL)
	assert.Equal(t, fakegrafana.DefaultAdminToken, fg.Token)
	inv := inviteOne(t, fg)
	assert.Equal(t, fg.URL+"invite/"+inv.Code, inv.URL)
}

func TestStartKeepsTheCallersRootURL(t *testing.T) {
	fg := fakegrafanatest.Start(t, fakegrafana.WithRootURL("https://grafana.example.com/"))
	inv := inviteOne(t, fg)
	assert.Equal(t, "https://grafana.example.com/invite/"+inv.Code, inv.URL)
}
