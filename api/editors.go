package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/grafana-invites/grafana-invites/gen"
)

// These request editors let package gen's generated client be used on its own, with the
// same authentication and organisation selection as Client:
//
//	g, err := gen.NewClient("https://grafana.example.com/api/",
//		gen.WithRequestEditorFn(api.TokenEditor(token)),
//		gen.WithRequestEditorFn(api.OrgIDEditor(2)))
//
// They set headers on the request itself (never in a transport), so net/http's rule of
// dropping Authorization on a redirect to another host still applies.

// TokenEditor returns a request editor that sends a service-account token as
// "Authorization: Bearer <token>". It fails the request, without echoing the token, when the
// token is empty or holds white space or control characters.
func TokenEditor(token string) gen.RequestEditorFn {
	err := checkToken("grafana: TokenEditor", token)
	value := "Bearer " + token
	return func(_ context.Context, req *http.Request) error {
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", value)
		return nil
	}
}

// BasicAuthEditor returns a request editor that sends HTTP Basic credentials: a user's login
// (or email) and password, or "api_key" and a service-account token.
func BasicAuthEditor(login, password string) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth(login, password)
		return nil
	}
}

// OrgIDEditor returns a request editor that selects the organisation with the
// X-Grafana-Org-Id header. An id below 1 fails the request.
func OrgIDEditor(id int64) gen.RequestEditorFn {
	value := strconv.FormatInt(id, 10)
	return func(_ context.Context, req *http.Request) error {
		if id < 1 {
			return errorf("OrgIDEditor: organisation id %d; want 1 or more", id)
		}
		req.Header.Set(orgIDHeader, value)
		return nil
	}
}

const orgIDHeader = "X-Grafana-Org-Id"
