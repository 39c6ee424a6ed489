package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
	"github.com/grafana-invites/grafana-invites/gen"
)

// newClient builds a client or fails the test.
func newClient(t *testing.T, url string, opts ...api.Option) *api.Client {
	t.Helper()
	c, err := api.New(url, opts...)
	require.NoError(t, err)
	return c
}

// noRetry makes error tests fast and deterministic.
var noRetry = api.WithRetry(api.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})

// recorded is what a test server saw of one request.
type recorded struct {
	method, path, rawPath string
	header                http.Header
	body                  string
}

// recorder serves fixed answers and records requests.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	status   int
	header   map[string]string
	body     string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.requests = append(rec.requests, recorded{r.Method, r.URL.Path, r.URL.RawPath, r.Header.Clone(), string(b)})
	status, body, header := rec.status, rec.body, rec.header
	rec.mu.Unlock()
	for k, v := range header {
		w.Header().Set(k, v)
	}
	if status == 0 {
		status = 200
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (rec *recorder) got() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.requests...)
}

// startRecorder serves rec under prefix (e.g. "/grafana") and returns the root URL.
func startRecorder(t *testing.T, rec *recorder, prefix string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, rec))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + prefix + "/"
}

func TestNewURL(t *testing.T) {
	tests := []struct {
		in, base, err string
	}{
		{"https://grafana.example.com", "https://grafana.example.com/api/", ""},
		{"https://grafana.example.com/", "https://grafana.example.com/api/", ""},
		{"http://localhost:3000", "http://localhost:3000/api/", ""},
		{"https://example.com/grafana", "https://example.com/grafana/api/", ""},
		{"https://example.com/grafana/", "https://example.com/grafana/api/", ""},
		{"https://example.com/grafana//", "https://example.com/grafana/api/", ""},
		{"https://example.com/api", "https://example.com/api/", ""},
		{"https://example.com/grafana/api/", "https://example.com/grafana/api/", ""},
		{"https://example.com/my%20grafana/", "https://example.com/my%20grafana/api/", ""},
		{"", "", "empty"},
		{"   ", "", "empty"},
		{"grafana.example.com", "", "not absolute"},
		{"/grafana", "", "not absolute"},
		{"ftp://example.com", "", `scheme "ftp"`},
		{"mailto:x@example.com", "", `scheme "mailto"`},
		{"https://", "", "no host"},
		{"http:///grafana", "", "no host"},
		{"http:/grafana", "", "not absolute"},
		{"https://admin:secret@example.com", "", "holds credentials"},
		{"https://example.com/?orgId=1", "", "has a query"},
		{"https://example.com/#x", "", "has a fragment"},
		{"https://exa mple.com", "", "cannot be parsed"},
		// Secrets in a refused URL are never repeated.
		{"//admin:s3cret@host:3000/", "", "not absolute"},
		{"http://admin:s3cret@/grafana/", "", "holds credentials"},
		{"/grafana?auth_token=glsa_s3cretToken", "", "not absolute"},
		{"https://a dmin:s3cret@example.com/", "", "cannot be parsed"},
		{"https://example.com/?auth_token=glsa_s3cretToken", "", "has a query"},
		// Refused or normalised, consistently.
		{"http://127.0.0.1:99999999/", "", "port 99999999; want 1 to 65535"},
		{"http://127.0.0.1:0/", "", "port 0"},
		{"http://127.0.0.1:1/", "http://127.0.0.1:1/api/", ""},
		{"http://127.0.0.1:65535/", "http://127.0.0.1:65535/api/", ""},
		{"http://127.0.0.1:65536/", "", "port 65536; want 1 to 65535"},
		{"?auth_token=s3cret", "", "not absolute"},
		{"#s3cret", "", "not absolute"},
		{"https://example.com/#", "", "has a fragment"},
		{"https://example.com/?", "", "has a query"},
		{"https://example.com/a/../", "", `".." path segment`},
		{"https://example.com/./grafana/", "", `"." path segment`},
		{"https://example.com/API", "https://example.com/api/", ""},
		{"https://example.com/grafana/Api/", "https://example.com/grafana/api/", ""},
		{"https://example.com:8443/grafana", "https://example.com:8443/grafana/api/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := api.New(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				assert.NotContains(t, err.Error(), "secret")
				assert.NotContains(t, err.Error(), "s3cret")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.base, c.BaseURL())
		})
	}
}

