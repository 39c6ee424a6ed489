package grafanaid_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grafana-invites/grafana-invites/internal/grafanaid"
)

func TestToken(t *testing.T) {
	tok := grafanaid.Token("fakegrafanaAdminToken00000000000")
	assert.Equal(t, "glsa_fakegrafanaAdminToken00000000000_7bc37915", tok)
	assert.True(t, grafanaid.TokenDecodes(tok))
	for _, bad := range []string{tok[:len(tok)-1] + "6", "glsa_x", "x", "glsa_a_b_c", "xxsa" + tok[4:], tok + "_", ""} {
		assert.False(t, grafanaid.TokenDecodes(bad), bad)
	}
	assert.True(t, grafanaid.TokenDecodes(grafanaid.Token("short")), "any secret length decodes")
}

func TestServiceAccountLogin(t *testing.T) {
	for name, want := range map[string]string{"CI Bot": "sa-1-ci-bot", "a  b -- c": "sa-1-a-b----c", "Bot.v2_x": "sa-1-bot.v2_x", "x": "sa-1-x"} {
		assert.Equal(t, want, grafanaid.ServiceAccountLogin(1, name), name)
	}
}
