package fakegrafana

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestChainOfAnUnknownOperation: an operation missing from the table is a 500 naming it,
// never a silent pass (TestEveryContractOperationIsImplemented keeps the table whole).
func TestChainOfAnUnknownOperation(t *testing.T) {
	s := MustNew()
	called := false
	h := s.grafanaChain(func(context.Context, http.ResponseWriter, *http.Request, any) (any, error) {
		called = true
		return nil, nil
	}, "DeleteEverything")
	rec := httptest.NewRecorder()
	_, err := h(context.Background(), rec, httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/api/org/invites", nil), nil)
	assert.NoError(t, err)
	assert.False(t, called)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"message":"fakegrafana: operation deleteEverything is missing from its table"}`, rec.Body.String())
}

func TestOperationOf(t *testing.T) {
	assert.Equal(t, OpAddOrgInvite, operationOf("AddOrgInvite"))
	assert.Equal(t, Operation(""), operationOf(""))
}