func TestNewOptions(t *testing.T) {
	tests := []struct {
		name string
		opts []api.Option
		err  string
	}{
		{"token and basic", []api.Option{api.WithToken("glsa_x"), api.WithBasicAuth("admin", "pw")}, "one kind of credentials"},
		{"empty token", []api.Option{api.WithToken("")}, "token is empty"},
		{"token with a newline", []api.Option{api.WithToken("glsa_sec\nret")}, "white space or control"},
		{"empty login", []api.Option{api.WithBasicAuth("", "pw")}, "login is empty"},
		{"login with colon", []api.Option{api.WithBasicAuth("a:b", "pw")}, "':'"},
		{"empty password", []api.Option{api.WithBasicAuth("admin", "")}, "password is empty"},
		{"org id 0", []api.Option{api.WithOrgID(0)}, "organisation id 0"},
		{"nil http client", []api.Option{api.WithHTTPClient(nil)}, "nil *http.Client"},
		{"empty user agent", []api.Option{api.WithUserAgent(" ")}, "User-Agent"},
		{"zero timeout", []api.Option{api.WithTimeout(0)}, "positive"},
		{"nil editor", []api.Option{api.WithRequestEditor(nil)}, "nil editor"},
		{"no attempts", []api.Option{api.WithRetry(api.RetryPolicy{})}, "MaxAttempts"},
		{"tiny response cap", []api.Option{api.WithMaxResponseBytes(10)}, "at least 1024"},
		{"response cap just below the least", []api.Option{api.WithMaxResponseBytes(1023)}, "at least 1024"},
		{"the least response cap", []api.Option{api.WithMaxResponseBytes(1024)}, ""},
		{"org id 1", []api.Option{api.WithOrgID(1)}, ""},
		{"nil option", []api.Option{nil}, "nil Option"},
		{"valid", []api.Option{api.WithToken("Bearer glsa_x"), api.WithOrgID(2), api.WithTimeout(time.Second), api.WithUserAgent("me/1")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.New("http://localhost:3000", tt.opts...)
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			assert.NotContains(t, err.Error(), "sec\nret")
		})
	}
}

