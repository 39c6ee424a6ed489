package api

import (
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// Role is an organisation role.
type Role = gen.OrgRole

// The organisation roles.
const (
	RoleNone   Role = gen.OrgRoleNone
	RoleViewer Role = gen.OrgRoleViewer
	RoleEditor Role = gen.OrgRoleEditor
	RoleAdmin  Role = gen.OrgRoleAdmin
)

// Invite is a pending (or other) invitation, as Grafana lists it. Its Code is a secret:
// anyone holding it, or its URL, can join the organisation.
type Invite = gen.TempUserDTO

// ParseRole returns the role named s, ignoring case and surrounding spaces ("viewer",
// " ADMIN "). Anything else is a *ValidationError.
func ParseRole(s string) (Role, error) {
	t := strings.TrimSpace(s)
	for _, r := range []Role{RoleNone, RoleViewer, RoleEditor, RoleAdmin} {
		if strings.EqualFold(t, string(r)) {
			return r, nil
		}
	}
	if t == "" {
		return "", &ValidationError{Field: "role", Problem: "empty; want one of None, Viewer, Editor, Admin"}
	}
	return "", &ValidationError{Field: "role", Problem: quoteShort(s) + " is not a role; want one of None, Viewer, Editor, Admin"}
}
