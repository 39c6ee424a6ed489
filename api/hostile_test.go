package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

// Tests of a client facing a hostile or broken server, proxy or network: nothing secret
// escapes and nothing runs away.

const (
	hostileCode  = "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"
	hostileToken = "glsa_HighEntropyS3cretT0kenValue0000001_deadbeef" //nolint:gosec // a test token
	hostileLogin = "alice"
	hostilePass  = "correct horse battery staple"
)

// respond is a client whose every request is answered by fn, without a network.
func respond(t *testing.T, fn func(r *http.Request) *http.Response, opts ...api.Option) (*api.Client, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp := fn(r)
		resp.Request = r
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		return resp, nil
	})}
	base := []api.Option{api.WithHTTPClient(hc), noRetry, api.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	return newClient(t, "https://grafana.example.com/", append(base, opts...)...), &logs
}

func jsonResponse(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}

// assertNoSecret fails when any secret shows in the error (plain or %+v) or the log.
func assertNoSecret(t *testing.T, err error, logs string, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	for _, s := range secrets {
		assert.NotContains(t, err.Error(), s)
		assert.NotContains(t, fmt.Sprintf("%+v", err), s)
		assert.NotContains(t, logs, s)
	}
}

const listedInvite = `{"id":7,"orgId":1,"name":"","email":"bob@example.com","role":"Viewer","invitedByLogin":"admin","invitedByEmail":"admin@localhost","invitedByName":"","code":"` + hostileCode + `","status":"InvitePending","url":"http://g/invite/` + hostileCode + `","emailSent":false,"emailSentOn":"2026-11-25T09:00:00Z","createdOn":"2026-11-25T09:00:00Z"}`

// Item 1: a 200 list that does not decode never quotes the codes it carries.
func TestUndecodableListQuotesNoCode(t *testing.T) {
	for name, body := range map[string]string{
		"a wrong type further down":  "[" + listedInvite + `,{"id":"eight","code":"` + hostileCode + `"}]`,
		"truncated":                  "[" + listedInvite + "," + listedInvite[:200],
		"trailing junk":              "[" + listedInvite + "] " + hostileCode,
		"a bad date":                 "[" + strings.Replace(listedInvite, `"createdOn":"2026-11-25T09:00:00Z"`, `"createdOn":"`+hostileCode+`"`, 1) + "]",
		"a number where a string is": "[" + strings.Replace(listedInvite, `"name":""`, `"name":123456789012345678901234567890`, 1) + "]",
	} {
		for _, length := range []string{"announced", "streamed"} { // the two read paths of a list
			t.Run(name+"/"+length, func(t *testing.T) {
				c, logs := respond(t, func(*http.Request) *http.Response {
					resp := jsonResponse(200, body)
					if length == "streamed" {
						resp.ContentLength = -1
					}
					return resp
				})
				_, err := c.ListPending(context.Background())
				require.ErrorIs(t, err, api.ErrInvalidResponse)
				assertNoSecret(t, err, logs.String(), hostileCode, "123456789012345678901234567890")
				assert.Contains(t, err.Error(), "byte", "says where")
			})
		}
	}
}

// Item 3: secrets a server echoes are scrubbed from APIError's fields, Error() and logs.
func TestEchoedSecretsAreScrubbed(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(hostileLogin + ":" + hostilePass))
	tests := []struct {
		name   string
		opts   []api.Option
		answer func(r *http.Request) *http.Response
	}{
		{"a text 404 repeating the request line", []api.Option{api.WithToken(hostileToken)}, func(r *http.Request) *http.Response {
			return &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"text/plain"}}, Body: io.NopCloser(strings.NewReader("404 page not found: " + r.Method + " " + r.URL.Path))}
		}},
		{"a 401 quoting the Authorization header", []api.Option{api.WithToken(hostileToken)}, func(r *http.Request) *http.Response {
			return jsonResponse(401, `{"message":"bad credentials: `+r.Header.Get("Authorization")+`","traceID":"`+r.URL.Path+`"}`)
		}},
		{"a 401 quoting Basic credentials", []api.Option{api.WithBasicAuth(hostileLogin, hostilePass)}, func(r *http.Request) *http.Response {
			return jsonResponse(401, `{"message":"`+r.Header.Get("Authorization")+` is `+hostilePass+`","messageId":"`+basic+`"}`)
		}},
		{"a JSON-escaped password in the body", []api.Option{api.WithBasicAuth(hostileLogin, `pa"ss\word`)}, func(*http.Request) *http.Response {
			return jsonResponse(500, `{"message":"pa\"ss\\word"}`)
		}},
		{"Retry-After and headers", []api.Option{api.WithToken(hostileToken)}, func(*http.Request) *http.Response {
			resp := jsonResponse(503, `{}`)
			resp.Header.Set("Retry-After", hostileToken)
			return resp
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, logs := respond(t, tt.answer, tt.opts...)
			err := c.Revoke(context.Background(), hostileCode)
			secrets := []string{hostileCode, hostileToken, hostilePass, basic, `pa"ss\word`, `pa\"ss\\word`}
			assertNoSecret(t, err, logs.String(), secrets...)
			var ae *api.APIError
			require.ErrorAs(t, err, &ae)
			for _, s := range secrets {
				assert.NotContains(t, string(ae.Body), s, "APIError.Body is scrubbed too")
				assert.NotContains(t, ae.Message+ae.MessageID+ae.TraceID+ae.RetryAfter, s)
			}
		})
	}
	t.Run("short secrets do not mangle text", func(t *testing.T) {
		c, _ := respond(t, func(*http.Request) *http.Response {
			return jsonResponse(403, `{"message":"admin may not do this"}`)
		}, api.WithBasicAuth("admin", "admin"))
		_, err := c.ListPending(context.Background())
		assert.Contains(t, err.Error(), "admin may not do this")
	})
}

