package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// How a named context becomes the connection's settings, used whole (see context help).

// chosenContext is the context a command runs with, and what named it.
type chosenContext struct {
	name, from string
	entry      *contextEntry
	// explicit: --context or GRAFANA_CONTEXT named it, not context use.
	explicit bool
}

// chooseContext picks the context named by --context, else GRAFANA_CONTEXT, else the
// configuration's current one, unless flags and the environment name a Grafana and its
// credentials both (they are then used whole instead); nil when no context applies.
func (c *conn) chooseContext(e *env) (*chosenContext, error) {
	name, from := c.context, "--context"
	if name == "" {
		name, from = e.getenv("GRAFANA_CONTEXT"), "GRAFANA_CONTEXT"
	}
	explicit := name != ""
	if !explicit && c.ownGrafana(e) {
		return nil, nil //nolint:nilnil // flags and environment name the Grafana and its credentials
	}
	cfg, _, err := loadConfig(e)
	if err != nil {
		return nil, err
	}
	if !explicit {
		if name = cfg.CurrentContext; name == "" {
			return nil, nil //nolint:nilnil // no context: flags and environment
		}
		from = "the current context, set by context use"
	}
	ce, err := cfg.lookup(name, from)
	if err != nil {
		return nil, err
	}
	return &chosenContext{name: name, from: from, entry: ce, explicit: explicit}, nil
}

// ownGrafana reports whether flags and the environment name both a Grafana URL and
// credentials.
func (c *conn) ownGrafana(e *env) bool {
	url := c.url != "" || e.getenv("GRAFANA_URL") != ""
	creds := slices.ContainsFunc([]string{c.token, c.tokenFile, c.user, e.getenv("GRAFANA_TOKEN"), e.getenv("GRAFANA_TOKEN_FILE"), e.getenv("GRAFANA_USER")},
		func(v string) bool { return v != "" })
	return url && creds
}

// contextSettings are the settings of a context, used whole: a URL, organisation or
// credentials set beside it by a flag or the environment is refused, naming both, so that
// credentials never travel to a URL they were not given for.
func (c *conn) contextSettings(e *env, cc *chosenContext) (settings, error) {
	ce := cc.entry
	own := []string{ce.TokenEnv, ce.PasswordEnv} // the context's own references are not beside it
	for _, s := range []source{
		{name: "--url", value: c.url}, {name: "--token", value: c.token}, {name: "--token-file", value: c.tokenFile},
		{name: "--user", value: c.user}, {name: "--password", value: c.password}, {name: "--password-file", value: c.passwordFile},
		{name: "--org-id", value: c.orgID},
	} {
		if s.value != "" {
			return settings{}, usagef("%s and context %q (from %s) are both set: a context supplies the URL, organisation and credentials together; drop %s, or the context", s.name, cc.name, cc.from, s.name)
		}
	}
	for _, v := range []string{"GRAFANA_URL", "GRAFANA_TOKEN", "GRAFANA_TOKEN_FILE", "GRAFANA_USER", "GRAFANA_PASSWORD", "GRAFANA_PASSWORD_FILE", "GRAFANA_ORG_ID"} {
		if e.getenv(v) != "" && !slices.Contains(own, v) {
			return settings{}, usagef("%s and context %q (from %s) are both set: a context supplies the URL, organisation and credentials together; unset %s, or drop the context", v, cc.name, cc.from, v)
		}
	}
	return entrySettings(e, contextWhat(cc.name), ce)
}

// entrySettings reads the settings of a context or a fleet file's instance (named by where
// in messages): its URL and organisation, and its credentials from the variables and files
// it names.
func entrySettings(e *env, where string, ce *contextEntry) (settings, error) {
	s := settings{url: setting{ce.URL, where}, org: ce.OrgID}
	var err error
	switch {
	case ce.TokenEnv != "":
		s.token, err = fromEnv(e, where, "token", ce.TokenEnv)
	case ce.TokenFile != "":
		s.token, err = fromFile(e, where, "token", ce.TokenFile, strings.TrimSpace)
	default:
		s.user = setting{ce.User, where}
		switch {
		case ce.PasswordEnv != "":
			s.password, err = fromEnv(e, where, "password", ce.PasswordEnv)
		case ce.PasswordFile != "":
			s.password, err = fromFile(e, where, "password", ce.PasswordFile, func(v string) string { return strings.TrimRight(v, "\r\n") })
		}
	}
	return s, err
}

// fromEnv reads a context's secret from the variable it names.
func fromEnv(e *env, where, what, name string) (setting, error) {
	v := e.getenv(name)
	if v == "" {
		return setting{}, usagef("%s: its %s variable $%s is not set", where, what, name)
	}
	return setting{v, where + " ($" + name + ")"}, nil
}

// fromFile reads a context's secret from the file it names.
func fromFile(e *env, where, what, path string, trim func(string) string) (setting, error) {
	v, err := readSecretFile(e, where+"'s "+what+" file", path, trim)
	return setting{v, where + " (" + path + ")"}, err
}

// checkPrivate refuses a secret file that other users can read or write, as ssh refuses
// such a key: its secret must be assumed known.
func checkPrivate(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		return fmt.Errorf("%s is open to other users (mode %04o): chmod 600 %s", path, mode, path)
	}
	return nil
}
