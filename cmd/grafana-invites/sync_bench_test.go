package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
	"github.com/grafana-invites/grafana-invites/fakegrafana/fakegrafanatest"
)

// syncBenchRows and syncBenchLatency are the shape of BenchmarkSync: a team of 2 000 synced
// through a Grafana 20 ms away.
const (
	syncBenchRows    = 2000
	syncBenchLatency = 20 * time.Millisecond
)

// BenchmarkSync runs a whole `sync` of 2 000 new rows, in-process, against the fake with
// 20 ms of latency on every call, at --concurrency 16 and 64. It reports x-ideal: the time
// taken over the latency-bound ideal, (2 lists + rows / concurrency) × latency. benchcheck
// holds it to ≤ 1.15 at 16 and ≤ 1.3 at 64.
func BenchmarkSync(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("email,role,name\n")
	for i := range syncBenchRows {
		fmt.Fprintf(&csv, "user%04d@example.com,Viewer,User %d\n", i, i)
	}
	file := filepath.Join(b.TempDir(), "team.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, concurrency := range []int{16, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", concurrency), func(b *testing.B) {
			ideal := time.Duration(2+(syncBenchRows+concurrency-1)/concurrency) * syncBenchLatency
			var took time.Duration
			for b.Loop() {
				b.StopTimer()
				fg := fakegrafanatest.Start(b, fakegrafana.WithLatency(syncBenchLatency))
				vars := map[string]string{"GRAFANA_URL": fg.URL, "GRAFANA_TOKEN": fg.Token}
				e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
					getenv: func(k string) string { return vars[k] }, readFile: os.ReadFile, now: time.Now,
					interrupt: make(chan struct{})}
				b.StartTimer()
				start := time.Now()
				code := run(context.Background(), []string{"sync", file, "--concurrency", fmt.Sprint(concurrency)}, e)
				took += time.Since(start)
				b.StopTimer()
				if code != exitOK {
					b.Fatalf("sync exited %d", code)
				}
				if n := len(fg.Invites()); n != syncBenchRows {
					b.Fatalf("%d invites, want %d", n, syncBenchRows)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(took)/float64(b.N)/float64(ideal), "x-ideal")
		})
	}
}
