package specops_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	grafanainvites "github.com/grafana-invites/grafana-invites"
	"github.com/grafana-invites/grafana-invites/internal/specops"
)

func TestParseContract(t *testing.T) {
	ops, err := specops.Parse(grafanainvites.OpenAPI)
	require.NoError(t, err)
	assert.Equal(t, []specops.Operation{
		{ID: "getPendingOrgInvites", Method: "GET", Path: "/org/invites"},
		{ID: "addOrgInvite", Method: "POST", Path: "/org/invites"},
		{ID: "revokeInvite", Method: "PATCH", Path: "/org/invites/{invitation_code}/revoke"},
		{ID: "getInviteInfoByCode", Method: "GET", Path: "/user/invite/{invitation_code}", Public: true},
		{ID: "completeInvite", Method: "POST", Path: "/user/invite/complete", Public: true},
	}, ops)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []specops.Operation
		err  string
	}{
		{name: "a fourth endpoint", doc: "openapi: 3.0.3\npaths:\n  /org/users:\n    parameters: []\n    delete:\n      summary: x\n      operationId: 'removeOrgUser'\ncomponents:\n  schemas:\n    get:\n      operationId: notAnOperation\n",
			want: []specops.Operation{{ID: "removeOrgUser", Method: "DELETE", Path: "/org/users"}}},
		{name: "public before and after its operationId", doc: "paths:\n  /a:\n    get:\n      security: []\n      operationId: a\n    post:\n      operationId: b\n      security: [ ]\n  /c:\n    get:\n      operationId: c\n      security:\n        - bearer: []\n",
			want: []specops.Operation{{ID: "a", Method: "GET", Path: "/a", Public: true}, {ID: "b", Method: "POST", Path: "/a", Public: true}, {ID: "c", Method: "GET", Path: "/c"}}},
		{name: "missing operationId", doc: "paths:\n  /a:\n    get:\n      summary: x\n  /b:\n    get:\n      operationId: b\n", err: "GET /a has no operationId"},
		{name: "missing at the end", doc: "paths:\n  /a:\n    get:\n      summary: x\n", err: "GET /a has no operationId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := specops.Parse([]byte(tt.doc))
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
