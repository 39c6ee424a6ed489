package main

import (
	"fmt"
	"log/slog"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// conn holds the connection flags of the commands that call Grafana.
type conn struct {
	url, token, tokenFile, user, password, passwordFile, orgID, timeout string
	// context names the context to use (--context).
	context string
}

// addConnFlags registers the connection flags on cmd, under their own heading.
func addConnFlags(a *app, cmd *cobra.Command) *conn {
	c := &conn{}
	fs := cmd.Flags()
	fs.StringVar(&c.url, "url", "", "Grafana's root URL, e.g. https://grafana.example.com/")
	fs.StringVar(&c.token, "token", "", "service-account token; prefer --token-file or GRAFANA_TOKEN")
	fs.StringVar(&c.tokenFile, "token-file", "", "file holding the service-account token")
	fs.StringVar(&c.user, "user", "", "basic-auth login (asks for the password on a terminal)")
	fs.StringVar(&c.password, "password", "", "basic-auth password; prefer --password-file or GRAFANA_PASSWORD")
	fs.StringVar(&c.passwordFile, "password-file", "", "file holding the basic-auth password")
	fs.StringVar(&c.orgID, "org-id", "", "organisation id (default: the credentials' own)")
	fs.StringVar(&c.timeout, "timeout", api.DefaultTimeout.String(), "bound of each call to Grafana, retries included, e.g. 30s or 2m")
	fs.StringVar(&c.context, "context", "", "the context (a named Grafana: grafana-invites help context) to use; default GRAFANA_CONTEXT, else the current one")
	for _, name := range []string{"context", "url", "token", "token-file", "user", "password", "password-file", "org-id", "timeout"} {
		_ = fs.SetAnnotation(name, flagGroup, []string{connectionGroup})
	}
	_ = cmd.MarkFlagFilename("token-file")
	_ = cmd.MarkFlagFilename("password-file")
	noFiles := func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	for _, name := range []string{"url", "token", "user", "password", "org-id"} {
		_ = cmd.RegisterFlagCompletionFunc(name, noFiles)
	}
	_ = cmd.RegisterFlagCompletionFunc("context", a.contextNames)
	_ = cmd.RegisterFlagCompletionFunc("timeout", fixedCompletions("10s", "30s", "1m", "5m"))
	return c
}

// setting is one resolved connection setting and where it came from ("--token",
// "GRAFANA_TOKEN_FILE", …), for messages that name the source.
type setting struct{ value, from string }

// resolve returns the first source that is set: flag, then environment, in the order given.
// A file source is read (trimmed by trim) when it is the one chosen. Two flags for one
// setting (--token and --token-file) are an error.
func resolve(e *env, trim func(string) string, sources ...source) (setting, error) {
	var flags []string
	for _, s := range sources {
		if s.flag && s.value != "" {
			flags = append(flags, s.name)
		}
	}
	if len(flags) > 1 {
		return setting{}, usagef("both %s and %s are set; use one", flags[0], flags[1])
	}
	for _, s := range sources {
		switch {
		case s.value == "":
			continue
		case s.file:
			v, err := readSecretFile(e, s.name, s.value, trim)
			return setting{v, s.name}, err
		}
		return setting{s.value, s.name}, nil
	}
	return setting{}, nil
}

// source is one place a setting may come from: a flag or an environment variable, holding
// the value or (file) the path of a file holding it.
type source struct {
	name  string
	value string
	flag  bool
	file  bool
}

// settings are a connection's resolved settings, each with where it came from.
type settings struct {
	url, token, user, password setting
	org                        int64
}

// client builds the API client from a context (see context help), else from flags and the
// environment, each setting resolved on its own, flag first, then the environment, then
// the default:
//
//	URL          --url, GRAFANA_URL
//	token        --token, --token-file, GRAFANA_TOKEN, GRAFANA_TOKEN_FILE
//	user         --user, GRAFANA_USER
//	password     --password, --password-file, GRAFANA_PASSWORD, GRAFANA_PASSWORD_FILE
//	organisation --org-id, GRAFANA_ORG_ID (default: the credentials' own)
//
// A token and a user at once is an error, unless one kind comes from flags and the other
// from the environment: the command line wins. A user without a password is asked for it
// on a terminal.
func (c *conn) client(a *app) (*api.Client, error) {
	e := a.e
	cc, err := c.chooseContext(e)
	if err != nil {
		return nil, err
	}
	var s settings
	if cc != nil {
		s, err = c.contextSettings(e, cc)
	} else {
		s, err = c.flagSettings(e)
	}
	if err != nil {
		return nil, err
	}
	if err := checkURL(s.url); err != nil {
		return nil, err // before a password is asked for
	}
	timeout, err := parseDuration("--timeout", c.timeout, "s")
	if err != nil {
		return nil, err
	}
	auth, err := a.authOption(s)
	if err != nil {
		return nil, err
	}
	switch {
	case auth != nil:
	case s.user.value != "" && cc != nil:
		return nil, usagef("context %q names the user %s without a password, and there is no terminal to ask on: give it --password-env or --password-file (context add %s --force …)", cc.name, s.user.value, cc.name)
	case s.user.value != "":
		return nil, usagef("%s needs a password: set --password-file, --password, GRAFANA_PASSWORD or GRAFANA_PASSWORD_FILE (on a terminal it is asked for)", s.user.from)
	case s.password.value != "":
		return nil, usagef("%s needs a user: set --user or GRAFANA_USER", s.password.from)
	default:
		return nil, usagef("no credentials: set --token, --token-file, GRAFANA_TOKEN or GRAFANA_TOKEN_FILE, or a user and a password (--user, GRAFANA_USER; --password, --password-file, GRAFANA_PASSWORD, GRAFANA_PASSWORD_FILE), or name a context (grafana-invites help context)")
	}
	return a.newClient(s, timeout, auth)
}

// authOption is the credentials of s as a client option: the token, else the user with
// the password, asked for on a terminal when s has none. nil when s holds no credentials
// that can be used (the caller says why, in its own terms).
func (a *app) authOption(s settings) (api.Option, error) {
	switch {
	case s.token.value != "":
		return api.WithToken(s.token.value), nil
	case s.user.value != "" && s.password.value != "":
		return api.WithBasicAuth(s.user.value, s.password.value), nil
	case s.user.value != "" && a.e.stdinTTY && a.e.stderrTTY:
		pw, err := askPassword(a.e, s.user.value)
		if err != nil {
			return nil, err
		}
		return api.WithBasicAuth(s.user.value, pw), nil
	}
	return nil, nil
}

// newClient builds the API client of s, after checkURL, with the credentials auth, the
// bound of each call, the CLI's user agent and, with -v, the client's redacted log.
func (a *app) newClient(s settings, timeout time.Duration, auth api.Option) (*api.Client, error) {
	if err := checkURL(s.url); err != nil {
		return nil, err
	}
	opts := []api.Option{auth, api.WithTimeout(timeout), api.WithUserAgent("grafana-invites-cli/" + moduleVersion())}
	if a.verbose {
		opts = append(opts, api.WithLogger(slog.New(slog.NewTextHandler(a.e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if s.org != 0 {
		opts = append(opts, api.WithOrgID(s.org))
	}
	cl, err := api.New(s.url.value, opts...)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return cl, nil
}

// flagSettings resolves the settings from flags and the environment.
func (c *conn) flagSettings(e *env) (settings, error) {
	var s settings
	var err error
	if s.url, err = resolve(e, nil, source{name: "--url", value: c.url, flag: true}, source{name: "GRAFANA_URL", value: e.getenv("GRAFANA_URL")}); err != nil {
		return s, err
	}
	if s.url.value == "" {
		return s, usagef("no Grafana URL: set --url or GRAFANA_URL (Grafana's root URL, e.g. https://grafana.example.com/), or name a context (grafana-invites help context)")
	}
	s.token, err = resolve(e, strings.TrimSpace,
		source{name: "--token", value: c.token, flag: true}, source{name: "--token-file", value: c.tokenFile, flag: true, file: true},
		source{name: "GRAFANA_TOKEN", value: e.getenv("GRAFANA_TOKEN")}, source{name: "GRAFANA_TOKEN_FILE", value: e.getenv("GRAFANA_TOKEN_FILE"), file: true})
	if err != nil {
		return s, err
	}
	s.user, _ = resolve(e, nil, source{name: "--user", value: c.user, flag: true}, source{name: "GRAFANA_USER", value: e.getenv("GRAFANA_USER")})
	// A password may begin or end with spaces: only the line break goes.
	s.password, err = resolve(e, func(v string) string { return strings.TrimRight(v, "\r\n") },
		source{name: "--password", value: c.password, flag: true}, source{name: "--password-file", value: c.passwordFile, flag: true, file: true},
		source{name: "GRAFANA_PASSWORD", value: e.getenv("GRAFANA_PASSWORD")}, source{name: "GRAFANA_PASSWORD_FILE", value: e.getenv("GRAFANA_PASSWORD_FILE"), file: true})
	if err != nil {
		return s, err
	}
	if s.token.value != "" && (s.user.value != "" || s.password.value != "") {
		basic := firstNonEmpty(s.user.from, s.password.from)
		fromFlags := func(v setting) bool { return strings.HasPrefix(v.from, "--") }
		switch {
		case fromFlags(s.token) && !fromFlags(s.user) && !fromFlags(s.password):
			s.user, s.password = setting{}, setting{} // the command line's token wins
		case !fromFlags(s.token) && (fromFlags(s.user) || fromFlags(s.password)):
			s.token = setting{} // the command line's user wins
		default:
			return s, usagef("both a token (%s) and basic auth (%s) are set; use one", s.token.from, basic)
		}
	}
	if org := firstNonEmpty(c.orgID, e.getenv("GRAFANA_ORG_ID")); org != "" {
		id, err := strconv.ParseInt(org, 10, 64)
		if err != nil || id < 1 {
			return s, usagef("organisation id %q is not a positive number (--org-id, GRAFANA_ORG_ID)", org)
		}
		s.org = id
	}
	return s, nil
}

// checkURL refuses, in the CLI's words and naming where it came from, a Grafana URL that is
// missing or that api.New would refuse for a reason the user can mend: no scheme, another
// scheme than http(s), credentials in it (never repeated: they are secrets), a query or a
// fragment.
func checkURL(url setting) error {
	if !strings.Contains(url.value, "://") {
		return usagef("the Grafana URL %q (%s) has no scheme: add http:// or https://, e.g. https://%s", url.value, url.from, strings.TrimLeft(url.value, "/"))
	}
	u, err := neturl.Parse(url.value)
	if err != nil {
		return nil // api.New says what is wrong, without repeating what may be a secret
	}
	switch {
	case u.User != nil:
		u.User = nil
		return usagef("the Grafana URL (%s) holds credentials before its host: give it as %s, and the credentials with --token-file or GRAFANA_TOKEN, or --user with --password-file or GRAFANA_PASSWORD", url.from, u.String())
	case u.Scheme != "http" && u.Scheme != "https":
		return usagef("the Grafana URL %q (%s) has the scheme %q: want http:// or https://", url.value, url.from, u.Scheme)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		u.RawQuery, u.Fragment, u.ForceQuery = "", "", false
		return usagef("the Grafana URL (%s) has a query or fragment: give Grafana's root URL alone: %s", url.from, u.String())
	}
	return nil
}

// readSecretFile reads a token or password file, trimmed by trim, refusing one that other
// users can read.
func readSecretFile(e *env, flag, path string, trim func(string) string) (string, error) {
	b, err := e.readFile(path)
	if err != nil {
		return "", usagef("cannot read %s: %v", flag, err)
	}
	if err := checkPrivate(path); err != nil {
		return "", usagef("%s: %v", flag, err)
	}
	s := trim(string(b))
	if s == "" {
		return "", usagef("%s %s is empty", flag, path)
	}
	return s, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// fixedCompletions completes a flag from a fixed list.
func fixedCompletions(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// noArgs is the Args check of commands without arguments, in the CLI's words.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", cmd.Name(), args)
	}
	return nil
}
