package fakegrafana

import (
	"net/http"
	"strings"
)

// Operation names an operation of the API, as its operationId in openapi.yaml, for fault
// injection and call counts.
type Operation string

// The operations.
const (
	OpAddOrgInvite         Operation = "addOrgInvite"
	OpGetPendingOrgInvites Operation = "getPendingOrgInvites"
	OpRevokeInvite         Operation = "revokeInvite"
	OpGetInviteInfoByCode  Operation = "getInviteInfoByCode"
	OpCompleteInvite       Operation = "completeInvite"
)

// opRules is what Grafana's middleware does for an operation before its handler, beyond
// authentication and the permission org.users:add, which every operation here needs but
// the public ones.
type opRules struct {
	// public: no authentication, permission or quota check (the invitee's routes); the
	// handler sees no caller.
	public bool
	// quota: the user quota is checked (403 "user Quota reached").
	quota bool
	// bind decodes the request body as Grafana's binding does and returns the request
	// object for the handler; nil for operations that read no body.
	bind func(r *http.Request, request any) (any, error)
}

// operations is the fake's table of operations, keyed by operationId; each handler's file
// holds its rules. A request for an operation missing here answers 500.
var operations = map[Operation]opRules{
	OpAddOrgInvite:         addOrgInviteRules,
	OpGetPendingOrgInvites: {},
	OpRevokeInvite:         {},
	OpGetInviteInfoByCode:  {public: true},
	OpCompleteInvite:       completeInviteRules,
}

// operationOf turns the operation id that gen's strict server hands its middleware (the
// operationId with its first letter upper-cased) into an Operation.
func operationOf(genID string) Operation {
	if genID == "" {
		return ""
	}
	return Operation(strings.ToLower(genID[:1]) + genID[1:])
}

// Operations returns the operations the fake implements, in no particular order.
func Operations() []Operation {
	out := make([]Operation, 0, len(operations))
	for op := range operations {
		out = append(out, op)
	}
	return out
}
