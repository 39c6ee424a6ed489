package api

import (
	"context"
	"net/http"

	"github.com/grafana-invites/grafana-invites/gen"
)

// opGetPendingOrgInvites is gen's GetPendingOrgInvites, a read.
var opGetPendingOrgInvites = operation{id: "getPendingOrgInvites", idempotent: true}

// ListPending returns the pending invites of the client's organisation, newest first
// (GET /api/org/invites). The list is never nil. It is retried on transient failures.
func (c *Client) ListPending(ctx context.Context) ([]Invite, error) {
	params := &gen.GetPendingOrgInvitesParams{XGrafanaOrgId: c.orgParam}
	send := func(ctx context.Context, editors []gen.RequestEditorFn) (*http.Response, error) {
		return c.gen.GetPendingOrgInvites(ctx, params, editors...)
	}
	var out inviteList
	if err := c.do(ctx, call{op: opGetPendingOrgInvites, send: send}, &out); err != nil {
		return nil, err
	}
	if err := c.checkOrg(out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkOrg refuses a list holding another organisation's invites when the client names its
// organisation (WithOrgID). Grafana lets a server admin name an organisation they are not a
// member of and then answers in org −1, across every organisation: acting on such a list
// (pruning it, say) would touch other organisations' invites.
func (c *Client) checkOrg(l []Invite) error {
	if c.orgID < 1 {
		return nil
	}
	for _, inv := range l {
		if inv.OrgID != c.orgID {
			return errorf("%w: asked for organisation %d, Grafana listed an invite of organisation %d; "+
				"the credentials are not a member of organisation %d (a server admin outside an organisation "+
				"is answered for every organisation): add them to organisation %d", ErrOrgMismatch, c.orgID, inv.OrgID, c.orgID, c.orgID)
		}
	}
	return nil
}