func TestHeadersAndBodies(t *testing.T) {
	rec := &recorder{header: map[string]string{"Content-Type": "application/json"}}
	url := startRecorder(t, rec, "/grafana")
	ctx := context.Background()

	tests := []struct {
		name   string
		opts   []api.Option
		call   func(c *api.Client) error
		answer string
		check  func(t *testing.T, r recorded)
	}{
		{
			name:   "invite with token and org",
			opts:   []api.Option{api.WithToken("glsa_tok"), api.WithOrgID(7)},
			answer: `{"message":"Created invite for a@b.co"}`,
			call: func(c *api.Client) error {
				_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "a@b.co", Role: "viewer"})
				return err
			},
			check: func(t *testing.T, r recorded) {
				assert.Equal(t, http.MethodPost, r.method)
				assert.Equal(t, "/api/org/invites", r.path)
				assert.Equal(t, "Bearer glsa_tok", r.header.Get("Authorization"))
				assert.Equal(t, "7", r.header.Get("X-Grafana-Org-Id"))
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
				assert.Equal(t, "application/json", r.header.Get("Accept"))
				assert.Equal(t, api.DefaultUserAgent, r.header.Get("User-Agent"))
				assert.Contains(t, api.DefaultUserAgent, api.Version)
				assert.JSONEq(t, `{"loginOrEmail":"a@b.co","role":"Viewer","sendEmail":false}`, r.body, "role canonical, explicit false")
				assert.Contains(t, r.body, `"sendEmail":false`)
			},
		},
		{
			name:   "invite with name and email, basic auth",
			opts:   []api.Option{api.WithBasicAuth("admin", "pa:ss")},
			answer: `{"message":"Sent invite to a@b.co"}`,
			call: func(c *api.Client) error {
				_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "a@b.co", Name: "A B", Role: api.RoleAdmin, SendEmail: true})
				return err
			},
			check: func(t *testing.T, r recorded) {
				req := &http.Request{Header: r.header}
				u, p, ok := req.BasicAuth()
				assert.True(t, ok)
				assert.Equal(t, "admin", u)
				assert.Equal(t, "pa:ss", p)
				assert.Empty(t, r.header.Get("X-Grafana-Org-Id"), "default org: no header")
				assert.JSONEq(t, `{"loginOrEmail":"a@b.co","name":"A B","role":"Admin","sendEmail":true}`, r.body)
			},
		},
		{
			name:   "list",
			opts:   []api.Option{api.WithToken("glsa_tok"), api.WithUserAgent("portal/2")},
			answer: `[]`,
			call: func(c *api.Client) error {
				l, err := c.ListPending(ctx)
				if err == nil && l == nil {
					t.Error("nil list")
				}
				return err
			},
			check: func(t *testing.T, r recorded) {
				assert.Equal(t, http.MethodGet, r.method)
				assert.Equal(t, "/api/org/invites", r.path)
				assert.Equal(t, "portal/2", r.header.Get("User-Agent"))
				assert.Equal(t, "application/json", r.header.Get("Accept"))
				assert.Empty(t, r.body)
			},
		},
		{
			name:   "revoke is PATCH, no body",
			opts:   []api.Option{api.WithToken("glsa_tok"), api.WithRequestEditor(func(_ context.Context, r *http.Request) error { r.Header.Set("X-Trace", "t1"); return nil })},
			answer: `{"message":"Invite revoked"}`,
			call:   func(c *api.Client) error { return c.Revoke(ctx, "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm") },
			check: func(t *testing.T, r recorded) {
				assert.Equal(t, http.MethodPatch, r.method)
				assert.Equal(t, "/api/org/invites/Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm/revoke", r.path)
				assert.Empty(t, r.body)
				assert.Equal(t, "t1", r.header.Get("X-Trace"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(rec.got())
			rec.mu.Lock()
			rec.body = tt.answer
			rec.mu.Unlock()
			c := newClient(t, url, tt.opts...)
			require.NoError(t, tt.call(c))
			got := rec.got()
			require.Len(t, got, before+1)
			tt.check(t, got[before])
		})
	}
}

func TestSubPathAgainstFake(t *testing.T) {
	fake := fakegrafana.MustNew()
	mux := http.NewServeMux()
	mux.Handle("/grafana/", http.StripPrefix("/grafana", fake))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	for _, root := range []string{srv.URL + "/grafana", srv.URL + "/grafana/", srv.URL + "/grafana/api"} {
		t.Run(root, func(t *testing.T) {
			c := newClient(t, root, api.WithToken(fakegrafana.DefaultAdminToken))
			_, err := c.Invite(context.Background(), api.InviteRequest{LoginOrEmail: "x@example.com", Role: api.RoleViewer})
			require.NoError(t, err)
			l, err := c.ListPending(context.Background())
			require.NoError(t, err)
			require.NotEmpty(t, l)
			require.NoError(t, c.Revoke(context.Background(), l[0].Code))
		})
	}
}

