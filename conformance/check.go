package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/internal/grafanaversion"
)

// check is one case under way: its requests, its failures.
type check struct {
	s         *session
	id        string
	failures  []string
	exchanges []Exchange
	n         int // addresses made
}

// answer is a response, with its body decoded when it is JSON.
type answer struct {
	status int
	body   string
	obj    map[string]any   // a JSON object body
	list   []map[string]any // a JSON array body
}

// skip ends the case as skipped.
func (c *check) skip(format string, args ...any) {
	panic(errSkip{fmt.Sprintf(format, args...)})
}

// errorf records a failure and goes on.
func (c *check) errorf(format string, args ...any) {
	c.failures = append(c.failures, c.s.redact(fmt.Sprintf(format, args...)))
}

// fatalf records a failure and ends the case.
func (c *check) fatalf(format string, args ...any) {
	c.errorf(format, args...)
	panic(errFail{})
}

// control is the target's Control, or skips the case.
func (c *check) control() Control {
	if c.s.t.Control == nil {
		c.skip("needs server control (clock, SMTP, login form, quota or anonymous access), which only the in-process fake offers")
	}
	return c.s.t.Control
}

// token is the target's Admin token, or skips the case.
func (c *check) token() string {
	if c.s.t.Token == "" {
		c.skip("needs an Admin service-account token of org 1 (Target.Token, GRAFANA_TOKEN)")
	}
	return c.s.t.Token
}

// account is a prerequisite account, or skips the case.
func (c *check) account(a *Account, what string) *Account {
	if a == nil {
		c.skip("needs %s; give one in the seed (see docs/conformance.md) or run against a Grafana with the admin API", what)
	}
	return a
}

// secondOrg is the second organisation, or skips the case.
func (c *check) secondOrg() int64 {
	if c.s.t.Accounts.SecondOrg == 0 {
		c.skip("needs a second organisation the server admin is not in (see docs/conformance.md)")
	}
	return c.s.t.Accounts.SecondOrg
}

// version is the target's Grafana version, or the newest.
func (c *check) version() grafanaversion.Version {
	v, err := grafanaversion.Parse(c.s.t.Version)
	if err != nil {
		c.fatalf("Target.Version: %v", err)
	}
	return v
}

// addr is a fresh address of this run under example.invalid.
func (c *check) addr() string {
	c.n++
	return fmt.Sprintf("%s-%s-%d@example.invalid", c.s.runID, strings.ToLower(c.id), c.n)
}

// call sends one request and records it for the report.
func (c *check) call(a auth, method, path string, header map[string]string, body string) answer {
	st, b, err := c.s.send(a, method, path, header, body)
	if err != nil {
		c.fatalf("%s %s: %v", method, path, err)
	}
	c.exchanges = append(c.exchanges, Exchange{Method: method, Path: c.s.redact(path), Status: st, Body: c.s.redact(b)})
	ans := answer{status: st, body: b}
	trimmed := strings.TrimSpace(b)
	switch {
	case strings.HasPrefix(trimmed, "{"):
		_ = json.Unmarshal([]byte(b), &ans.obj)
	case strings.HasPrefix(trimmed, "["):
		_ = json.Unmarshal([]byte(b), &ans.list)
	}
	return ans
}

func (c *check) get(a auth, header map[string]string) answer {
	return c.call(a, http.MethodGet, "api/org/invites", header, "")
}

func (c *check) post(a auth, header map[string]string, body string) answer {
	return c.call(a, http.MethodPost, "api/org/invites", header, body)
}

func (c *check) revoke(a auth, code string) answer {
	return c.call(a, http.MethodPatch, "api/org/invites/"+code+"/revoke", nil, "")
}

// invite POSTs an invite for login with role and returns the answer.
func (c *check) invite(a auth, login, role string, sendEmail bool) answer {
	return c.post(a, nil, fmt.Sprintf(`{"loginOrEmail":%q,"role":%q,"sendEmail":%v}`, login, role, sendEmail))
}

// pendingOf lists as a and returns the pending invites of address, in the order listed.
func (c *check) pendingOf(a auth, header map[string]string, address string) []map[string]any {
	ans := c.get(a, header)
	c.status(ans, http.StatusOK, "list")
	var out []map[string]any
	for _, inv := range ans.list {
		if strings.EqualFold(str(inv, "email"), address) {
			out = append(out, inv)
		}
	}
	return out
}

// status records a failure unless ans has the status.
func (c *check) status(ans answer, want int, what string) bool {
	if ans.status != want {
		c.errorf("%s: status %d, want %d (%s)", what, ans.status, want, strings.TrimSpace(ans.body))
		return false
	}
	return true
}

// message records a failure unless ans's message is want.
func (c *check) message(ans answer, want, what string) {
	if got := str(ans.obj, "message"); got != want {
		c.errorf("%s: message %q, want %q", what, got, want)
	}
}

// keys records a failure unless ans's object has exactly these keys.
func (c *check) keys(ans answer, what string, want ...string) {
	if ans.obj == nil {
		c.errorf("%s: body %q is not a JSON object", what, ans.body)
		return
	}
	if len(ans.obj) != len(want) {
		c.errorf("%s: keys %v, want %v", what, keysOf(ans.obj), want)
		return
	}
	for _, k := range want {
		if _, ok := ans.obj[k]; !ok {
			c.errorf("%s: keys %v, want %v", what, keysOf(ans.obj), want)
			return
		}
	}
}

// authError records a failure unless ans is the 401 of messageID.
func (c *check) authError(ans answer, messageID, what string) {
	if c.status(ans, http.StatusUnauthorized, what) && str(ans.obj, "messageId") != messageID {
		c.errorf("%s: messageId %q, want %q", what, str(ans.obj, "messageId"), messageID)
	}
}

// accessDenied records a failure unless ans is the access-control 403.
func (c *check) accessDenied(ans answer, what string) {
	if c.status(ans, http.StatusForbidden, what) && (str(ans.obj, "title") != "Access denied" || !strings.HasPrefix(str(ans.obj, "accessErrorId"), "ACE")) {
		c.errorf("%s: not the access-control 403: %s", what, ans.body)
	}
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func num(m map[string]any, k string) int64 {
	f, _ := m[k].(float64)
	return int64(f)
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func created(inv map[string]any) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, str(inv, "createdOn"))
	return t
}

func orgHeader(org int64) map[string]string {
	return map[string]string{"X-Grafana-Org-Id": fmt.Sprint(org)}
}

// createdUser reports whether the run created the user login through the admin API.
func (s *session) createdUser(login string) bool { _, ok := s.userIDs[login]; return ok }

// outsider is the login of a user outside org 1 that the case may add to it: a new one
// through server control, else Accounts.Outsider when this run created it (a seeded or
// given one would stay added). why says what the case does to it.
func (c *check) outsider(why string) string {
	if ctl := c.s.t.Control; ctl != nil {
		c.n++
		login := fmt.Sprintf("%s-%s-user%d", c.s.runID, strings.ToLower(c.id), c.n)
		ctl.AddUser(login, login+"@example.invalid", "pw-"+login)
		return login
	}
	o := c.account(c.s.t.Accounts.Outsider, "a user outside org 1 (Accounts.Outsider)")
	if !c.s.createdUser(o.Login) {
		c.skip("needs a user outside org 1 that this run created: %s", why)
	}
	return o.Login
}