// Item 4: the redirect policy.
func TestRedirectPolicy(t *testing.T) {
	ctx := context.Background()
	t.Run("no Referer, and credentials dropped on another port", func(t *testing.T) {
		var got atomic.Pointer[http.Request]
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Store(r.Clone(context.Background()))
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("[]"))
		}))
		t.Cleanup(target.Close)
		origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+r.URL.Path, http.StatusFound) //nolint:gosec // a test server that redirects on purpose
		}))
		t.Cleanup(origin.Close)
		c := newClient(t, origin.URL, api.WithToken(hostileToken), noRetry)
		_, err := c.ListPending(ctx)
		require.NoError(t, err)
		r := got.Load()
		require.NotNil(t, r)
		assert.Empty(t, r.Header.Get("Authorization"), "same host, another port: another origin")
		assert.Empty(t, r.Header.Get("Referer"))
	})
	t.Run("the same origin keeps credentials, still without Referer", func(t *testing.T) {
		var got atomic.Pointer[http.Request]
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/old/api/org/invites" {
				http.Redirect(w, r, "/api/org/invites", http.StatusMovedPermanently)
				return
			}
			got.Store(r.Clone(context.Background()))
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("[]"))
		}))
		t.Cleanup(srv.Close)
		c := newClient(t, srv.URL+"/old/", api.WithToken(hostileToken), noRetry)
		_, err := c.ListPending(ctx)
		require.NoError(t, err)
		assert.Equal(t, "Bearer "+hostileToken, got.Load().Header.Get("Authorization"))
		assert.Empty(t, got.Load().Header.Get("Referer"))
	})
	t.Run("https is never followed to http", func(t *testing.T) {
		var plain atomic.Int32
		insecure := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { plain.Add(1) }))
		t.Cleanup(insecure.Close)
		secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, insecure.URL+r.URL.Path+"?code="+hostileCode, http.StatusFound) //nolint:gosec // a test server that redirects on purpose
		}))
		t.Cleanup(secure.Close)
		c := newClient(t, secure.URL, api.WithToken(hostileToken), api.WithHTTPClient(secure.Client()), noRetry)
		err := c.Revoke(ctx, hostileCode)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "https is never followed to http")
		assert.Contains(t, err.Error(), "redirected (302) to http://", "the refusal names the redirect's status")
		assert.NotContains(t, err.Error(), "?code")
		assert.Zero(t, plain.Load())
	})
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprintf("a POST answered %d is not followed", status), func(t *testing.T) {
			var posts, elsewhere atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/login" {
					elsewhere.Add(1)
					return
				}
				posts.Add(1)
				http.Redirect(w, r, "/login?redirect_to="+hostileToken, status)
			}))
			t.Cleanup(srv.Close)
			c := newClient(t, srv.URL, api.WithToken(hostileToken))
			_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "/login")
			assert.Contains(t, err.Error(), "not followed")
			assert.NotContains(t, err.Error(), hostileToken, "the Location's query is not repeated")
			assert.Equal(t, int32(1), posts.Load(), "the POST is never sent twice")
			assert.Zero(t, elsewhere.Load())
			res, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}})
			assert.Nil(t, res)
			assert.Error(t, err)
		})
	}
	t.Run("a redirect loop costs at most 10 requests per call", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			http.Redirect(w, r, r.URL.Path, http.StatusFound) //nolint:gosec // a test server that redirects to itself on purpose
		}))
		t.Cleanup(srv.Close)
		c := newClient(t, srv.URL, api.WithToken(hostileToken), api.WithRetry(fastRetry))
		_, err := c.ListPending(ctx)
		require.Error(t, err)
		assert.LessOrEqual(t, n.Load(), int32(10))
	})
}

var fastRetry = api.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}

// Item 6: a lying Content-Length does not make the client allocate what it announces.
func TestLyingContentLength(t *testing.T) {
	c, _ := respond(t, func(*http.Request) *http.Response {
		resp := jsonResponse(200, "{}")
		resp.ContentLength = 60 << 20
		return resp
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Invite(context.Background(), api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})
	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "allocated for 60 MiB announced, 2 bytes sent")
}

