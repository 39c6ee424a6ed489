//go:build linux || darwin

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana-invites/grafana-invites/fakegrafana"
)

// onTerminal runs this test binary as the command on a pseudo-terminal of cols columns
// (stdin, stdout and stderr alike) and returns the terminal's side and the process.
func onTerminal(t *testing.T, c *cli, cols uint16, args ...string) (*os.File, *exec.Cmd) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...) //nolint:gosec // re-runs this test binary as the command
	cmd.Env = append(os.Environ(), "GRAFANA_INVITES_BE_MAIN=1", "GRAFANA_URL="+c.fg.URL, "GRAFANA_TOKEN="+c.fg.Token)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: cols})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tty.Close() })
	return tty, cmd
}

// expect reads the terminal into seen until want appears.
func expect(t *testing.T, tty io.Reader, seen *bytes.Buffer, want string) {
	t.Helper()
	buf := make([]byte, 4096)
	for !strings.Contains(seen.String(), want) {
		n, err := tty.Read(buf)
		seen.Write(buf[:n])
		require.NoError(t, err, "waiting for %q; the terminal shows:\n%s", want, seen.String())
	}
}

// rest reads the terminal until the process ends.
func rest(tty io.Reader, seen *bytes.Buffer) {
	_, _ = io.Copy(seen, tty) // ends with EIO when the process closes its side
}

// TestTerminalConfirmsAndFits: on a real (pseudo-)terminal of 40 columns, sync --prune shows
// what will go and asks; "y" applies it, and the progress bar never reaches the edge.
// barCount is the count of a progress bar.
var barCount = regexp.MustCompile(`\b\d+/302\b`)

func TestTerminalConfirmsAndFits(t *testing.T) {
	c := newCLI(t)
	c.seed("old1@example.com:Viewer", "old2@example.com:Viewer")
	var csv strings.Builder
	csv.WriteString("email,role\n")
	for i := range 300 {
		fmt.Fprintf(&csv, "user%03d@example.com,Viewer\n", i)
	}
	file := filepath.Join(t.TempDir(), "team.csv")
	require.NoError(t, os.WriteFile(file, []byte(csv.String()), 0o600))

	tty, cmd := onTerminal(t, c, 40, "sync", file, "--prune")
	var seen bytes.Buffer
	expect(t, tty, &seen, "Revoke 2 pending invites (their links stop working)? [y/N] ")
	assert.Contains(t, seen.String(), "old1@example.com")
	assert.Zero(t, c.fg.Calls(fakegrafana.OpRevokeInvite), "nothing before the answer")
	_, err := tty.WriteString("y\n")
	require.NoError(t, err)
	rest(tty, &seen)
	require.NoError(t, cmd.Wait(), seen.String())
	assert.Equal(t, 2, c.fg.Calls(fakegrafana.OpRevokeInvite))
	assert.Contains(t, seen.String(), "302/302")
	for _, seg := range strings.FieldsFunc(seen.String(), func(r rune) bool { return r == '\r' || r == '\n' }) {
		if barCount.MatchString(seg) { // "17/302", not an invite link whose code starts with 302

			assert.Less(t, len([]rune(seg)), 40, "a bar line: %q", seg)
		}
	}
}

// TestTerminalAsksForPassword: --user without a password asks on the terminal, without
// echo.
func TestTerminalAsksForPassword(t *testing.T) {
	c := newCLI(t)
	tty, cmd := onTerminal(t, c, 80, "list", "--user", "admin", "--url", c.fg.URL)
	var seen bytes.Buffer
	expect(t, tty, &seen, "Password for admin: ")
	_, err := tty.WriteString("admin\n")
	require.NoError(t, err)
	rest(tty, &seen)
	require.NoError(t, cmd.Wait(), seen.String())
	assert.Contains(t, seen.String(), "(no pending invites)")
	assert.NotContains(t, seen.String(), "admin\r\n(no", "no echo")
}

// exitCode waits for the command and returns its exit status.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// TestCtrlCAtAPrompt: Ctrl-C at a confirmation or a password prompt ends the command at
// once, without Enter: 130, nothing changed.
func TestCtrlCAtAPrompt(t *testing.T) {
	t.Run("confirmation", func(t *testing.T) {
		c := newCLI(t)
		c.seed("a@example.com:Viewer", "a@example.com:Editor")
		tty, cmd := onTerminal(t, c, 80, "revoke", "a@example.com")
		var seen bytes.Buffer
		expect(t, tty, &seen, "Revoke these 2 invites (their links stop working)? [y/N] ")
		_, err := tty.Write([]byte{3}) // Ctrl-C, as the terminal sends it
		require.NoError(t, err)
		rest(tty, &seen)
		assert.Equal(t, exitInterrupted, exitCode(t, cmd), seen.String())
		assert.Contains(t, seen.String(), "interrupted; nothing was changed")
		assert.Zero(t, c.fg.Calls(fakegrafana.OpRevokeInvite))
	})
	t.Run("password", func(t *testing.T) {
		c := newCLI(t)
		tty, cmd := onTerminal(t, c, 80, "list", "--user", "admin", "--url", c.fg.URL)
		var seen bytes.Buffer
		expect(t, tty, &seen, "Password for admin: ")
		_, err := tty.Write([]byte{3})
		require.NoError(t, err)
		rest(tty, &seen)
		assert.Equal(t, exitInterrupted, exitCode(t, cmd), seen.String())
		assert.Contains(t, seen.String(), "interrupted; nothing was changed")
		assert.Zero(t, c.fg.Calls(fakegrafana.OpGetPendingOrgInvites), "nothing sent")
	})
}

// TestTerminalInterruptShowsWhatWasDone: on a terminal, a long run shows its rate and the
// time left; at Ctrl-C it says at once what it waits for, and the bar stays where the run
// stopped instead of jumping to the end.
func TestTerminalInterruptShowsWhatWasDone(t *testing.T) {
	c := newCLI(t, fakegrafana.WithLatency(20*time.Millisecond))
	var csv strings.Builder
	csv.WriteString("email,role\n")
	for i := range 300 {
		fmt.Fprintf(&csv, "user%03d@example.com,Viewer\n", i)
	}
	file := filepath.Join(t.TempDir(), "team.csv")
	require.NoError(t, os.WriteFile(file, []byte(csv.String()), 0o600))

	tty, cmd := onTerminal(t, c, 120, "sync", file)
	var seen bytes.Buffer
	expect(t, tty, &seen, "req/s")
	_, err := tty.Write([]byte{3})
	require.NoError(t, err)
	expect(t, tty, &seen, "Ctrl-C: starting nothing new; waiting for the 4 requests under way")
	rest(tty, &seen)
	assert.Equal(t, exitInterrupted, exitCode(t, cmd), seen.String())
	assert.NotContains(t, seen.String(), "300/300", "the bar does not jump to the end")
	assert.Contains(t, seen.String(), "were not started")
	assert.Less(t, c.fg.Calls(fakegrafana.OpAddOrgInvite), 300)
}
