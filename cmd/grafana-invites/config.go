package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/grafana-invites/grafana-invites/api"
)

// conn holds the connection settings shared by list, invite, revoke and sync.
type conn struct {
	url, token, tokenFile, user, password, passwordFile, orgID, timeout string
}

func (c *conn) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "url", "", "Grafana's root URL (env GRAFANA_URL)")
	fs.StringVar(&c.token, "token", "", "service-account token (env GRAFANA_TOKEN); prefer --token-file")
	fs.StringVar(&c.tokenFile, "token-file", "", "file holding the service-account token")
	fs.StringVar(&c.user, "user", "", "basic-auth login (env GRAFANA_USER)")
	fs.StringVar(&c.password, "password", "", "basic-auth password (env GRAFANA_PASSWORD); prefer --password-file")
	fs.StringVar(&c.passwordFile, "password-file", "", "file holding the basic-auth password")
	fs.StringVar(&c.orgID, "org-id", "", "organisation id (env GRAFANA_ORG_ID; default: the credentials' own)")
	fs.StringVar(&c.timeout, "timeout", api.DefaultTimeout.String(), "bound of each call to Grafana, retries included, e.g. 30s or 2m")
}

// client builds the API client from flags, then the environment. Credentials come from
// the flags when any credential flag is given, else from the environment; within one
// source, a token and a user at once is an error.
func (c *conn) client(e *env) (*api.Client, error) {
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
		b, err := e.readFile(c.passwordFile) //nolint:gosec // a file named by the user
		if err != nil {
			return nil, usagef("cannot read --password-file: %v", err)
		}
		if password = strings.TrimRight(string(b), "\r\n"); password == "" {
			return nil, usagef("--password-file %s is empty", c.passwordFile)
		}
	}
	if c.tokenFile != "" {
		if token != "" {
			return nil, usagef("both --token and --token-file are set; use one")
		}
		b, err := e.readFile(c.tokenFile) //nolint:gosec // a file named by the user
		if err != nil {
			return nil, usagef("cannot read --token-file: %v", err)
		}
		if token = strings.TrimSpace(string(b)); token == "" {
			return nil, usagef("--token-file %s is empty", c.tokenFile)
		}
	}
	if token == "" && user == "" && password == "" {
		token, user, password, source = e.getenv("GRAFANA_TOKEN"), e.getenv("GRAFANA_USER"), e.getenv("GRAFANA_PASSWORD"), "environment"
	}
	opts := []api.Option{api.WithTimeout(timeout)}
	switch {
	case token != "" && (user != "" || password != ""):
		if source == "flags" {
			return nil, usagef("both a token (--token/--token-file) and basic auth (--user/--password) are set; use one")
		}
		return nil, usagef("both GRAFANA_TOKEN and GRAFANA_USER/GRAFANA_PASSWORD are set; unset one")
	case token != "":
		opts = append(opts, api.WithToken(token))
	case user != "" && password != "":
		opts = append(opts, api.WithBasicAuth(user, password))
	case user != "":
		return nil, usagef("--user needs a password: set --password or GRAFANA_PASSWORD")
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
		return nil, usagef("%s", strings.TrimPrefix(strings.TrimPrefix(err.Error(), "grafana: "), "New: "))
	}
	return cl, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseArgs parses flags placed anywhere among the arguments ("invite a@b.co --role Viewer")
// and returns the arguments that are not flags. After "--", everything is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if args = fs.Args(); len(args) == 0 {
			return append(rest, tail...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// newFlagSet makes a flag set that prints its usage to stderr.
func newFlagSet(name, usage string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: grafana-invites "+usage)
		fs.PrintDefaults()
	}
	return fs
}
