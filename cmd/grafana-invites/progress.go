package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows the progress of a run on stderr: on a terminal, a bar redrawn in place
// that fits the terminal's width (it never wraps); otherwise a plain line every tenth of
// the way; with -q, nothing. Runs of longRun steps or more show their rate and the time
// left.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	total   int
	done    int
	lastTen int
	off     bool
	started time.Time
}

// longRun is the number of steps from which progress shows the rate and the time left.
const longRun = 100

// newProgress starts a progress display of total steps named by what ("sync", "renew").
func (a *app) newProgress(what string, total int) *progress {
	p := &progress{w: a.e.stderr, total: total, off: a.quiet || total <= 1, started: time.Now()} // one step needs no progress
	if p.off || !a.e.stderrTTY {
		return p
	}
	cols := 80
	if a.e.termWidth != nil {
		if w := a.e.termWidth(); w > 0 {
			cols = w
		}
	}
	// "what 100% [bar] (1000/1000)": the bar takes what the rest leaves, minus one column
	// so that the cursor never reaches the edge.
	digits := len(strconv.Itoa(total))
	rest := len(what) + len(" 100% []") + len(" (/)") + 2*digits + 1
	long := total >= longRun
	if long {
		rest += len(" [1m2s:1m2s]") + len(" (999 it/s)")
	}
	if cols-1-rest < 10 { // a narrow terminal: the counts matter more than the name
		what, rest = "", rest-len(what)
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(&fitWriter{w: a.e.stderr, cols: cols - 1}),
		progressbar.OptionSetDescription(what),
		progressbar.OptionSetWidth(max(cols-1-rest, 0)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(long),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(a.e.stderr) }),
	}
	if long {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString("req"))
	}
	p.bar = progressbar.NewOptions(total, opts...)
	return p
}

// say prints a line between the progress lines: on a terminal it clears the bar, which the
// next update draws again below the line.
func (p *progress) say(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	fmt.Fprintln(p.w, line)
}

// doneSoFar is the number of steps done.
func (p *progress) doneSoFar() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// update records that done of total steps are done.
func (p *progress) update(done, total int) {
	if p.off {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	if p.bar != nil {
		_ = p.bar.Set(done)
		return
	}
	if ten := 10 * done / max(total, 1); ten > p.lastTen || done == total {
		p.lastTen = ten
		fmt.Fprintf(p.w, "progress: %d/%d%s\n", done, total, p.pace(done, total))
	}
}

// pace is the rate and the time left of a long run, for the lines written without a
// terminal: " (38 req/s, 40s left)".
func (p *progress) pace(done, total int) string {
	elapsed := time.Since(p.started)
	if total < longRun || done == 0 || elapsed <= 0 {
		return ""
	}
	rate := float64(done) / elapsed.Seconds()
	left := time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second)
	return fmt.Sprintf(" (%.0f req/s, %s left)", rate, left)
}

// finish ends the bar's line, so that what follows starts on a clean line. A run that
// ended early (Ctrl-C) keeps the bar where it stopped: it is not drawn complete.
func (p *progress) finish() {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done >= p.total {
		_ = p.bar.Finish()
		return
	}
	_ = p.bar.Exit()
	fmt.Fprintln(p.w)
}

// fitWriter cuts every line it writes (between carriage returns and newlines) to cols
// characters, so that a bar never wraps whatever the library renders.
type fitWriter struct {
	w    io.Writer
	cols int
}

func (f *fitWriter) Write(p []byte) (int, error) {
	var b strings.Builder
	line := 0
	for _, r := range string(p) {
		if r == '\r' || r == '\n' {
			line = 0
			b.WriteRune(r)
			continue
		}
		if line < f.cols {
			b.WriteRune(r)
		}
		line++
	}
	if _, err := io.WriteString(f.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
