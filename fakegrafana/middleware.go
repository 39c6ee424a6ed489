package fakegrafana

import (
	"bytes"
	"context"
	"net/http"

	"github.com/grafana-invites/grafana-invites/gen"
)

// grafanaChain is Grafana's middleware for an operation, in Grafana's order:
// authentication and org selection, the permission org.users:add, then the operation's own
// rules (the user quota, body binding). A refusal is written here and the handler never
// runs.
func (s *Server) grafanaChain(next gen.StrictHandlerFunc, genID string) gen.StrictHandlerFunc {
	op := operationOf(genID)
	rules, known := operations[op]
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		if !known {
			writeMessage(w, http.StatusInternalServerError, "fakegrafana: operation "+string(op)+" is missing from its table")
			return nil, nil
		}
		if rules.public {
			return bindThen(ctx, w, r, request, rules, next)
		}
		id, ok := s.authenticate(w, r)
		if !ok {
			return nil, nil
		}
		if !id.serverAdmin && id.role != gen.OrgRoleAdmin && !id.grantAddUsers {
			writeJSON(w, http.StatusForbidden, accessDeniedBody{
				AccessErrorID: accessErrorID(),
				Message:       msgAccessDenied,
				Title:         "Access denied",
			})
			return nil, nil
		}
		if rules.quota && s.quotaReached() {
			writeMessage(w, http.StatusForbidden, msgQuotaReached)
			return nil, nil
		}
		return bindThen(context.WithValue(ctx, identityKey{}, id), w, r, request, rules, next)
	}
}

// bindThen binds the body by the operation's rule, if it has one, then calls the handler.
func bindThen(ctx context.Context, w http.ResponseWriter, r *http.Request, request any, rules opRules, next gen.StrictHandlerFunc) (any, error) {
	if rules.bind != nil {
		bound, err := rules.bind(r, request)
		if err != nil {
			writeBindError(w, err)
			return nil, nil
		}
		request = bound
	}
	return next(ctx, w, r, request)
}

// faults injects the faults queued for an operation (see Inject) and counts its calls,
// before anything else is checked.
func (s *Server) faults(next gen.StrictHandlerFunc, genID string) gen.StrictHandlerFunc {
	op := operationOf(genID)
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		if !delay(r, s.latency) {
			return nil, nil
		}
		f, ok := s.takeFault(op)
		switch {
		case !ok:
			return next(ctx, w, r, request)
		case f.AfterHandling:
			// Handled in full (an invite saved, say), then the answer is lost on the way back.
			held := &heldResponse{}
			resp, err := next(ctx, held, r, request)
			if !delay(r, f.Delay) {
				return nil, nil
			}
			if f.Status != 0 {
				writeFault(w, f)
				return nil, nil
			}
			held.writeTo(w)
			return resp, err
		}
		if !delay(r, f.Delay) {
			return nil, nil
		}
		if f.Status == 0 {
			return next(ctx, w, r, request)
		}
		writeFault(w, f)
		return nil, nil
	}
}

// heldResponse holds what a handler writes (a refusal of the middleware) until the fault
// decides whether it reaches the client.
type heldResponse struct {
	header http.Header
	status int // 0: no status written
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header {
	if h.header == nil {
		h.header = http.Header{}
	}
	return h.header
}

func (h *heldResponse) WriteHeader(status int) {
	if h.status == 0 {
		h.status = status
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return h.body.Write(b)
}

// writeTo writes what was held to w. Nothing written (or a bare 200) writes nothing: the
// response object is then written by gen.
func (h *heldResponse) writeTo(w http.ResponseWriter) {
	if (h.status == 0 || h.status == http.StatusOK) && h.body.Len() == 0 {
		return
	}
	for k, v := range h.header {
		w.Header()[k] = v
	}
	w.WriteHeader(h.status)
	_, _ = w.Write(h.body.Bytes())
}
