package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// newContextCmd is "context": the subcommands that keep the named Grafanas of the
// configuration.
func newContextCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "context <command>",
		Short: "Name several Grafanas (URL, organisation, credentials by reference) and switch between them",
		Long: `A context is a Grafana by name: its URL, organisation and where its credentials are found
(an environment variable or a file holding a token, or a user with such a password), never
the credentials themselves. Contexts live in $GRAFANA_INVITES_CONFIG, else
$XDG_CONFIG_HOME/grafana-invites/config.yaml (~/.config/grafana-invites/config.yaml),
written readable by you only.

A context is used whole: the one named by --context, GRAFANA_CONTEXT or 'context use'
supplies the URL, the organisation and the credentials together, and a URL, organisation or
credentials from a flag or the environment beside it is refused, so that credentials never
travel to a URL they were not given for. A token or password file that other users can read
is refused, as ssh refuses such a key.`,
		Example: `  grafana-invites context add prod --url https://grafana.example.com/ --token-env GRAFANA_PROD_TOKEN
  grafana-invites context add staging --url https://staging.example.com/ --org-id 2 --token-file ~/.grafana/staging
  grafana-invites context use prod
  grafana-invites context list
  grafana-invites list --context staging`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(a.e.stderr)
			_ = cmd.Usage()
			return &exitStatus{exitUsage}
		},
	}
	cmd.AddCommand(newContextAddCmd(a, nil), newContextUseCmd(a, nil), newContextListCmd(a, nil), newContextShowCmd(a, nil), newContextRemoveCmd(a, nil))
	return cmd
}

