package api

import (
	"strings"
)

// operation is one of Grafana's operations as the client sends it. Each endpoint's file
// declares its own (see CONTRIBUTING.md); nothing infers an operation from the shape of a
// request.
type operation struct {
	// id is the operationId in openapi.yaml, e.g. "revokeInvite".
	id string
	// method is the HTTP method.
	method string
	// path is the path template relative to the API base, as in openapi.yaml without its
	// leading "/", e.g. "org/invites/{invitation_code}/revoke".
	path string
	// idempotent says Grafana handles the request the same way however often it arrives,
	// so that it may be retried after it may have reached Grafana (see retry.go).
	idempotent bool
}

// request is one call of an operation, ready for do.
type request struct {
	op operation
	// url is the full URL.
	url string
	// path is the path relative to the API base with every path parameter shortened
	// (ShortCode): what logs and errors show.
	path string
	// body is a JSON body, or nil.
	body []byte
	// secrets are the client's; params the path parameters (invitation codes). Both are
	// scrubbed from what the server echoes (see redact).
	secrets redactor
	params  []string
}

// redact is the redactor of r: the client's secrets and r's path parameters. It is built
// only when something is to be scrubbed, off the path of a successful call.
func (r request) redact() redactor { return r.secrets.with(r.params...) }

// newRequest fills op's path template with params, in order, for the URL, and with their
// shortened forms for logs and errors. Params must already be validated as path-safe
// (CheckCode): they are not escaped.
func (c *Client) newRequest(op operation, body []byte, params ...string) request {
	if len(params) == 0 {
		return request{op: op, url: c.server + op.path, path: op.path, body: body, secrets: c.secrets}
	}
	var full, short strings.Builder
	rest := op.path
	for _, p := range params {
		before, param, ok := strings.Cut(rest, "{")
		_, after, closed := strings.Cut(param, "}")
		if !ok || !closed {
			panic("grafana: operation " + op.id + " has fewer path parameters than given") // a bug in this package
		}
		full.WriteString(before)
		full.WriteString(p)
		short.WriteString(before)
		short.WriteString(ShortCode(p))
		rest = after
	}
	full.WriteString(rest)
	short.WriteString(rest)
	return request{op: op, url: c.server + full.String(), path: short.String(), body: body, secrets: c.secrets, params: params}
}

// where is the method and redacted URL of r, for error messages.
func (c *Client) where(r request) string { return r.op.method + " " + c.server + r.path }
