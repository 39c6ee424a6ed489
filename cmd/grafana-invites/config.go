package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// configFile is the CLI's configuration: named contexts, each a Grafana (URL, organisation)
// and a reference to its credentials, never the credentials themselves.
type configFile struct {
	// CurrentContext is the context used when neither --context nor GRAFANA_CONTEXT names one.
	CurrentContext string `yaml:"currentContext,omitempty"`
	// Contexts by name.
	Contexts map[string]*contextEntry `yaml:"contexts,omitempty"`
}

// contextEntry is one context: where Grafana is and where its credentials are found.
// A fleet's saved plan holds one as JSON.
type contextEntry struct {
	URL   string `yaml:"url" json:"url"`
	OrgID int64  `yaml:"orgId,omitempty" json:"orgId,omitempty"`
	// TokenEnv names the environment variable holding a service-account token; TokenFile a
	// file holding one.
	TokenEnv  string `yaml:"tokenEnv,omitempty" json:"tokenEnv,omitempty"`
	TokenFile string `yaml:"tokenFile,omitempty" json:"tokenFile,omitempty"`
	// User is a basic-auth login, its password in the variable PasswordEnv or the file
	// PasswordFile (asked for on a terminal when neither is set).
	User         string `yaml:"user,omitempty" json:"user,omitempty"`
	PasswordEnv  string `yaml:"passwordEnv,omitempty" json:"passwordEnv,omitempty"`
	PasswordFile string `yaml:"passwordFile,omitempty" json:"passwordFile,omitempty"`
}

// configPath is where the configuration lives: $GRAFANA_INVITES_CONFIG, else
// $XDG_CONFIG_HOME/grafana-invites/config.yaml, else the OS's user configuration directory.
func configPath(e *env) (string, error) {
	if p := e.getenv("GRAFANA_INVITES_CONFIG"); p != "" {
		return p, nil
	}
	dir := e.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return "", usagef("no configuration directory (set GRAFANA_INVITES_CONFIG or XDG_CONFIG_HOME): %v", err)
		}
	}
	return filepath.Join(dir, "grafana-invites", "config.yaml"), nil
}

// loadConfig reads the configuration; a missing file is an empty one. A malformed file is
// a usage error naming the file and each problem's line; so is a context the file describes
// wrongly (see check).
func loadConfig(e *env) (*configFile, string, error) {
	path, err := configPath(e)
	if err != nil {
		return nil, "", err
	}
	data, err := e.readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &configFile{}, path, nil
	}
	if err != nil {
		return nil, path, usagef("cannot read the configuration %s: %v", path, err)
	}
	cfg := &configFile{}
	if probs, _ := decodeStrict(path, data, cfg); len(probs) == 1 {
		return nil, path, usagef("the configuration is malformed: %s", probs[0].text)
	} else if len(probs) > 1 {
		return nil, path, usagef("the configuration is malformed:\n  %s", strings.Join(problemTexts(probs), "\n  "))
	}
	for _, name := range cfg.names() {
		if err := cfg.Contexts[name].check(contextWhat(name)); err != nil {
			return nil, path, usagef("the configuration %s: %v", path, err)
		}
	}
	return cfg, path, nil
}

// names are the contexts' names, sorted.
func (c *configFile) names() []string {
	out := make([]string, 0, len(c.Contexts))
	for n := range c.Contexts {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// check refuses a context (or a fleet file's instance) that cannot be used: no URL, no
// credentials or two kinds, a secret written in place of a reference. what names it in
// messages: `context "prod"`.
func (ce *contextEntry) check(what string) error {
	if ce == nil {
		return fmt.Errorf("%s is empty", what)
	}
	if ce.URL == "" {
		return fmt.Errorf("%s has no url", what)
	}
	kinds := 0
	for _, v := range []string{ce.TokenEnv, ce.TokenFile, ce.User} {
		if v != "" {
			kinds++
		}
	}
	switch {
	case kinds == 0:
		return fmt.Errorf("%s has no credentials: give tokenEnv, tokenFile, or user with passwordEnv or passwordFile", what)
	case kinds > 1:
		return fmt.Errorf("%s has more than one kind of credentials (tokenEnv, tokenFile, user): keep one", what)
	case ce.User == "" && (ce.PasswordEnv != "" || ce.PasswordFile != ""):
		return fmt.Errorf("%s has a password without a user", what)
	case ce.PasswordEnv != "" && ce.PasswordFile != "":
		return fmt.Errorf("%s has both passwordEnv and passwordFile: keep one", what)
	}
	for _, v := range []string{ce.TokenEnv, ce.PasswordEnv} {
		if v != "" && !envName.MatchString(v) {
			return fmt.Errorf("%s: %q is not the name of an environment variable (it holds references, never secrets)", what, v)
		}
	}
	return nil
}

// contextWhat names a context in messages.
func contextWhat(name string) string { return fmt.Sprintf("context %q", name) }

// envName is the shape of an environment variable's name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// saveConfig writes the configuration readable by its owner only, atomically: a crash
// leaves the old file or the new one, never half of one.
func saveConfig(path string, cfg *configFile) error {
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return usagef("cannot create %s: %v", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return usagef("cannot write the configuration in %s: %v", dir, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename; left by a failure
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	header := "# grafana-invites contexts: credentials by reference only (see grafana-invites help context)\n"
	if _, err := tmp.Write(append([]byte(header), data...)); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return usagef("cannot write the configuration %s: %v", path, err)
	}
	return nil
}
