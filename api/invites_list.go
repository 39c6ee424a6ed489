package api

import (
	"context"
	"net/http"
)

// opGetPendingOrgInvites is GET /api/org/invites.
var opGetPendingOrgInvites = operation{id: "getPendingOrgInvites", method: http.MethodGet, path: "org/invites", idempotent: true}

// ListPending returns the pending invites of the client's organisation, newest first
// (GET /api/org/invites). The list is never nil. It is retried on transient failures.
func (c *Client) ListPending(ctx context.Context) ([]Invite, error) {
	var out inviteList
	if err := c.do(ctx, c.newRequest(opGetPendingOrgInvites, nil), &out); err != nil {
		return nil, err
	}
	return out, nil
}
