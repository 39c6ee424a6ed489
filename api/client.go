package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	server    string // base of the API, ending in "/api/"
	httpc     *http.Client
	auth      gen.RequestEditorFn // nil without credentials
	orgID     int64               // 0: the credentials' default organisation
	userAgent string
	timeout   time.Duration
	editors   []gen.RequestEditorFn
	retry     RetryPolicy
	logger    *slog.Logger // nil: no logging
	maxBody   int64
	// locks is shared by copies: it serialises EnsureInvited and Apply per address alone.
	// Scoping it to the organisation would let a client of the default organisation (no org
	// id) race its WithOrgID(1) copy when 1 is that default.
	locks *keyedMutex
	bufs  *bufferPool // shared by copies: response buffers
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
			return nil, errors.New("grafana: New: nil Option")
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("grafana: New: %w", err)
		}
	}
	if cfg.hasToken && cfg.hasBasic {
		return nil, errors.New("grafana: New: both a token (WithToken) and basic auth (WithBasicAuth) were given; pass one kind of credentials")
	}
	c := &Client{
		server:    server,
		orgID:     cfg.orgID,
		userAgent: cfg.userAgent,
		timeout:   cfg.timeout,
		editors:   cfg.editors,
		retry:     cfg.retry,
		logger:    cfg.logger,
		maxBody:   cfg.maxResponseBytes,
		locks:     newKeyedMutex(),
		bufs:      new(bufferPool),
		wait:      sleep,
	}
	if cfg.httpClient != nil {
		hc := *cfg.httpClient // a copy: the caller's client is never mutated
		c.httpc = &hc
	} else {
		c.httpc = &http.Client{}
	}
	switch {
	case cfg.hasToken:
		c.auth = TokenEditor(cfg.token)
	case cfg.hasBasic:
		c.auth = BasicAuthEditor(cfg.basicUser, cfg.basicPass)
	}
	return c, nil
}

// apiBase checks a Grafana root URL and returns the base of its API:
// the URL with a path ending in "/api/".
func apiBase(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errors.New("grafana: New: the Grafana URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the input, which may hold credentials: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("grafana: New: the Grafana URL cannot be parsed: %w", err)
	}
	switch {
	case u.Scheme == "" || u.Host == "" && u.Opaque == "":
		return "", fmt.Errorf("grafana: New: the Grafana URL %q is not absolute; want http(s)://host[:port][/path]", raw)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("grafana: New: the Grafana URL has scheme %q; want http or https", u.Scheme)
	case u.Host == "":
		return "", errors.New("grafana: New: the Grafana URL has no host")
	case u.User != nil:
		return "", errors.New("grafana: New: the Grafana URL holds credentials; pass them with WithBasicAuth or WithToken instead")
	case u.RawQuery != "" || u.ForceQuery:
		return "", errors.New("grafana: New: the Grafana URL has a query; pass the root URL only")
	case u.Fragment != "":
		return "", errors.New("grafana: New: the Grafana URL has a fragment; pass the root URL only")
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	if !strings.HasSuffix(p, "/api") {
		p += "/api"
	}
	u.RawPath = ""
	u.Path = ""
	return u.String() + p + "/", nil
}

// WithOrgID returns a copy of c that acts on the organisation id, through the
// X-Grafana-Org-Id header. An id below 1 means the credentials' default organisation (no
// header). The copy shares c's HTTP client and settings; c is not changed and both can be
// used concurrently.
func (c *Client) WithOrgID(id int64) *Client {
	cp := *c
	cp.orgID = max(id, 0)
	return &cp
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
// CheckRedirect are used, hc itself is never changed. Its Timeout, if any, bounds each
// attempt; WithTimeout bounds the whole call.
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
// DefaultTimeout). It must be positive; use the context for longer or shorter calls.
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
