package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana-invites/grafana-invites/gen"
)

// Version is the version of this library. It is sent in the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent sent unless WithUserAgent sets another.
const DefaultUserAgent = "grafana-invites-go/" + Version

// DefaultTimeout bounds a whole call, retries and backoff included, unless WithTimeout sets
// another bound. A deadline of the caller's context that comes earlier wins.
const DefaultTimeout = 30 * time.Second

// DefaultMaxResponseBytes caps the body of a successful answer: 64 MiB, room for the list of
// more than 100 000 pending invites (about 550 bytes each).
const DefaultMaxResponseBytes int64 = 64 << 20

// maxErrorBodyBytes caps what is read, and kept, of an error answer.
const maxErrorBodyBytes = 1 << 20

// Client talks to one Grafana, as one identity, in one organisation. It is safe for
// concurrent use. Its settings never change after New; WithOrgID returns a copy.
type Client struct {
	server string      // base of the API, ending in "/api/"
	gen    *gen.Client // sends every request; holds no editors of its own
	orgID  int64       // 0: the credentials' default organisation
	// orgParam is orgID as gen's X-Grafana-Org-Id parameter: nil for the default
	// organisation. WithOrgID gives a copy its own.
	orgParam *int64
	// editors run on every attempt, in order: headers, credentials, WithRequestEditor's.
	// The slice is never appended to after New, so copies share it read-only.
	editors []gen.RequestEditorFn
	// public are editors without the credentials, for the invitee's routes, which take
	// none: a token is not sent where it is not needed. Shared read-only as editors is.
	public  []gen.RequestEditorFn
	auth    string // "token", "basic" or "none": what Format shows of the credentials
	timeout time.Duration
	retry   RetryPolicy
	logger  *slog.Logger // nil: no logging
	// secrets returns what is scrubbed from what servers echo. It is a function, not a
	// value: fmt prints a function as its address whatever the verb and depth, so even a
	// Client that fmt reaches by reflection (an unexported field of a caller's struct,
	// where Format is not called) shows no secret.
	secrets func() redactor
	maxBody int64
	// locks is shared by copies: it serialises EnsureInvited and Apply per address alone.
	// Scoping it to the organisation would let a client of the default organisation (no org
	// id) race its WithOrgID(1) copy when 1 is that default.
	locks *keyedMutex
	// wait sleeps between attempts; tests replace it to observe the backoff.
	wait func(ctx context.Context, d time.Duration) error
}

// Option configures a Client in New. Options are applied in order; an invalid option makes
// New fail with an error that says which and why.
type Option func(*config) error

type config struct {
	token            string
	basicUser        string
	basicPass        string
	hasToken         bool
	hasBasic         bool
	orgID            int64
	httpClient       *http.Client
	userAgent        string
	timeout          time.Duration
	editors          []gen.RequestEditorFn
	retry            RetryPolicy
	logger           *slog.Logger
	maxResponseBytes int64
}

// New returns a Client for the Grafana whose root URL is grafanaURL: the address of its web
// interface, such as "https://grafana.example.com/" or, for a Grafana served under a
// sub-path, "https://example.com/grafana/". Requests go to that URL's path followed by
// "api/…". A URL whose path already ends in "/api" (or "/api/") is taken to point at the API
// itself: the "/api" is not added twice.
//
// The URL must be absolute, http or https, with a host and without credentials, query or
// fragment: an empty, relative or otherwise unusable URL is an error.
func New(grafanaURL string, opts ...Option) (*Client, error) {
	server, err := apiBase(grafanaURL)
	if err != nil {
		return nil, err
	}
	cfg := config{
		userAgent:        DefaultUserAgent,
		timeout:          DefaultTimeout,
		retry:            DefaultRetryPolicy(),
		maxResponseBytes: DefaultMaxResponseBytes,
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errorf("New: nil Option")
		}
		if err := opt(&cfg); err != nil {
			return nil, errorf("New: %w", err)
		}
	}
	if cfg.hasToken && cfg.hasBasic {
		return nil, errorf("New: both a token (WithToken) and basic auth (WithBasicAuth) were given; pass one kind of credentials")
	}
	hc := &http.Client{}
	if cfg.httpClient != nil {
		cp := *cfg.httpClient // a copy: the caller's client is never mutated
		hc = &cp
	}
	hc.CheckRedirect = checkRedirect(hc.CheckRedirect)
	g, err := gen.NewClient(server, gen.WithHTTPClient(hc))
	if err != nil {
		return nil, errorf("New: %w", err)
	}
	editors := []gen.RequestEditorFn{headerEditor(cfg.userAgent)}
	auth := "none"
	switch {
	case cfg.hasToken:
		editors, auth = append(editors, TokenEditor(cfg.token)), "token"
	case cfg.hasBasic:
		editors, auth = append(editors, BasicAuthEditor(cfg.basicUser, cfg.basicPass)), "basic"
	}
	public := []gen.RequestEditorFn{headerEditor(cfg.userAgent)} // no credentials: the invitee's routes
	for i, fn := range cfg.editors {
		editors = append(editors, numbered(i+1, fn))
		public = append(public, numbered(i+1, fn))
	}
	c := &Client{
		server:  server,
		gen:     g,
		editors: slices.Clip(editors),
		public:  slices.Clip(public),
		auth:    auth,
		timeout: cfg.timeout,
		retry:   cfg.retry,
		logger:  cfg.logger,
		secrets: keep(clientSecrets(cfg.token, cfg.basicUser, cfg.basicPass)),
		maxBody: cfg.maxResponseBytes,
		locks:   newKeyedMutex(),
		wait:    sleep,
	}
	c.setOrg(cfg.orgID)
	return c, nil
}

