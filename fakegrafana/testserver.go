package fakegrafana

import (
	"net/http/httptest"
	"testing"
)

// TestServer is a fake Grafana served on 127.0.0.1 for the length of a test.
type TestServer struct {
	*Server
	// URL is Grafana's root URL, e.g. "http://127.0.0.1:41234/"; pass it to api.New.
	URL string
	// Token is an Admin service-account token of org 1 (DefaultAdminToken).
	Token string
}

// Start serves a new fake Grafana (New(opts...)) on 127.0.0.1 and stops it when the test
// and its subtests end. Unless WithRootURL is given, invite URLs point at the test server.
func Start(tb testing.TB, opts ...Option) *TestServer {
	tb.Helper()
	s := New(opts...)
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	url := srv.URL + "/"
	s.mu.Lock()
	if !s.rootURLSet {
		s.rootURL = url
	}
	s.mu.Unlock()
	return &TestServer{Server: s, URL: url, Token: DefaultAdminToken}
}
