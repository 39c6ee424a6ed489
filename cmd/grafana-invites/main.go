// Command grafana-invites invites people to a Grafana organisation, lists, revokes and
// renews pending invites, syncs them from a CSV file, and plans and applies a fleet file
// across several Grafanas; it also serves and demonstrates the in-memory fake Grafana.
//
// Usage:
//
//	grafana-invites <command> [flags] [arguments]
//
// Run "grafana-invites help" for the commands and "grafana-invites help <command>" for a
// command's flags and examples. Exit status: 0 done as asked, 1 a Grafana or network error,
// 2 a usage or input error (a change refused for want of --yes included), 3 some address not
// brought to the state asked for, 4 a dry run (or plan) with --detailed-exitcode that would
// change something, 130 interrupted.
//
// It is its own module, so that it may use cobra, x/term and a progress bar while the
// library's go.mod keeps requiring nothing but oapi-codegen's runtime (and testify).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // Grafana or network error
	exitUsage = 2 // usage or input error, or a change not confirmed
	// exitShortfall: done, but some address was not brought to the state asked for (a
	// pending invite with another role kept, an email Grafana could not send).
	exitShortfall = 3
	// exitChanges: a dry run with --detailed-exitcode would change something.
	exitChanges = 4
	// exitInterrupted is the shell's status for a command ended by Ctrl-C (128 + SIGINT).
	exitInterrupted = 130
)

// env is what a command may touch of the outside world; tests replace it.
type env struct {
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	getenv   func(string) string
	readFile func(string) ([]byte, error)
	now      func() time.Time
	// stderrTTY: stderr is a terminal, so progress may redraw a line; stdinTTY: stdin is
	// one, so a question may be asked (both are needed to ask).
	stderrTTY, stdinTTY bool
	// termWidth is the width of stderr's terminal in columns (0 when unknown).
	termWidth func() int
	// readPassword reads a line from the terminal without echo.
	readPassword func() (string, error)
	// interrupt is closed at the first Ctrl-C (or SIGTERM): commands that change things
	// start no new work, let what is under way finish and print what was done. The second
	// signal cancels the context given to run, which cuts requests short.
	interrupt <-chan struct{}
}

func main() {
	ctx, interrupt, stop := notifySignals()
	e := &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, readFile: os.ReadFile, now: time.Now,
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())), stdinTTY: term.IsTerminal(int(os.Stdin.Fd())),
		termWidth: func() int {
			w, _, err := term.GetSize(int(os.Stderr.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
		readPassword: func() (string, error) { return readPassword(int(os.Stdin.Fd()), interrupt) },
		interrupt:    interrupt,
	}
	code := run(ctx, os.Args[1:], e)
	stop()
	os.Exit(code)
}

// notifySignals turns the first SIGINT or SIGTERM into a closed interrupt channel and the
// second into a cancelled context.
func notifySignals() (context.Context, <-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	interrupt := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			close(interrupt)
		case <-ctx.Done():
			return
		}
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, interrupt, func() {
		signal.Stop(sigs)
		cancel()
	}
}

// readPassword reads a line from the terminal fd without echo. Ctrl-C ends it at once with
// errInterrupted, the terminal's echo restored (x/term restores it only when its read
// returns, which a Ctrl-C does not make it do).
func readPassword(fd int, interrupt <-chan struct{}) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- read{b, err}
	}()
	select {
	case r := <-done:
		return string(r.b), r.err
	case <-interrupt:
		_ = term.Restore(fd, state)
		return "", errInterrupted
	}
}