// apiBase checks a Grafana root URL and returns the base of its API: the URL with a path
// ending in "/api/". Errors never repeat the URL's user info, query or fragment.
//
// Refused: an empty, relative or opaque URL; a scheme other than http and https; no host; a
// port outside 1–65535; user info; a query or a fragment, even empty ("?", "#"); "." or ".."
// path segments. Normalised: a path ending in "/api" in any case is the API base, written
// "/api"; trailing slashes are dropped before "/api/" is added.
func apiBase(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errorf("New: the Grafana URL is empty")
	}
	shown := safeURL(raw)
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the input, which may hold credentials
		}
		return "", errorf("New: the Grafana URL %q cannot be parsed: %s", shown, scrubURLParts(raw, err.Error()))
	}
	switch {
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		return "", errorf("New: the Grafana URL has scheme %q; want http or https", printable(u.Scheme, 20))
	case u.Scheme == "" || u.Opaque != "" || u.Host == "" && !strings.HasPrefix(raw[len(u.Scheme)+1:], "//"):
		return "", errorf("New: the Grafana URL %q is not absolute; want http(s)://host[:port][/path]", shown)
	case u.User != nil:
		return "", errorf("New: the Grafana URL holds credentials; pass them with WithBasicAuth or WithToken instead")
	case u.Hostname() == "":
		return "", errorf("New: the Grafana URL %q has no host", shown)
	case u.RawQuery != "" || u.ForceQuery:
		return "", errorf("New: the Grafana URL has a query; pass the root URL only")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", errorf("New: the Grafana URL has a fragment; pass the root URL only")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", errorf("New: the Grafana URL %q has port %s; want 1 to 65535", shown, printable(p, 12))
		}
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return "", errorf("New: the Grafana URL %q has a %q path segment; pass the path as Grafana serves it", shown, seg)
		}
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	if len(p) >= 4 && strings.EqualFold(p[len(p)-4:], "/api") {
		p = p[:len(p)-4]
	}
	u.RawPath = ""
	u.Path = ""
	return u.String() + p + "/api/", nil
}

// safeURL is raw as errors may show it: without user info, query or fragment, printable.
func safeURL(raw string) string {
	s := raw
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	start := 0
	if i := strings.Index(s, "//"); i >= 0 {
		start = i + 2
	}
	end := len(s)
	if i := strings.IndexByte(s[start:], '/'); i >= 0 {
		end = start + i
	}
	if at := strings.LastIndexByte(s[start:end], '@'); at >= 0 {
		s = s[:start] + s[start+at+1:]
	}
	return printable(s, 200)
}

// scrubURLParts removes raw's user info, query and fragment from msg, a parser's message
// about raw.
func scrubURLParts(raw, msg string) string {
	var parts []string
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		parts = append(parts, raw[i+1:])
		raw = raw[:i]
	}
	if at := strings.LastIndexByte(raw, '@'); at >= 0 {
		start := strings.Index(raw, "//") + 2
		if start < 2 {
			start = 0
		}
		if start <= at {
			parts = append(parts, raw[start:at])
		}
	}
	for _, p := range parts {
		if p != "" {
			msg = strings.ReplaceAll(msg, p, redacted)
		}
	}
	return printable(msg, 200)
}

// WithOrgID returns a copy of c that acts on the organisation id, through the
// X-Grafana-Org-Id header. An id below 1 means the credentials' default organisation (no
// header). The copy shares c's HTTP client and settings; c is not changed and both can be
// used concurrently.
func (c *Client) WithOrgID(id int64) *Client {
	cp := *c
	cp.setOrg(id)
	return &cp
}

// setOrg sets the organisation, and gen's parameter for it; below 1 is the default.
func (c *Client) setOrg(id int64) {
	c.orgID, c.orgParam = max(id, 0), nil
	if id > 0 {
		c.orgParam = &id
	}
}

