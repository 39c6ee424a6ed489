package fakegrafana

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultGrafanaVersion is the Grafana release the fake behaves as unless
// WithGrafanaVersion says otherwise: the newest it models.
const DefaultGrafanaVersion = "13.0.0"

// version is a Grafana release, major.minor.patch.
type version struct{ major, minor, patch int }

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func (v version) atLeast(major, minor, patch int) bool {
	if v.major != major {
		return v.major > major
	}
	if v.minor != minor {
		return v.minor > minor
	}
	return v.patch >= patch
}

// parseVersion reads "11.2.0", "v11.2.0" or "11.2.3+security-01" (a build suffix is
// ignored). Releases before 9.0 are not modelled.
func parseVersion(s string) (version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(t, "+-"); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return version{}, fmt.Errorf("WithGrafanaVersion(%q): want major.minor.patch, e.g. 11.2.0", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return version{}, fmt.Errorf("WithGrafanaVersion(%q): %q is not a number", s, p)
		}
		n[i] = v
	}
	v := version{n[0], n[1], n[2]}
	if !v.atLeast(9, 0, 0) {
		return version{}, fmt.Errorf("WithGrafanaVersion(%q): the fake models 9.0.0 and later", s)
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

// revokeChecks reports whether v's revoke looks the invite up (404 when unknown, 403 for
// another org's); without it, every code answers 200 and any org's invite is revoked.
func (v version) revokeChecks() bool {
	if v.atLeast(11, 4, 0) {
		return true
	}
	first, ok := revokeFixedIn[[2]int{v.major, v.minor}]
	return ok && v.patch >= first
}

// newUserNeedsUsersCreate: in 9.x inviting a new person needed users:create (ADD-14).
func (v version) newUserNeedsUsersCreate() bool { return v.major == 9 }

// loginDisabledMessage is the 400 of ADD-9.
func (v version) loginDisabledMessage() string {
	if v.major == 9 {
		return "Cannot invite when login is disabled."
	}
	return msgLoginDisabled
}
