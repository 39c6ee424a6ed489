// Command grafana-invites invites people to a Grafana organisation, lists and revokes
// pending invites, and syncs them from a CSV file; it also serves and demonstrates the
// in-memory fake Grafana.
//
// Usage:
//
//	grafana-invites <command> [flags] [arguments]
//
// Run "grafana-invites help" for the commands and "grafana-invites <command> -h" for their
// flags. Exit status: 0 success, 1 a Grafana or network error, 2 a usage or input error.
//
// It is built on the standard library only, so that the module's go.mod keeps requiring
// nothing but oapi-codegen's runtime (and testify for tests).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // Grafana or network error
	exitUsage = 2 // usage or input error
	// exitInterrupted is the shell's status for a command ended by Ctrl-C (128 + SIGINT).
	exitInterrupted = 130
)

// env is what a command may touch of the outside world; tests replace it.
type env struct {
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	getenv   func(string) string
	readFile func(string) ([]byte, error)
	isTTY    bool // stderr is a terminal: progress may redraw a line
	stdinTTY bool // stdin is a terminal: a question may be asked
	now      func() time.Time
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, e *env) int
}

func commands() map[string]command {
	return map[string]command{
		"demo":       {"walk through invite → list → revoke → list on an in-process fake Grafana", runDemo},
		"serve-fake": {"serve the fake Grafana for clients in other languages", runServeFake},
		"list":       {"list pending invites, newest first, with age and URL", runList},
		"invite":     {"invite addresses (idempotent: a pending invite is reused)", runInvite},
		"revoke":     {"revoke invites by code, or all pending invites of an address", runRevoke},
		"sync":       {"make pending invites match a CSV file (email, role, name)", runSync},
		"renew":      {"renew pending invites before they lapse (new invite first, then the old revoked)", runRenew},
		"version":    {"print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, readFile: os.ReadFile, isTTY: isTerminal(os.Stderr), stdinTTY: isTerminal(os.Stdin), now: time.Now,
	}
	code := run(ctx, os.Args[1:], e)
	stop()
	os.Exit(code)
}

// run dispatches to a command and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	cmds := commands()
	if len(args) == 0 {
		usage(e.stderr, cmds)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(e.stdout, cmds)
		return exitOK
	case "--version", "-version":
		return runVersion(ctx, nil, e)
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "grafana-invites: unknown command %q; run 'grafana-invites help'\n", args[0])
		return exitUsage
	}
	return c.run(ctx, args[1:], e)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "grafana-invites: manage invitations to a Grafana organisation")
	fmt.Fprintln(w, "\nUsage: grafana-invites <command> [flags] [arguments]")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nConnection settings (list, invite, revoke, sync, renew):")
	fmt.Fprintln(w, "  --url / GRAFANA_URL            Grafana's root URL")
	fmt.Fprintln(w, "  --token / GRAFANA_TOKEN        service-account token (or --token-file FILE)")
	fmt.Fprintln(w, "  --user, --password / GRAFANA_USER, GRAFANA_PASSWORD   basic auth instead of a token")
	fmt.Fprintln(w, "  --org-id / GRAFANA_ORG_ID      organisation id (default: the credentials' own)")
	fmt.Fprintln(w, "  --timeout                      bound of each call (default 30s)")
	fmt.Fprintln(w, "\nExit status: 0 success, 1 Grafana or network error, 2 usage or input error.")
	fmt.Fprintln(w, "Run 'grafana-invites <command> -h' for a command's flags.")
}

// usageError is a mistake of the caller: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// fail prints err and returns its exit status.
func fail(e *env, err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(e.stderr, "grafana-invites: "+ue.msg)
		return exitUsage
	}
	fmt.Fprintln(e.stderr, strings.TrimRight(explain(err), "\n"))
	return exitError
}