// Format prints the client without its credentials, for every verb: the API base, the
// organisation and the kind of credentials, never a token, a password or their encoding.
func (c Client) Format(f fmt.State, verb rune) {
	org := "default"
	if c.orgID > 0 {
		org = strconv.FormatInt(c.orgID, 10)
	}
	s := "api.Client{url: " + c.server + ", org: " + org + ", auth: " + c.auth + "}"
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}

// OrgID returns the organisation the client acts on, 0 for the credentials' default.
func (c *Client) OrgID() int64 { return c.orgID }

// BaseURL returns the base of the API the client sends to, ending in "/api/".
func (c *Client) BaseURL() string { return c.server }

// WithToken authenticates with a Grafana service-account token (or, on old Grafanas, an API
// key), sent as "Authorization: Bearer <token>". A leading "Bearer " is accepted and not
// doubled. An empty token, or one holding white space or control characters, is an error.
func WithToken(token string) Option {
	return func(c *config) error {
		token = strings.TrimPrefix(token, "Bearer ")
		if err := checkToken("WithToken", token); err != nil {
			return err
		}
		c.token, c.hasToken = token, true
		return nil
	}
}

// WithBasicAuth authenticates with a Grafana user's login (or email) and password. A login
// that is empty or holds ':' or control characters is an error, as is an empty password.
func WithBasicAuth(login, password string) Option {
	return func(c *config) error {
		switch {
		case strings.TrimSpace(login) == "":
			return errors.New("WithBasicAuth: the login is empty")
		case strings.ContainsRune(login, ':'):
			return errors.New("WithBasicAuth: the login holds ':', which basic auth cannot carry")
		case strings.ContainsFunc(login, isControl):
			return errors.New("WithBasicAuth: the login holds control characters")
		case password == "":
			return errors.New("WithBasicAuth: the password is empty")
		}
		c.basicUser, c.basicPass, c.hasBasic = login, password, true
		return nil
	}
}

// WithOrgID selects the organisation the client acts on (header X-Grafana-Org-Id). Without
// it, Grafana uses the credentials' default organisation. The id must be 1 or more.
func WithOrgID(id int64) Option {
	return func(c *config) error {
		if id < 1 {
			return fmt.Errorf("WithOrgID: organisation id %d; want 1 or more", id)
		}
		c.orgID = id
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc: its Transport, Jar and
// CheckRedirect are used, hc itself is never changed. The client's redirect policy runs
// before hc's CheckRedirect (see the package documentation). hc's Timeout, if any, bounds
// each attempt: an attempt of ListPending or Revoke that hits it is a transient failure,
// retried within WithTimeout; an Invite is not retried once sent.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent replaces the User-Agent header (default DefaultUserAgent).
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsFunc(ua, isControl) {
			return errors.New("WithUserAgent: the User-Agent is empty or holds control characters")
		}
		c.userAgent = ua
		return nil
	}
}

// WithTimeout bounds each call as a whole, retries and backoff included (default
// DefaultTimeout): Invite, ListPending and Revoke; FindPending, RevokeByEmail and
// EnsureInvited with all their requests (and EnsureInvited's wait for another call on the
// same address). Plan and Apply bound each request they send, not the whole run, which
// the context bounds. It must be positive; a context deadline that comes earlier wins.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v; want a positive duration", d)
		}
		c.timeout = d
		return nil
	}
}

// WithRequestEditor adds a function that edits every request after the client's own headers
// (User-Agent, Accept, credentials, organisation) are set, for tracing headers and the like.
// Editors run in the order given, on every attempt.
func WithRequestEditor(fn gen.RequestEditorFn) Option {
	return func(c *config) error {
		if fn == nil {
			return errors.New("WithRequestEditor: nil editor")
		}
		c.editors = append(c.editors, fn)
		return nil
	}
}

// WithLogger logs one debug record per attempt (operation, method, path, status, attempt,
// duration) to l. Credentials never appear in them and invitation codes are shortened.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithMaxResponseBytes caps the body of a successful answer (default
// DefaultMaxResponseBytes); a larger answer fails with ErrResponseTooLarge instead of
// exhausting memory. Error bodies are always capped at 1 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n < 1024 {
			return fmt.Errorf("WithMaxResponseBytes: %d; want at least 1024", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// checkToken refuses a token that cannot be sent in a header; who names the caller
// (WithToken, TokenEditor). The token itself is never echoed.
func checkToken(who, token string) error {
	switch {
	case token == "":
		return fmt.Errorf("%s: the token is empty", who)
	case strings.ContainsFunc(token, func(r rune) bool { return isControl(r) || r == ' ' || r == '\t' }):
		return fmt.Errorf("%s: the token holds white space or control characters", who)
	}
	return nil
}
