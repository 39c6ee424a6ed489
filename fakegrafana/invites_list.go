package fakegrafana

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/grafana-invites/grafana-invites/gen"
)

// GetPendingOrgInvites is GET /api/org/invites: the pending invites of the current org
// (of every org in org −1, ORG-5), newest first by creation second, ties in ascending id
// (LIST-1 to LIST-6).
func (h strictServer) GetPendingOrgInvites(ctx context.Context, _ gen.GetPendingOrgInvitesRequestObject) (gen.GetPendingOrgInvitesResponseObject, error) {
	s, caller := h.s, callerOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
	if body, ok := s.lists[caller.orgID]; ok {
		return encodedList(body), nil
	}
	out := make(gen.GetPendingOrgInvites200JSONResponse, 0)
	for _, inv := range s.invites {
		if (inv.dto.OrgID == caller.orgID || caller.orgID == orgMissing) && inv.dto.Status == gen.TempUserStatusInvitePending {
			out = append(out, s.readLocked(inv))
		}
	}
	slices.SortStableFunc(out, listOrder)
	body, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	body = append(body, '\n') // as gen's json.Encoder writes it
	s.lists[caller.orgID] = body
	return encodedList(body), nil
}

// listOrder is Grafana's ORDER BY created DESC over Unix seconds, with ties in database
// (ascending id) order (LIST-2).
func listOrder(a, b gen.TempUserDTO) int {
	if c := b.CreatedOn.Unix() - a.CreatedOn.Unix(); c != 0 {
		return cmp.Compare(c, 0)
	}
	return cmp.Compare(a.ID, b.ID)
}

// encodedList is a pending list already encoded as gen.GetPendingOrgInvites200JSONResponse
// would write it: the list is encoded once per change, not once per request.
type encodedList []byte

// VisitGetPendingOrgInvitesResponse writes the list.
func (b encodedList) VisitGetPendingOrgInvitesResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}