// contextNames completes an argument with the configuration's context names.
func (a *app) contextNames(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	cfg, _, err := loadConfig(a.e)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, n := range cfg.names() {
		out = append(out, cobra.CompletionWithDesc(n, cfg.Contexts[n].URL))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// contextAddOptions are "context add"'s argument and flags.
type contextAddOptions struct {
	app   *app
	Name  string
	Entry contextEntry
	// Force replaces a context of that name.
	Force bool
}

// newContextAddCmd builds "context add"; runF, when not nil, is called with the parsed
// options instead of runContextAdd (tests check the flags so).
func newContextAddCmd(a *app, runF func(context.Context, *contextAddOptions) error) *cobra.Command {
	opts := &contextAddOptions{app: a}
	var orgID int64
	cmd := &cobra.Command{
		Use:   "add NAME --url URL [--org-id N] (--token-env VAR | --token-file FILE | --user USER [--password-env VAR | --password-file FILE])",
		Short: "Add a context: a Grafana's URL, organisation and where its credentials are",
		Long: `Add a context. Its credentials are a reference: the name of an environment variable or
the path of a file holding a token, or a user with such a reference to the password (without
one, the password is asked for on a terminal). The secret itself is never written. The first
context added becomes the current one.`,
		Example: `  grafana-invites context add prod --url https://grafana.example.com/ --token-env GRAFANA_PROD_TOKEN
  grafana-invites context add lab --url http://127.0.0.1:3000/ --user admin --password-file ~/.grafana/lab`,
		Args: exactlyOneName("context add"),
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Entry.URL, "url", "", "Grafana's root URL (required)")
	fs.Int64Var(&orgID, "org-id", 0, "organisation id (default: the credentials' own)")
	fs.StringVar(&opts.Entry.TokenEnv, "token-env", "", "environment variable holding the service-account token")
	fs.StringVar(&opts.Entry.TokenFile, "token-file", "", "file holding the service-account token (mode 0600)")
	fs.StringVar(&opts.Entry.User, "user", "", "basic-auth login")
	fs.StringVar(&opts.Entry.PasswordEnv, "password-env", "", "environment variable holding the user's password")
	fs.StringVar(&opts.Entry.PasswordFile, "password-file", "", "file holding the user's password (mode 0600)")
	fs.BoolVar(&opts.Force, "force", false, "replace a context of that name")
	_ = cmd.MarkFlagFilename("token-file")
	_ = cmd.MarkFlagFilename("password-file")
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, args []string) error {
		opts.Name, opts.Entry.OrgID = args[0], orgID
		if orgID < 0 {
			return usagef("--org-id %d: want a positive number", orgID)
		}
		if err := checkURL(setting{opts.Entry.URL, "--url"}); err != nil {
			return err
		}
		for _, f := range []*string{&opts.Entry.TokenFile, &opts.Entry.PasswordFile} {
			if *f != "" {
				abs, err := filepath.Abs(*f)
				if err != nil {
					return usagef("%s: %v", *f, err)
				}
				*f = abs
			}
		}
		if err := opts.Entry.check(contextWhat(opts.Name)); err != nil {
			return usagef("%s (flags: --token-env, --token-file, or --user with --password-env or --password-file)", err)
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runContextAdd(opts)
	})
	return cmd
}

// runContextAdd writes the context; the first one becomes current.
func runContextAdd(opts *contextAddOptions) error {
	a := opts.app
	cfg, path, err := loadConfig(a.e)
	if err != nil {
		return err
	}
	if _, ok := cfg.Contexts[opts.Name]; ok && !opts.Force {
		return usagef("context %q exists: add --force to replace it", opts.Name)
	}
	if cfg.Contexts == nil {
		cfg.Contexts = map[string]*contextEntry{}
	}
	entry := opts.Entry
	cfg.Contexts[opts.Name] = &entry
	if cfg.CurrentContext == "" {
		cfg.CurrentContext = opts.Name
	}
	if err := saveConfig(path, cfg); err != nil {
		return err
	}
	a.note("context %q added to %s", opts.Name, path)
	if cfg.CurrentContext == opts.Name {
		a.note("it is the current context")
	}
	return nil
}

// contextNameOptions are the options of the subcommands that take a context's name.
type contextNameOptions struct {
	app  *app
	Name string
}

// newContextUseCmd builds "context use"; runF, when not nil, is called instead of
// runContextUse.
func newContextUseCmd(a *app, runF func(context.Context, *contextNameOptions) error) *cobra.Command {
	return newContextNameCmd(a, &cobra.Command{
		Use:     "use NAME",
		Short:   "Make a context the current one",
		Example: "  grafana-invites context use prod",
		Args:    exactlyOneName("context use"),
	}, runF, runContextUse)
}

func runContextUse(opts *contextNameOptions) error {
	cfg, path, err := loadConfig(opts.app.e)
	if err != nil {
		return err
	}
	if _, err := cfg.lookup(opts.Name, "context use"); err != nil {
		return err
	}
	cfg.CurrentContext = opts.Name
	if err := saveConfig(path, cfg); err != nil {
		return err
	}
	opts.app.note("now using context %q (%s)", opts.Name, cfg.Contexts[opts.Name].URL)
	return nil
}

// newContextNameCmd finishes a context subcommand that takes a context's name (use, show,
// remove): the name is completed, and runF (tests) or run is called with it.
func newContextNameCmd(a *app, cmd *cobra.Command, runF func(context.Context, *contextNameOptions) error, run func(*contextNameOptions) error) *cobra.Command {
	opts := &contextNameOptions{app: a}
	cmd.ValidArgsFunction = a.contextNames
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, args []string) error {
		if len(args) == 1 {
			opts.Name = args[0]
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return run(opts)
	})
	return cmd
}

// lookup returns the context name names, or a usage error listing those there are.
func (c *configFile) lookup(name, from string) (*contextEntry, error) {
	if ce, ok := c.Contexts[name]; ok {
		return ce, nil
	}
	if len(c.Contexts) == 0 {
		return nil, usagef("no context %q (%s): there are none; add one with grafana-invites context add", name, from)
	}
	return nil, usagef("no context %q (%s); the contexts are: %s", name, from, strings.Join(c.names(), ", "))
}

// newContextListCmd builds "context list"; runF, when not nil, is called instead of
// runContextList.
func newContextListCmd(a *app, runF func(context.Context, *contextNameOptions) error) *cobra.Command {
	opts := &contextNameOptions{app: a}
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the contexts, the current one marked with *",
		Example: "  grafana-invites context list",
		Args:    noArgs,
	}
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		if runF != nil {
			return runF(ctx, opts)
		}
		return runContextList(opts)
	})
	return cmd
}

func runContextList(opts *contextNameOptions) error {
	cfg, path, err := loadConfig(opts.app.e)
	if err != nil {
		return err
	}
	w := opts.app.e.stdout
	if len(cfg.Contexts) == 0 {
		fmt.Fprintf(w, "(no contexts in %s; add one with grafana-invites context add)\n", path)
		return nil
	}
	t := newTable(w, "CURRENT", "NAME", "URL", "ORG", "CREDENTIALS")
	for _, n := range cfg.names() {
		ce := cfg.Contexts[n]
		mark := ""
		if n == cfg.CurrentContext {
			mark = "*"
		}
		t.row(mark, n, ce.URL, orgOf(ce), ce.credentialsRef())
	}
	t.flush()
	return nil
}

