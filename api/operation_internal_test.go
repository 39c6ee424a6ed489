package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	grafanainvites "github.com/grafana-invites/grafana-invites"
	"github.com/grafana-invites/grafana-invites/internal/specops"
)

// clientOperations is the client's table of operations: one per endpoint file.
var clientOperations = []operation{opGetPendingOrgInvites, opAddOrgInvite, opRevokeInvite}

// TestEveryContractOperationIsImplemented finds each operationId of the embedded
// openapi.yaml in the client's table, with the contract's method and path.
func TestEveryContractOperationIsImplemented(t *testing.T) {
	spec, err := specops.Parse(grafanainvites.OpenAPI)
	require.NoError(t, err)
	byID := map[string]operation{}
	for _, op := range clientOperations {
		byID[op.id] = op
	}
	require.Len(t, byID, len(spec), "the client's operations and the contract's differ")
	for _, s := range spec {
		op, ok := byID[s.ID]
		if !assert.True(t, ok, "operation %s of openapi.yaml has no client operation", s.ID) {
			continue
		}
		assert.Equal(t, s.Method, op.method, s.ID)
		assert.Equal(t, strings.TrimPrefix(s.Path, "/"), op.path, s.ID)
	}
}

func TestNewRequestFillsAndRedactsPathParameters(t *testing.T) {
	c, err := New("https://example.com/grafana/")
	require.NoError(t, err)
	code := "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"
	r := c.newRequest(opRevokeInvite, nil, code)
	assert.Equal(t, "https://example.com/grafana/api/org/invites/"+code+"/revoke", r.url)
	assert.Equal(t, "org/invites/Q2zr…/revoke", r.path)
	assert.Equal(t, "PATCH https://example.com/grafana/api/org/invites/Q2zr…/revoke", c.where(r))

	two := operation{id: "x", method: "GET", path: "a/{one}/b/{two}"}
	r = c.newRequest(two, nil, "abcdefgh", "ijklmnop")
	assert.Equal(t, "https://example.com/grafana/api/a/abcdefgh/b/ijklmnop", r.url)
	assert.Equal(t, "a/abcd…/b/ijkl…", r.path)

	r = c.newRequest(opGetPendingOrgInvites, nil)
	assert.Equal(t, "https://example.com/grafana/api/org/invites", r.url)
	assert.Equal(t, "org/invites", r.path)

	assert.Panics(t, func() { c.newRequest(opGetPendingOrgInvites, nil, code) })
}
