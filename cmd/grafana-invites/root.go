package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// app is one run of the command: its environment and the global flags.
type app struct {
	e       *env
	quiet   bool // -q: nothing but data and errors
	verbose bool // -v: the client's redacted debug log on stderr
}

// exitStatus is an error already reported to the user: run only returns its status.
type exitStatus struct{ code int }

func (s *exitStatus) Error() string { return fmt.Sprintf("exit status %d", s.code) }

// flagError is a flag cobra could not parse, with where to read about the flags.
type flagError struct {
	err error
	cmd string
}

func (e *flagError) Error() string {
	return e.err.Error() + "\nRun 'grafana-invites help " + e.cmd + "' for its flags."
}

func (e *flagError) Unwrap() error { return e.err }

// usageError is a mistake of the caller: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	if e.interrupt == nil {
		e.interrupt = ctx.Done()
	}
	root := newRoot(&app{e: e})
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var st *exitStatus
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &st):
		return st.code
	}
	// Cobra's own errors (an unknown command or flag, a wrong number of arguments) are
	// the caller's.
	msg := strings.TrimRight(err.Error(), "\n")
	fmt.Fprintln(e.stderr, "grafana-invites: "+msg)
	switch {
	case strings.Contains(msg, "Did you mean") || strings.Contains(msg, "Run '"):
	case cmd != nil && cmd != root:
		fmt.Fprintf(e.stderr, "Run 'grafana-invites help %s' for its usage and examples.\n", cmd.Name())
	default:
		fmt.Fprintln(e.stderr, "Run 'grafana-invites help' for the commands.")
	}
	return exitUsage
}

// newRoot builds the command tree.
func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "grafana-invites",
		Short: "Manage invitations to a Grafana organisation",
		Long: `grafana-invites invites people to a Grafana organisation, lists, revokes and renews
pending invites, and keeps them in line with a CSV file. It talks to Grafana's HTTP API with
a service-account token or a user's password. plan and apply keep a fleet of Grafanas, each
with its organisations, in line with one YAML file (docs/fleet.md).

Each connection setting is resolved on its own: its flag, else its environment variable,
else the default (GRAFANA_URL, GRAFANA_TOKEN or GRAFANA_TOKEN_FILE, GRAFANA_USER,
GRAFANA_PASSWORD or GRAFANA_PASSWORD_FILE, GRAFANA_ORG_ID). A token and a user at once is an
error, unless one comes from flags and the other from the environment: the flags win.

JSON (-o json) is described by docs/cli-output.schema.json: every key present, null for
nothing, the library's outcome tokens, RFC 3339 times.

Exit status: 0 done as asked; 1 a Grafana or network error; 2 a usage or input error (or a
change not confirmed); 3 done, but some address not brought to the state asked for (a
pending invite with another role kept, an email not sent); 4 a dry run (or plan) with
--detailed-exitcode that would change something; 130 interrupted.`,
		Example: `  export GRAFANA_URL=https://grafana.example.com/ GRAFANA_TOKEN=glsa_…
  grafana-invites invite bob@example.com --role Viewer
  grafana-invites list
  grafana-invites sync team.csv --dry-run`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Args:              unknownCommand,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(a.e.stderr)
			_ = cmd.Usage()
			return &exitStatus{exitUsage}
		},
	}
	root.SetOut(a.e.stdout)
	root.SetErr(a.e.stderr)
	root.SetIn(a.e.stdin)
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &flagError{err: err, cmd: strings.TrimPrefix(cmd.CommandPath(), "grafana-invites ")}
	})
	root.SetUsageFunc(usage)
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { help(cmd) })
	pf := root.PersistentFlags()
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print only data and errors: no progress, notes or summaries")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log each request to Grafana on stderr (credentials and codes redacted)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if a.quiet && a.verbose {
			return &exitStatus{a.report(usagef("-q/--quiet (nothing but data and errors) and -v/--verbose (a log of each request) contradict each other: give one"))}
		}
		return nil
	}

	root.AddGroup(&cobra.Group{ID: "invites", Title: "Invites:"}, &cobra.Group{ID: "fleet", Title: "Fleets (several Grafanas from one file):"},
		&cobra.Group{ID: "fake", Title: "The fake Grafana:"})
	for _, c := range []*cobra.Command{newInviteCmd(a, nil), newListCmd(a, nil), newRevokeCmd(a, nil), newRenewCmd(a, nil), newSyncCmd(a, nil)} {
		c.GroupID = "invites"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newPlanCmd(a, nil), newApplyCmd(a, nil)} {
		c.GroupID = "fleet"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newDemoCmd(a, nil), newServeFakeCmd(a, nil)} {
		c.GroupID = "fake"
		root.AddCommand(c)
	}
	root.AddCommand(newContextCmd(a), newVersionCmd(a, nil), newCompletionCmd(a, nil))
	root.SetHelpCommand(newHelpCmd())
	initHelpFlags(root) // so that "help CMD" lists -h as "CMD -h" does
	return root
}

func initHelpFlags(c *cobra.Command) {
	c.InitDefaultHelpFlag()
	for _, sub := range c.Commands() {
		initHelpFlags(sub)
	}
}

// unknownCommand refuses an argument to the root, which can only be a mistyped command,
// and suggests the nearest commands.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return errors.New(msg)
}

// runE adapts a command's body: its error is reported (explained for Grafana's, with the
// usage hint for the caller's) and becomes the exit status.
func (a *app) runE(body func(ctx context.Context, cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := body(cmd.Context(), cmd, args)
		if err == nil {
			return nil
		}
		return &exitStatus{a.report(err)}
	}
}

// report prints err and returns its exit status.
func (a *app) report(err error) int {
	var st *exitStatus
	var ue *usageError
	var ie *interruptedError
	switch {
	case errors.As(err, &st):
		return st.code
	case errors.As(err, &ie):
		fmt.Fprintln(a.e.stderr, "grafana-invites: "+ie.Error())
		return exitInterrupted
	case errors.As(err, &ue):
		fmt.Fprintln(a.e.stderr, "grafana-invites: "+ue.msg)
		return exitUsage
	}
	fmt.Fprintln(a.e.stderr, strings.TrimRight(explain(err), "\n"))
	return exitError
}

// note writes a line for people on stderr, unless -q.
func (a *app) note(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.e.stderr, format+"\n", args...)
	}
}