// Item 8: waiting for the per-address lock ends with the caller's context.
func TestEnsureInvitedWaitEndsWithContext(t *testing.T) {
	fg, c := startFake(t)
	fg.Inject(fakegrafana.OpAddOrgInvite, fakegrafana.Fault{Times: 1, Delay: time.Minute})
	first := make(chan error, 1)
	firstCtx, cancelFirst := context.WithCancel(context.Background())
	go func() {
		_, err := c.EnsureInvited(firstCtx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}})
		first <- err
	}()
	for fg.Calls(fakegrafana.OpAddOrgInvite) == 0 { // the first call holds the lock, its POST stalled
		runtime.Gosched()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "Bob@example.com", Role: api.RoleViewer}})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "waiting for another call")
	select {
	case err := <-first:
		t.Fatalf("the second call returned only after the first (%v)", err)
	default:
	}
	cancelFirst()
	assert.Error(t, <-first, "the first call, cancelled")
}

// Item 9: an attempt that hits http.Client.Timeout is retried for idempotent calls, and
// WithTimeout bounds the workflows as a whole.
func TestTimeoutSemantics(t *testing.T) {
	ctx := context.Background()
	t.Run("a per-attempt timeout is retried", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Delay: time.Minute})
		c := newClient(t, fg.URL, api.WithToken(fg.Token), api.WithRetry(fastRetry),
			api.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))
		_, err := c.ListPending(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, fg.Calls(fakegrafana.OpGetPendingOrgInvites))
	})
	t.Run("WithTimeout bounds EnsureInvited as a whole", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		for _, op := range []fakegrafana.Operation{fakegrafana.OpGetPendingOrgInvites, fakegrafana.OpAddOrgInvite} {
			fg.Inject(op, fakegrafana.Fault{Times: 2, Delay: 150 * time.Millisecond})
		}
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithTimeout(250*time.Millisecond))
		_, err := c.EnsureInvited(ctx, api.EnsureRequest{InviteRequest: api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer}})
		require.ErrorIs(t, err, context.DeadlineExceeded, "three requests of 150 ms each do not fit in 250 ms")
	})
	t.Run("WithTimeout bounds RevokeByEmail as a whole", func(t *testing.T) {
		fg := fakegrafanatest.Start(t)
		c := newClient(t, fg.URL, api.WithToken(fg.Token), noRetry, api.WithTimeout(250*time.Millisecond))
		mustInvite(t, c, "bob@example.com", api.RoleViewer)
		mustInvite(t, c, "bob@example.com", api.RoleViewer)
		fg.Inject(fakegrafana.OpGetPendingOrgInvites, fakegrafana.Fault{Times: 1, Delay: 150 * time.Millisecond})
		fg.Inject(fakegrafana.OpRevokeInvite, fakegrafana.Fault{Times: 2, Delay: 150 * time.Millisecond})
		_, err := c.RevokeByEmail(ctx, "bob@example.com")
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// Item 11: error strings drop C1 controls and invisible format characters.
func TestErrorStringsDropFormatCharacters(t *testing.T) {
	c, _ := respond(t, func(*http.Request) *http.Response {
		return jsonResponse(403, "{\"message\":\"ok\u202egnirts\u0085 \u200bhidden\u2066x\u2069 \u2028y\",\"traceID\":\"t\u200fz\"}")
	})
	_, err := c.ListPending(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "okgnirts hiddenx y")
	assert.Contains(t, err.Error(), "tz")
	for _, r := range []rune{0x202e, 0x85, 0x200b, 0x2066, 0x2069, 0x2028, 0x200f} {
		assert.NotContains(t, err.Error(), string(r))
	}
}

// Item 12: 2xx answers that are not Grafana's.
func TestAnswersThatAreNotGrafanas(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{"null", "{}", `{"userId":5}`, `{"message":""}`} {
		t.Run("invite "+body, func(t *testing.T) {
			c, _ := respond(t, func(*http.Request) *http.Response { return jsonResponse(200, body) })
			_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})
			require.ErrorIs(t, err, api.ErrInvalidResponse)
		})
	}
	for _, length := range []int64{0, -1} { // announced, or streamed
		answer := func(body string) func(*http.Request) *http.Response {
			return func(*http.Request) *http.Response {
				resp := jsonResponse(200, body)
				if length < 0 {
					resp.ContentLength = -1
				}
				return resp
			}
		}
		for _, body := range []string{"[{}]", "[null]", `[{"code":"abc"}]`, `[{"email":"a@b.c"}]`, `{"invites":[]}`, `"x"`, "", "[] []"} {
			t.Run(fmt.Sprintf("list %s/%d", body, length), func(t *testing.T) {
				c, _ := respond(t, answer(body)) //nolint:bodyclose // answer makes the responses; the client closes them
				_, err := c.ListPending(ctx)
				require.ErrorIs(t, err, api.ErrInvalidResponse)
			})
		}
		for _, body := range []string{"null", "[]", " [ ] \n"} {
			t.Run(fmt.Sprintf("list %s is empty/%d", body, length), func(t *testing.T) {
				c, _ := respond(t, answer(body)) //nolint:bodyclose // answer makes the responses; the client closes them
				l, err := c.ListPending(ctx)
				require.NoError(t, err)
				assert.NotNil(t, l)
				assert.Empty(t, l)
			})
		}
	}
}
