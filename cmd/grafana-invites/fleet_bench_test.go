//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana-invites/grafana-invites/api"
	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

// The shape of BenchmarkFleet: 10 Grafanas × 5 organisations × 200 new invites, 20 ms away.
const (
	fleetBenchInstances = 10
	fleetBenchOrgs      = 5
	fleetBenchInvites   = 200
	fleetBenchLatency   = 20 * time.Millisecond
	// fleetBenchConcurrency is apply's default --concurrency.
	fleetBenchConcurrency = 4
)

// BenchmarkFleet runs `apply -f FLEET --yes` (plan, then apply) as its own process, built
// from this package, against 10 fake Grafanas served by the benchmark, each with 5
// organisations of 200 new invites and 20 ms of latency on every call, at the default
// --concurrency and --parallel. It reports x-ideal, the time over the latency-bound ideal
// (the slowest instance's sequential round trips at that concurrency × 20 ms: a list per
// organisation to plan, then per organisation 200/4 invites and a list), and peak-MiB, the
// CLI process's peak resident memory. benchcheck holds them to ≤ 1.3 and < 150.
func BenchmarkFleet(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "grafana-invites")
	build := exec.CommandContext(b.Context(), "go", "build", "-o", bin, ".") //nolint:gosec // this package; go test puts its own go first on PATH
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	var csv strings.Builder
	csv.WriteString("email,role,name\n")
	for i := range fleetBenchInvites {
		fmt.Fprintf(&csv, "user%03d@example.com,Viewer,User %d\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "team.csv"), []byte(csv.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	perOrg := (fleetBenchInvites+fleetBenchConcurrency-1)/fleetBenchConcurrency + 1
	ideal := time.Duration(fleetBenchOrgs+fleetBenchOrgs*perOrg) * fleetBenchLatency
	var took time.Duration
	var peakKiB int64
	for b.Loop() {
		b.StopTimer()
		fakes, fleet := fleetBenchGrafanas(b, dir)
		cmd := exec.CommandContext(b.Context(), bin, "apply", "-f", fleet, "--yes", "-q") //nolint:gosec // the binary built above
		cmd.Env = append(os.Environ(), "BENCH_PASSWORD=bench-pw", "GRAFANA_INVITES_CONFIG="+filepath.Join(dir, "no-config.yaml"))
		b.StartTimer()
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatalf("apply: %v\n%s", err, out)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKiB = max(peakKiB, ru.Maxrss)
		}
		for _, fg := range fakes {
			if n := len(fg.Invites()); n != fleetBenchOrgs*fleetBenchInvites {
				b.Fatalf("%d invites in %s, want %d", n, fg.URL, fleetBenchOrgs*fleetBenchInvites)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(took)/float64(b.N)/float64(ideal), "x-ideal")
	b.ReportMetric(float64(peakKiB)/1024, "peak-MiB")
}

// fleetBenchGrafanas serves the fleet's Grafanas and writes its file.
func fleetBenchGrafanas(b *testing.B, dir string) ([]*fakegrafanatest.Server, string) {
	b.Helper()
	var fakes []*fakegrafanatest.Server
	var file strings.Builder
	file.WriteString("instances:\n")
	for i := range fleetBenchInstances {
		opts := []fakegrafana.Option{fakegrafana.WithLatency(fleetBenchLatency)}
		orgs := map[int64]api.Role{}
		for org := int64(1); org <= fleetBenchOrgs; org++ {
			if org > 1 {
				opts = append(opts, fakegrafana.WithOrg(org, fmt.Sprintf("Org %d", org)))
			}
			orgs[org] = api.RoleAdmin
		}
		opts = append(opts, fakegrafana.WithUser(fakegrafana.User{Login: "bench", Email: "bench@example.com", Password: "bench-pw", Orgs: orgs}))
		fg := fakegrafanatest.Start(b, opts...)
		fakes = append(fakes, fg)
		fmt.Fprintf(&file, "  - name: g%d\n    url: %s\n    user: bench\n    passwordEnv: BENCH_PASSWORD\n    orgs:\n", i, fg.URL)
		for org := 1; org <= fleetBenchOrgs; org++ {
			fmt.Fprintf(&file, "      - {id: %d, file: team.csv}\n", org)
		}
	}
	path := filepath.Join(dir, "fleet.yaml")
	if err := os.WriteFile(path, []byte(file.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return fakes, path
}
