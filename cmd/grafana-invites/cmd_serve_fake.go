package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// fakeSettings is what serve-fake --json prints: how to reach the fake and sign in.
type fakeSettings struct {
	URL            string `json:"url"`
	Token          string `json:"token"`
	User           string `json:"user"`
	Password       string `json:"password"`
	OrgID          int64  `json:"orgId"`
	GrafanaVersion string `json:"grafanaVersion"`
}

// injectedFault is one --fault.
type injectedFault struct {
	op    fakegrafana.Operation
	fault fakegrafana.Fault
}

// parseFaults reads --fault OP:STATUS[:TIMES] values.
func parseFaults(specs []string) ([]injectedFault, error) {
	var out []injectedFault
	for _, spec := range specs {
		parts := strings.Split(spec, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, usagef("--fault %q: want OP:STATUS[:TIMES], e.g. addOrgInvite:503:2", spec)
		}
		op := fakegrafana.Operation(parts[0])
		if !slices.Contains(fakegrafana.Operations(), op) {
			return nil, usagef("--fault %q: %q is not an operation; want one of %s", spec, parts[0], operationNames())
		}
		status, err := strconv.Atoi(parts[1])
		if err != nil || status < 100 || status > 599 {
			return nil, usagef("--fault %q: the status %q is not an HTTP status (100 to 599)", spec, parts[1])
		}
		times := 1
		if len(parts) == 3 {
			if times, err = strconv.Atoi(parts[2]); err != nil || times < 1 {
				return nil, usagef("--fault %q: the count %q is not a positive number", spec, parts[2])
			}
		}
		out = append(out, injectedFault{op, fakegrafana.Fault{Times: times, Status: status}})
	}
	return out, nil
}

