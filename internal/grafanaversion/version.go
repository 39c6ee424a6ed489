// Package grafanaversion holds what differs between Grafana releases on the invites API:
// the table of releases that carry the revoke fix of October 2024, 9.x's rules for
// inviting, and what the invitee's endpoints answer (docs/grafana-behaviour.md, VER-1 to
// VER-4). The fake and the conformance suite
// both read it.
package grafanaversion

import (
	"fmt"
	"strconv"
	"strings"
)

// Newest is the newest release modelled, the default of the fake.
const Newest = "13.0.0"

// Version is a Grafana release, major.minor.patch.
type Version struct{ Major, Minor, Patch int }

// String is "major.minor.patch".
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// AtLeast reports whether v is major.minor.patch or later.
func (v Version) AtLeast(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major > major
	}
	if v.Minor != minor {
		return v.Minor > minor
	}
	return v.Patch >= patch
}

// Parse reads "11.2.0", "v11.2.0" or "11.2.3+security-01" (a build suffix is ignored);
// empty is Newest. Releases before 9.0 are not modelled.
func Parse(s string) (Version, error) {
	if strings.TrimSpace(s) == "" {
		s = Newest
	}
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(t, "+-"); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q: want major.minor.patch, e.g. 11.2.0", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		n[i] = v
	}
	v := Version{n[0], n[1], n[2]}
	if !v.AtLeast(9, 0, 0) {
		return Version{}, fmt.Errorf("version %q: the fake models 9.0.0 and later", s)
	}
	return v, nil
}

// revokeFixedIn is the first release of each minor that carries the fix of RevokeInvite
// (an org check and a lookup that answers 404), behaviour VER-1. The fix (Grafana PR
// #95476, CVE-2024-10452) was backported on 28 Oct 2024 by PRs #95486 (10.4.x), #95487
// (11.0.x), #95488 (11.1.x), #95489 (11.2.x) and #95490 (11.3.x); Grafana's CHANGELOG lists
// it in 11.0.8, 11.1.9, 11.2.4 and 11.3.1 (all 2024-11-19). 10.4.13 shipped the same day
// with an empty CHANGELOG entry and is taken as 10.4's first fixed release. Every release
// from 11.4.0 on has it; 10.3 and older never got it.
var revokeFixedIn = map[[2]int]int{
	{10, 4}: 13,
	{11, 0}: 8,
	{11, 1}: 9,
	{11, 2}: 4,
	{11, 3}: 1,
}

// RevokeChecks reports whether v's revoke looks the invite up (404 when unknown, 403 for
// another org's); without it, every code answers 200 and any org's invite is revoked.
func (v Version) RevokeChecks() bool {
	if v.AtLeast(11, 4, 0) {
		return true
	}
	first, ok := revokeFixedIn[[2]int{v.Major, v.Minor}]
	return ok && v.Patch >= first
}

// NewUserNeedsUsersCreate reports that inviting a new person needs users:create, which
// only server admins have: 9.x (ADD-14).
func (v Version) NewUserNeedsUsersCreate() bool { return v.Major == 9 }

// LoginDisabledMessage is the 400 of a new invitee with the login form disabled (ADD-9).
func (v Version) LoginDisabledMessage() string {
	if v.Major == 9 {
		return "Cannot invite when login is disabled."
	}
	return "Cannot invite external user when login is disabled."
}

// InviteChecks reports whether v has the invite fixes of 9.2.4 (CVE-2022-39306, VER-3):
// an invite's info is found only while it is pending, completing it checks that the
// address is the invite's, and the completion's answer carries the new user's id.
func (v Version) InviteChecks() bool { return v.AtLeast(9, 2, 4) }

// InviteOrgName reports whether v's invite info carries orgName (and answers 404 "org
// not found" for an invite whose organisation is gone): 11.4.0 and later (VER-4).
func (v Version) InviteOrgName() bool { return v.AtLeast(11, 4, 0) }
