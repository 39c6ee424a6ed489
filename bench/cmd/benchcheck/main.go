// Command benchcheck reads `go test -bench` output and checks the performance targets of
// the project against the medians of each benchmark, printing one line per target. It exits
// 1 when a target is missed. `make bench` runs it after benchstat.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// metrics maps a benchmark name (without the -GOMAXPROCS suffix) and a unit ("sec/op" as
// ns/op, "B/op", "allocs/op") onto its samples.
type metrics map[string]map[string][]float64

func read(paths []string) (metrics, error) {
	m := metrics{}
	for _, p := range paths {
		f, err := os.Open(p) //nolint:gosec // files named on the command line by make bench
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
				continue
			}
			name := fields[0]
			if i := strings.LastIndexByte(name, '-'); i > 0 {
				name = name[:i]
			}
			for i := 2; i+1 < len(fields); i += 2 {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					continue
				}
				if m[name] == nil {
					m[name] = map[string][]float64{}
				}
				m[name][fields[i+1]] = append(m[name][fields[i+1]], v)
			}
		}
		_ = f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m metrics) median(name, unit string) (float64, bool) {
	s := slices.Clone(m[name][unit])
	if len(s) == 0 {
		return 0, false
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// geomean is the geometric mean of the ours/floor ratios of the median unit of ops.
func (m metrics) geomean(ops []string, unit string) (float64, bool) {
	logSum := 0.0
	for _, op := range ops {
		ours, okA := m.median("Benchmark"+op+"/impl=ours", unit)
		floor, okB := m.median("Benchmark"+op+"/impl=floor", unit)
		if !okA || !okB || floor == 0 || ours == 0 {
			return 0, false
		}
		logSum += math.Log(ours / floor)
	}
	return math.Exp(logSum / float64(len(ops))), true
}

type target struct {
	what  string
	a, b  string // benchmark names: the ratio is a/b (or, for "diff", a-b)
	unit  string
	limit float64
	kind  string // "max ratio", "min ratio", "max diff", "max value" (of a alone), "max geomean" (a lists ops, comma-separated)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchcheck FILE...")
		os.Exit(2)
	}
	m, err := read(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcheck:", err)
		os.Exit(2)
	}
	// Time: ours is built on gen's generated client, which parses the base URL and the path
	// for every request; a few microseconds a call are invisible behind a network. The
	// geomean of the ours/floor ratios stays within 1.15, and no call above 1.35.
	geomeanOps := []string{"Invite", "ListPending/n=1", "ListPending/n=1000", "Revoke"}
	var targets []target
	targets = append(targets, target{"ours/floor time, geomean of Invite, List n=1, n=1000, Revoke", strings.Join(geomeanOps, ","), "", "ns/op", 1.15, "max geomean"})
	for _, op := range []string{"Invite", "ListPending/n=1", "ListPending/n=1000", "ListPending/n=10000", "Revoke"} {
		targets = append(targets, target{op + ": ours/floor time", "Benchmark" + op + "/impl=ours", "Benchmark" + op + "/impl=floor", "ns/op", 1.35, "max ratio"})
	}
	// Allocations: gen's request builder allocates about 12 more per request than the
	// hand-written floor (two URL parses, the path's Sprintf, the request's context copy,
	// the org header's styling); the body decode must add none of its own.
	for _, op := range []string{"Invite", "ListPending/n=1", "Revoke"} {
		targets = append(targets, target{op + ": ours-floor allocs", "Benchmark" + op + "/impl=ours", "Benchmark" + op + "/impl=floor", "allocs/op", 25, "max diff"})
	}
	targets = append(targets, target{"ListPending/n=10000: ours/floor bytes", "BenchmarkListPending/n=10000/impl=ours", "BenchmarkListPending/n=10000/impl=floor", "B/op", 1.25, "max ratio"})
	for _, op := range []string{"ListPending/n=1000", "ListPending/n=10000"} {
		targets = append(targets, target{op + ": official/ours time", "Benchmark" + op + "/impl=official", "Benchmark" + op + "/impl=ours", "ns/op", 1.5, "min ratio"})
	}
	targets = append(targets, target{"Apply 1000 with 20 ms latency: concurrency 1 / 16", "BenchmarkApplyBulk/concurrency=1", "BenchmarkApplyBulk/concurrency=16", "ns/op", 10, "min ratio"})
	for _, op := range []string{"list", "invite", "revoke"} {
		targets = append(targets, target{"fakegrafana/bare handler time, " + op, "BenchmarkServer/op=" + op + "/impl=fake", "BenchmarkServer/op=" + op + "/impl=bare", "ns/op", 1.5, "max ratio"})
	}
	targets = append(targets, target{"ListPending of 100 000: peak heap / body", "BenchmarkListPeakHeap/impl=streamed", "", "peak/body", 2.5, "max value"})
	// The fake keeps each organisation's encoded pending list until something changes: it
	// stays only while listing a large organisation from the cache is far cheaper.
	targets = append(targets, target{"fake list of 10 000, cached / encoded anew time", "BenchmarkListCache/cached=true", "BenchmarkListCache/cached=false", "ns/op", 0.25, "max ratio"})
	targets = append(targets,
		target{"CLI sync of 2 000 at 20 ms, concurrency 16: time / ideal", "BenchmarkSync/concurrency=16", "", "x-ideal", 1.15, "max value"},
		target{"CLI sync of 2 000 at 20 ms, concurrency 64: time / ideal", "BenchmarkSync/concurrency=64", "", "x-ideal", 1.3, "max value"},
		// A fleet of 10 Grafanas × 5 organisations × 200 invites, 20 ms away: apply -f (plan
		// and apply) as its own process, at the default concurrency.
		target{"CLI fleet 10×5×200 at 20 ms: apply time / ideal", "BenchmarkFleet", "", "x-ideal", 1.3, "max value"},
		target{"CLI fleet 10×5×200 at 20 ms: peak RSS, MiB", "BenchmarkFleet", "", "peak-MiB", 150, "max value"})

	missed := 0
	fmt.Println("TARGET                                                   VALUE     LIMIT    RESULT")
	for _, t := range targets {
		var a, b float64
		var okA, okB bool
		switch t.kind {
		case "max geomean":
			a, okA = m.geomean(strings.Split(t.a, ","), t.unit)
			b, okB = 1, true
		case "max value":
			a, okA = m.median(t.a, t.unit)
			b, okB = 1, true
		default:
			a, okA = m.median(t.a, t.unit)
			b, okB = m.median(t.b, t.unit)
		}
		if !okA || !okB || b == 0 {
			fmt.Printf("%-56s %8s  %8s  %s\n", t.what, "-", "-", "NO DATA")
			missed++
			continue
		}
		var v float64
		var ok bool
		switch t.kind {
		case "max ratio":
			v = a / b
			ok = v <= t.limit
		case "min ratio":
			v = a / b
			ok = v >= t.limit
		case "max diff":
			v = a - b
			ok = v <= t.limit
		case "max value", "max geomean":
			v = a
			ok = v <= t.limit
		}
		result := "ok"
		if !ok {
			result = "MISSED"
			missed++
		}
		bound := "≤"
		if t.kind == "min ratio" {
			bound = "≥"
		}
		fmt.Printf("%-56s %8.3f  %s%7.2f  %s\n", t.what, v, bound, t.limit, result)
	}
	if missed > 0 {
		fmt.Printf("%d of %d targets missed or without data\n", missed, len(targets))
		os.Exit(1)
	}
	fmt.Printf("all %d targets met\n", len(targets))
}