// orgOf is a context's organisation as tables show it.
func orgOf(ce *contextEntry) string {
	if ce.OrgID == 0 {
		return "(the credentials' own)"
	}
	return strconv.FormatInt(ce.OrgID, 10)
}

// credentialsRef says where a context's credentials are found, never what they are.
func (ce *contextEntry) credentialsRef() string {
	switch {
	case ce.TokenEnv != "":
		return "token in $" + ce.TokenEnv
	case ce.TokenFile != "":
		return "token in " + ce.TokenFile
	case ce.PasswordEnv != "":
		return "user " + ce.User + ", password in $" + ce.PasswordEnv
	case ce.PasswordFile != "":
		return "user " + ce.User + ", password in " + ce.PasswordFile
	}
	return "user " + ce.User + ", password asked for"
}

// newContextShowCmd builds "context show"; runF, when not nil, is called instead of
// runContextShow.
func newContextShowCmd(a *app, runF func(context.Context, *contextNameOptions) error) *cobra.Command {
	return newContextNameCmd(a, &cobra.Command{
		Use:     "show [NAME]",
		Short:   "Show a context (the current one by default): its references, never secrets",
		Example: "  grafana-invites context show\n  grafana-invites context show prod",
		Args:    cobra.MaximumNArgs(1),
	}, runF, runContextShow)
}

func runContextShow(opts *contextNameOptions) error {
	e := opts.app.e
	cfg, path, err := loadConfig(e)
	if err != nil {
		return err
	}
	name := opts.Name
	if name == "" {
		if name = cfg.CurrentContext; name == "" {
			return usagef("no current context in %s: name one, or choose one with grafana-invites context use", path)
		}
	}
	ce, err := cfg.lookup(name, "context show")
	if err != nil {
		return err
	}
	t := newTable(e.stdout, "name:", name)
	t.row("current:", yesNo(name == cfg.CurrentContext))
	t.row("url:", ce.URL)
	t.row("organisation:", orgOf(ce))
	t.row("credentials:", ce.credentialsRef())
	t.row("ready:", readiness(e, ce))
	t.row("config:", path)
	t.flush()
	return nil
}

// readiness says whether a context's references resolve now: the variable set, the file
// present and private. It never reads the secret out.
func readiness(e *env, ce *contextEntry) string {
	for _, v := range []string{ce.TokenEnv, ce.PasswordEnv} {
		if v != "" && e.getenv(v) == "" {
			return "no: $" + v + " is not set"
		}
	}
	for _, f := range []string{ce.TokenFile, ce.PasswordFile} {
		if f == "" {
			continue
		}
		if err := checkPrivate(f); err != nil {
			return "no: " + err.Error()
		}
	}
	return "yes"
}

// newContextRemoveCmd builds "context remove"; runF, when not nil, is called instead of
// runContextRemove.
func newContextRemoveCmd(a *app, runF func(context.Context, *contextNameOptions) error) *cobra.Command {
	return newContextNameCmd(a, &cobra.Command{
		Use:     "remove NAME",
		Short:   "Remove a context (its credentials' variables and files are left alone)",
		Example: "  grafana-invites context remove staging",
		Args:    exactlyOneName("context remove"),
	}, runF, runContextRemove)
}

func runContextRemove(opts *contextNameOptions) error {
	cfg, path, err := loadConfig(opts.app.e)
	if err != nil {
		return err
	}
	if _, err := cfg.lookup(opts.Name, "context remove"); err != nil {
		return err
	}
	delete(cfg.Contexts, opts.Name)
	if cfg.CurrentContext == opts.Name {
		cfg.CurrentContext = ""
		opts.app.note("it was the current context: choose another with grafana-invites context use")
	}
	if err := saveConfig(path, cfg); err != nil {
		return err
	}
	opts.app.note("context %q removed", opts.Name)
	return nil
}

// exactlyOneName is the Args check of a subcommand that takes one context name.
func exactlyOneName(what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%s needs one context name, got %d arguments", what, len(args))
		}
		return nil
	}
}
