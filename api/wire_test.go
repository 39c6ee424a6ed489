package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/gen"
)

// TestRequestsMatchGenerated pins the requests that api builds itself (for speed) to those
// the generated builders make from openapi.yaml: same method, URL, body and Content-Type.
func TestRequestsMatchGenerated(t *testing.T) {
	const root = "https://example.com/grafana/"
	server := root + "api/"
	var sent *http.Request
	var sentBody []byte
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = r
		if r.Body != nil {
			sentBody, _ = io.ReadAll(r.Body)
		} else {
			sentBody = nil
		}
		body := `{"message":"ok"}`
		if r.Method == http.MethodGet {
			body = "[]"
		}
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})}
	c := newClient(t, root, api.WithToken("glsa_x"), api.WithHTTPClient(hc))
	ctx := context.Background()
	no, yes, name := false, true, "Bob"
	code := "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm"

	tests := []struct {
		name string
		call func() error
		gen  func() (*http.Request, error)
	}{
		{"list", func() error { _, err := c.ListPending(ctx); return err },
			func() (*http.Request, error) { return gen.NewGetPendingOrgInvitesRequest(server, nil) }},
		{"invite", func() error {
			_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleEditor})
			return err
		}, func() (*http.Request, error) {
			return gen.NewAddOrgInviteRequest(server, nil, gen.AddInviteForm{LoginOrEmail: "bob@example.com", Role: gen.OrgRoleEditor, SendEmail: &no})
		}},
		{"invite with name and email", func() error {
			_, err := c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Name: name, Role: api.RoleAdmin, SendEmail: true})
			return err
		}, func() (*http.Request, error) {
			return gen.NewAddOrgInviteRequest(server, nil, gen.AddInviteForm{LoginOrEmail: "bob@example.com", Name: &name, Role: gen.OrgRoleAdmin, SendEmail: &yes})
		}},
		{"revoke", func() error { return c.Revoke(ctx, code) },
			func() (*http.Request, error) { return gen.NewRevokeInviteRequest(server, code, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.call())
			want, err := tt.gen()
			require.NoError(t, err)
			var wantBody []byte
			if want.Body != nil {
				wantBody, _ = io.ReadAll(want.Body)
			}
			assert.Equal(t, want.Method, sent.Method)
			assert.Equal(t, want.URL.String(), sent.URL.String())
			assert.Equal(t, want.Header.Get("Content-Type"), sent.Header.Get("Content-Type"))
			assert.True(t, bytes.Equal(wantBody, sentBody), "body %q, generated %q", sentBody, wantBody)
		})
	}
}
