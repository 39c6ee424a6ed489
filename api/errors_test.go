package api_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/api"
)

func TestErrorBodies(t *testing.T) {
	huge := `{"message":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		message     string
		messageID   string
		traceID     string
		accessID    string
		truncated   bool
		is          []error
		isNot       []error
	}{
		{name: "handler error", status: 404, body: `{"message":"Invite not found"}`, message: "Invite not found", is: []error{api.ErrNotFound}, isNot: []error{api.ErrForbidden, api.ErrServer}},
		{name: "handler error with trace", status: 500, body: `{"message":"Failed to save invite to database","traceID":"4bf92f"}`, message: "Failed to save invite to database", traceID: "4bf92f", is: []error{api.ErrServer}},
		{name: "authentication error", status: 401, body: `{"extra":null,"message":"Invalid API key","messageId":"api-key.invalid","statusCode":401,"traceID":""}`, message: "Invalid API key", messageID: "api-key.invalid", is: []error{api.ErrUnauthorized}, isNot: []error{api.ErrServer, api.ErrForbidden}},
		{name: "access control error", status: 403, body: `{"accessErrorId":"ACE0123456789","message":"You'll need additional permissions to perform this action. Permissions needed: org.users:add","title":"Access denied"}`, message: "You'll need additional permissions to perform this action. Permissions needed: org.users:add", accessID: "ACE0123456789", is: []error{api.ErrForbidden}, isNot: []error{api.ErrQuotaReached}},
		{name: "quota", status: 403, body: `{"message":"user Quota reached"}`, message: "user Quota reached", is: []error{api.ErrForbidden, api.ErrQuotaReached}},
		{name: "already member", status: 412, body: `{"message":"User dave is already added to organization"}`, message: "User dave is already added to organization", is: []error{api.ErrAlreadyMember, api.ErrPreconditionFailed}, isNot: []error{api.ErrSMTPNotConfigured}},
		{name: "SMTP", status: 412, body: `{"message":"SMTP not configured, check your grafana.ini config file's [smtp] section"}`, message: "SMTP not configured, check your grafana.ini config file's [smtp] section", is: []error{api.ErrSMTPNotConfigured, api.ErrPreconditionFailed}, isNot: []error{api.ErrAlreadyMember}},
		{name: "bad request", status: 400, body: `{"message":"bad request data"}`, message: "bad request data", is: []error{api.ErrBadRequest}, isNot: []error{api.ErrLoginDisabled}},
		{name: "login disabled", status: 400, body: `{"message":"Cannot invite external user when login is disabled."}`, message: "Cannot invite external user when login is disabled.", is: []error{api.ErrBadRequest, api.ErrLoginDisabled}},
		{name: "old error key", status: 400, body: `{"error":"something old"}`, message: "something old", is: []error{api.ErrBadRequest}},
		{name: "unknown keys", status: 404, body: `{"message":"Not found","x":{"y":[1]}}`, message: "Not found", is: []error{api.ErrNotFound}},
		{name: "HTML from a proxy", status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>", message: "non-JSON body (text/html)", is: []error{api.ErrServer}},
		{name: "plain text", status: 503, contentType: "text/plain", body: "upstream connect error\nreset", message: "upstream connect error", is: []error{api.ErrServer}},
		{name: "empty body", status: 429, body: "", message: "", is: []error{api.ErrTooManyRequests}, isNot: []error{api.ErrServer}},
		{name: "the last 4xx", status: 499, body: `{"message":"client closed"}`, message: "client closed", isNot: []error{api.ErrServer}},
		{name: "the last 5xx", status: 599, body: `{"message":"odd"}`, message: "odd", is: []error{api.ErrServer}},
		{name: "garbage", status: 500, body: "\x00\x01{{{", message: "{{{", is: []error{api.ErrServer}},
		{name: "JSON of the wrong shape", status: 400, body: `["a"]`, message: `["a"]`, is: []error{api.ErrBadRequest}},
		{name: "truncated at 1 MiB", status: 500, body: huge, message: "", truncated: true, is: []error{api.ErrServer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			rec := &recorder{status: tt.status, header: map[string]string{"Content-Type": ct}, body: tt.body}
			c := newClient(t, startRecorder(t, rec, ""), api.WithToken("glsa_topsecret"), noRetry)
			_, err := c.ListPending(context.Background())
			require.Error(t, err)
			var ae *api.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, http.MethodGet, ae.Method)
			assert.True(t, strings.HasSuffix(ae.URL, "/api/org/invites"), ae.URL)
			assert.Contains(t, ae.Message, tt.message)
			assert.Equal(t, tt.messageID, ae.MessageID)
			assert.Equal(t, tt.traceID, ae.TraceID)
			assert.Equal(t, tt.accessID, ae.AccessErrorID)
			assert.Equal(t, tt.truncated, ae.BodyTruncated)
			assert.LessOrEqual(t, len(ae.Body), 1<<20)
			if !tt.truncated {
				assert.Equal(t, tt.body, string(ae.Body))
			}
			for _, s := range tt.is {
				assert.ErrorIs(t, err, s)
			}
			for _, s := range tt.isNot {
				assert.NotErrorIs(t, err, s)
			}
			assert.NotContains(t, err.Error(), "topsecret")
			assert.Contains(t, err.Error(), http.StatusText(tt.status))
			// Error() keeps what Grafana said: the message, its id and the trace id.
			for _, part := range []string{tt.messageID, tt.traceID} {
				assert.Contains(t, err.Error(), part)
			}
			if tt.messageID != "" {
				assert.Contains(t, err.Error(), "(messageId "+tt.messageID+")")
			}
			if tt.traceID != "" {
				assert.Contains(t, err.Error(), "(traceID "+tt.traceID+")")
			}
			if len(tt.message) > 0 && len(tt.message) < 300 && !strings.ContainsAny(tt.message, "\x00\n") {
				assert.Contains(t, err.Error(), ": "+tt.message)
			}
			assert.Less(t, len(err.Error()), 600, "error strings stay short")
		})
	}
}

func TestSentinels(t *testing.T) {
	assert.ErrorIs(t, api.ErrNotFound, api.ErrNotFound)
	assert.NotErrorIs(t, api.ErrNotFound, api.ErrForbidden, "sentinels do not match each other")
	assert.Equal(t, "grafana: not found", api.ErrNotFound.Error())
	wrapped := errors.Join(errors.New("context"), &api.APIError{StatusCode: 404})
	assert.ErrorIs(t, wrapped, api.ErrNotFound)
	assert.NotErrorIs(t, &api.APIError{StatusCode: 404}, api.ErrInvalidInput)
}

// TestResponseCapBoundary: a body of exactly WithMaxResponseBytes is read.
func TestResponseCapBoundary(t *testing.T) {
	body := `[` + strings.Repeat(" ", 1022) + `]` // 1 024 bytes
	rec := &recorder{header: map[string]string{"Content-Type": "application/json"}, body: body}
	c := newClient(t, startRecorder(t, rec, ""), api.WithMaxResponseBytes(1024), noRetry)
	got, err := c.ListPending(context.Background())
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestSuccessBodyProblems(t *testing.T) {
	tests := []struct {
		name, ct, body string
		opts           []api.Option
		want           error
	}{
		{name: "HTML with 200 (wrong URL)", ct: "text/html", body: "<!doctype html><html>Grafana</html>", want: api.ErrInvalidResponse},
		{name: "empty 200", ct: "application/json", body: "", want: api.ErrInvalidResponse},
		{name: "wrong shape", ct: "application/json", body: `{"message":"x"}`, want: api.ErrInvalidResponse},
		{name: "one byte over the cap", ct: "application/json", body: `[` + strings.Repeat(" ", 1023) + `]`, opts: []api.Option{api.WithMaxResponseBytes(1024)}, want: api.ErrResponseTooLarge},
		{name: "over the cap", ct: "application/json", body: "[" + strings.Repeat(`{"id":1,"code":"abc","email":"a@b.c"},`, 400) + `{"id":1}]`, opts: []api.Option{api.WithMaxResponseBytes(1024)}, want: api.ErrResponseTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{header: map[string]string{"Content-Type": tt.ct}, body: tt.body}
			c := newClient(t, startRecorder(t, rec, ""), append(tt.opts, noRetry)...)
			_, err := c.ListPending(context.Background())
			require.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), "GET http://")
			assert.Len(t, rec.got(), 1, "not retried")
		})
	}
}
