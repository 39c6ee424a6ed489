package fakegrafana_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	grafanainvites "github.com/grafana-invites/grafana-invites"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/internal/specops"
)

// TestEveryContractOperationIsImplemented finds each operationId of the embedded
// openapi.yaml in the fake's table: a request to the operation's method and path is
// counted as that operation (the fake learns it from gen, not from a path switch) and
// answered by its handler.
func TestEveryContractOperationIsImplemented(t *testing.T) {
	spec, err := specops.Parse(grafanainvites.OpenAPI)
	require.NoError(t, err)
	ops := fakegrafana.Operations()
	require.Len(t, ops, len(spec), "the fake's operations and the contract's differ")
	for _, s := range spec {
		op := fakegrafana.Operation(s.ID)
		assert.Contains(t, ops, op, "operation %s of openapi.yaml is not in the fake's table", s.ID)
		srv := fakegrafana.MustNew()
		path := "/api" + strings.ReplaceAll(s.Path, "{invitation_code}", "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm")
		a := serve(t, srv, call{method: s.Method, path: path, auth: admin, body: `{"loginOrEmail":"a@example.com","role":"Viewer"}`})
		assert.NotEqual(t, http.StatusInternalServerError, a.status, a.body)
		assert.Equal(t, 1, srv.Calls(op), "%s %s was not counted as %s", s.Method, path, s.ID)
	}
}