func TestHTTPClientIsCopied(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	var used atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	}), Timeout: 5 * time.Second}
	before := *hc
	c := newClient(t, fg.URL, api.WithToken(fg.Token), api.WithHTTPClient(hc))
	_, err := c.ListPending(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int32(1), used.Load(), "the caller's transport is used")
	assert.Equal(t, before.Timeout, hc.Timeout)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not mutated")
	assert.Nil(t, hc.Jar)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWithOrgIDIsACopy(t *testing.T) {
	fg := fakegrafanatest.Start(t, fakegrafana.WithOrg(2, "Second"),
		fakegrafana.WithUser(fakegrafana.User{Login: "multi", Password: "pw", Orgs: map[int64]gen.OrgRole{1: gen.OrgRoleAdmin, 2: gen.OrgRoleAdmin}}))
	base := newClient(t, fg.URL, api.WithBasicAuth("multi", "pw"))
	two := base.WithOrgID(2)
	assert.Equal(t, int64(0), base.OrgID())
	assert.Equal(t, int64(2), two.OrgID())
	assert.Equal(t, int64(0), base.WithOrgID(-3).OrgID())

	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := base
			if i%2 == 1 {
				c = base.WithOrgID(2)
			}
			_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: fmt.Sprintf("p%d@example.com", i), Role: api.RoleViewer})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	one, err := base.ListPending(ctx)
	require.NoError(t, err)
	second, err := two.ListPending(ctx)
	require.NoError(t, err)
	assert.Len(t, one, 8)
	assert.Len(t, second, 8)
	for _, inv := range one {
		assert.Equal(t, int64(1), inv.OrgID)
	}
	for _, inv := range second {
		assert.Equal(t, int64(2), inv.OrgID)
	}
}

func TestGeneratedClientWithEditors(t *testing.T) {
	fg := fakegrafanatest.Start(t)
	g, err := gen.NewClientWithResponses(fg.URL+"api/",
		gen.WithRequestEditorFn(api.TokenEditor(fg.Token)),
		gen.WithRequestEditorFn(api.OrgIDEditor(1)))
	require.NoError(t, err)
	resp, err := g.GetPendingOrgInvitesWithResponse(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())

	basic, err := gen.NewClientWithResponses(fg.URL+"api/", gen.WithRequestEditorFn(api.BasicAuthEditor("admin", "admin")))
	require.NoError(t, err)
	resp, err = basic.GetPendingOrgInvitesWithResponse(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode())

	bad, err := gen.NewClient(fg.URL+"api/", gen.WithRequestEditorFn(api.TokenEditor("")))
	require.NoError(t, err)
	_, err = bad.GetPendingOrgInvites(context.Background(), nil) //nolint:bodyclose // err is asserted: no response
	assert.ErrorContains(t, err, "token is empty")

	// OrgIDEditor on a client that works otherwise: 0 is refused, 1 is sent.
	for id, want := range map[int64]string{0: "organisation id 0; want 1 or more", -1: "organisation id -1"} {
		_, err = basic.GetPendingOrgInvites(context.Background(), nil, api.OrgIDEditor(id)) //nolint:bodyclose // no response
		assert.ErrorContains(t, err, want)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, fg.URL, nil)
	require.NoError(t, err)
	require.NoError(t, api.OrgIDEditor(1)(context.Background(), req))
	assert.Equal(t, "1", req.Header.Get("X-Grafana-Org-Id"))
}

func TestRedirectDropsTokenToOtherHost(t *testing.T) {
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "[]")
	}))
	t.Cleanup(other.Close)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A redirect to another host on purpose: the point of the test.
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+r.URL.Path, http.StatusFound) //nolint:gosec // deliberate redirect
	}))
	t.Cleanup(first.Close)
	c := newClient(t, first.URL, api.WithToken("glsa_secret"))
	_, err := c.ListPending(context.Background())
	require.NoError(t, err)
	assert.Empty(t, leaked.Load(), "Authorization must not follow a redirect to another host")
}

func TestDecodeInvite(t *testing.T) {
	// Grafana's time stamps vary by database: both forms must decode.
	var l []api.Invite
	require.NoError(t, json.Unmarshal([]byte(`[
	 {"id":1,"orgId":1,"name":"","email":"a@b.co","role":"Viewer","invitedByLogin":"","invitedByEmail":"","invitedByName":"","code":"abc","status":"InvitePending","url":"u","emailSent":false,"emailSentOn":"2026-11-25T10:15:00Z","createdOn":"2026-11-25T10:15:00.25+01:00"}
	]`), &l))
	assert.Equal(t, 250*time.Millisecond, time.Duration(l[0].CreatedOn.Nanosecond()))
}
