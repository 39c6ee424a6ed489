package fakegrafana_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestInvitePage: the invite link's page, its script and style are served from the fake
// itself, with a strict Content-Security-Policy, and reference nothing elsewhere. (What
// the page does is tested in a real browser: make browser-test.)
func TestInvitePage(t *testing.T) {
	s := seeded()
	inviteAs(t, s, root, `{"loginOrEmail":"new@example.com","role":"Viewer"}`, 200)
	for _, tt := range []struct {
		path, contentType, holds string
	}{
		{"/invite/" + s.Invites()[0].Code, "text/html; charset=utf-8", `<form id="form"`},
		{"/invite/Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm", "text/html; charset=utf-8", `id="not-found"`},
		{"/public/invite/invite.js", "text/javascript; charset=utf-8", "api/user/invite/"},
		{"/public/invite/invite.css", "text/css; charset=utf-8", "font-family"},
		{"/public/invite/favicon.svg", "image/svg+xml", "<svg"},
	} {
		a := serve(t, s, call{method: http.MethodGet, path: tt.path})
		if !assert.Equal(t, 200, a.status, tt.path) {
			continue
		}
		assert.Equal(t, tt.contentType, a.header.Get("Content-Type"), tt.path)
		csp := a.header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "default-src 'none'", tt.path)
		assert.Contains(t, csp, "script-src 'self'", tt.path)
		assert.NotContains(t, csp, "unsafe-inline", tt.path)
		assert.Equal(t, "no-referrer", a.header.Get("Referrer-Policy"), "the code is in the URL: %s", tt.path)
		assert.Equal(t, "nosniff", a.header.Get("X-Content-Type-Options"), tt.path)
		assert.Contains(t, a.body, tt.holds, tt.path)
		body := strings.ReplaceAll(a.body, `xmlns="http://www.w3.org/2000/svg"`, "") // a name, not a resource
		assert.NotRegexp(t, regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/`), body, "no external resource: %s", tt.path)
		assert.False(t, strings.Contains(a.body, "<script>") || strings.Contains(a.body, " style="), "no inline script or style: %s", tt.path)
	}
	assert.Equal(t, 404, serve(t, s, call{method: http.MethodGet, path: "/public/invite/index.html"}).status, "only the assets")
	assert.Equal(t, 404, serve(t, s, call{method: http.MethodPost, path: "/invite/abc"}).status)
}
