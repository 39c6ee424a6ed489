package fakegrafana

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/gen"
)

// MaxBodyBytes is the fake's own request-body limit, not Grafana's (Grafana has none on
// these routes): a larger body answers 413 in JSON.
const MaxBodyBytes = 1 << 20

// newHandler assembles the HTTP side: gen's routes and strict server, with Grafana's
// middleware chain as gen's strict middleware (which knows each request's operation), and
// JSON answers for everything else.
func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(strictServer{s}, []gen.StrictMiddlewareFunc{s.grafanaChain, s.faults},
		gen.StrictHTTPServerOptions{
			RequestErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
				writeJSON(w, http.StatusBadRequest, traced(msgBadRequest))
			},
			ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
				writeJSON(w, http.StatusInternalServerError, traced(msgInternal))
			},
		})
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseURL:    "/api",
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
			writeJSON(w, http.StatusBadRequest, traced(msgBadRequest))
		},
	})
	handleInvitePage(mux)
	// Grafana's router has no 405: another method, or an unknown path, is 404.
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeMessage(w, http.StatusNotFound, msgNotFound)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/") { // "*" and the like, which ServeMux answers without a body
			writeJSON(w, http.StatusBadRequest, traced(msgBadRequest))
			return
		}
		// Grafana ignores an org id it cannot parse; the generated router would answer 400.
		sanitizeOrgHeader(r.Header)
		// The body is read here, whatever the operation, so that the server notices a client
		// that goes away while a fault delays the answer; an operation that binds no body
		// never sees the fake's size limit.
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		r.Body = &deferredBody{r: bytes.NewReader(raw), err: err}
		mux.ServeHTTP(w, r)
	})
}

// deferredBody keeps gen's strict server from decoding a request body before Grafana's
// middleware has run: Grafana authenticates, checks permissions and the quota first, and
// only then binds the body (with rules of its own, see bindInviteForm), so a bad body from
// an unauthenticated caller is a 401, not a 400.
//
// It uses the runtime's documented hook for validation middleware (BindJSONBody binds a
// body's ValidatedValue instead of reading it): gen binds an empty object, and the
// operation's bind rule reads the real body in its turn.
type deferredBody struct {
	r   *bytes.Reader
	err error // what reading the body failed with (*http.MaxBytesError), after its bytes
}

func (d *deferredBody) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if errors.Is(err, io.EOF) && d.err != nil {
		return n, d.err
	}
	return n, err
}

// Close does nothing: the body was read in full.
func (d *deferredBody) Close() error { return nil }

// ValidatedValue is an empty JSON object, which binds to any request body type.
func (*deferredBody) ValidatedValue() any { return map[string]any{} }

// sanitizeOrgHeader keeps the first X-Grafana-Org-Id if it is a number, as Grafana reads
// it, and drops it otherwise.
func sanitizeOrgHeader(h http.Header) {
	const key = "X-Grafana-Org-Id"
	v := h.Values(key)
	if len(v) == 0 {
		return
	}
	id := strings.TrimSpace(v[0])
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		h.Del(key)
		return
	}
	h.Set(key, id) // the first, trimmed, and only it
}
