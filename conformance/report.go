package conformance

import (
	"fmt"
	"io"
	"strings"
)

// WriteReport prints one line per case (PASS, FAIL or SKIP with its reason), each failure's
// exchanges below it (method, path, status, body; tokens, passwords, codes and invite URLs
// redacted, ready to paste into an issue), and a closing count. It returns the failures.
func WriteReport(w io.Writer, results []Result) int {
	counts := map[Status]int{}
	for _, r := range results {
		counts[r.Status]++
		line := fmt.Sprintf("%s %s", strings.ToUpper(string(r.Status)), r.Case)
		if r.Reason != "" {
			line += ": " + r.Reason
		}
		fmt.Fprintln(w, line)
		if r.Status != Fail {
			continue
		}
		for _, e := range r.Exchanges {
			body := strings.TrimSpace(e.Body)
			if len(body) > 600 {
				body = body[:600] + "…"
			}
			fmt.Fprintf(w, "    %s /%s → %d %s\n", e.Method, e.Path, e.Status, body)
		}
	}
	fmt.Fprintf(w, "conformance: %d passed, %d failed, %d skipped\n", counts[Pass], counts[Fail], counts[Skip])
	return counts[Fail]
}
