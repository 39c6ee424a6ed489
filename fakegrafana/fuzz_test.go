package fakegrafana_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// FuzzServeHTTP feeds raw HTTP requests to the fake: it must never panic, and every error
// must be one of Grafana's JSON bodies.
func FuzzServeHTTP(f *testing.F) {
	tok := fakegrafana.DefaultAdminToken
	for _, seed := range []string{
		"GET /api/org/invites HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer " + tok + "\r\n\r\n",
		"POST /api/org/invites HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer " + tok + "\r\nContent-Type: application/json\r\nContent-Length: 66\r\n\r\n" +
			`{"loginOrEmail":"bob@example.com","role":"Editor","sendEmail":true}`,
		"POST /api/org/invites HTTP/1.1\r\nHost: g\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"role\":1",
		"PATCH /api/org/invites/Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm/revoke HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer " + tok + "\r\nX-Grafana-Org-Id: 1\r\n\r\n",
		"DELETE /api/org/invites/abc/revoke HTTP/1.1\r\nHost: g\r\n\r\n",
		"GET /api/org/invites?targetOrgId=2 HTTP/1.1\r\nHost: g\r\nAuthorization: Basic YXBpX2tleTp4\r\n\r\n",
		"PATCH /api/org/invites/%2e%2e/revoke HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer " + tok + "\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s := fakegrafana.MustNew() // fresh state: executions stay independent and fast
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 400 {
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Fatalf("status %d with Content-Type %q: %q", rec.Code, ct, rec.Body.String())
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("status %d with a body that is not JSON: %q", rec.Code, rec.Body.String())
			}
		}
	})
}
