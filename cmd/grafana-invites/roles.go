package main

import (
	"strings"

	"github.com/grafana-invites/grafana-invites/api"
)

// roles are the organisation roles, as Grafana spells them: completion offers them and
// every message that lists them says them so.
var roles = []string{string(api.RoleNone), string(api.RoleViewer), string(api.RoleEditor), string(api.RoleAdmin)}

// roleChoices lists the roles for a message, the last after "or".
func roleChoices() string {
	return strings.Join(roles[:len(roles)-1], ", ") + " or " + roles[len(roles)-1]
}

// replaceRoleHint is what a pending invite with another role than the one asked for says:
// the run keeps it (and exits 3) unless told to replace it.
const replaceRoleHint = "--replace-role replaces it"
