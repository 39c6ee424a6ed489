package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
)

// progress shows the progress of a run on stderr: on a terminal, a bar redrawn in place
// that fits the terminal's width (it never wraps); otherwise a plain line every tenth of
// the way; with -q, nothing.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	total   int
	lastTen int
	off     bool
}

// newProgress starts a progress display of total steps named by what ("sync", "renew").
func (a *app) newProgress(what string, total int) *progress {
	p := &progress{w: a.e.stderr, total: total, off: a.quiet || total <= 1} // one step needs no progress
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
	if cols-1-rest < 10 { // a narrow terminal: the counts matter more than the name
		what, rest = "", rest-len(what)
	}
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(&fitWriter{w: a.e.stderr, cols: cols - 1}),
		progressbar.OptionSetDescription(what),
		progressbar.OptionSetWidth(max(cols-1-rest, 0)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(a.e.stderr) }),
	)
	return p
}

// update records that done of total steps are done.
func (p *progress) update(done, total int) {
	if p.off {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Set(done)
		return
	}
	if ten := 10 * done / max(total, 1); ten > p.lastTen || done == total {
		p.lastTen = ten
		fmt.Fprintf(p.w, "progress: %d/%d\n", done, total)
	}
}

// finish draws the bar complete and ends its line, so that what follows starts on a clean
// line.
func (p *progress) finish() {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
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
