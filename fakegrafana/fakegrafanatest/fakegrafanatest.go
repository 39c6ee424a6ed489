// Package fakegrafanatest serves package fakegrafana's fake Grafana on 127.0.0.1 for the
// length of a test, as net/http/httptest serves a handler for net/http. It lives apart from
// fakegrafana so that a program using the fake (grafana-invites serve-fake) links neither
// package testing nor net/http/httptest.
package fakegrafanatest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// Server is a fake Grafana served on 127.0.0.1 for the length of a test.
type Server struct {
	*fakegrafana.Server
	// URL is Grafana's root URL, e.g. "http://127.0.0.1:41234/"; pass it to api.New.
	URL string
	// Token is an Admin service-account token of org 1 (fakegrafana.DefaultAdminToken).
	Token string
}

// Start serves a new fake Grafana (fakegrafana.New(opts...)) on 127.0.0.1 and stops it when
// the test and its subtests end; an option the fake refuses fails the test. Unless opts hold
// fakegrafana.WithRootURL, invite URLs point at the test server.
func Start(tb testing.TB, opts ...fakegrafana.Option) *Server {
	tb.Helper()
	var fake *fakegrafana.Server
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.ServeHTTP(w, r)
	}))
	url := "http://" + srv.Listener.Addr().String() + "/"
	// The test server's URL first, so that a WithRootURL of the caller's wins.
	fake, err := fakegrafana.New(append([]fakegrafana.Option{fakegrafana.WithRootURL(url)}, opts...)...)
	if err != nil {
		srv.Close()
		tb.Fatalf("fakegrafanatest: %v", err)
	}
	srv.Start()
	tb.Cleanup(srv.Close)
	return &Server{Server: fake, URL: url, Token: fakegrafana.DefaultAdminToken}
}
