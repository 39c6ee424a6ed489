package fakegrafana

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/grafana-invites/grafana-invites/gen"
)

// GetPendingOrgInvites is GET /api/org/invites: pending invites of the current org,
// newest first.
func (h strictServer) GetPendingOrgInvites(ctx context.Context, _ gen.GetPendingOrgInvitesRequestObject) (gen.GetPendingOrgInvitesResponseObject, error) {
	s, caller := h.s, callerOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	if body, ok := s.lists[caller.orgID]; ok {
		return encodedList(body), nil
	}
	out := make(gen.GetPendingOrgInvites200JSONResponse, 0)
	for i := len(s.invites) - 1; i >= 0; i-- {
		if inv := s.invites[i]; inv.OrgID == caller.orgID && inv.Status == gen.TempUserStatusInvitePending {
			out = append(out, *inv)
		}
	}
	newestFirst := func(a, b gen.TempUserDTO) int { return b.CreatedOn.Compare(a.CreatedOn) }
	if !slices.IsSortedFunc(out, newestFirst) { // only an injected clock going back unsorts them
		slices.SortStableFunc(out, newestFirst)
	}
	body, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	body = append(body, '\n') // as gen's json.Encoder writes it
	s.lists[caller.orgID] = body
	return encodedList(body), nil
}

// encodedList is a pending list already encoded as gen.GetPendingOrgInvites200JSONResponse
// would write it: the list is encoded once per change, not once per request.
type encodedList []byte

func (b encodedList) VisitGetPendingOrgInvitesResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}
