package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/api"
)

// conn holds the connection flags of the commands that call Grafana.
type conn struct {
	url, token, tokenFile, user, password, passwordFile, orgID, timeout string
}

// addConnFlags registers the connection flags on cmd, under their own heading.
func addConnFlags(cmd *cobra.Command) *conn {
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
	for _, name := range []string{"url", "token", "token-file", "user", "password", "password-file", "org-id", "timeout"} {
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
	_ = cmd.RegisterFlagCompletionFunc("timeout", fixedCompletions("10s", "30s", "1m", "5m"))
	return c
}

// client builds the API client from the flags, then the environment. Credentials come from
// the flags when any credential flag is given, else from the environment; within one
// source, a token and a user at once is an error. A user without a password is asked for
// it on a terminal.
func (c *conn) client(a *app) (*api.Client, error) {
	e := a.e
	url := firstNonEmpty(c.url, e.getenv("GRAFANA_URL"))
	if url == "" {
		return nil, usagef("no Grafana URL: set --url or GRAFANA_URL (Grafana's root URL, e.g. https://grafana.example.com/)")
	}
	if !strings.Contains(url, "://") && !strings.HasPrefix(url, "/") {
		return nil, usagef("the Grafana URL %q has no scheme: add http:// or https://, e.g. https://%s", url, strings.TrimLeft(url, "/"))
	}
	timeout, err := parseDuration("--timeout", c.timeout, "s")
	if err != nil {
		return nil, err
	}
	token, user, password, source := c.token, c.user, c.password, "flags"
	if c.passwordFile != "" {
		if password != "" {
			return nil, usagef("both --password and --password-file are set; use one")
		}
		// A password may begin or end with spaces: only the line break goes.
		if password, err = readSecretFile(e, "--password-file", c.passwordFile, func(s string) string { return strings.TrimRight(s, "\r\n") }); err != nil {
			return nil, err
		}
	}
	if c.tokenFile != "" {
		if token != "" {
			return nil, usagef("both --token and --token-file are set; use one")
		}
		if token, err = readSecretFile(e, "--token-file", c.tokenFile, strings.TrimSpace); err != nil {
			return nil, err
		}
	}
	if token == "" && user == "" && password == "" {
		token, user, password, source = e.getenv("GRAFANA_TOKEN"), e.getenv("GRAFANA_USER"), e.getenv("GRAFANA_PASSWORD"), "environment"
	}
	opts := []api.Option{api.WithTimeout(timeout), api.WithUserAgent("grafana-invites-cli/" + moduleVersion())}
	if a.verbose {
		opts = append(opts, api.WithLogger(slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	switch {
	case token != "" && (user != "" || password != ""):
		if source == "flags" {
			return nil, usagef("both a token (--token/--token-file) and basic auth (--user/--password) are set; use one")
		}
		return nil, usagef("both GRAFANA_TOKEN and GRAFANA_USER/GRAFANA_PASSWORD are set; unset one")
	case token != "":
		opts = append(opts, api.WithToken(token))
	case user != "" && password == "" && e.stdinTTY && e.stderrTTY:
		if password, err = askPassword(e, user); err != nil {
			return nil, err
		}
		opts = append(opts, api.WithBasicAuth(user, password))
	case user != "" && password != "":
		opts = append(opts, api.WithBasicAuth(user, password))
	case user != "":
		return nil, usagef("--user needs a password: set --password-file, --password or GRAFANA_PASSWORD (on a terminal it is asked for)")
	case password != "":
		return nil, usagef("--password needs a user: set --user or GRAFANA_USER")
	default:
		return nil, usagef("no credentials: set --token, --token-file or GRAFANA_TOKEN, or --user and --password (GRAFANA_USER, GRAFANA_PASSWORD)")
	}
	if org := firstNonEmpty(c.orgID, e.getenv("GRAFANA_ORG_ID")); org != "" {
		id, err := strconv.ParseInt(org, 10, 64)
		if err != nil || id < 1 {
			return nil, usagef("organisation id %q is not a positive number (--org-id, GRAFANA_ORG_ID)", org)
		}
		opts = append(opts, api.WithOrgID(id))
	}
	cl, err := api.New(url, opts...)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return cl, nil
}

// readSecretFile reads a token or password file, trimmed by trim.
func readSecretFile(e *env, flag, path string, trim func(string) string) (string, error) {
	b, err := e.readFile(path)
	if err != nil {
		return "", usagef("cannot read %s: %v", flag, err)
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
