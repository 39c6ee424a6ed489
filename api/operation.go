package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// operation names one of Grafana's operations for the retry table and the logs. Each
// endpoint's file states its own (see CONTRIBUTING.md), and its method sends it through
// gen's generated client: nothing infers an operation from the shape of a request, and no
// path is written here.
type operation struct {
	// id is the operationId in openapi.yaml, e.g. "revokeInvite".
	id string
	// idempotent says Grafana handles the request the same way however often it arrives,
	// so that it may be retried after it may have reached Grafana (see retry.go).
	idempotent bool
	// public: the route takes no credentials (the invitee's), so none are sent.
	public bool
}

// sender makes one attempt of a call: one call of gen's generated method, with editors
// passed on to it.
type sender func(ctx context.Context, editors []gen.RequestEditorFn) (*http.Response, error)

// call is one call of an operation, ready for do.
type call struct {
	op operation
	// params are the path parameters (invitation codes), already validated (CheckCode):
	// scrubbed from what the server echoes, shortened in logs and errors.
	params []string
	// bodySecrets are secrets the request body carries (an invitation code, a password):
	// scrubbed from what the server echoes, as params are.
	bodySecrets []string
	send        sender
	// secrets are the client's (Client.secrets), scrubbed from what the server echoes with
	// params.
	secrets func() redactor
}

// redact is the redactor of k: the client's secrets and k's path parameters. It is built
// only when something is to be scrubbed, off the path of a successful call.
func (k *call) redact() redactor {
	return k.secrets().with(append(slices.Clip(k.params), k.bodySecrets...)...)
}

// sent records the request gen built for one attempt, for logs and errors: its first
// editor (see do) stores it, before any other editor runs.
type sent struct {
	req *http.Request
}

func (s *sent) record(_ context.Context, req *http.Request) error {
	s.req = req
	return nil
}

// target is the method and URL of the recorded request with every path parameter
// shortened (ShortCode): what errors show. Before gen built a request it is the
// operation's id.
func (s *sent) target(k *call) (method, url string) {
	if s.req == nil {
		return "", k.op.id
	}
	u := s.req.URL
	return s.req.Method, u.Scheme + "://" + u.Host + shortenParams(u.EscapedPath(), k.params)
}

// shortenParams replaces every path segment of path that is one of params by its short
// form.
func shortenParams(path string, params []string) string {
	if len(params) == 0 {
		return path
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		for _, p := range params {
			if seg == p {
				segs[i] = ShortCode(p)
			}
		}
	}
	return strings.Join(segs, "/")
}
