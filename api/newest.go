package api

import (
	"cmp"
	"slices"
)

// Grafana lists invites newest first by creation second only: invites made within one
// second come back in database order, which is not newest first (docs/grafana-behaviour.md,
// LIST-2). Everything here that picks one invite among several of an address goes through
// these two, which break ties by id: the higher id is the newer invite.

// newerFirst orders invites newest first: by creation time, then by id.
func newerFirst(a, b Invite) int {
	if c := b.CreatedOn.Compare(a.CreatedOn); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// sortNewestFirst sorts invites in place, newest first, and returns them.
func sortNewestFirst(invites []Invite) []Invite {
	slices.SortStableFunc(invites, newerFirst)
	return invites
}
