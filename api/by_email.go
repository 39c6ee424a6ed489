package api

import (
	"context"
	"strings"
)

// NormalizeEmail is how addresses are compared: surrounding white space removed, lower case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// FindPending returns the pending invites of an address, newest first (ties of Grafana's
// one-second ordering broken by id): the invites whose email matches it
// case-insensitively, ignoring surrounding spaces (Grafana stores the address exactly as it
// was sent).
func (c *Client) FindPending(ctx context.Context, email string) ([]Invite, error) {
	key, err := emailKey(email)
	if err != nil {
		return nil, err
	}
	ctx, release := c.bound(ctx)
	defer release()
	all, err := c.ListPending(ctx)
	if err != nil {
		return nil, err
	}
	return sortNewestFirst(matching(all, key)), nil
}

// RevokeByEmail revokes every pending invite of an address (matched as FindPending does)
// and returns those it revoked; an invite gone meanwhile (404) counts as revoked. When some
// revokes fail, it returns the ones that succeeded with the failures joined in the error.
func (c *Client) RevokeByEmail(ctx context.Context, email string) ([]Invite, error) {
	ctx, release := c.bound(ctx) // WithTimeout bounds the list and every revoke together
	defer release()
	pending, err := c.FindPending(ctx, email)
	if err != nil {
		return nil, err
	}
	return c.revokeAll(ctx, pending)
}

// matching returns the invites of all whose address normalises to key, in their order.
func matching(all []Invite, key string) []Invite {
	var out []Invite
	for _, inv := range all {
		if NormalizeEmail(inv.Email) == key {
			out = append(out, inv)
		}
	}
	return out
}

func emailKey(email string) (string, error) {
	key := NormalizeEmail(email)
	if key == "" {
		return "", &ValidationError{Field: "email", Problem: "empty"}
	}
	return key, nil
}

// splitByRole splits invites into those with role and the others, keeping their order.
func splitByRole(invites []Invite, role Role) (same, other []Invite) {
	for _, inv := range invites {
		if inv.Role == role {
			same = append(same, inv)
		} else {
			other = append(other, inv)
		}
	}
	return same, other
}
