// Command conformance runs the conformance suite against a Grafana given by the
// environment and prints the report (see docs/conformance.md):
//
//	GRAFANA_URL=http://localhost:3000/ GRAFANA_USER=admin GRAFANA_PASSWORD=admin \
//	  [GRAFANA_TOKEN=glsa_…] [GRAFANA_VERSION=11.6.14] [GRAFANA_CONFORMANCE_SEED=seed.json] \
//	  go run ./conformance/cmd/conformance
//
// Exit status: 0 when no case failed, 1 when one did, 2 when the run could not start.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/grafana-invites/grafana-invites/conformance"
)

func main() {
	os.Exit(run())
}

func run() int {
	t := conformance.Target{
		URL: os.Getenv("GRAFANA_URL"), AdminLogin: os.Getenv("GRAFANA_USER"), AdminPassword: os.Getenv("GRAFANA_PASSWORD"),
		Token: os.Getenv("GRAFANA_TOKEN"), Version: os.Getenv("GRAFANA_VERSION"),
	}
	if t.URL == "" || t.AdminLogin == "" || t.AdminPassword == "" {
		fmt.Fprintln(os.Stderr, "conformance: set GRAFANA_URL, GRAFANA_USER and GRAFANA_PASSWORD (a server admin); see docs/conformance.md")
		return 2
	}
	if path := os.Getenv("GRAFANA_CONFORMANCE_SEED"); path != "" {
		data, err := os.ReadFile(path) //nolint:gosec // a file named by the user
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 2
		}
		if t.Accounts, err = conformance.AccountsFromSeed(data); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	results, err := conformance.Run(ctx, t)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if conformance.WriteReport(os.Stdout, results) > 0 {
		return 1
	}
	return 0
}
