package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	grafanainvites "github.com/grafana-invites/grafana-invites"
	"github.com/grafana-invites/grafana-invites/gen"
	"github.com/grafana-invites/grafana-invites/internal/specops"
)

// clientOperations is the client's table of operations: one per endpoint file.
var clientOperations = []operation{opGetPendingOrgInvites, opAddOrgInvite, opRevokeInvite, opGetInviteInfoByCode, opCompleteInvite}

// TestEveryContractOperationIsImplemented finds each operationId of the embedded
// openapi.yaml in the client's table and in gen's generated client, and checks what each
// endpoint file states about retries against the contract's method: only the POST is not
// idempotent.
func TestEveryContractOperationIsImplemented(t *testing.T) {
	spec, err := specops.Parse(grafanainvites.OpenAPI)
	require.NoError(t, err)
	byID := map[string]operation{}
	for _, op := range clientOperations {
		byID[op.id] = op
	}
	require.Len(t, byID, len(spec), "the client's operations and the contract's differ")
	genClient := reflect.TypeFor[*gen.Client]()
	for _, s := range spec {
		op, ok := byID[s.ID]
		if !assert.True(t, ok, "operation %s of openapi.yaml has no client operation", s.ID) {
			continue
		}
		assert.Equal(t, s.Method != http.MethodPost, op.idempotent, "%s %s: idempotent", s.Method, s.ID)
		assert.Equal(t, s.Public, op.public, "%s %s: sends credentials only where the contract wants them", s.Method, s.ID)
		_, ok = genClient.MethodByName(strings.ToUpper(s.ID[:1]) + s.ID[1:])
		assert.True(t, ok, "gen's client has no method for %s", s.ID)
	}
}

// TestNoEndpointPathInAPI reads every non-test Go file of package api: no string literal
// holds a piece of a contract path. Paths are gen's to build.
func TestNoEndpointPathInAPI(t *testing.T) {
	spec, err := specops.Parse(grafanainvites.OpenAPI)
	require.NoError(t, err)
	var pieces []string
	for _, s := range spec {
		for _, part := range strings.FieldsFunc(s.Path, func(r rune) bool { return r == '{' || r == '}' }) {
			p := strings.Trim(part, "/")
			if !strings.Contains(p, "/") {
				p = "/" + p // one segment: only as a path piece
			}
			pieces = append(pieces, p)
		}
	}
	require.Subset(t, pieces, []string{"org/invites", "/revoke"})
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name) //nolint:gosec // the package's own files, listed by Glob
		require.NoError(t, err)
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
		require.NoError(t, err)
		f.Imports = nil
		ast.Inspect(f, func(n ast.Node) bool {
			if _, ok := n.(*ast.ImportSpec); ok {
				return false
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			for _, p := range pieces {
				assert.NotContains(t, s, p, "%s holds a piece of an endpoint path", name)
			}
			return true
		})
		checked++
	}
	assert.Greater(t, checked, 10)
}

func TestTargetShortensPathParameters(t *testing.T) {
	c, err := New("https://example.com/grafana/")
	require.NoError(t, err)
	code := "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"
	req, err := gen.NewRevokeInviteRequest(c.server, code, nil)
	require.NoError(t, err)
	k := &call{op: opRevokeInvite, params: []string{code}}
	s := &sent{req: req}
	assert.Equal(t, "PATCH https://example.com/grafana/api/org/invites/Q2zr…/revoke", where(k, s))

	req, err = gen.NewGetPendingOrgInvitesRequest(c.server, nil)
	require.NoError(t, err)
	assert.Equal(t, "GET https://example.com/grafana/api/org/invites", where(&call{op: opGetPendingOrgInvites}, &sent{req: req}))

	assert.Equal(t, "revokeInvite", where(k, &sent{}), "before gen built a request, the operation names it")
	assert.Equal(t, "/a/abcd…/b/ijkl…/abcdefg", shortenParams("/a/abcdefgh/b/ijklmnop/abcdefg", []string{"abcdefgh", "ijklmnop"}))
}
