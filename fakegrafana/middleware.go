package fakegrafana

import (
	"context"
	"net/http"
	"net/http/httptest"

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
		if rules.bind != nil {
			bound, err := rules.bind(r, request)
			if err != nil {
				writeBindError(w, err)
				return nil, nil
			}
			request = bound
		}
		return next(context.WithValue(ctx, identityKey{}, id), w, r, request)
	}
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
			rec := httptest.NewRecorder()
			resp, err := next(ctx, rec, r, request)
			if !delay(r, f.Delay) {
				return nil, nil
			}
			if f.Status != 0 {
				writeFault(w, f)
				return nil, nil
			}
			copyRecorded(w, rec)
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

// copyRecorded writes what a handler wrote to rec (a refusal of the middleware) to w.
func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	if rec.Code == http.StatusOK && rec.Body.Len() == 0 {
		return // nothing was written: the response object is written by gen
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
