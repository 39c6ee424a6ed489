package grafanaversion

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRevokeFixedIn pins VER-1: the first fixed release of each minor, and the ones around it.
func TestRevokeFixedIn(t *testing.T) {
	for v, want := range map[string]bool{
		"9.5.20": false, "10.3.12": false,
		"10.4.12": false, "10.4.13": true, "10.4.0": false,
		"11.0.7": false, "11.0.8": true,
		"11.1.8": false, "11.1.9": true,
		"11.2.3": false, "11.2.3+security-01": false, "11.2.4": true,
		"11.3.0": false, "11.3.0+security-01": false, "11.3.1": true,
		"11.4.0": true, "11.6.3": true, "12.0.0": true, "13.0.0": true, "v12.1.0": true,
	} {
		parsed, err := Parse(v)
		require.NoError(t, err, v)
		assert.Equal(t, want, parsed.RevokeChecks(), v)
	}
}

func TestParseVersion(t *testing.T) {
	for _, bad := range []string{"11", "11.2", "11.2.x", "8.5.0", "11.-1.0", "1.2.3.4"} {
		_, err := Parse(bad)
		assert.Error(t, err, bad)
	}
	v, err := Parse(" 11.2.3-pre ")
	require.NoError(t, err)
	assert.Equal(t, "11.2.3", v.String())
}