func operationNames() string {
	var names []string
	for _, op := range fakegrafana.Operations() {
		names = append(names, string(op))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// faultCompletions completes --fault with the operations, then common statuses.
func faultCompletions(_ *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, op := range fakegrafana.Operations() {
		if !strings.Contains(typed, ":") {
			out = append(out, string(op)+":")
			continue
		}
		for _, status := range []string{"429", "500", "502", "503", "504"} {
			out = append(out, string(op)+":"+status)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// serveFakeOptions are serve-fake's flags.
type serveFakeOptions struct {
	app *app
	// Addr is where to listen; Version the Grafana release to behave as; SeedFile a seed to
	// add.
	Addr, Version, SeedFile string
	SMTP, LoginDisabled     bool
	// JSON prints the settings as one JSON line.
	JSON    bool
	Latency time.Duration
	// Faults are the --fault flags, parsed.
	Faults []injectedFault
}

// newServeFakeCmd builds serve-fake; runF, when not nil, is called with the parsed options
// instead of runServeFake (tests check the flags so).
func newServeFakeCmd(a *app, runF func(context.Context, *serveFakeOptions) error) *cobra.Command {
	opts := &serveFakeOptions{app: a}
	var faults []string
	cmd := &cobra.Command{
		Use:   "serve-fake [flags]",
		Short: "Serve the fake Grafana for clients in other languages",
		Long: `Serve the in-memory fake Grafana (the one this project tests against) until Ctrl-C or
SIGTERM, and print its URL, an admin token and the basic-auth login. It answers the invite
endpoints as the Grafana release --grafana-version does, with Grafana's authentication,
permissions and errors.

For another language's test suite: --addr 127.0.0.1:0 picks a free port, --json prints the
URL and credentials as one JSON line (and nothing else on stdout), --latency delays every
call as a distant Grafana would, and --fault OP:STATUS[:TIMES] answers the next TIMES calls
(default 1) of an operation (an operationId, such as addOrgInvite) with STATUS.`,
		Example: `  grafana-invites serve-fake
  grafana-invites serve-fake --addr 127.0.0.1:0 --grafana-version 11.2.0
  grafana-invites serve-fake --addr 127.0.0.1:0 --json --latency 20ms --fault addOrgInvite:503:2
  grafana-invites serve-fake --smtp=false --seed conformance/seed.json`,
		Args: noArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:3000", "address to listen on (port 0 picks a free one)")
	fs.BoolVar(&opts.SMTP, "smtp", true, "behave as a Grafana with SMTP configured")
	fs.BoolVar(&opts.LoginDisabled, "login-disabled", false, "behave as a Grafana whose login form is disabled")
	fs.StringVar(&opts.Version, "grafana-version", fakegrafana.DefaultGrafanaVersion, "behave as this Grafana release, e.g. 11.2.0 (9.0.0 and later)")
	fs.StringVar(&opts.SeedFile, "seed", "", "a JSON file of orgs, users and tokens to add to the default seed (docs/conformance.md)")
	fs.BoolVar(&opts.JSON, "json", false, "print the URL and credentials as one JSON line, and nothing else on stdout")
	fs.DurationVar(&opts.Latency, "latency", 0, "delay every call by this long, e.g. 20ms")
	fs.StringArrayVar(&faults, "fault", nil, "OP:STATUS[:TIMES]: answer the next TIMES calls (default 1) of OP with STATUS (repeatable)")
	_ = cmd.RegisterFlagCompletionFunc("latency", fixedCompletions("5ms", "20ms", "100ms"))
	_ = cmd.RegisterFlagCompletionFunc("fault", faultCompletions)
	_ = cmd.RegisterFlagCompletionFunc("addr", fixedCompletions("127.0.0.1:3000", "127.0.0.1:0", "0.0.0.0:3000"))
	_ = cmd.RegisterFlagCompletionFunc("grafana-version", fixedCompletions("9.5.0", "10.4.0", "11.2.0", "11.6.0", "12.4.0", fakegrafana.DefaultGrafanaVersion))
	_ = cmd.MarkFlagFilename("seed", "json")
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		var err error
		if opts.Faults, err = parseFaults(faults); err != nil {
			return err
		}
		if opts.Latency < 0 {
			return usagef("--latency %v: want zero or more", opts.Latency)
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return runServeFake(ctx, opts)
	})
	return cmd
}

// runServeFake serves the fake until Ctrl-C or SIGTERM.
func runServeFake(ctx context.Context, o *serveFakeOptions) error {
	a := o.app
	opts := []fakegrafana.Option{fakegrafana.WithSMTP(o.SMTP), fakegrafana.WithLoginFormDisabled(o.LoginDisabled),
		fakegrafana.WithGrafanaVersion(o.Version), fakegrafana.WithLatency(o.Latency)}
	if o.SeedFile != "" {
		data, err := a.e.readFile(o.SeedFile)
		if err != nil {
			return usagef("serve-fake: --seed: %v", err)
		}
		opts = append(opts, fakegrafana.WithSeed(data))
	}
	if _, err := fakegrafana.New(opts...); err != nil {
		return usagef("serve-fake: %v", strings.TrimPrefix(err.Error(), "fakegrafana: "))
	}
	root, fake, stop, err := listenFake(ctx, o.Addr, opts...)
	if err != nil {
		return usagef("serve-fake: cannot listen on %s: %v", o.Addr, err)
	}
	for _, f := range o.Faults {
		fake.Inject(f.op, f.fault)
	}
	w := a.e.stdout
	if o.JSON {
		err := writeCompactJSON(w, fakeSettings{URL: root, Token: fakegrafana.DefaultAdminToken, User: "admin", Password: "admin",
			OrgID: 1, GrafanaVersion: o.Version})
		if err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "fake Grafana %s listening on %s\n", o.Version, root)
		fmt.Fprintf(w, "GRAFANA_URL=%s\n", root)
		fmt.Fprintf(w, "GRAFANA_TOKEN=%s\n", fakegrafana.DefaultAdminToken)
		fmt.Fprintln(w, "basic auth: admin / admin (server admin); org 1 \"Main Org.\"")
		fmt.Fprintln(w, "stop with Ctrl-C")
	}
	select {
	case <-a.e.interrupt:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := stop(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve-fake: shutdown: %w", err)
	}
	if o.JSON {
		w = a.e.stderr // stdout holds the one JSON line
	}
	fmt.Fprintln(w, "stopped")
	return nil
}
