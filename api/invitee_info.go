package api

import (
	"context"
	"net/http"

	"github.com/grafana-invites/grafana-invites/gen"
)

// opGetInviteInfoByCode is gen's GetInviteInfoByCode, a read of a public route.
var opGetInviteInfoByCode = operation{id: "getInviteInfoByCode", idempotent: true, public: true}

// InviteInfo is a pending invite as its invitee sees it: the address, the name given with
// it, the suggested login, who invited, and (from Grafana 11.4) the organisation's name.
type InviteInfo = gen.InviteInfo

// InviteInfo returns the pending invite whose code is code, as Grafana's sign-up page shows
// it to the invitee (GET /api/user/invite/{code}). The route takes no credentials: none are
// sent, so a client made without any (New(url)) serves an invitee. It is retried on
// transient failures.
//
// Errors to expect: ErrNotFound when no pending invite has the code (unknown, revoked,
// accepted or expired; Grafanas before 9.2.4 answer for any status), and ErrInvalidInput
// before any I/O when code cannot be one (see CheckCode).
func (c *Client) InviteInfo(ctx context.Context, code string) (*InviteInfo, error) {
	if err := CheckCode(code); err != nil {
		return nil, err
	}
	send := func(ctx context.Context, editors []gen.RequestEditorFn) (*http.Response, error) {
		return c.gen.GetInviteInfoByCode(ctx, code, editors...)
	}
	var out InviteInfo
	if err := c.do(ctx, call{op: opGetInviteInfoByCode, params: []string{code}, send: send}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
