package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/grafana-invites/grafana-invites/gen"
)

// opRevokeInvite is gen's RevokeInvite (a PATCH; Grafana's published spec wrongly says
// DELETE). Revoking twice is harmless.
var opRevokeInvite = operation{id: "revokeInvite", idempotent: true}

// Revoke revokes the invite whose invitation code is code
// (PATCH /api/org/invites/{code}/revoke; Grafana's published spec wrongly says DELETE).
// Revoking an invite that is no longer pending succeeds too. It is retried on transient
// failures.
//
// Errors to expect: ErrNotFound (unknown code), ErrForbidden (an invite of another
// organisation), and ErrInvalidInput before any I/O when code is empty, "." or "..", or
// holds anything outside [0-9A-Za-z].
//
// Older Grafanas answer differently: releases before the fix of 28 October 2024 (before
// 10.4.13, 11.0.8, 11.1.9, 11.2.4 and 11.3.1; 11.4.0 and later have it) look nothing up, so
// an unknown code succeeds (nil error, nothing revoked) and an invite of another
// organisation is revoked. On such a server a nil error does not prove the code existed:
// list first (FindPending, RevokeByEmail) when that matters.
func (c *Client) Revoke(ctx context.Context, code string) error {
	if err := CheckCode(code); err != nil {
		return err
	}
	params := &gen.RevokeInviteParams{XGrafanaOrgId: c.orgParam}
	send := func(ctx context.Context, editors []gen.RequestEditorFn) (*http.Response, error) {
		return c.gen.RevokeInvite(ctx, code, params, editors...)
	}
	return c.do(ctx, call{op: opRevokeInvite, params: []string{code}, send: send}, nil)
}

// maxCodeLen bounds an invitation code; Grafana's are 30 characters.
const maxCodeLen = 255

// CheckCode reports whether code can be an invitation code: 1 to 255 characters from
// [0-9A-Za-z] (Grafana makes 30). Anything else, "." and ".." included, could address
// another route, and is a *ValidationError that shows only the start of the code.
func CheckCode(code string) error {
	switch {
	case code == "":
		return &ValidationError{Field: "invitation code", Problem: "empty"}
	case code == "." || code == "..":
		return &ValidationError{Field: "invitation code", Problem: "\"" + code + "\" would address another route"}
	case len(code) > maxCodeLen:
		return &ValidationError{Field: "invitation code", Problem: "longer than 255 characters"}
	}
	for i := 0; i < len(code); i++ {
		if !isAlnum(code[i]) {
			return &ValidationError{Field: "invitation code", Problem: "character " + quoteByte(code[i]) +
				" at position " + strconv.Itoa(i+1) + " is outside [0-9A-Za-z]"}
		}
	}
	return nil
}

// codePrefix is how many characters of an invitation code logs and errors show.
const codePrefix = 4

// ShortCode returns the first characters of an invitation code followed by "…": enough to
// tell invites apart in logs and errors, too little to join the organisation.
func ShortCode(code string) string {
	n := min(codePrefix, len(code)/2)
	for i := 0; i < n; i++ {
		if !isAlnum(code[i]) {
			n = i
			break
		}
	}
	return code[:n] + "…"
}
