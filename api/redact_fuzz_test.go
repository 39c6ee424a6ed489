package api_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana-invites/grafana-invites/api"
)

// Secrets of FuzzRedaction: high-entropy, so that no accident of the fuzzer forms them.
const (
	fuzzToken = "glsa_Zq8vR3mT7kW2xN5pL9cH4jB6dF1sG0aY_1f2e3d4c" //nolint:gosec // a test token
	fuzzLogin = "fuzzer"
	fuzzPass  = "Pw-7fK2qL9xZ-Rt4"
	fuzzCode  = "X7kP2mQ9rT4vW8yZ3bN6cF1hJ5gL0s"
)

var fuzzBasic = base64.StdEncoding.EncodeToString([]byte(fuzzLogin + ":" + fuzzPass))

// placeholders stand for the secrets in fuzzed bodies, headers and URLs.
var placeholders = strings.NewReplacer("{T}", fuzzToken, "{P}", fuzzPass, "{C}", fuzzCode, "{B}", fuzzBasic)

// FuzzRedaction has a server answer anything, embedding the client's token, password,
// Basic credentials and the call's invitation code in its body, headers and redirect
// targets: none of the secrets the client knows may reach Error(), %+v or a log record.
func FuzzRedaction(f *testing.F) {
	f.Add(404, "404 page not found: PATCH /api/org/invites/{C}/revoke", "", "", byte(0))
	f.Add(401, `{"message":"bad {T}","messageId":"Basic {B}","traceID":"/api/org/invites/{C}/revoke"}`, "{T}", "", byte(1))
	f.Add(200, `[{"code":"{C}","email":5}]`, "", "", byte(2))
	f.Add(302, "", "", "https://sso.example.com/{T}/login?code={C}#{P}", byte(0))
	f.Add(500, "<html>{P} {B}</html>", "{P}", "", byte(3))
	f.Add(200, `{"message":"{T}","userId":"{C}"}`, "", "", byte(4))
	f.Add(200, `[{"code":"{C}","email":"a@b.c","createdOn":"{C}"}]`, "", "", byte(2))
	f.Fuzz(func(t *testing.T, status int, body, header, location string, which byte) {
		if status < 100 || status > 599 {
			status = 200 + status%400
			if status < 100 {
				status += 300
			}
		}
		body, header, location = placeholders.Replace(body), placeholders.Replace(header), placeholders.Replace(location)
		// The client scrubs what it knows: its own credentials, and the code of a Revoke.
		auth, secrets := api.WithToken(fuzzToken), []string{fuzzToken}
		if which%2 == 1 {
			auth, secrets = api.WithBasicAuth(fuzzLogin, fuzzPass), []string{fuzzPass, fuzzBasic}
		}
		c, logs := respond(t, func(r *http.Request) *http.Response {
			h := http.Header{"Content-Type": {"application/json"}, "Retry-After": {header}, "X-Echo": {r.Header.Get("Authorization")}}
			if location != "" && status >= 300 && status < 400 {
				h.Set("Location", location)
			}
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
		}, auth)
		ctx := context.Background()
		var err error
		switch which % 5 {
		case 0, 3:
			err = c.Revoke(ctx, fuzzCode)
			secrets = append(secrets, fuzzCode)
		case 1:
			_, err = c.RevokeByEmail(ctx, "bob@example.com")
		case 2:
			_, err = c.ListPending(ctx)
		case 4:
			_, err = c.Invite(ctx, api.InviteRequest{LoginOrEmail: "bob@example.com", Role: api.RoleViewer})
		}
		shown := logs.String()
		if err != nil {
			shown += err.Error() + fmt.Sprintf("%+v %v", err, err)
		}
		for _, s := range secrets {
			if strings.Contains(shown, s) {
				t.Fatalf("secret %q escaped:\n%s", s, shown)
			}
		}
	})
}
