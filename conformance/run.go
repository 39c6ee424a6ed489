package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Status is how a case ended.
type Status string

// The statuses of a case.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Exchange is one request of a case and its answer, secrets redacted.
type Exchange struct {
	Method, Path string
	Status       int
	Body         string
}

// Result is the outcome of one case.
type Result struct {
	// Case is the row of docs/grafana-behaviour.md, e.g. "AUTH-2".
	Case   string
	Status Status
	// Reason says why a case failed or was skipped.
	Reason string
	// Exchanges are the requests of a failed case, for a bug report.
	Exchanges []Exchange
}

// Run runs every case against t and returns one result per case, in the document's order.
// It fails only when the run cannot start: the target unreachable or its admin refused.
func Run(ctx context.Context, t Target) ([]Result, error) {
	s, err := newSession(ctx, t)
	if err != nil {
		return nil, err
	}
	defer s.teardown()
	results := make([]Result, 0, len(cases))
	for _, c := range cases {
		results = append(results, s.run(c))
		s.revokeCreated()
	}
	return results, nil
}

// Cases lists the ids of the cases, in order.
func Cases() []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.id
	}
	return out
}

// testCase is one row of the behaviour document.
type testCase struct {
	id  string
	run func(c *check)
}

// session is one run against a target.
type session struct {
	ctx     context.Context
	t       Target
	http    *http.Client
	runID   string // in every address the run invites
	admin   auth
	cleanup []func()         // admin-API deletions, last first
	secrets []string         // redacted from reports
	userIDs map[string]int64 // users the run created, by login
}

func newSession(ctx context.Context, t Target) (*session, error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	s := &session{ctx: ctx, t: t, http: t.HTTPClient, runID: "gi" + hex.EncodeToString(b[:]), admin: basic(t.AdminLogin, t.AdminPassword), userIDs: map[string]int64{}}
	if s.http == nil {
		s.http = &http.Client{Timeout: 30 * time.Second}
	}
	if !strings.HasSuffix(s.t.URL, "/") {
		s.t.URL += "/"
	}
	s.secrets = append(s.secrets, t.AdminPassword, t.Token, t.Accounts.ExpiredToken, t.Accounts.RevokedToken)
	st, body, err := s.send(s.admin, http.MethodGet, "api/org/invites", nil, "")
	switch {
	case err != nil:
		return nil, fmt.Errorf("conformance: %s is not reachable: %w", s.t.URL, err)
	case st != http.StatusOK:
		return nil, fmt.Errorf("conformance: the server admin %q cannot list invites: %d %s", t.AdminLogin, st, s.redact(body))
	}
	s.provision()
	for _, a := range []*Account{s.t.Accounts.Member, s.t.Accounts.Inviter, s.t.Accounts.Outsider, s.t.Accounts.Throwaway, s.t.Accounts.Granted, s.t.Accounts.Restricted} {
		if a != nil {
			s.secrets = append(s.secrets, a.Password)
		}
	}
	return s, nil
}

// errSkip and errFail end a case early.
type (
	errSkip struct{ reason string }
	errFail struct{}
)

// run runs one case, turning skips, failures and panics into its result.
func (s *session) run(tc testCase) (res Result) {
	c := &check{s: s, id: tc.id}
	res.Case = tc.id
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case errSkip:
				res.Status, res.Reason = Skip, e.reason
				return
			case errFail:
			default:
				c.failures = append(c.failures, fmt.Sprintf("panic: %v", r))
			}
		}
		if len(c.failures) == 0 {
			res.Status = Pass
			return
		}
		res.Status, res.Reason, res.Exchanges = Fail, strings.Join(c.failures, "; "), c.exchanges
	}()
	tc.run(c)
	return res
}

// send makes one request and returns its status and body.
func (s *session) send(a auth, method, path string, header map[string]string, body string) (int, string, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(s.ctx, method, s.t.URL+path, r)
	if err != nil {
		return 0, "", err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if a != "" {
		req.Header.Set("Authorization", string(a))
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp.StatusCode, string(b), err
}

var (
	codeRE      = regexp.MustCompile(`\b[0-9A-Za-z]{30}\b`)
	inviteURLRE = regexp.MustCompile(`/invite/[0-9A-Za-z]+`)
	tokenRE     = regexp.MustCompile(`gl[a-z]*_[0-9A-Za-z]+_[0-9a-f]{8}`)
)

// redact removes tokens, passwords, invitation codes and invite URLs from text for a report.
func (s *session) redact(text string) string {
	for _, secret := range s.secrets {
		if len(secret) >= 4 {
			text = strings.ReplaceAll(text, secret, "[REDACTED]")
		}
	}
	text = tokenRE.ReplaceAllString(text, "[TOKEN]")
	text = inviteURLRE.ReplaceAllString(text, "/invite/[CODE]")
	return codeRE.ReplaceAllString(text, "[CODE]")
}

// revokeCreated revokes every pending invite of the run, in every organisation it can see.
func (s *session) revokeCreated() {
	views := []map[string]string{nil}
	if org := s.t.Accounts.SecondOrg; org != 0 {
		// The server admin outside SecondOrg works in org −1 and sees every org's invites.
		views = append(views, map[string]string{"X-Grafana-Org-Id": fmt.Sprint(org)})
	}
	for _, h := range views {
		st, body, err := s.send(s.admin, http.MethodGet, "api/org/invites", h, "")
		if err != nil || st != http.StatusOK {
			continue
		}
		var list []struct{ Email, Code string }
		if json.Unmarshal([]byte(body), &list) != nil {
			continue
		}
		for _, inv := range list {
			if strings.Contains(strings.ToLower(inv.Email), s.runID) {
				_, _, _ = s.send(s.admin, http.MethodPatch, "api/org/invites/"+inv.Code+"/revoke", h, "")
			}
		}
	}
}

// teardown revokes what is left and deletes what the run created through the admin API.
func (s *session) teardown() {
	s.revokeCreated()
	for i := len(s.cleanup) - 1; i >= 0; i-- {
		s.cleanup[i]()
	}
}

// auth is an Authorization header value; "" sends none.
type auth string

func basic(login, password string) auth {
	req, _ := http.NewRequest(http.MethodGet, "/", nil) //nolint:noctx // only builds the header
	req.SetBasicAuth(login, password)
	return auth(req.Header.Get("Authorization"))
}

func bearer(token string) auth { return auth("Bearer " + token) }
