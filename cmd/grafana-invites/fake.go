package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

func runVersion(_ context.Context, _ []string, e *env) int {
	fmt.Fprintln(e.stdout, versionLine(debug.ReadBuildInfo()))
	return exitOK
}

// versionLine is the module version, the VCS revision (and whether the tree was modified)
// and the Go version of the build, as the build info records them.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	line := "grafana-invites " + api.Version
	if !ok {
		return line
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		line = "grafana-invites " + v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		line += " (" + rev[:min(12, len(rev))] + modified + ")"
	}
	return line + " " + bi.GoVersion
}

// reachable is a listener's address as a client can dial it: a wildcard host (0.0.0.0,
// ::) listens on every interface but is no address to connect to, so the IPv4 loopback
// stands in (Go's wildcard listeners take IPv4 too).
func reachable(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// listenFake serves a fake Grafana on addr and returns its root URL and a stop function.
func listenFake(ctx context.Context, addr string, opts ...fakegrafana.Option) (string, func(context.Context) error, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, err
	}
	root := "http://" + reachable(ln.Addr()) + "/"
	fake, err := fakegrafana.NewServer(append([]fakegrafana.Option{fakegrafana.WithRootURL(root)}, opts...)...)
	if err != nil {
		_ = ln.Close()
		return "", nil, err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return root, srv.Shutdown, nil
}

func runServeFake(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("serve-fake", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", "127.0.0.1:3000", "address to listen on (port 0 picks a free one)")
	smtp := fs.Bool("smtp", true, "behave as a Grafana with SMTP configured")
	loginDisabled := fs.Bool("login-disabled", false, "behave as a Grafana whose login form is disabled")
	version := fs.String("grafana-version", fakegrafana.DefaultGrafanaVersion, "behave as this Grafana release, e.g. 11.2.0 (9.0.0 and later)")
	seedFile := fs.String("seed", "", "a JSON file of orgs, users and tokens to add to the default seed (docs/conformance.md)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: grafana-invites serve-fake [--addr HOST:PORT] [--smtp=false] [--login-disabled] [--grafana-version X.Y.Z] [--seed FILE]")
		fmt.Fprintln(e.stderr, "Serves an in-memory Grafana with the default seed until SIGINT or SIGTERM.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		return fail(e, usagef("serve-fake takes no arguments, got %q", fs.Args()))
	}
	opts := []fakegrafana.Option{fakegrafana.WithSMTP(*smtp), fakegrafana.WithLoginFormDisabled(*loginDisabled), fakegrafana.WithGrafanaVersion(*version)}
	if *seedFile != "" {
		data, err := e.readFile(*seedFile)
		if err != nil {
			return fail(e, usagef("serve-fake: --seed: %v", err))
		}
		opts = append(opts, fakegrafana.WithSeed(data))
	}
	if _, err := fakegrafana.NewServer(opts...); err != nil {
		return fail(e, usagef("serve-fake: %v", strings.TrimPrefix(err.Error(), "fakegrafana: ")))
	}
	root, stop, err := listenFake(ctx, *addr, opts...)
	if err != nil {
		return fail(e, usagef("serve-fake: cannot listen on %s: %v", *addr, err))
	}
	fmt.Fprintf(e.stdout, "fake Grafana %s listening on %s\n", *version, root)
	fmt.Fprintf(e.stdout, "GRAFANA_URL=%s\n", root)
	fmt.Fprintf(e.stdout, "GRAFANA_TOKEN=%s\n", fakegrafana.DefaultAdminToken)
	fmt.Fprintln(e.stdout, "basic auth: admin / admin (server admin); org 1 \"Main Org.\"")
	fmt.Fprintln(e.stdout, "stop with Ctrl-C")
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := stop(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(e.stderr, "grafana-invites: serve-fake: shutdown:", err)
		return exitError
	}
	fmt.Fprintln(e.stdout, "stopped")
	return exitOK
}

// parseFailed maps a flag parsing error to an exit status (-h is not an error).
func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

func runDemo(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	root, stop, err := listenFake(ctx, "127.0.0.1:0",
		fakegrafana.WithUser(fakegrafana.User{Login: "dave", Email: "dave@example.com", Name: "Dave", Password: "dave-pw", Orgs: map[int64]api.Role{}}))
	if err != nil {
		return fail(e, err)
	}
	defer func() { _ = stop(context.Background()) }()

	w := e.stdout
	fmt.Fprintf(w, "Fake Grafana running at %s (org 1 \"Main Org.\", SMTP configured)\n", root)
	c, err := api.New(root, api.WithToken(fakegrafana.DefaultAdminToken))
	if err != nil {
		return fail(e, err)
	}

	fmt.Fprintln(w, "\n1. Invite")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tROLE\tEMAIL\tRESULT")
	for _, r := range []api.InviteRequest{
		{LoginOrEmail: "alice@example.com", Name: "Alice", Role: api.RoleEditor, SendEmail: true},
		{LoginOrEmail: "bob@example.com", Name: "Bob", Role: api.RoleViewer},
		{LoginOrEmail: "carol@example.com", Role: api.RoleAdmin},
		{LoginOrEmail: "dave@example.com", Role: api.RoleViewer},
		{LoginOrEmail: "admin@localhost", Role: api.RoleViewer},
	} {
		res, err := c.Invite(ctx, r)
		result := ""
		switch {
		case errors.Is(err, api.ErrAlreadyMember):
			result = "already a member (412), nothing to do"
		case err != nil:
			return fail(e, err)
		case res.Outcome == api.OutcomeUserAdded:
			result = fmt.Sprintf("existing user added (user id %d), no invite", res.UserID)
		case res.EmailSent:
			result = "invite sent"
		default:
			result = "invite created"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.LoginOrEmail, r.Role, yesNo(r.SendEmail), result)
	}
	_ = tw.Flush()

	fmt.Fprintln(w, "\n2. List pending invites (newest first)")
	pending, err := c.ListPending(ctx)
	if err != nil {
		return fail(e, err)
	}
	printInvites(w, pending, e.now())

	target := pending[len(pending)-1]
	for _, p := range pending {
		if p.Email == "bob@example.com" {
			target = p
		}
	}
	fmt.Fprintf(w, "\n3. Revoke the invite of %s (code %s)\n", target.Email, api.ShortCode(target.Code))
	if err := c.Revoke(ctx, target.Code); err != nil {
		return fail(e, err)
	}
	fmt.Fprintln(w, "revoked")

	fmt.Fprintln(w, "\n4. List pending invites again")
	pending, err = c.ListPending(ctx)
	if err != nil {
		return fail(e, err)
	}
	printInvites(w, pending, e.now())
	fmt.Fprintf(w, "\nDone: %d pending invites; the fake stops now.\n", len(pending))
	return exitOK
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
