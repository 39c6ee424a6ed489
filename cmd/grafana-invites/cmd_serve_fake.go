package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

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

func newServeFakeCmd(a *app) *cobra.Command {
	var addr, version, seedFile string
	var smtp, loginDisabled bool
	cmd := &cobra.Command{
		Use:   "serve-fake [flags]",
		Short: "Serve the fake Grafana for clients in other languages",
		Long: `Serve the in-memory fake Grafana (the one this project tests against) until Ctrl-C or
SIGTERM, and print its URL, an admin token and the basic-auth login. It answers the invite
endpoints as the Grafana release --grafana-version does, with Grafana's authentication,
permissions and errors.`,
		Example: `  grafana-invites serve-fake
  grafana-invites serve-fake --addr 127.0.0.1:0 --grafana-version 11.2.0
  grafana-invites serve-fake --smtp=false --seed conformance/seed.json`,
		Args: noArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:3000", "address to listen on (port 0 picks a free one)")
	fs.BoolVar(&smtp, "smtp", true, "behave as a Grafana with SMTP configured")
	fs.BoolVar(&loginDisabled, "login-disabled", false, "behave as a Grafana whose login form is disabled")
	fs.StringVar(&version, "grafana-version", fakegrafana.DefaultGrafanaVersion, "behave as this Grafana release, e.g. 11.2.0 (9.0.0 and later)")
	fs.StringVar(&seedFile, "seed", "", "a JSON file of orgs, users and tokens to add to the default seed (docs/conformance.md)")
	_ = cmd.RegisterFlagCompletionFunc("addr", fixedCompletions("127.0.0.1:3000", "127.0.0.1:0", "0.0.0.0:3000"))
	_ = cmd.RegisterFlagCompletionFunc("grafana-version", fixedCompletions("9.5.0", "10.4.0", "11.2.0", "11.6.0", "12.4.0", fakegrafana.DefaultGrafanaVersion))
	_ = cmd.MarkFlagFilename("seed", "json")
	cmd.RunE = a.runE(func(ctx context.Context, _ *cobra.Command, _ []string) error {
		opts := []fakegrafana.Option{fakegrafana.WithSMTP(smtp), fakegrafana.WithLoginFormDisabled(loginDisabled), fakegrafana.WithGrafanaVersion(version)}
		if seedFile != "" {
			data, err := a.e.readFile(seedFile)
			if err != nil {
				return usagef("serve-fake: --seed: %v", err)
			}
			opts = append(opts, fakegrafana.WithSeed(data))
		}
		if _, err := fakegrafana.NewServer(opts...); err != nil {
			return usagef("serve-fake: %v", strings.TrimPrefix(err.Error(), "fakegrafana: "))
		}
		root, stop, err := listenFake(ctx, addr, opts...)
		if err != nil {
			return usagef("serve-fake: cannot listen on %s: %v", addr, err)
		}
		w := a.e.stdout
		fmt.Fprintf(w, "fake Grafana %s listening on %s\n", version, root)
		fmt.Fprintf(w, "GRAFANA_URL=%s\n", root)
		fmt.Fprintf(w, "GRAFANA_TOKEN=%s\n", fakegrafana.DefaultAdminToken)
		fmt.Fprintln(w, "basic auth: admin / admin (server admin); org 1 \"Main Org.\"")
		fmt.Fprintln(w, "stop with Ctrl-C")
		select {
		case <-a.e.interrupt:
		case <-ctx.Done():
		}
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := stop(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve-fake: shutdown: %w", err)
		}
		fmt.Fprintln(w, "stopped")
		return nil
	})
	return cmd
}
