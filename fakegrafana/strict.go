package fakegrafana

import (
	"context"

	"github.com/grafana-invites/grafana-invites/gen"
)

// strictServer implements gen.StrictServerInterface: the handlers, after authentication,
// access control and binding (see authorize).
type strictServer struct{ s *Server }

var _ gen.StrictServerInterface = strictServer{}

func callerOf(ctx context.Context) identity {
	id, _ := ctx.Value(identityKey{}).(identity)
	return id
}

func ptr[T any](v T) *T { return &v }

func errBody(msg string) gen.ErrorResponseBody { return gen.ErrorResponseBody{Message: ptr(msg)} }

var roleRank = map[Role]int{gen.OrgRoleNone: 0, gen.OrgRoleViewer: 1, gen.OrgRoleEditor: 2, gen.OrgRoleAdmin: 3}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
