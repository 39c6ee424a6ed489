package contract

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	grafanainvites "github.com/grafana-invites/grafana-invites"
	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

func loadSpec(t *testing.T, serverURL string) (*openapi3.T, routers.Router) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(grafanainvites.OpenAPI)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
	doc.Servers = openapi3.Servers{{URL: serverURL + "/api"}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return doc, router
}

func TestSpecIsValid(t *testing.T) {
	loadSpec(t, "http://localhost:3000")
}

// validatingTransport checks every request the client sends and every answer the fake
// gives against the contract.
type validatingTransport struct {
	t      *testing.T
	router routers.Router
	seen   map[string]bool // "operationId status"
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t := v.t
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	route, params, err := v.router.FindRoute(req)
	require.NoError(t, err, "%s %s has no route in the contract", req.Method, req.URL)
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(reqBody))
	in.Request = check
	assert.NoError(t, openapi3filter.ValidateRequest(req.Context(), in), "request %s %s", req.Method, req.URL.Path)

	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, err)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	out.SetBodyBytes(body)
	assert.NoError(t, openapi3filter.ValidateResponse(req.Context(), out), "answer %d to %s %s: %s", resp.StatusCode, req.Method, req.URL.Path, body)
	v.seen[route.Operation.OperationID+" "+http.StatusText(resp.StatusCode)] = true
	return resp, nil
}

// TestFakeConformsToContract drives every documented outcome of every operation through the
// client and validates both sides of each exchange against openapi.yaml.
func TestFakeConformsToContract(t *testing.T) {
	fg := fakegrafanatest.Start(t,
		fakegrafana.WithOrg(2, "Second"),
		fakegrafana.WithUser(fakegrafana.User{Login: "dave", Email: "dave@example.com", Password: "pw", Orgs: map[int64]fakegrafana.Role{2: "Viewer"}}),
		fakegrafana.WithUser(fakegrafana.User{Login: "ed", Email: "ed@example.com", Password: "pw", Orgs: map[int64]fakegrafana.Role{1: "Editor"}, GrantAddUsers: true}),
		fakegrafana.WithToken(fakegrafana.Token{Token: fakegrafana.TokenFromSecret("editor"), Name: "e", OrgID: 1, Role: "Editor"}),
		fakegrafana.WithToken(fakegrafana.Token{Token: fakegrafana.TokenFromSecret("org2"), Name: "two", OrgID: 2, Role: "Admin"}),
	)
	_, router := loadSpec(t, strings.TrimSuffix(fg.URL, "/"))
	vt := &validatingTransport{t: t, router: router, seen: map[string]bool{}}
	hc := &http.Client{Transport: vt}
	once := api.WithRetry(api.RetryPolicy{MaxAttempts: 1, BaseDelay: 1, MaxDelay: 1})
	client := func(opts ...api.Option) *api.Client {
		c, err := api.New(fg.URL, append([]api.Option{api.WithHTTPClient(hc), once}, opts...)...)
		require.NoError(t, err)
		return c
	}
	ctx := context.Background()
	admin := client(api.WithToken(fg.Token))
	inv := func(c *api.Client, login string, role api.Role, email bool) {
		_, _ = c.Invite(ctx, api.InviteRequest{LoginOrEmail: login, Role: role, SendEmail: email, Name: "N"})
	}

	inv(admin, "a@example.com", api.RoleEditor, false)                                                  // 200 created
	inv(admin, "b@example.com", api.RoleViewer, true)                                                   // 200 sent
	inv(admin, "dave", api.RoleViewer, false)                                                           // 200 existing user
	inv(admin, "dave", api.RoleViewer, false)                                                           // 412 member
	inv(client(api.WithBasicAuth("ed", "pw")), "x@example.com", "Admin", false)                         // 403 escalation
	inv(client(api.WithToken(fakegrafana.TokenFromSecret("editor"))), "x@example.com", "Viewer", false) // 403 access denied
	inv(client(api.WithToken("glsa_nope")), "x@example.com", "Viewer", false)                           // 401
	fg.SetSMTP(false)
	inv(admin, "c@example.com", api.RoleViewer, true) // 412 SMTP
	fg.AddUser(fakegrafana.User{Login: "fay", Email: "fay@example.com", Orgs: map[int64]fakegrafana.Role{}})
	inv(admin, "fay", api.RoleViewer, true) // 500 email failed
	fg.SetLoginFormDisabled(true)
	inv(admin, "d@example.com", api.RoleViewer, false) // 400
	fg.SetLoginFormDisabled(false)
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Status: 503, RetryAfter: "1"})
	inv(admin, "e@example.com", api.RoleViewer, false) // default (503)

	l, err := admin.ListPending(ctx) // 200
	require.NoError(t, err)
	require.NotEmpty(t, l)
	_, _ = client(api.WithToken(fakegrafana.TokenFromSecret("editor"))).ListPending(ctx)
	_, _ = client(api.WithToken("glsa_nope")).ListPending(ctx)
	_, _ = client(api.WithToken(fakegrafana.NewToken())).ListPending(ctx) // 401 without messageId

	require.NoError(t, admin.Revoke(ctx, l[0].Code))        // 200
	_ = admin.Revoke(ctx, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm") // 404
	_, _ = client(api.WithToken(fakegrafana.TokenFromSecret("org2"))).Invite(ctx, api.InviteRequest{LoginOrEmail: "z@example.com", Role: "Viewer"})
	other, err := client(api.WithToken(fakegrafana.TokenFromSecret("org2"))).ListPending(ctx)
	require.NoError(t, err)
	_ = admin.Revoke(ctx, other[0].Code)                              // 403
	_ = client(api.WithToken("glsa_nope")).Revoke(ctx, other[0].Code) // 401

	// Raw bodies the client would never send: 400 bad request data and 413.
	for _, body := range []string{`{"role":null}`, `{"name":"` + strings.Repeat("x", fakegrafana.MaxBodyBytes) + `"}`} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fg.URL+"api/org/invites", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+fg.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		rb, _ := io.ReadAll(resp.Body)
		require.NoError(t, resp.Body.Close())
		route, params, err := router.FindRoute(req)
		require.NoError(t, err)
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(rb)
		assert.NoError(t, openapi3filter.ValidateResponse(ctx, out), "%d %s", resp.StatusCode, rb)
	}

	for _, want := range []string{
		"addOrgInvite OK", "addOrgInvite Bad Request", "addOrgInvite Unauthorized", "addOrgInvite Forbidden",
		"addOrgInvite Precondition Failed", "addOrgInvite Internal Server Error", "addOrgInvite Service Unavailable",
		"getPendingOrgInvites OK", "getPendingOrgInvites Unauthorized", "getPendingOrgInvites Forbidden",
		"revokeInvite OK", "revokeInvite Not Found", "revokeInvite Forbidden", "revokeInvite Unauthorized",
	} {
		assert.True(t, vt.seen[want], "no exchange validated for %q", want)
	}
}
